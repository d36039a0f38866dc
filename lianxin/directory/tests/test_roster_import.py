"""The roster import: every row checked first, errors reported in Chinese with row and column,
duplicates reported and never created twice, valid rows saved with their history."""

import datetime
import os
import random
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from openpyxl import Workbook

from conftest import PHONE_A
from lianxin.directory import roster_import, services, tasks
from lianxin.directory.models import ImportStatus, Resident, RosterImport
from lianxin.testing import factories as f
from lianxin.testing import rosters

pytestmark = pytest.mark.django_db


def _errors(result):
    return [(p["row"], p["column"], p["message"]) for p in result.problems if p["kind"] == "error"]


def _only_problem(result):
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


# --- A clean roster ------------------------------------------------------------------------
def test_valid_rows_become_residents_with_sealed_numbers(
    admin_user, community_a, person, roster, run_import
):
    rows = [person(), person(标签="独居老人、老党员"), person(党员="是")]
    result = run_import(admin_user, roster(rows))

    assert result.status == ImportStatus.DONE
    assert (result.total_rows, result.created_count, result.error_count) == (3, 3, 0)
    created = {r.name: r for r in Resident.objects.prefetch_related("care_tags")}
    first = created[rows[0]["姓名"]]
    assert first.community == community_a
    assert first.unsealed_phone() == rows[0]["手机号"]
    assert first.unsealed_id_number() == rows[0]["身份证号"]
    assert rows[0]["手机号"] not in first.phone_cipher + first.phone_masked
    assert first.birth_date.strftime("%Y%m%d") == rows[0]["身份证号"][6:14]
    assert first.gender == ("f" if rows[0]["性别"] == "女" else "m")
    assert {t.name for t in created[rows[1]["姓名"]].care_tags.all()} == {"独居老人", "老党员"}
    assert created[rows[2]["姓名"]].is_party_member


def test_each_imported_resident_gets_one_history_row_with_its_tags(
    admin_user, community_a, person, roster, run_import
):
    rows = [person(标签="低保户"), person(标签="")]
    result = run_import(admin_user, roster(rows))

    resident = Resident.objects.get(name=rows[0]["姓名"])
    (entry,) = resident.history.all()
    assert entry.history_type == "+"
    assert entry.history_user == admin_user
    assert f"#{result.pk}" in entry.history_change_reason
    assert entry.phone_masked == resident.phone_masked
    assert [t.caretag.name for t in entry.care_tags.all()] == ["低保户"]
    assert Resident.history.count() == 2


def test_headers_are_trimmed_and_common_variants_accepted(
    admin_user, community_a, person, roster, run_import
):
    row = person()
    headers = [" 姓 名 ", "手机号码*", "身份证号码", "所属社区", "家庭住址", "备注"]
    values = {
        " 姓 名 ": row["姓名"],
        "手机号码*": row["手机号"],
        "身份证号码": row["身份证号"],
        "所属社区": "甲社区",
        "家庭住址": "青禾路1号",
        "备注": "行动不便",
    }
    result = run_import(admin_user, roster([values], headers=headers))

    assert result.status == ImportStatus.DONE, result.problems
    resident = Resident.objects.get()
    assert (resident.address, resident.note) == ("青禾路1号", "行动不便")


def test_a_title_row_above_the_header_is_allowed(
    admin_user, community_a, person, tmp_path, run_import
):
    row = person()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["甲社区居民花名册（2026年）"])
    sheet.append(rosters.HEADERS)
    sheet.append([row[h] for h in rosters.HEADERS])
    path = tmp_path / "titled.xlsx"
    workbook.save(path)

    result = run_import(admin_user, path)

    assert result.status == ImportStatus.DONE
    assert result.created_count == 1


def test_numbers_typed_as_numbers_are_read_as_digits(
    admin_user, community_a, person, roster, run_import
):
    row = person()
    row["手机号"] = int(row["手机号"])
    result = run_import(admin_user, roster([row]))
    assert result.status == ImportStatus.DONE
    assert Resident.objects.get().unsealed_phone() == str(row["手机号"])


