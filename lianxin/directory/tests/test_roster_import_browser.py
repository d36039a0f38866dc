"""A community worker uploads a small roster on a phone, watches the import page finish by
itself (htmx polling) and finds the new resident in the roster."""

import threading

import pytest
from django.db import connection

from lianxin.directory import roster_import, tasks
from lianxin.directory.seed import ensure_care_tags

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def deferred_job(monkeypatch):
    """Run the job a moment after the upload, in another thread, like a real worker would."""
    started = []

    def later(import_id):
        def work():
            try:
                roster_import.run(import_id)
            finally:
                connection.close()

        timer = threading.Timer(1.5, work)
        started.append(timer)
        timer.start()

    monkeypatch.setattr(tasks, "roster_import_run", later)
    yield started
    for timer in started:
        timer.join(timeout=30)


@pytest.mark.viewport(360, 740)
def test_a_worker_uploads_a_roster_and_sees_the_import_finish(
    page, login, worker_a, community_a, person, roster, deferred_job
):
    ensure_care_tags()  # a transactional test may follow one that flushed the seeded tags
    rows = [person(社区="", 标签="独居老人"), person(社区="")]
    path = roster(rows)
    login(page, worker_a)

    page.goto("/staff/directory/imports/new/")
    page.get_by_label("花名册文件（.xlsx）").set_input_files(str(path))
    assert page.get_by_label("默认社区").input_value() == str(community_a.pk)
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url("**/staff/directory/imports/*/")

    # The job has not run yet: the page shows a progress bar and keeps asking.
    progress = page.get_by_role("progressbar", name="导入进度")
    assert progress.is_visible()
    assert progress.get_attribute("aria-valuenow") == "0"

    page.get_by_text("已导入 2 人").wait_for(timeout=20_000)
    assert page.get_by_role("progressbar").count() == 0
    assert deferred_job

    page.get_by_role("link", name="查看居民名册").click()
    page.wait_for_url("**/staff/directory/residents/")
    for row in rows:
        assert page.get_by_role("link", name=row["姓名"]).is_visible()
