"""Coverage and duty progress through the REST API: the numbers of the staff reports, for
those who may read them; and every outreach list costs a number of queries that does not
grow with its rows."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.directory.models import PairingKind
from lianxin.outreach import services
from lianxin.outreach.tests.conftest import at
from lianxin.testing import factories as f

YEAR = {"start": "2026-01-01", "end": "2026-12-31"}


def _row(row) -> dict:
    return {
        "label": row.label,
        "reached": row.reached,
        "total": row.total,
        "percent": None if row.percent is None else float(row.percent),
        "is_sensitive": row.is_sensitive,
    }


def test_coverage_gives_the_numbers_of_the_coverage_page(
    outreach_work, worker_a, community_a, token_client
):
    web = Client()
    web.force_login(worker_a)
    page = web.get("/staff/outreach/coverage/", {"community": community_a.pk, **YEAR})
    shown = page.context["coverage"]
    response = token_client(worker_a).get(
        "/api/v1/coverage/", {"community": community_a.pk, **YEAR}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["community"] == {"id": community_a.pk, "name": "甲社区"}
    assert body["activities"] == shown.activities == 2
    assert body["residents"] == _row(shown.residents)
    assert body["residents"]["reached"] == 1 and body["residents"]["total"] == 2
    assert body["residents"]["percent"] == 50.0
    assert body["households_visited"] == _row(shown.households_visited) | {"label": ""}
    assert body["households_visited"]["reached"] == 1
    assert body["by_tag"] == [_row(r) for r in shown.by_tag]
    assert body["visits_by_tag"] == [_row(r) for r in shown.visits_by_tag]
    assert {"label": "低保户", "reached": 1, "total": 1, "percent": 100.0}.items() <= body[
        "visits_by_tag"
    ][0].items()


def test_coverage_is_read_only_inside_ones_scope(
    outreach_work, worker_b, rep_a, supervisor, community_a, token_client
):
    params = {"community": community_a.pk, **YEAR}
    assert token_client(rep_a).get("/api/v1/coverage/", params).status_code == 200
    assert token_client(supervisor).get("/api/v1/coverage/", params).status_code == 200
    response = token_client(worker_b).get("/api/v1/coverage/", params)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    missing = {"community": 999999, **YEAR}
    assert token_client(supervisor).get("/api/v1/coverage/", missing).status_code == 404


def test_coverage_periods_are_checked(outreach_work, worker_a, community_a, token_client):
    client = token_client(worker_a)
    response = client.get(
        "/api/v1/coverage/",
        {"community": community_a.pk, "start": "2026-06-01", "end": "2026-01-01"},
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"end": ["结束时间早于开始时间。"]}
    response = client.get(
        "/api/v1/coverage/",
        {"community": community_a.pk, "start": "0001-01-01", "end": "9999-12-31"},
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"start", "end"}
    response = client.get("/api/v1/coverage/")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"community", "start", "end"}


def test_a_representative_reads_their_own_duty_progress(
    outreach_work, rep_a, rep_a_record, rep_b_record, token_client
):
    client = token_client(rep_a)
    response = client.get(f"/api/v1/duties/{rep_a_record.pk}/", {"year": 2026})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["representative"] == {
        "id": rep_a_record.pk,
        "name": "代表甲",
        "unit": rep_a_record.unit,
    }
    assert body["year"] == 2026 and body["rule_count"] == 2
    rules = {r["rule"]["metric"]: r for r in body["rules"]}
    receptions, visits = rules["receptions"], rules["visits"]
    assert [(p["label"], p["value"]) for p in receptions["periods"]] == [
        ("Q1", 0),
        ("Q2", 1),
        ("Q3", 0),
        ("Q4", 0),
    ]
    assert receptions["status"] == "behind" and receptions["status_label"] == "未完成"
    assert receptions["rule"]["period_label"] == "每季度" and receptions["rule"]["minimum"] == 1
    assert visits["value"] == 1 and visits["periods"][0]["label"] == "2026"
    assert visits["met"] is False
    assert client.get(f"/api/v1/duties/{rep_b_record.pk}/").status_code == 404
    listed = client.get("/api/v1/duties/", {"year": 2026}).json()["results"]
    assert listed == [body]


def test_duty_progress_defaults_to_this_year_and_is_for_supervisors_and_admins(
    outreach_work, rep_a_record, worker_a, supervisor, admin_user, token_client
):
    body = token_client(supervisor).get(f"/api/v1/duties/{rep_a_record.pk}/").json()
    assert body["year"] == timezone.localdate().year
    for user in (supervisor, admin_user):
        listed = token_client(user).get("/api/v1/duties/", {"year": 2026}).json()["results"]
        assert sorted(r["representative"]["name"] for r in listed) == ["代表乙", "代表甲"]
    assert token_client(worker_a).get(f"/api/v1/duties/{rep_a_record.pk}/").status_code == 404
    assert token_client(worker_a).get("/api/v1/duties/").json()["results"] == []


# --- Query counts --------------------------------------------------------------------------
BOUND = 15


def _costs_the_same(client, url, grow, django_assert_max_num_queries):
    grow(2)
    with django_assert_max_num_queries(BOUND) as few:
        response = client.get(url)
        assert response.status_code == 200, response.json()
        assert response.json()["results"]
    grow(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.fixture
def lots(admin_user, worker_a, rep_a, rep_a_record, community_a, dibao_household, resident_a):
    """grow(kind)(n) adds n records of a kind to what the lists show."""
    counter = iter(range(10_000))

    def visits(n):
        with time_machine.travel(at(2026, 6, 1, 10), tick=False):
            for _ in range(n):
                i = next(counter)
                services.visit_log(
                    actor=rep_a,
                    household=dibao_household,
                    resident=dibao_household.members.first(),
                    visited_at=at(2026, 5, 1 + i % 28),
                    heard=f"走访{i}",
                    companions=[worker_a],
                    problem=services.Problem(title=f"问题{i}", description="描述"),
                )

    def receptions(n):
        with time_machine.travel(at(2026, 6, 1, 10), tick=False):
            made = [
                services.reception_schedule(
                    actor=worker_a,
                    community=community_a,
                    place="活动室",
                    starts_at=at(2026, 6, 25, 9, next(counter) % 60),
                    ends_at=at(2026, 6, 25, 11),
                    representatives=[rep_a_record],
                    publish=True,
                )
                for _ in range(n)
            ]
        with time_machine.travel(at(2026, 6, 25, 10), tick=False):
            for reception in made:
                for _ in range(2):
                    services.reception_visitor_log(
                        actor=worker_a,
                        reception=reception,
                        resident=resident_a,
                        problem=services.Problem(title="停车难", description="没有车位"),
                    )

    def check_ins(n):
        with time_machine.travel(at(2026, 6, 1, 10), tick=False):
            for _ in range(n):
                services.check_in_record(
                    actor=rep_a,
                    community=community_a,
                    checked_in_at=at(2026, 5, 1 + next(counter) % 28),
                )

    def talks(n):
        with time_machine.travel(at(2026, 6, 1, 10), tick=False):
            for _ in range(n):
                services.talk_record(
                    actor=rep_a,
                    resident=resident_a,
                    reason="routine",
                    held_at=at(2026, 5, 1 + next(counter) % 28),
                    notes="聊聊",
                )

    def activities(n):
        people = [f.ResidentFactory(community=community_a) for _ in range(3)]
        for _ in range(n):
            i = next(counter)
            activity = services.activity_create(
                actor=worker_a,
                kind="legal",
                topic=f"法治宣传{i}",
                starts_at=at(2026, 3, 1 + i % 28, 9),
                ends_at=at(2026, 3, 1 + i % 28, 10),
                place="活动室",
                communities=[community_a],
            )
            services.attendance_record(actor=worker_a, activity=activity, residents=people)

    activity = services.activity_create(
        actor=worker_a,
        kind="outing",
        topic="游园博、爱北京",
        starts_at=at(2026, 9, 5, 8),
        ends_at=at(2026, 9, 5, 17),
        place="园博园",
        communities=[community_a],
    )

    def attendance(n):
        people = [f.ResidentFactory(community=community_a) for _ in range(n)]
        services.attendance_record(actor=worker_a, activity=activity, residents=people)

    services.duty_rule_save(actor=admin_user, year=2026, metric="visits", period="year", minimum=2)
    services.duty_rule_save(
        actor=admin_user, year=2026, metric="receptions", period="quarter", minimum=1
    )

    def representatives(n):
        for _ in range(n):
            user = f.UserFactory(role=Role.REPRESENTATIVE)
            rep = f.RepresentativeFactory(user=user)
            f.PairingFactory(kind=PairingKind.CONTACT, representative=rep, community=community_a)
            with time_machine.travel(at(2026, 3, 1), tick=False):
                services.proposal_submit(actor=user, title="建议", description="意见建议内容")

    return {
        "/api/v1/visits/": visits,
        "/api/v1/reception-days/": receptions,
        "/api/v1/check-ins/": check_ins,
        "/api/v1/talks/": talks,
        "/api/v1/activities/": activities,
        f"/api/v1/activities/{activity.pk}/attendance/": attendance,
        "/api/v1/duties/?year=2026": representatives,
        "/api/v1/proposals/": representatives,
    }


LISTS = [
    "/api/v1/visits/",
    "/api/v1/reception-days/",
    "/api/v1/check-ins/",
    "/api/v1/talks/",
    "/api/v1/activities/",
    "attendance",
]
# Workers and representatives read no one's duties or proposals but their own.
READERS = [(url, persona) for url in LISTS for persona in ("supervisor", "worker_a", "rep_a")]
READERS += [
    (url, persona)
    for url in ("/api/v1/duties/?year=2026", "/api/v1/proposals/")
    for persona in ("supervisor", "admin_user")
]


@pytest.mark.parametrize(("url", "persona"), READERS)
def test_every_outreach_list_costs_the_same_however_many_rows(
    url, persona, request, lots, token_client, django_assert_max_num_queries
):
    if url == "attendance":
        url = next(u for u in lots if u.endswith("/attendance/"))
    client = token_client(request.getfixturevalue(persona))
    _costs_the_same(client, url, lots[url], django_assert_max_num_queries)


def test_coverage_costs_the_same_however_large_the_community(
    outreach_work, worker_a, community_a, token_client, django_assert_max_num_queries
):
    client = token_client(worker_a)
    params = {"community": community_a.pk, **YEAR}
    with django_assert_max_num_queries(BOUND) as few:
        assert client.get("/api/v1/coverage/", params).status_code == 200
    f.ResidentFactory.create_batch(10, community=community_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/coverage/", params).status_code == 200
