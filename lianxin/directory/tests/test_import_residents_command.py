"""`lianxin import-residents FILE [--community NAME] [--valid-rows-only] [--user USERNAME]`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lianxin.directory.models import ImportStatus, Resident, RosterImport

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_residents", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_roster_with_a_progress_bar_and_a_summary(
    admin_user, community_a, person, roster
):
    path = roster([person(), person(), person()])
    out, err = _run(str(path))

    assert Resident.objects.count() == 3
    assert "共 3 行；新增居民 3 人，重复 0 行未重复导入，错误 0 行" in out
    assert "100%" in err and "3/3" in err
    assert path.exists()  # the user's own file is left alone
    assert RosterImport.objects.get().created_by == admin_user


def test_it_exits_non_zero_and_imports_nothing_when_rows_fail(
    admin_user, community_a, person, roster
):
    path = roster([person(), person(手机号="123"), person(社区="无名社区")])
    out = StringIO()
    with pytest.raises(CommandError, match="未导入任何数据：有 2 行存在错误"):
        call_command("import_residents", str(path), stdout=out, stderr=StringIO())

    assert Resident.objects.count() == 0
    report = out.getvalue()
    assert "第 3 行，手机号（C 列）：" in report
    assert "第 4 行，社区（E 列）：没有名为“无名社区”的社区。" in report
    imp = RosterImport.objects.get()
    assert (imp.status, imp.spool_path) == (ImportStatus.INVALID, "")


def test_valid_rows_only_imports_the_rest(admin_user, community_a, person, roster):
    path = roster([person(), person(手机号="123"), person()])
    out, _ = _run(str(path), "--valid-rows-only")
    assert Resident.objects.count() == 2
    assert "错误 1 行" in out


def test_community_option_fills_empty_community_cells(worker_a, community_a, person, roster):
    path = roster([person(社区=""), person(社区="")])
    _run(str(path), "--community", "甲社区", "--user", worker_a.username)
    assert list(Resident.objects.values_list("community__name", flat=True)) == ["甲社区"] * 2


def test_a_worker_cannot_name_another_community(worker_a, community_b, person, roster):
    path = roster([person(社区="")])
    with pytest.raises(CommandError, match="不在您负责的社区范围内"):
        _run(str(path), "--community", "乙社区", "--user", worker_a.username)
    assert not RosterImport.objects.exists()


def test_it_needs_a_user_when_there_is_not_exactly_one_administrator(community_a, person, roster):
    with pytest.raises(CommandError, match="--user"):
        _run(str(roster([person()])))


def test_a_representative_may_not_import(rep_a, person, roster):
    with pytest.raises(CommandError, match="无权导入"):
        _run(str(roster([person()])), "--user", rep_a.username)


def test_a_missing_file_is_reported(admin_user, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        _run(str(tmp_path / "nope.xlsx"))
