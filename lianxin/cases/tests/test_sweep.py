"""The deadline sweep urges, reminds and supervises once, however often and however many
sweeps run."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection

from lianxin.cases import services
from lianxin.cases.models import CaseEvent, EventKind, SweepMark
from lianxin.cases.sweep import sweep
from lianxin.notify.kinds import EventKind as NotifyKind
from lianxin.notify.models import Notification
from lianxin.testing import factories as f

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
MONDAY = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)


def kinds(case):
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


def test_a_case_past_its_response_limit_is_urged_once(worker_a, community_a):
    with time_machine.travel(MONDAY, tick=False):
        case = f.case(actor=worker_a, community=community_a)
    with time_machine.travel(MONDAY + datetime.timedelta(days=2), tick=False):
        first = sweep()
        second = sweep()
    assert first.urged == 1 and second.urged == 0
    assert kinds(case).count(EventKind.URGED) == 1
    urged = CaseEvent.objects.get(case=case, kind=EventKind.URGED)
    assert urged.is_public and urged.actor is None and "2026-06-02" in urged.text


def test_a_case_due_within_a_day_is_reminded_once(worker_a, community_a):
    with time_machine.travel(MONDAY, tick=False):
        case = f.case(
            actor=worker_a,
            community=community_a,
            category_code="utilities-water",
            appeal_type="help",
        )
        services.case_contact(actor=worker_a, case=case)
        report = sweep()
        again = sweep()
    assert report.reminded == 1 and again.reminded == 0
    assert kinds(case).count(EventKind.REMINDED) == 1


def test_long_overdue_cases_go_under_supervision(worker_a, community_a):
    with time_machine.travel(MONDAY, tick=False):
        case = f.case(actor=worker_a, community=community_a)
        services.case_contact(actor=worker_a, case=case)
    # Due 2026-06-10 (7 working days); three working days later it is supervised.
    with time_machine.travel(datetime.datetime(2026, 6, 12, 10, tzinfo=SHANGHAI), tick=False):
        assert sweep().supervised == 0
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        assert sweep().supervised == 1
        assert sweep().supervised == 0
    assert kinds(case).count(EventKind.SUPERVISED) == 1


def test_an_unrated_resolved_case_closes_when_the_rating_window_passes(worker_a, community_a):
    with time_machine.travel(MONDAY, tick=False):
        case = f.case(actor=worker_a, community=community_a)
        services.case_feedback(actor=worker_a, case=case, summary="已处理", method="phone")
    with time_machine.travel(MONDAY + datetime.timedelta(days=8), tick=False):
        assert sweep().closed == 1
    case.refresh_from_db()
    assert case.status == "closed"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_act_once(worker_a, community_a, department_1, handler_1):
    with time_machine.travel(MONDAY, tick=False):
        cases = [f.case(actor=worker_a, community=community_a, title=f"诉求{i}") for i in range(5)]
        services.case_refer(actor=worker_a, case=cases[0], lead=department_1)
    later = MONDAY + datetime.timedelta(days=3)
    barrier = threading.Barrier(2)
    reports = []

    def run():
        try:
            with time_machine.travel(later, tick=False):
                barrier.wait()
                reports.append(sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(reports) == 2
    urged_events = CaseEvent.objects.filter(kind=EventKind.URGED).count()
    assert (
        sum(r.urged for r in reports)
        == urged_events
        == SweepMark.objects.filter(key__startswith="urge:").count()
    )
    # Every case's response limit passed, and the referral's acceptance limit: six urgings.
    assert urged_events == 6
    # Each urging told its holders once: the worker for four cases, the worker and the
    # department's handler for the referred case, the handler for the late acceptance.
    urged = Notification.objects.filter(kind=NotifyKind.CASE_OVERDUE_URGED)
    assert urged.filter(recipient=worker_a).count() == 5
    assert urged.filter(recipient=handler_1).count() == 2
    assert urged.values("idempotency_key").distinct().count() == urged.count() == 7
