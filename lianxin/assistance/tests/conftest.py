"""Personas of assistance: community A's subdistrict has its office; the organisation
department (组织部) and the disabled persons' federation (残联) fund the seed's two schemes;
牛某 lives in community A and was visited by A's representative."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.assistance.models import AidScheme, ApprovalLevel, ReviewUnit
from lianxin.testing import factories as f

NIU_PHONE = "13700001111"


@pytest.fixture
def street_office(community_a):
    office = f.DepartmentFactory(name="测试街道办事处", short_name="街道")
    community_a.subdistrict.office = office
    community_a.subdistrict.save(update_fields=["office"])
    return office


@pytest.fixture
def zuzhibu(db):
    return f.DepartmentFactory(name="区委组织部", short_name="组织部")


@pytest.fixture
def canlian(db):
    return f.DepartmentFactory(name="区残疾人联合会", short_name="区残联")


@pytest.fixture
def street_handler(street_office):
    return f.UserFactory(username="sue-street", role=Role.HANDLER, department=street_office)


@pytest.fixture
def zuzhibu_handler(zuzhibu):
    return f.UserFactory(username="zoe-zzb", role=Role.HANDLER, department=zuzhibu)


@pytest.fixture
def canlian_handler(canlian):
    return f.UserFactory(username="carl-cl", role=Role.HANDLER, department=canlian)


@pytest.fixture
def worker_a2(community_a):
    return f.UserFactory(username="wanda-a2", role=Role.WORKER, communities=[community_a])


def _scheme(name, funder, one, year, final_department):
    scheme = AidScheme.objects.create(
        name=name,
        funder=funder,
        max_per_application=Decimal(one),
        max_per_year=Decimal(year),
        documents_required="身份证\n收入证明",
    )
    ApprovalLevel.objects.bulk_create(
        [
            ApprovalLevel(
                scheme=scheme,
                position=1,
                name="社区初审",
                unit=ReviewUnit.COMMUNITY,
                working_days=3,
            ),
            ApprovalLevel(
                scheme=scheme,
                position=2,
                name="街道审核",
                unit=ReviewUnit.SUBDISTRICT,
                working_days=5,
            ),
            ApprovalLevel(
                scheme=scheme,
                position=3,
                name=f"{final_department.short_name}审批",
                unit=ReviewUnit.DEPARTMENT,
                department=final_department,
                working_days=10,
            ),
        ]
    )
    return scheme


@pytest.fixture
def party_scheme(zuzhibu, street_office, working_calendar):
    return _scheme("困难党员帮扶款", zuzhibu, "3000", "5000", zuzhibu)


@pytest.fixture
def disability_scheme(canlian, street_office, working_calendar):
    return _scheme("残疾人困难补助", canlian, "2000", "4000", canlian)


@pytest.fixture
def niu(community_a):
    return f.ResidentFactory(
        community=community_a, name="牛某", phone=NIU_PHONE, is_party_member=True
    )


@pytest.fixture
def niu_visit(rep_a, niu):
    from lianxin.outreach.services import visit_log

    return visit_log(
        actor=rep_a,
        visited_at=timezone.now(),
        resident=niu,
        heard="牛某身患罕见的肌肉萎缩症，退休金不高，长年吃药，家境不富裕。商量帮他申请困难党员帮扶款和残疾人困难补助。",
    )
