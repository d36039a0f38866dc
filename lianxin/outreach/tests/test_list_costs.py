"""The outreach lists cost a number of queries that does not grow with their rows."""

import pytest
import time_machine

from lianxin.accounts.models import Role
from lianxin.directory.models import PairingKind
from lianxin.outreach import services
from lianxin.outreach.tests.conftest import at
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db

BOUND = 16


def _costs_the_same(client, url, grow, django_assert_max_num_queries):
    grow(2)
    with django_assert_max_num_queries(BOUND):
        assert client.get(url).status_code == 200
    grow(10)
    with django_assert_max_num_queries(BOUND):
        assert client.get(url).status_code == 200


def test_activity_list(client, worker_a, community_a, django_assert_max_num_queries):
    client.force_login(worker_a)
    people = [f.ResidentFactory(community=community_a) for _ in range(5)]

    def grow(n):
        for i in range(n):
            activity = services.activity_create(
                actor=worker_a,
                kind="legal",
                topic=f"法治宣传{i}",
                starts_at=at(2026, 3, 1 + i, 9),
                ends_at=at(2026, 3, 1 + i, 10),
                place="活动室",
                communities=[community_a],
            )
            services.attendance_record(actor=worker_a, activity=activity, residents=people)

    _costs_the_same(client, "/staff/outreach/activities/", grow, django_assert_max_num_queries)


def test_activity_page_with_its_attendance(
    client, worker_a, community_a, django_assert_max_num_queries
):
    client.force_login(worker_a)
    activity = services.activity_create(
        actor=worker_a,
        kind="outing",
        topic="游园博、爱北京",
        starts_at=at(2026, 9, 5, 8),
        ends_at=at(2026, 9, 5, 17),
        place="园博园",
        communities=[community_a],
    )

    def grow(n):
        people = [f.ResidentFactory(community=community_a) for _ in range(n)]
        services.attendance_record(actor=worker_a, activity=activity, residents=people)

    _costs_the_same(
        client, f"/staff/outreach/activities/{activity.pk}/", grow, django_assert_max_num_queries
    )


def test_talk_list(client, worker_a, resident_a, django_assert_max_num_queries):
    client.force_login(worker_a)

    def grow(n):
        for i in range(n):
            services.talk_record(
                actor=worker_a,
                resident=resident_a,
                reason="routine",
                held_at=at(2026, 1, 1 + i),
                notes="聊聊",
            )

    _costs_the_same(client, "/staff/outreach/talks/", grow, django_assert_max_num_queries)


def test_check_in_list(client, rep_a, community_a, django_assert_max_num_queries):
    client.force_login(rep_a)

    def grow(n):
        for i in range(n):
            services.check_in_record(
                actor=rep_a, community=community_a, checked_in_at=at(2026, 2, 1 + i)
            )

    _costs_the_same(client, "/staff/outreach/check-ins/", grow, django_assert_max_num_queries)


def test_duty_progress_and_proposals(
    client, admin_user, supervisor, community_a, django_assert_max_num_queries
):
    services.duty_rule_save(actor=admin_user, year=2026, metric="visits", period="year", minimum=2)
    services.duty_rule_save(
        actor=admin_user, year=2026, metric="receptions", period="quarter", minimum=1
    )
    client.force_login(supervisor)

    def grow(n):
        for _ in range(n):
            user = f.UserFactory(role=Role.REPRESENTATIVE)
            rep = f.RepresentativeFactory(user=user)
            f.PairingFactory(kind=PairingKind.CONTACT, representative=rep, community=community_a)
            with time_machine.travel(at(2026, 3, 1), tick=False):
                services.proposal_submit(actor=user, title="建议", description="意见建议内容")

    _costs_the_same(
        client, "/staff/outreach/duties/?year=2026", grow, django_assert_max_num_queries
    )
    with django_assert_max_num_queries(BOUND):
        assert "建议" in client.get("/staff/outreach/proposals/").content.decode()
