"""Years without data are shown loudly: `lianxin calendar check`, the system check, the
administrators' workbench and the calendar page."""

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from lianxin.calendar import checks, official, selectors
from lianxin.calendar.deadlines import SHANGHAI
from lianxin.calendar.models import WorkingDay

D = datetime.date
LAST = official.covered_years()[-1]


def _without_year(year):
    WorkingDay.objects.filter(date__gte=D(year, 1, 1), date__lte=D(year, 12, 31)).delete()


def _on(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI))


def _check(capsys):
    with translation.override("zh-hans"):
        try:
            call_command("calendar", "check")
            code = 0
        except CommandError as exc:
            code = exc.returncode
            captured = capsys.readouterr()
            return code, captured.out, captured.err + str(exc)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_fails_and_names_next_year_when_it_has_no_data(db, capsys):
    _without_year(LAST + 1)
    with _on(D(LAST, 11, 26)):
        code, out, err = _check(capsys)
    assert code == 1
    assert f"已有数据：2004–{LAST}" in out
    assert f"缺少数据：{LAST + 1}" in out
    assert f"{LAST + 1} 年没有官方工作日历" in err
    assert "lianxin calendar load" in err


def test_check_passes_when_this_and_next_year_have_data(db, capsys):
    with _on(D(LAST - 1, 6, 1)):
        code, out, _err = _check(capsys)
    assert code == 0
    assert "缺少数据：无" in out
    assert "今年和明年的数据都已齐全" in out


def test_check_reports_an_incomplete_year_and_a_gap_between_years(db, capsys):
    WorkingDay.objects.filter(date__gte=D(2026, 12, 30), date__lte=D(2026, 12, 31)).delete()
    _without_year(2010)
    _without_year(2027)
    with _on(D(2026, 11, 26)):
        code, out, _err = _check(capsys)
    assert code == 1
    assert "已有数据：2004–2009、2011–2025" in out
    assert "数据不完整：2026（缺 2 天）" in out
    assert "缺少数据：2010、2027" in out


def test_check_includes_the_years_other_rooms_need(db, capsys, monkeypatch):
    monkeypatch.setattr(
        selectors, "NEEDED_YEAR_PROVIDERS", ["lianxin.calendar.tests.test_calendar_check.needs"]
    )
    with _on(D(LAST - 1, 6, 1)):
        code, out, err = _check(capsys)
    assert code == 1
    assert "2031" in out and "2031" in err


def needs():
    return [2031]


def test_the_system_check_warns_when_this_year_is_missing(db):
    _without_year(LAST)
    with _on(D(LAST, 3, 2)), translation.override("zh-hans"):
        warnings = checks.missing_calendar_warnings()
    assert [w.id for w in warnings] == ["calendar.W001"]
    assert str(LAST) in warnings[0].msg and "导入" in warnings[0].hint


def test_the_system_check_stays_quiet_about_next_year_until_cases_need_it(
    db, worker_a, community_a
):
    from lianxin.testing import factories as f

    _without_year(LAST + 1)
    with _on(D(LAST, 11, 26)):
        assert checks.missing_calendar_warnings() == []
    # A case whose 15-working-day limit reaches into the missing year gets a provisional
    # deadline there, and the year without an official schedule becomes a warning.
    with _on(D(LAST, 12, 24)):
        case = f.case(actor=worker_a, community=community_a, category_code="housing-public")
        assert case.handling_due_at is not None and case.handling_due_provisional
        warnings = checks.missing_calendar_warnings()
    assert [w.id for w in warnings] == ["calendar.W001"]
    assert str(LAST + 1) in warnings[0].msg


def test_administrators_see_a_warning_panel_on_their_workbench(client, admin_user, worker_a):
    _without_year(LAST + 1)
    with _on(D(LAST, 11, 26)):
        client.force_login(admin_user)
        page = client.get("/staff/").content.decode()
        assert f"{LAST + 1} 年没有官方工作日历" in page
        assert "/admin/calendar/workingday/load/" in page
        client.force_login(worker_a)
        assert "工作日历" not in client.get("/staff/").content.decode()


def test_no_panel_when_the_calendar_is_complete(client, admin_user):
    with _on(D(LAST - 1, 6, 1)):
        client.force_login(admin_user)
        assert "没有工作日历" not in client.get("/staff/").content.decode()


def test_the_month_page_shows_the_official_days_of_october_2026(
    client, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        response = client.get("/staff/calendar/", {"year": 2026, "month": 10})
    page = response.content.decode()
    assert "2026年10月" in page
    assert 'class="lx-cal-holiday" data-date="2026-10-05"' in page
    assert 'class="lx-cal-makeup" data-date="2026-10-10"' in page
    assert "国庆节（调休）" in page


def test_the_month_page_marks_a_year_without_data(client, admin_user):
    _without_year(LAST + 1)
    client.force_login(admin_user)
    with _on(D(LAST, 11, 26)):
        page = client.get("/staff/calendar/", {"year": LAST + 1, "month": 1}).content.decode()
    assert page.count("lx-cal-missing") >= 31
    assert f"{LAST + 1} 年没有工作日历" in page


@pytest.mark.parametrize("persona", ["supervisor", "worker_a", "handler_1"])
def test_only_administrators_see_the_calendar_page(db, client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/staff/calendar/").status_code == 404


def test_sync_reports_in_chinese_and_warns_without_failing(db, capsys):
    _without_year(LAST + 1)
    WorkingDay.objects.filter(date=D(2026, 10, 8)).delete()
    with _on(D(LAST, 11, 26)), translation.override("zh-hans"):
        call_command("calendar", "sync")
    out, err = capsys.readouterr()
    assert f"2004–{LAST} 年：新增 1 天" in out
    assert f"警告：{LAST + 1} 年尚无官方节假日安排" in err
    assert f"已为 {LAST + 1}" in out and "生成暂定日历" in out
    assert WorkingDay.objects.filter(date=D(2026, 10, 8), is_working_day=True).exists()


def test_the_command_help_is_in_chinese():
    from lianxin.calendar.management.commands.calendar import Command

    with translation.override("zh-hans"):
        text = Command().create_parser("lianxin", "calendar").format_help()
    assert "sync" in text and "check" in text and "load" in text
    assert "从 TOML 文件导入一年的节假日安排" in text
