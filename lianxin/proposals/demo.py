"""Demo step: the representatives' proposals are assigned and answered; the canteen proposal is
planned (and became a practical project), the one on cadres' visits is solved and rated."""

from __future__ import annotations

from lianxin.outreach.models import Proposal
from lianxin.proposals import services


def seed(*, rng, context: dict) -> None:
    users = context["users"]
    departments = context["departments"]
    supervisor = users["supervisor"]
    answers = {
        "建议为一线职工建小食堂": (
            "公交三分公司",
            "planned",
            "已列入今年“栓心工程”，小食堂改造正在进行。",
        ),
        "建议党员干部定期下基层听取意见": (
            "组织部",
            "solved",
            "已建立每月“下基层日”制度，领导干部到联系社区接待群众。",
        ),
        "建议在社区开办老年餐桌": ("民政局", None, ""),
    }
    for proposal in Proposal.objects.select_related("case", "representative__user"):
        plan = answers.get(proposal.case.title)
        if plan is None:
            continue
        short, kind, text = plan
        department = departments.get(short) or _department(short)
        handling = services.proposal_assign(
            actor=supervisor, proposal=proposal, department=department
        )
        if kind is None:
            continue
        handler = _handler(users, department)
        services.proposal_answer(actor=handler, handling=handling, answer=text, answer_kind=kind)
        if kind == "solved" and proposal.representative.user_id:
            services.proposal_rate(
                actor=proposal.representative.user,
                handling=handling,
                rating="satisfied",
                comment="落实得好",
            )


def _department(short):
    from lianxin.directory.models import Department

    return Department.objects.get(short_name=short)


def _handler(users, department):
    from django.conf import settings

    from lianxin.accounts.models import Role
    from lianxin.accounts.services import user_create

    existing = next(
        (u for u in users.values() if u.role == Role.HANDLER and u.department_id == department.pk),
        None,
    )
    if existing:
        return existing
    return user_create(
        username=f"handler-{department.pk}",
        password=settings.LIANXIN_DEMO_PASSWORD,
        role=Role.HANDLER,
        full_name=f"{department.short_name or department.name} 经办人",
        department=department,
        is_demo=True,
    )
