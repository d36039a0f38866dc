"""Roster import pages: upload, progress polled by htmx, the error report, the decision, the
template; only administrators and community workers, each worker seeing only their imports."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from lianxin.directory.models import ImportStatus, Resident, RosterImport
from lianxin.directory.roster_format import REQUIRED_COLUMNS

pytestmark = pytest.mark.django_db

IMPORTS = "/staff/directory/imports/"


def _upload(path):
    return SimpleUploadedFile(
        path.name,
        path.read_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_uploading_a_roster_runs_the_job_and_shows_the_result(
    client, worker_a, community_a, person, roster, django_capture_on_commit_callbacks
):
    client.force_login(worker_a)
    rows = [person(社区=""), person(社区="")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{IMPORTS}new/",
            {"file": _upload(roster(rows)), "default_community": community_a.pk},
        )
    created = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{IMPORTS}{created.pk}/"

    page = client.get(response["Location"]).content.decode()
    assert "已导入 2 人" in page
    assert created.file_name in page
    assert set(Resident.objects.values_list("name", flat=True)) == {r["姓名"] for r in rows}
    assert {r.community for r in Resident.objects.all()} == {community_a}


def test_the_upload_form_refuses_a_file_that_is_not_xlsx(client, worker_a):
    client.force_login(worker_a)
    response = client.post(
        f"{IMPORTS}new/", {"file": SimpleUploadedFile("roster.xls", b"\xd0\xcf\x11\xe0")}
    )
    assert response.status_code == 200
    assert "另存为 .xlsx" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_the_upload_form_offers_only_the_workers_communities(
    client, worker_a, community_a, community_b
):
    client.force_login(worker_a)
    page = client.get(f"{IMPORTS}new/").content.decode()
    assert f'value="{community_a.pk}" selected' in page
    assert "乙社区" not in page


def test_a_running_import_shows_an_accessible_progress_bar_polled_every_second(client, worker_a):
    running = RosterImport.objects.create(
        created_by=worker_a,
        file_name="名册.xlsx",
        status=ImportStatus.VALIDATING,
        total_rows=200,
        processed_rows=50,
    )
    client.force_login(worker_a)
    page = client.get(f"{IMPORTS}{running.pk}/").content.decode()
    assert 'role="progressbar"' in page
    assert 'aria-valuenow="25"' in page
    assert "25%" in page
    assert 'hx-trigger="every 1s"' in page

    fragment = client.get(f"{IMPORTS}{running.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert 'hx-trigger="every 1s"' in fragment

    RosterImport.objects.filter(pk=running.pk).update(total_rows=0, processed_rows=300)
    unsized = client.get(f"{IMPORTS}{running.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "已处理 300 行" in unsized and 'aria-valuenow="0"' in unsized

    RosterImport.objects.filter(pk=running.pk).update(
        status=ImportStatus.DONE, created_count=200, total_rows=200
    )
    finished = client.get(f"{IMPORTS}{running.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in finished  # polling stops
    assert "已导入 200 人" in finished


def test_the_error_report_is_on_the_page_and_downloadable(
    client, worker_a, community_a, person, roster, django_capture_on_commit_callbacks
):
    client.force_login(worker_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{IMPORTS}new/", {"file": _upload(roster([person(), person(手机号="123")]))})
    imp = RosterImport.objects.get()

    page = client.get(f"{IMPORTS}{imp.pk}/").content.decode()
    assert "未导入任何数据：有 1 行存在错误" in page
    assert "现在导入校验通过的 1 行" in page
    assert "手机号" in page and "(C)" in page

    report = client.get(f"{IMPORTS}{imp.pk}/problems.xlsx")
    sheet = load_workbook(io.BytesIO(report.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("行号", "列", "问题", "类型")
    assert rows[1][:2] == (3, "手机号（C 列）")
    assert rows[1][3] == "错误"
    assert len(rows) == 2


def test_the_valid_rows_can_be_imported_from_the_page(
    client, worker_a, community_a, person, roster, django_capture_on_commit_callbacks
):
    client.force_login(worker_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{IMPORTS}new/", {"file": _upload(roster([person(), person(手机号="123")]))})
    imp = RosterImport.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{IMPORTS}{imp.pk}/confirm/")
    assert response.status_code == 302
    imp.refresh_from_db()
    assert (imp.status, imp.created_count) == (ImportStatus.DONE, 1)

    again = client.post(f"{IMPORTS}{imp.pk}/confirm/", follow=True).content.decode()
    assert "这些行已无法导入" in again
    assert Resident.objects.count() == 1


def test_the_valid_rows_can_be_discarded_from_the_page(
    client, worker_a, community_a, person, roster, django_capture_on_commit_callbacks
):
    client.force_login(worker_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{IMPORTS}new/", {"file": _upload(roster([person(), person(手机号="123")]))})
    imp = RosterImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"{IMPORTS}{imp.pk}/discard/", follow=True).content.decode()
    assert "已放弃本次导入" in page
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DISCARDED
    assert Resident.objects.count() == 0


def test_a_worker_sees_only_their_own_imports(client, worker_a, worker_b, admin_user):
    mine = RosterImport.objects.create(created_by=worker_a, file_name="mine.xlsx")
    theirs = RosterImport.objects.create(created_by=worker_b, file_name="theirs.xlsx")
    client.force_login(worker_a)
    listing = client.get(IMPORTS).content.decode()
    assert "mine.xlsx" in listing and "theirs.xlsx" not in listing
    assert client.get(f"{IMPORTS}{theirs.pk}/").status_code == 404
    assert client.get(f"{IMPORTS}{theirs.pk}/problems.xlsx").status_code == 404
    assert client.post(f"{IMPORTS}{theirs.pk}/confirm/").status_code == 404
    client.force_login(admin_user)
    listing = client.get(IMPORTS).content.decode()
    assert "mine.xlsx" in listing and "theirs.xlsx" in listing
    assert client.get(f"{IMPORTS}{mine.pk}/").status_code == 200


@pytest.mark.parametrize("persona", ["rep_a", "handler_1", "supervisor"])
def test_others_get_404_on_import_pages(client, request, persona, worker_a):
    imp = RosterImport.objects.create(created_by=worker_a, file_name="mine.xlsx")
    client.force_login(request.getfixturevalue(persona))
    for url in (IMPORTS, f"{IMPORTS}new/", f"{IMPORTS}template.xlsx", f"{IMPORTS}{imp.pk}/"):
        assert client.get(url).status_code == 404, url


def test_the_template_has_the_columns_and_one_invented_example_row(client, worker_a, community_a):
    client.force_login(worker_a)
    response = client.get(f"{IMPORTS}template.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert set(REQUIRED_COLUMNS) <= set(rows[0])
    assert len(rows) == 2
    example = dict(zip(rows[0], rows[1], strict=True))
    assert example["姓名"].startswith("示例")
    assert example["社区"] == "甲社区"
    assert len(example["身份证号"]) == 18
    phone_column = rows[0].index("手机号") + 1
    assert sheet.cell(row=2, column=phone_column).number_format == "@"
    assert "填写说明" in workbook.sheetnames


def test_the_template_example_row_is_refused_if_left_in(
    client, worker_a, community_a, tmp_path, run_import
):
    client.force_login(worker_a)
    path = tmp_path / "template.xlsx"
    path.write_bytes(client.get(f"{IMPORTS}template.xlsx").content)
    result = run_import(worker_a, path)
    assert result.status == ImportStatus.INVALID
    assert "示例行" in result.problems[0]["message"]


def test_the_import_list_costs_the_same_queries_for_many_imports(
    client, admin_user, worker_a, django_assert_max_num_queries
):
    for n in range(30):
        RosterImport.objects.create(created_by=worker_a, file_name=f"{n}.xlsx")
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        assert client.get(IMPORTS).status_code == 200


def test_navigation_offers_imports_to_workers_and_history_to_administrators(
    client, worker_a, admin_user, rep_a
):
    client.force_login(worker_a)
    page = client.get("/staff/").content.decode()
    assert "花名册导入" in page and "变更记录" not in page
    client.force_login(admin_user)
    page = client.get("/staff/").content.decode()
    assert "花名册导入" in page and "变更记录" in page
    client.force_login(rep_a)
    assert "花名册导入" not in client.get("/staff/").content.decode()
