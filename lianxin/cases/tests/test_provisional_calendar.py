"""Next year's calendar before it is published: cases received in December reach a year with
a provisional (暂定) calendar, show their deadline as 暂定 everywhere, and get recomputed,
with a timeline event, when the official schedule is loaded."""

from __future__ import annotations

import datetime

import holidays
import pytest
import time_machine
from rest_framework.test import APIClient

from lianxin.calendar import deadlines, selectors
from lianxin.calendar import services as calendar_services
from lianxin.calendar.models import DaySource, WorkingDay
from lianxin.calendar.provisional import statutory_holidays
from lianxin.cases import services
from lianxin.cases.models import Case, CaseEvent, Category, Referral
from lianxin.testing import factories as f

DECEMBER = "2026-12-15 10:00 +0800"

# A made-up official 2027 schedule: the first week of January off, one make-up Saturday.
OFFICIAL_2027 = """
year = 2027
title = "测试用的2027年安排"

[[holiday]]
name = "元旦"
start = 2027-01-01
end = 2027-01-08

[[makeup_workday]]
date = 2027-01-09
name = "元旦"

[[holiday]]
name = "春节"
start = 2027-02-05
end = 2027-02-11
"""


def test_statutory_holidays_follow_the_regulations():
    # Each statutory day of a published year is a day off in its official schedule.
    for year in (2025, 2026):
        for day in statutory_holidays(year):
            assert holidays.China(years=year).get(day) or day.weekday() >= 5, day
    # And a year not yet published has the same 13 days as an independent implementation.
    expected = {
        day for day, name in holidays.China(years=2027).items() if "observed" not in name.lower()
    }
    assert set(statutory_holidays(2027)) == expected
    assert len(statutory_holidays(2027)) == 13


@pytest.fixture
def december_cases(working_calendar, worker_a, community_a, department_1, handler_1):
    assert 2027 not in working_calendar, "the installed package must not know 2027 yet"
    Category.objects.filter(code="noise-institution").update(handling_limit=15)
    with time_machine.travel(DECEMBER, tick=False):
        case = f.case(actor=worker_a, community=community_a, title="十二月的诉求")
        [referral] = services.case_refer(actor=worker_a, case=case, lead=department_1)
        short = f.case(actor=worker_a, community=community_a, title="年内到期", category_code=None)
    return case, referral, short


def test_a_december_case_gets_a_provisional_deadline_shown_everywhere(
    client, december_cases, worker_a
):
    case, referral, short = december_cases
    case.refresh_from_db()
    assert case.handling_due_at is not None and case.deadline_problem == ""
    assert deadlines.local_date(case.handling_due_at).year == 2027
    assert case.handling_due_provisional and referral.due_provisional
    assert not Case.objects.get(pk=short.pk).handling_due_provisional
    assert WorkingDay.objects.filter(date__year=2027, source=DaySource.PROVISIONAL).count() == 365
    # Staff pages, the REST API, the tracking page and Open311 all say so.
    client.force_login(worker_a)
    assert "暂定" in client.get(f"/staff/cases/{case.number}/").content.decode()
    assert "暂定" in client.get("/staff/cases/").content.decode()
    api = APIClient()
    api.force_authenticate(worker_a)
    body = api.get(f"/api/v1/cases/{case.number}/").json()
    assert body["handling_due_provisional"] is True
    assert body["referrals"][0]["due_provisional"] is True
    track = client.get(f"/t/{case.tracking_code}").content.decode()
    assert "暂定" in track
    open311 = client.get(f"/open311/v2/requests/{case.number}.json")
    if open311.status_code == 200:
        [request] = open311.json()
        assert request["expected_datetime_provisional"] is True
    # Administrators keep the warning: 2027 has no official schedule.
    assert 2027 in selectors.blocking_years(today=datetime.date(2026, 12, 15))


def test_loading_the_official_year_recomputes_every_provisional_deadline(
    december_cases, admin_user
):
    case, referral, short = december_cases
    case.refresh_from_db()
    before_case, before_referral = case.handling_due_at, referral.due_at
    short_before = Case.objects.get(pk=short.pk).handling_due_at
    with time_machine.travel("2026-12-20 09:00 +0800", tick=False):
        calendar_services.calendar_load(actor=admin_user, content=OFFICIAL_2027)
    case.refresh_from_db()
    referral.refresh_from_db()
    assert case.handling_due_at > before_case, "a week of holidays pushes it later"
    assert referral.due_at > before_referral
    assert not case.handling_due_provisional and not referral.due_provisional
    event = CaseEvent.objects.filter(case=case, kind="deadline").latest("at")
    assert event.is_public and "2027" in event.text
    assert event.data["was"] == before_case.isoformat()
    # Untouched: a deadline that never reached 2027.
    assert Case.objects.get(pk=short.pk).handling_due_at == short_before
    assert not CaseEvent.objects.filter(case=short, kind="deadline").exists()
    assert 2027 not in selectors.blocking_years(today=datetime.date(2026, 12, 20))
    assert not WorkingDay.objects.filter(source=DaySource.PROVISIONAL, date__year=2027).exists()
    assert Referral.objects.get(pk=referral.pk).status == "pending"
