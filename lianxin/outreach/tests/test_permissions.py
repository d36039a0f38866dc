"""Who sees what of outreach, with personas: representatives their own visits and talks,
workers their community's, supervisors all, department handlers nothing."""

import pytest
import time_machine

from lianxin.outreach import selectors, services
from lianxin.outreach.tests.conftest import at

pytestmark = pytest.mark.django_db

NOW = at(2026, 6, 1, 10)


@pytest.fixture
def work(rep_a, rep_b, worker_a, worker_b, resident_a, resident_b, dibao_household):
    """Visits and talks by each persona, a reception day and an activity in each community."""
    with time_machine.travel(NOW, tick=False):
        made = {
            "visit_rep_a": services.visit_log(
                actor=rep_a,
                household=dibao_household,
                visited_at=at(2026, 5, 1),
                heard="代表甲走访",
            ),
            "visit_worker_a": services.visit_log(
                actor=worker_a, resident=resident_a, visited_at=at(2026, 5, 2), heard="社工甲走访"
            ),
            "visit_rep_b": services.visit_log(
                actor=rep_b, resident=resident_b, visited_at=at(2026, 5, 3), heard="代表乙走访"
            ),
            "talk_rep_a": services.talk_record(
                actor=rep_a,
                resident=resident_a,
                reason="routine",
                held_at=at(2026, 5, 1),
                notes="甲",
            ),
            "talk_worker_a": services.talk_record(
                actor=worker_a,
                resident=resident_a,
                reason="mood",
                held_at=at(2026, 5, 2),
                notes="乙",
            ),
            "talk_rep_b": services.talk_record(
                actor=rep_b,
                resident=resident_b,
                reason="promotion",
                held_at=at(2026, 5, 3),
                notes="丙",
            ),
        }
        for key, actor, community in (
            ("a", worker_a, resident_a.community),
            ("b", worker_b, resident_b.community),
        ):
            made[f"activity_{key}"] = services.activity_create(
                actor=actor,
                kind="speech",
                topic=f"我的梦、中国梦 {key}",
                starts_at=at(2026, 6, 5, 9),
                ends_at=at(2026, 6, 5, 11),
                place="活动室",
                communities=[community],
            )
    return made


def _names(queryset, made):
    ids = set(queryset.values_list("pk", flat=True))
    return {name for name, obj in made.items() if obj.pk in ids and type(obj) is queryset.model}


def test_representatives_see_their_own_visits_and_talks(work, rep_a):
    assert _names(selectors.visits_visible_to(rep_a), work) == {"visit_rep_a"}
    assert _names(selectors.talks_visible_to(rep_a), work) == {"talk_rep_a"}
    assert selectors.can_view_visit(rep_a, work["visit_rep_a"])
    assert not selectors.can_view_visit(rep_a, work["visit_worker_a"])
    assert _names(selectors.activities_visible_to(rep_a), work) == {"activity_a"}


def test_workers_see_everything_of_their_community(work, worker_a):
    assert _names(selectors.visits_visible_to(worker_a), work) == {"visit_rep_a", "visit_worker_a"}
    assert _names(selectors.talks_visible_to(worker_a), work) == {"talk_rep_a", "talk_worker_a"}
    assert not selectors.can_view_visit(worker_a, work["visit_rep_b"])
    assert not selectors.can_view_talk(worker_a, work["talk_rep_b"])


def test_supervisors_see_all(work, supervisor):
    assert _names(selectors.visits_visible_to(supervisor), work) == {
        "visit_rep_a",
        "visit_worker_a",
        "visit_rep_b",
    }
    assert len(_names(selectors.talks_visible_to(supervisor), work)) == 3
    assert len(_names(selectors.activities_visible_to(supervisor), work)) == 2


def test_handlers_see_nothing_of_outreach(work, handler_1, client):
    assert not selectors.visits_visible_to(handler_1).exists()
    assert not selectors.talks_visible_to(handler_1).exists()
    assert not selectors.activities_visible_to(handler_1).exists()
    assert not selectors.receptions_visible_to(handler_1).exists()
    assert not selectors.can_view_visit(handler_1, work["visit_rep_a"])
    client.force_login(handler_1)
    for url in (
        "/staff/outreach/visits/",
        f"/staff/outreach/visits/{work['visit_rep_a'].pk}/",
        "/staff/outreach/talks/",
        f"/staff/outreach/talks/{work['talk_rep_a'].pk}/",
        "/staff/outreach/activities/",
        f"/staff/outreach/activities/{work['activity_a'].pk}/",
        "/staff/outreach/receptions/",
        "/staff/outreach/check-ins/",
        "/staff/outreach/coverage/",
        "/staff/outreach/duties/",
        "/staff/outreach/visits/new/",
    ):
        assert client.get(url).status_code == 404, url


def test_outsiders_get_404_for_records_of_other_communities(work, client, worker_b, rep_b):
    client.force_login(worker_b)
    assert client.get(f"/staff/outreach/visits/{work['visit_rep_a'].pk}/").status_code == 404
    assert client.get(f"/staff/outreach/talks/{work['talk_rep_a'].pk}/").status_code == 404
    assert client.get(f"/staff/outreach/activities/{work['activity_a'].pk}/").status_code == 404
    assert client.get(f"/staff/outreach/visits/{work['visit_rep_b'].pk}/").status_code == 200
    client.force_login(rep_b)
    response = client.post(f"/staff/outreach/visits/{work['visit_rep_a'].pk}/case/", {})
    assert response.status_code == 404


def test_the_predicate_and_the_selector_agree(work, rep_a, rep_b, worker_a, worker_b, supervisor):
    from lianxin.outreach.models import Activity, Talk, Visit

    for user in (rep_a, rep_b, worker_a, worker_b, supervisor):
        for model, visible, can in (
            (Visit, selectors.visits_visible_to, selectors.can_view_visit),
            (Talk, selectors.talks_visible_to, selectors.can_view_talk),
            (Activity, selectors.activities_visible_to, selectors.can_view_activity),
        ):
            ids = set(visible(user).values_list("pk", flat=True))
            for obj in model.objects.all():
                assert (obj.pk in ids) == can(user, obj), (user, obj)
