"""Administrators correct single days in the admin; the correction is recorded and survives
every later synchronisation with the official package."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lianxin.calendar import services
from lianxin.calendar.models import CalendarChange, DayKind, DaySource, WorkingDay

D = datetime.date


def _change_url(day):
    return f"/admin/calendar/workingday/{WorkingDay.objects.get(date=day).pk}/change/"


def test_an_admin_corrects_a_day_and_the_correction_survives_a_resync(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        _change_url(D(2026, 11, 27)), {"kind": DayKind.HOLIDAY, "note": "区里停电放假"}
    )
    assert response.status_code == 302
    row = WorkingDay.objects.get(date=D(2026, 11, 27))
    assert (row.kind, row.is_working_day, row.note) == (DayKind.HOLIDAY, False, "区里停电放假")
    assert (row.source, row.updated_by) == (DaySource.ADMIN, admin_user)
    change = CalendarChange.objects.get()
    assert change.action == "correct" and change.actor == admin_user
    assert "2026-11-27" in change.summary

    report = services.calendar_sync()

    row.refresh_from_db()
    assert (row.kind, row.source, row.note) == (DayKind.HOLIDAY, DaySource.ADMIN, "区里停电放假")
    assert report.kept == 1
    assert [d.date for d in report.differences] == [D(2026, 11, 27)]


def test_a_make_up_day_on_a_weekday_is_refused_with_a_chinese_message(client, admin_user):
    client.force_login(admin_user)
    with translation.override("zh-hans"):
        response = client.post(_change_url(D(2026, 11, 26)), {"kind": DayKind.MAKEUP, "note": ""})
    assert response.status_code == 200
    assert "2026-11-26 是星期四" in response.content.decode()
    assert WorkingDay.objects.get(date=D(2026, 11, 26)).kind == DayKind.WORKDAY
    assert not CalendarChange.objects.exists()


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (D(2026, 11, 26), DayKind.MAKEUP),  # Thursday
        (D(2026, 11, 26), DayKind.WEEKEND),
        (D(2026, 11, 28), DayKind.WORKDAY),  # Saturday: a worked Saturday is a make-up day
    ],
)
def test_the_service_refuses_a_kind_that_cannot_fit_the_weekday(db, admin_user, day, kind):
    before = WorkingDay.objects.get(date=day)
    with pytest.raises(ValidationError):
        services.working_day_correct(actor=admin_user, day=day, kind=kind)
    after = WorkingDay.objects.get(date=day)
    assert (after.kind, after.source) == (before.kind, before.source)


def test_a_saturday_can_become_a_make_up_day_and_a_weekday_a_holiday(db, admin_user):
    services.working_day_correct(actor=admin_user, day=D(2026, 11, 28), kind=DayKind.MAKEUP)
    assert WorkingDay.objects.get(date=D(2026, 11, 28)).is_working_day
    services.working_day_correct(actor=admin_user, day=D(2026, 11, 26), kind=DayKind.HOLIDAY)
    assert not WorkingDay.objects.get(date=D(2026, 11, 26)).is_working_day


def test_days_cannot_be_added_or_deleted_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/calendar/workingday/add/").status_code == 403
    response = client.post(
        _change_url(D(2026, 11, 26)).replace("change", "delete"), {"post": "yes"}
    )
    assert response.status_code == 403
    assert WorkingDay.objects.filter(date=D(2026, 11, 26)).exists()


def test_the_admin_list_opens_on_this_month_and_filters_by_year_and_kind(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/calendar/workingday/")
    assert response.status_code == 302 and "date__year=" in response["Location"]
    response = client.get("/admin/calendar/workingday/", {"year": "2026", "kind__exact": "makeup"})
    days = [row.date for row in response.context["cl"].result_list]
    assert days == [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    page = response.content.decode()
    assert "调休上班" in page and "星期六" in page and "导入年度安排" in page


@pytest.mark.parametrize(
    ("term", "count"),
    [("2026-10-01", 1), ("20261001", 1), ("2026年10月1日", 1), ("2026-10", 31), ("国庆", 0)],
)
def test_the_admin_searches_by_date(client, admin_user, term, count):
    client.force_login(admin_user)
    response = client.get("/admin/calendar/workingday/", {"q": term})
    assert response.context["cl"].result_count == count