# --- Errors, one kind at a time ------------------------------------------------------------
@pytest.mark.parametrize(
    "changes, column, message",
    [
        ({"姓名": ""}, "姓名", "请填写姓名"),
        ({"姓名": "示例：王秀英"}, "姓名", "示例行"),
        ({"手机号": "1380013800"}, "手机号", "手机"),
        ({"手机号": "138****8000"}, "手机号", "已打码"),
        ({"身份证号": "11010819600504"}, "身份证号", "18"),
        ({"身份证号": "110108196013321234"}, "身份证号", "身份证号"),
        ({"身份证号": "1101**********123X"}, "身份证号", "已打码"),
        ({"社区": "不存在社区"}, "社区", "没有名为“不存在社区”的社区"),
        ({"性别": "未知"}, "性别", "请填写“男”或“女”"),
        ({"党员": "也许"}, "党员", "请填写“是”或“否”"),
        ({"标签": "独居老人、外星人"}, "标签", "没有这些关爱标签：外星人"),
    ],
)
def test_a_bad_cell_is_reported_with_row_column_and_a_chinese_message(
    admin_user, community_a, person, roster, run_import, changes, column, message
):
    rows = [person(), person(**changes)]
    result = run_import(admin_user, roster(rows))

    assert result.status == ImportStatus.INVALID
    assert Resident.objects.count() == 0
    problem = _only_problem(result)
    assert (problem["row"], problem["column"], problem["kind"]) == (3, column, "error")
    assert message in problem["message"]
    assert problem["letter"] == "ABCDEFGH"[rosters.HEADERS.index(column)]


def test_an_id_number_with_a_wrong_check_digit_is_reported_as_such(
    admin_user, community_a, person, roster, run_import
):
    row = person()
    good = row["身份证号"]
    row["身份证号"] = good[:-1] + ("1" if good[-1] != "1" else "2")
    result = run_import(admin_user, roster([row]))
    assert "校验位不正确" in _only_problem(result)["message"]


def test_an_id_number_saved_as_a_number_is_explained(
    admin_user, community_a, person, roster, run_import
):
    row = person()
    row["身份证号"] = float(row["身份证号"][:-1] + "0")
    result = run_import(admin_user, roster([row]))
    assert "文本" in _only_problem(result)["message"]


def test_a_gender_contradicting_the_id_number_is_reported(
    admin_user, community_a, person, roster, run_import
):
    row = person()
    row["性别"] = "男" if row["性别"] == "女" else "女"
    result = run_import(admin_user, roster([row]))
    assert _only_problem(result)["message"] == "性别与身份证号不符。"


def test_messages_never_repeat_a_whole_number(admin_user, community_a, person, roster, run_import):
    bad_phone = person(手机号="1380013800012")
    duplicate = person()
    again = dict(duplicate, 姓名="重复者")
    result = run_import(admin_user, roster([bad_phone, duplicate, again]))

    text = " ".join(p["message"] for p in result.problems)
    assert result.problems
    assert "1380013800012" not in text
    assert duplicate["手机号"] not in text and duplicate["身份证号"] not in text


def test_a_number_in_the_wrong_column_is_masked_in_the_report(
    admin_user, community_a, person, roster, run_import
):
    row = person()
    shifted = person(社区=row["身份证号"], 标签=PHONE_A)
    result = run_import(admin_user, roster([shifted]))
    text = " ".join(p["message"] for p in result.problems)
    assert len(result.problems) == 2
    assert row["身份证号"] not in text and PHONE_A not in text
    assert "138****8000" in text


def test_several_bad_cells_of_one_row_count_as_one_row(
    admin_user, community_a, person, roster, run_import
):
    result = run_import(admin_user, roster([person(姓名="", 性别="?", 党员="?")]))
    assert result.error_count == 1
    assert sorted(c for _, c, _ in _errors(result)) == ["党员", "姓名", "性别"]


def test_empty_rows_are_skipped_silently(admin_user, community_a, person, roster, run_import):
    result = run_import(admin_user, roster([person(), {}, person()]))
    assert (result.status, result.total_rows, result.created_count) == (ImportStatus.DONE, 2, 2)


# --- File-level problems -------------------------------------------------------------------
def test_a_missing_required_column_is_one_clear_error(
    admin_user, community_a, person, roster, run_import
):
    headers = ["姓名", "性别", "社区"]
    result = run_import(admin_user, roster([person()], headers=headers))

    assert result.status == ImportStatus.FAILED
    assert "缺少必填列：手机号、身份证号、地址" in result.failure
    assert len(result.problems) == 1
    assert Resident.objects.count() == 0


