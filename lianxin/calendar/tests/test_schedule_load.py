"""Loading a year's schedule from a small file: the example reproduces the official 2026
schedule; every kind of mistake is refused with a Chinese message and changes nothing."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from lianxin.calendar import deadlines, official, services
from lianxin.calendar.models import CalendarChange, DayKind, DaySource, WorkingDay

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "2026.toml"
D = datetime.date
SHANGHAI = deadlines.SHANGHAI


def _year_rows(year):
    return WorkingDay.objects.filter(date__gte=D(year, 1, 1), date__lte=D(year, 12, 31))


def _errors(content):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        services.calendar_load(actor=None, content=content, file_name="x.toml")
    return excinfo.value.messages


def test_the_example_file_reproduces_the_official_2026_schedule_day_by_day(db, admin_user):
    _year_rows(2026).delete()
    report = services.calendar_load(
        actor=admin_user, content=EXAMPLE.read_bytes(), file_name="2026.toml"
    )
    assert (report.created, report.updated) == (365, 0)
    rows = {r.date: r for r in _year_rows(2026)}
    for spec in official.official_year(2026):
        row = rows[spec.date]
        assert (row.kind, row.is_working_day, row.note) == (
            spec.kind,
            spec.is_working_day,
            spec.note,
        ), spec.date
        assert row.source == DaySource.FILE and row.updated_by == admin_user
    change = CalendarChange.objects.get()
    assert change.action == "load" and change.year == 2026 and change.file_name == "2026.toml"
    assert "国庆节" in change.content


def test_a_loaded_year_gives_the_same_deadline_as_the_official_one(db):
    _year_rows(2026).delete()
    services.calendar_load(actor=None, content=EXAMPLE.read_bytes())
    due = deadlines.add_working_days(datetime.datetime(2026, 9, 30, 9, tzinfo=SHANGHAI), 7)
    assert due.date() == D(2026, 10, 15)


def test_a_year_with_data_is_replaced_only_when_asked(db):
    errors = _errors(EXAMPLE.read_bytes())
    assert errors == [
        "2026 年已有日历数据（365 天）。导入此文件将替换该年的每一天（包括管理员更正过的日期）；"
        "如确需替换，请选择“替换该年已有的日期”。"
    ]
    assert not _year_rows(2026).filter(source=DaySource.FILE).exists()
    report = services.calendar_load(actor=None, content=EXAMPLE.read_bytes(), replace=True)
    assert report.created == 0 and report.updated == 365
    assert set(_year_rows(2026).values_list("source", flat=True)) == {DaySource.FILE}


def test_a_year_the_package_does_not_cover_is_loaded_and_sync_leaves_it_alone(db):
    """The path for next year before the package knows it (the schedule here is invented
    for the test and is not anyone's official schedule)."""
    year = official.covered_years()[-1] + 1
    _year_rows(year).delete()
    content = f"""
year = {year}
[[holiday]]
name = "测试假日"
start = {year}-03-02
end = {year}-03-04
""".encode()
    services.calendar_load(actor=None, content=content)
    assert _year_rows(year).count() == len(official.dates_of_year(year))
    assert not deadlines.is_working_day(D(year, 3, 3))
    services.calendar_sync()
    assert WorkingDay.objects.get(date=D(year, 3, 3)).note == "测试假日"


def test_sync_never_overwrites_a_year_loaded_from_a_file(db):
    services.calendar_load(actor=None, content=EXAMPLE.read_bytes(), replace=True)
    # The file is wrong about one day (say a typo made 10-09 a holiday); sync keeps it.
    WorkingDay.objects.filter(date=D(2026, 10, 9)).update(
        kind=DayKind.HOLIDAY, is_working_day=False
    )
    report = services.calendar_sync(years=[2026])
    assert report.kept == 365 and report.updated == 0
    assert [d.date for d in report.differences] == [D(2026, 10, 9)]
    assert set(_year_rows(2026).values_list("source", flat=True)) == {DaySource.FILE}
    assert not WorkingDay.objects.get(date=D(2026, 10, 9)).is_working_day


TEMPLATE = """
year = 2030
[[holiday]]
name = "国庆节"
start = 2030-10-01
end = 2030-10-07
"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"year = 2030\n[[holiday]\n", "文件不是有效的 TOML 格式"),
        ("year = 2030".encode("gbk") + "\n# 国庆".encode("gbk"), "不是 UTF-8"),
        (b'[[holiday]]\nname = "a"\nstart = 2030-10-01\nend = 2030-10-02\n', "没有说明是哪一年"),
        (b'year = "2030"\n', "年份必须是整数"),
        (b"year = 1999\n", "年份 1999 不合理"),
        (b"year = 2030\n", "文件中没有任何节假日"),
        (TEMPLATE.replace("end = 2030-10-07", "end = 2031-01-02"), "2031-01-02 不在 2030 年内"),
        (TEMPLATE.replace("start = 2030-10-01", "start = 2029-12-31"), "2029-12-31 不在 2030 年内"),
        (
            TEMPLATE.replace("end = 2030-10-07", "end = 2030-09-30"),
            "结束日期（2030-09-30）早于开始日期",
        ),
        (TEMPLATE.replace("end = 2030-10-07", 'end = "十月七日"'), "不是日期"),
        (TEMPLATE.replace('name = "国庆节"', ""), "缺少名称"),
        (TEMPLATE + 'colour = "red"\n', "未知的项目"),
        (TEMPLATE.replace("[[holiday]]", "[[holidays]]"), "未知的项目"),
        (
            TEMPLATE + '[[holiday]]\nname = "中秋节"\nstart = 2030-10-06\nend = 2030-10-08\n',
            "节假日“国庆节”和“中秋节”的日期重叠（2030-10-06）",
        ),
        (
            TEMPLATE + '[[makeup_workday]]\ndate = 2030-10-08\nname = "国庆节"\n',
            "2030-10-08 是星期二，本来就是工作日；调休上班日应是星期六或星期日",
        ),
        (
            TEMPLATE + '[[makeup_workday]]\ndate = 2030-10-05\nname = "国庆节"\n',
            "2030-10-05 在节假日“国庆节”期间",
        ),
        (
            TEMPLATE + '[[makeup_workday]]\ndate = 2030-09-29\nname = "国庆节"\n' * 2,
            "2030-09-29 重复出现",
        ),
        (
            TEMPLATE + '[[makeup_workday]]\ndate = 2031-09-27\nname = "国庆节"\n',
            "2031-09-27 不在 2030 年内",
        ),
        (
            TEMPLATE.replace("end = 2030-10-07", "end = 2030-10-07\nin_lieu = [2030-10-05]"),
            "是星期六",
        ),
        (
            TEMPLATE.replace("end = 2030-10-07", "end = 2030-10-07\nin_lieu = [2030-10-09]"),
            "不在该节假日期间",
        ),
        (b"x" * 70000, "文件太大"),
    ],
    ids=[
        "not-toml",
        "not-utf8",
        "no-year",
        "year-not-number",
        "implausible-year",
        "no-holidays",
        "holiday-ends-next-year",
        "holiday-starts-last-year",
        "ends-before-start",
        "not-a-date",
        "no-name",
        "unknown-key",
        "misspelt-table",
        "overlap",
        "makeup-on-a-weekday",
        "makeup-inside-holiday",
        "makeup-twice",
        "makeup-other-year",
        "in-lieu-on-saturday",
        "in-lieu-outside",
        "too-large",
    ],
)
def test_a_bad_file_is_refused_in_chinese_and_changes_nothing(db, content, expected):
    before = WorkingDay.objects.count()
    messages = _errors(content.encode() if isinstance(content, str) else content)
    assert any(expected in m for m in messages), messages
    assert WorkingDay.objects.count() == before
    assert not _year_rows(2030).exists()
    assert not CalendarChange.objects.exists()


def test_every_problem_of_a_file_is_listed_at_once(db):
    content = TEMPLATE.replace("end = 2030-10-07", "end = 2031-01-02") + (
        '[[makeup_workday]]\ndate = 2030-10-08\nname = "国庆节"\n'
    )
    messages = _errors(content.encode())
    assert len(messages) == 2


def test_the_admin_uploads_a_file_and_sees_the_year(client, admin_user):
    _year_rows(2026).delete()
    client.force_login(admin_user)
    url = "/admin/calendar/workingday/load/"
    page = client.get(url).content.decode()
    assert "导入年度安排" in page and "makeup_workday" in page
    upload = SimpleUploadedFile("2026.toml", EXAMPLE.read_bytes(), content_type="text/plain")
    response = client.post(url, {"file": upload}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/admin/calendar/workingday/?year=2026")
    assert "已导入 2026 年" in response.content.decode()
    assert _year_rows(2026).filter(source=DaySource.FILE).count() == 365
    assert CalendarChange.objects.get().actor == admin_user


def test_the_admin_sees_every_mistake_of_a_bad_upload_in_chinese(client, admin_user):
    client.force_login(admin_user)
    content = TEMPLATE + '[[makeup_workday]]\ndate = 2030-10-08\nname = "国庆节"\n'
    upload = SimpleUploadedFile("2030.toml", content.encode(), content_type="text/plain")
    response = client.post("/admin/calendar/workingday/load/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "文件未导入，没有做任何更改" in page
    assert "2030-10-08 是星期二" in page
    assert not _year_rows(2030).exists()


def test_only_administrators_reach_the_upload(client, supervisor):
    client.force_login(supervisor)
    response = client.get("/admin/calendar/workingday/load/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_command_loads_a_file_and_refuses_a_bad_one(db, tmp_path, capsys):
    _year_rows(2026).delete()
    with translation.override("zh-hans"):
        call_command("calendar", "load", str(EXAMPLE))
    assert _year_rows(2026).filter(kind=DayKind.MAKEUP).count() == 6
    bad = tmp_path / "2030.toml"
    bad.write_text(TEMPLATE.replace("end = 2030-10-07", "end = 2030-09-30"), encoding="utf-8")
    with translation.override("zh-hans"), pytest.raises(CommandError) as excinfo:
        call_command("calendar", "load", str(bad))
    assert "没有做任何更改" in str(excinfo.value)
    assert "早于开始日期" in capsys.readouterr().err
    with translation.override("zh-hans"), pytest.raises(CommandError):
        call_command("calendar", "load", str(EXAMPLE))
    assert "--replace" in capsys.readouterr().err
