"""Deadlines follow the official calendar (computed from the working-day table, not typed in)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from lianxin.calendar import deadlines
from lianxin.cases.models import CaseStatus
from lianxin.testing import factories as f

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def working_days_after(day: datetime.date, n: int) -> list[datetime.date]:
    """The next n working days after `day`, read from the calendar one day at a time."""
    found = []
    while len(found) < n:
        day += datetime.timedelta(days=1)
        if deadlines.is_working_day(day):
            found.append(day)
    return found


@time_machine.travel(datetime.datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_a_seven_day_case_received_before_national_day_is_due_after_the_holiday(
    worker_a, community_a
):
    case = f.case(actor=worker_a, community=community_a, category_code="noise-institution")
    days = working_days_after(datetime.date(2026, 9, 30), 7)
    # The National Day and Mid-Autumn holiday: 1–7 October off, Saturday 10 October worked.
    assert datetime.date(2026, 10, 10) in days
    assert not any(datetime.date(2026, 10, d) in days for d in range(1, 8))
    assert timezone.localtime(case.handling_due_at).date() == days[-1]
    assert timezone.localtime(case.handling_due_at).date() == datetime.date(2026, 10, 15)
    assert timezone.localtime(case.response_due_at).date() == datetime.date(2026, 10, 8)


@time_machine.travel(datetime.datetime(2026, 7, 1, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_urgent_and_utility_cases_run_on_clock_hours(worker_a, community_a):
    urgent = f.case(actor=worker_a, community=community_a, urgency="urgent")
    water = f.case(
        actor=worker_a, community=community_a, category_code="utilities-water", appeal_type="help"
    )
    start = timezone.now()
    assert urgent.handling_due_at - start == datetime.timedelta(hours=2)
    assert water.handling_due_at - start == datetime.timedelta(hours=24)


@time_machine.travel(datetime.datetime(2026, 12, 24, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_a_deadline_in_a_year_without_official_schedule_is_provisional(worker_a, community_a):
    if 2027 not in deadlines_missing_years():
        pytest.skip("the installed calendar already covers 2027")
    case = f.case(actor=worker_a, community=community_a, category_code="housing-public")
    assert case.status == CaseStatus.RECEIVED  # the resident's case is never lost
    assert case.handling_due_at is not None and case.deadline_problem == ""
    assert case.handling_due_provisional and not case.response_due_provisional


@time_machine.travel(datetime.datetime(2026, 12, 24, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_a_year_before_the_last_official_one_is_never_made_up(worker_a, community_a):
    """Only the years after the last official schedule get a provisional calendar; a gap
    earlier stays an explicit problem."""
    from lianxin.calendar.models import WorkingDay

    WorkingDay.objects.filter(date__year=2026, date__month=12, date__day__gte=25).delete()
    case = f.case(actor=worker_a, community=community_a, category_code="housing-public")
    assert case.handling_due_at is None
    assert "2026" in case.deadline_problem
    assert case.events.filter(kind="deadline").exists()


def deadlines_missing_years():
    try:
        deadlines.is_working_day(datetime.date(2027, 1, 4))
    except deadlines.CalendarMissing as exc:
        return exc.years
    return []