def test_a_column_given_twice_is_refused(admin_user, community_a, person, roster, run_import):
    headers = [*rosters.HEADERS, "手机号码"]
    result = run_import(admin_user, roster([person()], headers=headers))
    assert result.status == ImportStatus.FAILED
    assert "出现了两次" in result.failure


def test_a_file_that_is_not_a_workbook_fails_with_advice(admin_user, tmp_path, run_import):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    result = run_import(admin_user, path)
    assert result.status == ImportStatus.FAILED
    assert ".xlsx" in result.failure


def test_a_sheet_without_a_name_column_fails(admin_user, community_a, person, roster, run_import):
    result = run_import(admin_user, roster([person()], headers=["名单", "电话"]))
    assert result.status == ImportStatus.FAILED
    assert "没有找到含“姓名”列的表头" in result.failure


def test_a_header_without_rows_fails(admin_user, community_a, roster, run_import):
    result = run_import(admin_user, roster([]))
    assert result.status == ImportStatus.FAILED
    assert "没有居民数据" in result.failure


# --- Communities and scope -----------------------------------------------------------------
def test_the_default_community_fills_empty_community_cells(
    worker_a, community_a, person, roster, run_import
):
    result = run_import(worker_a, roster([person(社区="")]), default_community=community_a)
    assert result.status == ImportStatus.DONE
    assert Resident.objects.get().community == community_a


def test_without_a_default_an_empty_community_cell_is_an_error(
    worker_a, community_a, person, roster, run_import
):
    result = run_import(worker_a, roster([person(社区="")]))
    assert "请填写社区，或在上传时选择默认社区" in _only_problem(result)["message"]


def test_a_worker_cannot_import_into_another_community(
    worker_a, community_a, community_b, person, roster, run_import
):
    result = run_import(worker_a, roster([person(), person(社区="乙社区")]))

    assert result.status == ImportStatus.INVALID
    assert _only_problem(result)["message"] == "“乙社区”不在您负责的社区范围内。"
    assert not Resident.objects.filter(community=community_b).exists()


def test_a_worker_cannot_choose_another_community_as_default(worker_a, community_b, person, roster):
    path = roster([person(社区="")])
    with pytest.raises(PermissionDenied):
        services.roster_import_start(
            actor=worker_a,
            file_name="x.xlsx",
            chunks=[path.read_bytes()],
            default_community=community_b,
            enqueue=False,
        )
    assert not RosterImport.objects.exists()


def test_representatives_and_handlers_cannot_import(rep_a, handler_1, person, roster):
    for actor in (rep_a, handler_1):
        with pytest.raises(PermissionDenied):
            services.roster_import_start(
                actor=actor, file_name="x.xlsx", chunks=[b"x"], enqueue=False
            )


def test_communities_with_the_same_name_need_their_subdistrict(
    admin_user, community_a, person, roster, run_import
):
    other = f.CommunityFactory(name="甲社区", code="c-a2")
    result = run_import(
        admin_user,
        roster([person(社区="甲社区"), person(社区=f"{other.subdistrict.name} 甲社区")]),
        import_valid_rows=True,
    )
    assert "有多个社区名为“甲社区”" in _only_problem(result)["message"]
    assert Resident.objects.get().community == other


# --- Duplicates ----------------------------------------------------------------------------
def test_a_phone_repeated_within_the_file_is_a_duplicate_not_an_error(
    admin_user, community_a, person, roster, run_import
):
    first = person()
    second = person(手机号=first["手机号"])
    result = run_import(admin_user, roster([first, second]))

    assert result.status == ImportStatus.DONE
    assert (result.created_count, result.duplicate_count, result.error_count) == (1, 1, 0)
    problem = _only_problem(result)
    assert (problem["row"], problem["column"], problem["kind"]) == (3, "手机号", "duplicate")
    assert "与第 2 行重复" in problem["message"]


def test_an_id_number_repeated_within_the_file_is_a_duplicate(
    admin_user, community_a, person, roster, run_import
):
    first = person()
    result = run_import(
        admin_user, roster([first, person(身份证号=first["身份证号"], 性别=first["性别"])])
    )
    assert (result.created_count, result.duplicate_count) == (1, 1)
    assert _only_problem(result)["column"] == "身份证号"


