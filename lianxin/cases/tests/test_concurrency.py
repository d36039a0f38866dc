"""Two concurrent actions on one case: exactly one wins (real threads, real PostgreSQL)."""

import threading

import pytest
from django.db import connection

from lianxin.cases import services
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import Case, CaseEvent, CaseStatus, Referral
from lianxin.testing import factories as f

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def race(*actions):
    """Run the actions at the same moment in separate threads (own DB connections)."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = ("won", action())
        except CaseActionError as exc:
            outcomes[index] = ("lost", exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_two_feedbacks_at_once_resolve_the_case_once(worker_a, rep_a, community_a):
    case = f.case(actor=worker_a, community=community_a)
    outcomes = race(
        lambda: services.case_feedback(
            actor=worker_a, case=Case.objects.get(pk=case.pk), summary="甲反馈", method="phone"
        ),
        lambda: services.case_feedback(
            actor=rep_a, case=Case.objects.get(pk=case.pk), summary="乙反馈", method="visit"
        ),
    )
    assert sorted(o[0] for o in outcomes) == ["lost", "won"]
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    assert CaseEvent.objects.filter(case=case, kind="feedback").count() == 1


def test_accept_and_return_at_once_leave_one_outcome(worker_a, community_a, department_1):
    handler = f.UserFactory(username="h-race", role="handler", department=department_1)
    colleague = f.UserFactory(username="h-race-2", role="handler", department=department_1)
    case = f.case(actor=worker_a, community=community_a)
    [referral] = services.case_refer(actor=worker_a, case=case, lead=department_1)
    outcomes = race(
        lambda: services.referral_accept(
            actor=handler, referral=Referral.objects.get(pk=referral.pk)
        ),
        lambda: services.referral_accept(
            actor=colleague, referral=Referral.objects.get(pk=referral.pk)
        ),
    )
    assert sorted(o[0] for o in outcomes) == ["lost", "won"]
    assert CaseEvent.objects.filter(case=case, kind="accepted").count() == 1


def test_case_numbers_stay_unique_under_concurrent_intake(worker_a, community_a):
    outcomes = race(
        *[(lambda: f.case(actor=worker_a, community=community_a).number) for _ in range(6)]
    )
    numbers = [o[1] for o in outcomes]
    assert len(set(numbers)) == 6
