"""Demo step: the seed's "栓心工程" as practical projects. The canteen comes from a
representative's proposal and has three milestones (two reached, with a follower told by
SMS); the dormitory air conditioning is completed and rated; water heaters are underway."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from lianxin.core import synthetic
from lianxin.directory.models import Department, DepartmentKind
from lianxin.outreach.services import proposal_submit
from lianxin.projects import services


def seed(*, rng, context: dict) -> None:
    users = context["users"]
    admin, rep = users["admin"], users["rep"]
    home = context["communities"][0]
    today = timezone.localdate()
    company = Department.objects.create(
        name="区公交第三分公司", short_name="公交三分公司", kind=DepartmentKind.ENTERPRISE
    )
    proposal = proposal_submit(
        actor=rep,
        title="建议为一线职工建小食堂",
        description="公交场站一线职工吃饭难，早晚班常常吃不上热饭。建议利用场站闲置用房建起小食堂，"
        "配齐电饭煲、电磁炉和厨房用具，让职工吃得饱、吃得好。",
        community=home,
    )
    canteen = services.project_create(
        actor=admin,
        title="栓心工程：职工小食堂",
        summary=proposal.case.description,
        owner=company,
        starts_on=today - datetime.timedelta(days=60),
        community=home,
        budget=Decimal("180000"),
        proposals=[proposal],
    )
    steps = [
        ("闲置用房改造为食堂", 45, 30, True),
        ("配齐电饭煲、电磁炉及厨房用具", 20, 70, True),
        ("小食堂投入使用", -10, 100, False),
    ]
    milestones = [
        services.milestone_add(
            actor=admin,
            project=canteen,
            title=title,
            due_on=today - datetime.timedelta(days=ago),
            progress=progress,
        )
        for title, ago, progress, _reached in steps
    ]
    services.project_follow(project=canteen, phone=synthetic.mobile(rng), consent=True)
    for milestone, (_title, ago, _progress, reached) in zip(milestones, steps, strict=True):
        if reached:
            services.milestone_reach(
                actor=admin,
                milestone=milestone,
                reached_on=today - datetime.timedelta(days=ago),
                note="按计划完成。",
            )
    _commitments(rng, context, today)
    heaters = services.project_create(
        actor=admin,
        title="栓心工程：太阳能热水器和燃油锅炉",
        summary="解决职工洗澡难和冬季取暖问题，统一安装太阳能热水器和燃油锅炉。",
        owner=company,
        starts_on=today - datetime.timedelta(days=30),
        community=home,
        budget=Decimal("260000"),
    )
    services.milestone_add(
        actor=admin,
        project=heaters,
        title="热水器和锅炉安装调试",
        due_on=today + datetime.timedelta(days=40),
        progress=100,
    )
    cooling = services.project_create(
        actor=admin,
        title="栓心工程：职工宿舍安装空调",
        summary="夏季给职工提供舒适的休息环境，为职工宿舍安装空调。",
        owner=company,
        starts_on=today - datetime.timedelta(days=150),
        community=home,
        budget=Decimal("96000"),
    )
    services.project_follow(project=cooling, phone=synthetic.mobile(rng), consent=True)
    services.project_complete(
        actor=admin,
        project=cooling,
        result="12间职工宿舍全部装上空调，夏天休息好了，职工称之为“栓心工程”。",
        completed_on=today - datetime.timedelta(days=100),
    )


def _commitments(rng, context, today) -> None:
    """承诺联系: the representative's commitments to his paired community this year."""
    from lianxin.directory.models import Representative
    from lianxin.projects.models import Commitment, CommitmentStatus

    rep = Representative.objects.get(user=context["users"]["rep"])
    home = context["communities"][0]
    year_end = datetime.date(today.year, 12, 31)
    Commitment.objects.bulk_create(
        [
            Commitment(
                representative=rep,
                community=home,
                year=today.year,
                title="每季度到社区报到，参加一次接待日",
                due_on=year_end,
                progress=75,
                note="已报到三次，参加接待日三次。",
            ),
            Commitment(
                representative=rep,
                community=home,
                year=today.year,
                title="帮助牛某申请困难党员帮扶款和残疾人困难补助",
                due_on=min(year_end, today),
                progress=100,
                note="困难党员帮扶款3000元已发放；残疾人困难补助审核中。",
                status=CommitmentStatus.KEPT,
                done_on=today,
            ),
            Commitment(
                representative=rep,
                community=home,
                year=today.year,
                title="推动小区加装电动自行车充电桩",
                due_on=year_end,
                progress=30,
                note="已与物业和供电部门协商选址。",
            ),
        ]
    )