def test_a_resident_already_saved_is_reported_and_not_created_twice(
    worker_a, resident_a, person, roster, run_import
):
    result = run_import(worker_a, roster([person(手机号=PHONE_A), person()]))

    assert result.status == ImportStatus.DONE
    assert (result.created_count, result.duplicate_count) == (1, 1)
    problem = _only_problem(result)
    assert problem["message"] == "甲社区的居民甲已登记此手机号（138****8000），不重复导入。"
    assert Resident.objects.filter(phone_index=resident_a.phone_index).count() == 1


def test_a_duplicate_in_another_community_does_not_name_its_resident(
    worker_b, resident_a, community_b, person, roster, run_import
):
    result = run_import(worker_b, roster([person(手机号=PHONE_A, 社区="乙社区")]))
    message = _only_problem(result)["message"]
    assert message == "其他社区的居民已登记此手机号（138****8000），不重复导入。"
    assert "居民甲" not in message


def test_an_existing_id_number_is_a_duplicate(admin_user, resident_a, person, roster, run_import):
    row = person(身份证号=resident_a.unsealed_id_number(), 性别="")
    result = run_import(admin_user, roster([row]))
    assert result.duplicate_count == 1
    assert "已登记此身份证号" in _only_problem(result)["message"]


def test_importing_the_same_roster_twice_creates_nobody_the_second_time(
    admin_user, community_a, person, roster, run_import
):
    path = roster([person(), person(), person()])
    run_import(admin_user, path)
    again = run_import(admin_user, path)
    assert (again.created_count, again.duplicate_count) == (0, 3)
    assert Resident.objects.count() == 3


# --- Deciding about failed rows ------------------------------------------------------------
def test_errors_block_the_whole_import_unless_valid_rows_are_wanted(
    admin_user, community_a, person, roster, run_import
):
    path = roster([person(), person(手机号="123"), person()])

    blocked = run_import(admin_user, path)
    assert (blocked.status, blocked.valid_count, blocked.created_count) == ("invalid", 2, 0)
    assert Resident.objects.count() == 0

    wanted = run_import(admin_user, path, import_valid_rows=True)
    assert (wanted.status, wanted.created_count, wanted.error_count) == ("done", 2, 1)
    assert Resident.objects.count() == 2


def test_valid_rows_wait_sealed_and_can_be_imported_later(
    admin_user, community_a, person, roster, run_import, django_capture_on_commit_callbacks
):
    rows = [person(), person(手机号="123"), person()]
    result = run_import(admin_user, roster(rows))

    assert result.awaits_decision
    spool = Path(result.spool_path).read_bytes()
    for row in rows:
        assert row["手机号"].encode() not in spool
        assert row["身份证号"].encode() not in spool
    assert not list(Path(result.spool_path).parent.glob("*.xlsx"))  # the upload is gone

    with django_capture_on_commit_callbacks(execute=True):
        services.roster_import_confirm(actor=admin_user, roster_import=result)

    result.refresh_from_db()
    assert (result.status, result.created_count, result.error_count) == ("done", 2, 1)
    assert result.spool_path == ""
    assert not list(roster_import.imports_dir().iterdir())


def test_a_resident_saved_while_rows_wait_is_not_created_twice(
    admin_user, community_a, person, roster, run_import, django_capture_on_commit_callbacks
):
    rows = [person(), person(手机号="123")]
    result = run_import(admin_user, roster(rows))
    f.ResidentFactory(community=community_a, phone=rows[0]["手机号"])

    with django_capture_on_commit_callbacks(execute=True):
        services.roster_import_confirm(actor=admin_user, roster_import=result)

    result.refresh_from_db()
    assert (result.status, result.created_count, result.duplicate_count) == ("done", 0, 1)
    assert Resident.objects.count() == 1


def test_discarding_waiting_rows_deletes_them(
    worker_a, community_a, person, roster, run_import, django_capture_on_commit_callbacks
):
    result = run_import(worker_a, roster([person(), person(手机号="123")]))
    spool = Path(result.spool_path)
    with django_capture_on_commit_callbacks(execute=True):
        services.roster_import_discard(actor=worker_a, roster_import=result)
    result.refresh_from_db()
    assert result.status == ImportStatus.DISCARDED
    assert not spool.exists()
    with pytest.raises(ValidationError, match="无法导入"):
        services.roster_import_confirm(actor=worker_a, roster_import=result)


