"""Programs' credentials for the interface tests: a REST token per persona, Open311 keys."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lianxin.api.models import Open311Scope
from lianxin.api.services import api_token_create, open311_client_create


@pytest.fixture(autouse=True)
def _nothing_remembered_between_tests():
    """Open311 keys and services are memoised per process, and rate counters are cached."""
    from django.core.cache import cache

    from lianxin.api.selectors import memo_clear

    memo_clear()
    cache.clear()
    yield
    memo_clear()
    cache.clear()


@pytest.fixture
def token_client(db):
    """token_client(user) -> an APIClient sending that user's token (no session)."""

    def make(user) -> APIClient:
        _token, secret = api_token_create(actor=None, user=user, name="test program")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        return client

    return make


@pytest.fixture
def open311_key(db):
    _client, key = open311_client_create(name="12345热线", rate_limit=1000)
    return key


@pytest.fixture
def open311_reader_key(db):
    _client, key = open311_client_create(
        name="区政务数据平台", rate_limit=1000, read_scope=Open311Scope.ALL
    )
    return key


# --- Outreach ------------------------------------------------------------------------------
@pytest.fixture
def rep_a_record(rep_a):
    from lianxin.directory.models import Representative

    return Representative.objects.get(user=rep_a)


@pytest.fixture
def rep_b_record(rep_b):
    from lianxin.directory.models import Representative

    return Representative.objects.get(user=rep_b)


@pytest.fixture
def dibao_household(community_a):
    """A low-income household (低保户) of community A: its care tag asks about daily life."""
    from lianxin.testing import factories as f

    household = f.HouseholdFactory(
        community=community_a, address="枣园北里3号楼2单元101", head_name="牛某"
    )
    household.care_tags.set([f.care_tag("dibao")])
    f.ResidentFactory(community=community_a, household=household, name="牛某", phone="13700001111")
    return household


@pytest.fixture
def outreach_work(
    admin_user,
    worker_a,
    worker_b,
    rep_a,
    rep_b,
    rep_a_record,
    rep_b_record,
    community_a,
    community_b,
    resident_a,
    resident_b,
    dibao_household,
):
    """Outreach of every kind by every persona, in both communities, logged in June 2026 (and
    one reception day still to come): what the scope tests compare page by page."""
    import datetime

    import time_machine
    from django.utils import timezone

    from lianxin.outreach import services
    from lianxin.outreach.services import Problem
    from lianxin.outreach.tests.conftest import at

    made: dict = {}
    with time_machine.travel(at(2026, 6, 1, 10), tick=False):
        made["visit_rep_a"] = services.visit_log(
            actor=rep_a,
            household=dibao_household,
            visited_at=at(2026, 5, 20),
            heard="低保金按时到账，老伴腿脚不便。",
            answers=[{"tag": "低保户", "question": "衣食住行", "answer": "冬天取暖费用高"}],
            problem=Problem(title="楼道扶手松动", description="三楼扶手松动，老人上下楼危险。"),
        )
        made["visit_worker_a"] = services.visit_log(
            actor=worker_a,
            resident=resident_a,
            visited_at=at(2026, 5, 21),
            heard="居民甲说小区门口路灯坏了。",
            follow_up_on=datetime.date(2026, 6, 10),
        )
        made["visit_rep_b"] = services.visit_log(
            actor=rep_b, resident=resident_b, visited_at=at(2026, 5, 22), heard="代表乙走访"
        )
        made["visit_worker_b"] = services.visit_log(
            actor=worker_b, resident=resident_b, visited_at=at(2026, 5, 23), heard="社工乙走访"
        )
        for key, actor, resident, reason in (
            ("talk_rep_a", rep_a, resident_a, "setback"),
            ("talk_worker_a", worker_a, resident_a, "mood"),
            ("talk_rep_b", rep_b, resident_b, "promotion"),
            ("talk_worker_b", worker_b, resident_b, "routine"),
        ):
            made[key] = services.talk_record(
                actor=actor,
                resident=resident,
                reason=reason,
                held_at=at(2026, 5, 25),
                notes=f"{key}的谈心记录：竞聘没选上，心里有些想不通。",
                follow_up_on=datetime.date(2026, 5, 30) if key == "talk_rep_a" else None,
            )
        made["check_in_a"] = services.check_in_record(
            actor=rep_a, community=community_a, checked_in_at=at(2026, 5, 26), note="参加议事会"
        )
        made["check_in_b"] = services.check_in_record(
            actor=rep_b, community=community_b, checked_in_at=at(2026, 5, 27)
        )
        for key, actor, communities in (
            ("activity_a", worker_a, [community_a]),
            ("activity_b", worker_b, [community_b]),
            ("activity_ab", admin_user, [community_a, community_b]),
        ):
            made[key] = services.activity_create(
                actor=actor,
                kind="briefing",
                topic=f"医保政策宣讲 {key}",
                starts_at=at(2026, 5, 28, 14),
                ends_at=at(2026, 5, 28, 16),
                place="社区活动室",
                communities=communities,
            )
        services.attendance_record(
            actor=worker_a, activity=made["activity_a"], residents=[resident_a]
        )
        services.attendance_record(
            actor=admin_user, activity=made["activity_ab"], residents=[resident_a, resident_b]
        )
        for key, actor, community, rep in (
            ("reception_a", worker_a, community_a, rep_a_record),
            ("reception_b", worker_b, community_b, rep_b_record),
        ):
            made[key] = services.reception_schedule(
                actor=actor,
                community=community,
                place="社区党群服务中心一楼",
                starts_at=at(2026, 6, 5, 9),
                ends_at=at(2026, 6, 5, 11, 30),
                representatives=[rep],
                publish=True,
            )
        made["proposal_a"] = services.proposal_submit(
            actor=rep_a, title="增设社区食堂", description="建议在社区增设老年食堂。"
        )
        services.duty_rule_save(
            actor=admin_user, year=2026, metric="visits", period="year", minimum=2
        )
        services.duty_rule_save(
            actor=admin_user, year=2026, metric="receptions", period="quarter", minimum=1
        )
    with time_machine.travel(at(2026, 6, 5, 9, 30), tick=False):
        made["visitor_a"] = services.reception_visitor_log(
            actor=worker_a,
            reception=made["reception_a"],
            name="过路群众",
            phone="13912345678",
            problem=Problem(title="小区停车难", description="晚上回来找不到车位。"),
        )
    soon = timezone.now() + datetime.timedelta(days=5)
    made["reception_coming"] = services.reception_schedule(
        actor=worker_a,
        community=community_a,
        place="社区活动室",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2),
        representatives=[rep_a_record],
        publish=True,
    )
    return made
