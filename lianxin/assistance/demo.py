"""Demo step: the seed's aid schemes with their approval levels, reviewers for them, and 牛某's
two applications started from the representative's visit: 困难党员帮扶款 approved at every
level and paid, 残疾人困难补助 waiting for the subdistrict's review."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.accounts.services import user_create
from lianxin.assistance import services
from lianxin.assistance.models import AidScheme, ApprovalLevel, PaymentMethod, ReviewUnit
from lianxin.directory.models import Department, Resident, Subdistrict

SCHEMES = [
    # name, funder (short name), per application, per year, eligibility, documents, levels
    (
        "困难党员帮扶款",
        "组织部",
        "3000",
        "5000",
        "生活困难的党员：因病、因残、因灾或收入低于当地低保标准1.5倍。",
        "党员身份证明\n收入情况说明\n医疗费用票据（因病申请时）",
        [
            ("社区党委初审", ReviewUnit.COMMUNITY, None, 3),
            ("街道工委审核", ReviewUnit.SUBDISTRICT, None, 5),
            ("区委组织部审批", ReviewUnit.DEPARTMENT, "组织部", 10),
        ],
    ),
    (
        "残疾人困难补助",
        "区残联",
        "2000",
        "4000",
        "持有残疾人证、家庭生活困难的残疾人。",
        "残疾人证\n户口簿\n家庭收入证明",
        [
            ("社区初审", ReviewUnit.COMMUNITY, None, 3),
            ("街道审核", ReviewUnit.SUBDISTRICT, None, 5),
            ("区残联审批", ReviewUnit.DEPARTMENT, "区残联", 10),
        ],
    ),
    (
        "临时救助",
        "民政局",
        "5000",
        "10000",
        "因火灾、交通事故、突发重病等导致基本生活暂时出现严重困难的家庭。",
        "身份证\n困难情况证明",
        [
            ("社区初审", ReviewUnit.COMMUNITY, None, 2),
            ("街道审核", ReviewUnit.SUBDISTRICT, None, 3),
            ("区民政局审批", ReviewUnit.DEPARTMENT, "民政局", 5),
        ],
    ),
    (
        "医疗救助",
        "民政局",
        "20000",
        "40000",
        "低保户、特困人员及因病致贫家庭的个人自付医疗费用。",
        "身份证\n住院费用清单\n医保结算单",
        [
            ("社区初审", ReviewUnit.COMMUNITY, None, 3),
            ("区民政局审批", ReviewUnit.DEPARTMENT, "民政局", 10),
        ],
    ),
]


def seed(*, rng, context: dict) -> None:
    departments = context["departments"]
    users = context["users"]
    password = settings.LIANXIN_DEMO_PASSWORD
    for sub in Subdistrict.objects.all():
        office = Department.objects.filter(name=f"{sub.name}办事处").first()
        if office:
            sub.office = office
            sub.save(update_fields=["office"])
    schemes = {}
    for name, funder, one, year, eligibility, docs, levels in SCHEMES:
        scheme = AidScheme.objects.create(
            name=name,
            funder=departments[funder],
            max_per_application=Decimal(one),
            max_per_year=Decimal(year),
            eligibility=eligibility,
            documents_required=docs,
        )
        ApprovalLevel.objects.bulk_create(
            ApprovalLevel(
                scheme=scheme,
                position=i + 1,
                name=level_name,
                unit=unit,
                department=departments[dept] if dept else None,
                working_days=days,
            )
            for i, (level_name, unit, dept, days) in enumerate(levels)
        )
        schemes[name] = scheme
    reviewers = {
        "street": ("青禾街道 审核员 徐静", "青禾街道"),
        "zuzhibu": ("区委组织部 李科长", "组织部"),
        "canlian": ("区残联 王干事", "区残联"),
    }
    for username, (full_name, dept) in reviewers.items():
        users[username] = user_create(
            username=username,
            password=password,
            role=Role.HANDLER,
            full_name=full_name,
            department=departments[dept],
            is_demo=True,
        )
    _niu_applications(users, schemes)


def _niu_applications(users, schemes) -> None:
    niu = Resident.objects.filter(name="牛某").select_related("community").first()
    if niu is None:
        return
    visit = niu.household.visits.filter(cases__isnull=False).first() if niu.household_id else None
    case = visit.cases.first() if visit else None
    rep, worker = users["rep"], users["worker"]
    party = services.application_submit(
        actor=rep,
        scheme=schemes["困难党员帮扶款"],
        resident=niu,
        amount=Decimal("3000"),
        reason="牛某身患罕见的肌肉萎缩症，两腿已至膝盖不能行走，退休金不高，长年吃药，家境不富裕。",
        visit=visit,
        case=case,
    )
    for reviewer in (worker, users["street"], users["zuzhibu"]):
        services.application_review(
            actor=reviewer, application=party, decision=services.APPROVE, note="情况属实，同意。"
        )
    services.payment_record(
        actor=users["zuzhibu"],
        application=party,
        amount=Decimal("3000"),
        paid_on=timezone.localdate() - datetime.timedelta(days=0),
        method=PaymentMethod.BANK,
        reference="ZZB-2026-031",
    )
    disability = services.application_submit(
        actor=rep,
        scheme=schemes["残疾人困难补助"],
        resident=niu,
        amount=Decimal("2000"),
        reason="牛某持残疾人证（肢体一级），长年吃药，申请残疾人困难补助。",
        visit=visit,
    )
    services.application_review(
        actor=worker, application=disability, decision=services.APPROVE, note="已核实残疾人证。"
    )