def test_another_worker_cannot_decide_about_my_import(
    worker_a, worker_b, community_a, person, roster, run_import
):
    result = run_import(worker_a, roster([person(), person(手机号="123")]))
    with pytest.raises(PermissionDenied):
        services.roster_import_confirm(actor=worker_b, roster_import=result)


def test_waiting_rows_expire_and_stalled_jobs_fail(
    admin_user, community_a, person, roster, run_import
):
    waiting = run_import(admin_user, roster([person(), person(手机号="123")]))
    stalled = RosterImport.objects.create(
        created_by=admin_user, file_name="stalled.xlsx", status=ImportStatus.VALIDATING
    )
    later = waiting.finished_at + datetime.timedelta(hours=roster_import.SPOOL_HOURS + 1)

    assert roster_import.expire(now=later) == 2

    waiting.refresh_from_db()
    stalled.refresh_from_db()
    assert (waiting.status, waiting.spool_path) == (ImportStatus.DISCARDED, "")
    assert stalled.status == ImportStatus.FAILED
    assert not list(roster_import.imports_dir().iterdir())


def test_the_hourly_sweep_deletes_files_no_import_refers_to(var_dir, admin_user):
    orphan = roster_import.imports_dir() / "orphan.xlsx"
    orphan.write_bytes(b"numbers in clear")
    fresh = roster_import.imports_dir() / "fresh.xlsx"
    fresh.write_bytes(b"an upload still being saved")
    old = time.time() - (roster_import.STALE_RUNNING_HOURS + 1) * 3600
    os.utime(orphan, (old, old))

    out = StringIO()
    call_command("expire_roster_imports", stdout=out)
    tasks.roster_imports_expire()  # the queue's schedule runs the same command

    assert not orphan.exists() and fresh.exists()
    assert "1" in out.getvalue()


def test_running_an_import_twice_does_nothing_the_second_time(
    admin_user, community_a, person, roster, run_import
):
    result = run_import(admin_user, roster([person()]))
    again = roster_import.run(result.pk)
    assert again.created_count == 1
    assert Resident.objects.count() == 1


# --- Large rosters ----------------------------------------------------------------------------
def _bad_rows(number, row):
    if number == 17:
        row["手机号"] = "1234567"
    elif number == 5000:
        row["身份证号"] = row["身份证号"][:-1] + ("0" if row["身份证号"][-1] != "0" else "1")
    elif number == 9999:
        row["社区"] = "不存在社区"
    return row


def test_a_10000_row_roster_with_3_bad_rows_reports_exactly_those_rows(
    admin_user, community_a, tmp_path, run_import
):
    path = rosters.synthetic_roster(
        tmp_path / "big.xlsx", 10_000, communities=["甲社区"], change=_bad_rows
    )
    result = run_import(admin_user, path)

    assert result.status == ImportStatus.INVALID
    assert sorted({p["row"] for p in result.problems}) == [17, 5000, 9999]
    assert [p["column"] for p in sorted(result.problems, key=lambda p: p["row"])] == [
        "手机号",
        "身份证号",
        "社区",
    ]
    assert (result.total_rows, result.error_count, result.valid_count) == (10_000, 3, 9_997)
    assert Resident.objects.count() == 0


def test_a_valid_10000_row_roster_is_imported_completely(
    admin_user, community_a, tmp_path, run_import
):
    path = rosters.synthetic_roster(tmp_path / "big.xlsx", 10_000, communities=["甲社区"])
    expected_tags = sum(
        len([t for t in row["标签"].split("、") if t])
        for row in rosters.people(random.Random(2026), 10_000, communities=["甲社区"])
    )

    result = run_import(admin_user, path)

    assert result.status == ImportStatus.DONE
    assert (result.total_rows, result.created_count, result.processed_rows) == (
        10_000,
        10_000,
        10_000,
    )
    assert (result.duplicate_count, result.error_count, result.problems) == (0, 0, [])
    assert Resident.objects.count() == 10_000
    assert Resident.history.count() == 10_000
    assert Resident.care_tags.through.objects.count() == expected_tags
    assert not list(roster_import.imports_dir().iterdir())
