"""Two concurrent actions on one case: exactly one wins (real threads, real PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lianxin.cases import services
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import OPEN_STATUSES, Case, CaseEvent, CaseStatus, Referral
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
        except ValidationError as exc:
            outcomes[index] = ("refused", exc.messages)
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


def _follow(case: Case, seen=()) -> Case:
    """The case a merged case leads to; fails on a loop."""
    assert case.pk not in seen, "merge loop"
    if case.status != CaseStatus.MERGED:
        assert case.merged_into_id is None
        return case
    assert case.merged_into_id not in (None, case.pk)
    return _follow(Case.objects.get(pk=case.merged_into_id), (*seen, case.pk))


def _assert_merges_consistent(cases):
    fresh = [Case.objects.get(pk=c.pk) for c in cases]
    survivors = {_follow(c).pk for c in fresh}
    assert all(Case.objects.get(pk=pk).status in OPEN_STATUSES for pk in survivors)
    assert any(c.status != CaseStatus.MERGED for c in fresh)


def _merge(worker, case, into):
    return lambda: services.case_merge(
        actor=worker, case=Case.objects.get(pk=case.pk), into=Case.objects.get(pk=into.pk)
    )


def _won(outcomes):
    return [o for o in outcomes if o and o[0] == "won"]


@pytest.mark.parametrize("attempt", range(3))
def test_two_cases_merged_into_each_other_at_once_leave_one_survivor(
    attempt, worker_a, community_a
):
    a = f.case(actor=worker_a, community=community_a, title="甲")
    b = f.case(actor=worker_a, community=community_a, title="乙")
    outcomes = race(_merge(worker_a, a, b), _merge(worker_a, b, a))
    assert len(_won(outcomes)) == 1, outcomes
    _assert_merges_consistent([a, b])


@pytest.mark.parametrize("attempt", range(3))
def test_a_ring_of_merges_at_once_never_closes_on_itself(attempt, worker_a, community_a):
    cases = [f.case(actor=worker_a, community=community_a, title=t) for t in "甲乙丙"]
    a, b, c = cases
    outcomes = race(_merge(worker_a, a, b), _merge(worker_a, b, c), _merge(worker_a, c, a))
    assert 1 <= len(_won(outcomes)) <= 2, outcomes
    _assert_merges_consistent(cases)
    assert CaseEvent.objects.filter(kind="merged").count() == len(_won(outcomes))


def test_one_case_merged_into_two_others_at_once_goes_to_one(worker_a, community_a):
    a, b, c = (f.case(actor=worker_a, community=community_a, title=t) for t in "甲乙丙")
    outcomes = race(_merge(worker_a, a, b), _merge(worker_a, a, c))
    assert len(_won(outcomes)) == 1, outcomes
    _assert_merges_consistent([a, b, c])
    assert CaseEvent.objects.filter(case=a, kind="merged").count() == 1


def test_a_merge_into_a_case_withdrawn_at_the_same_moment_keeps_an_open_survivor(
    worker_a, community_a
):
    a, b = (f.case(actor=worker_a, community=community_a, title=t) for t in "甲乙")
    outcomes = race(
        _merge(worker_a, a, b),
        lambda: services.case_withdraw(
            actor=worker_a, case=Case.objects.get(pk=b.pk), reason="居民撤回"
        ),
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.status == CaseStatus.WITHDRAWN
    # Either the merge came first (then the survivor was open when it happened) or it was
    # refused; the duplicate is never left merged into a case that was already closed.
    if a.status == CaseStatus.MERGED:
        merged_at = CaseEvent.objects.get(case=a, kind="merged").at
        withdrawn_at = CaseEvent.objects.get(case=b, kind="withdrawn").at
        assert merged_at <= withdrawn_at
    else:
        assert a.status == CaseStatus.RECEIVED
    assert len(outcomes) == 2
