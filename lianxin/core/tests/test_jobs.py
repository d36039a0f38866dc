"""Background jobs on the queues production uses: SQLite huey and Redis huey."""

from __future__ import annotations

import datetime
import os
import uuid

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse
from huey import RedisHuey, SqliteHuey

from lianxin.core.jobs import enqueue_on_commit, every_minutes, heartbeat_record, worker_status
from lianxin.core.models import WorkerHeartbeat

REDIS_URL = "redis://127.0.0.1:6379/5"


@pytest.fixture(params=["sqlite", "redis"])
def queue(request, tmp_path):
    if request.param == "sqlite":
        huey = SqliteHuey("lianxin-test", filename=str(tmp_path / "queue.sqlite3"))
    else:
        huey = RedisHuey(f"lianxin-test-{uuid.uuid4().hex[:8]}", url=REDIS_URL)
    yield huey
    huey.flush()  # removes this queue's keys from Redis database 5


@pytest.mark.django_db
def test_a_job_is_enqueued_only_when_the_transaction_commits(
    queue, django_capture_on_commit_callbacks
):
    add = queue.task()(lambda a, b: a + b)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(add, 2, 3)
        assert queue.pending_count() == 0
    assert queue.pending_count() == 1
    task = queue.dequeue()
    assert queue.execute(task) == 5
    assert queue.result(task.id) == 5


@pytest.mark.django_db
def test_a_rolled_back_transaction_leaves_no_job(queue, django_capture_on_commit_callbacks):
    add = queue.task()(lambda a, b: a + b)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(add, 2, 3)
        raise RuntimeError
    assert queue.pending_count() == 0


@pytest.mark.django_db
def test_a_job_with_an_eta_waits_in_the_schedule(queue, django_capture_on_commit_callbacks):
    add = queue.task()(lambda a, b: a + b)
    eta = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(add, 1, 1, eta=eta)
    assert queue.pending_count() == 1
    queue.execute(queue.dequeue())  # not ready: goes to the schedule
    assert queue.scheduled_count() == 1


def test_a_real_consumer_runs_jobs_in_its_worker_threads(queue):
    add = queue.task()(lambda a, b: a + b)
    results = [add(n, n) for n in range(5)]
    consumer = queue.create_consumer(workers=2, periodic=False, initial_delay=0.05, max_delay=0.2)
    consumer._set_signal_handlers = lambda: None  # the test runner keeps its own handlers
    consumer.start()
    try:
        assert [r.get(blocking=True, timeout=10) for r in results] == [0, 2, 4, 6, 8]
    finally:
        consumer.stop(graceful=True)
    assert queue.pending_count() == 0


def test_periods_must_divide_an_hour():
    with pytest.raises(ImproperlyConfigured):
        every_minutes(7)
    with pytest.raises(ImproperlyConfigured):
        every_minutes(0)
    minute = datetime.datetime(2026, 5, 11, 9, 10)
    assert every_minutes(5)(minute) is True
    assert every_minutes(5)(minute + datetime.timedelta(minutes=1)) is False
    assert every_minutes(1)(minute + datetime.timedelta(minutes=1)) is True


@pytest.mark.django_db
def test_a_missing_worker_is_a_warning_for_administrators_only(
    settings, client, admin_user, worker_a
):
    settings.HUEY = {**settings.HUEY, "immediate": False}
    start = datetime.datetime(2026, 5, 11, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(admin_user)
        page = client.get(reverse("staff:home")).content.decode()
        assert "lx-worker-alert" in page
        assert "从未检测到后台任务进程" in page

        heartbeat_record()
        page = client.get(reverse("staff:home")).content.decode()
        assert "lx-worker-alert" not in page

        traveller.shift(
            datetime.timedelta(minutes=settings.LIANXIN_WORKER_STALE_MINUTES, seconds=1)
        )
        assert worker_status().running is False
        page = client.get(reverse("staff:home")).content.decode()
        assert "lx-worker-alert" in page
        assert "2026-05-11 17:00" in page  # last seen, in local time

        client.force_login(worker_a)
        assert "lx-worker-alert" not in client.get(reverse("staff:home")).content.decode()


@pytest.mark.django_db
def test_the_heartbeat_job_records_this_worker_and_forgets_old_ones():
    from lianxin.core.tasks import worker_heartbeat

    WorkerHeartbeat.objects.create(
        worker="gone:1",
        started_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
        seen_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )
    worker_heartbeat.call_local()
    beat = WorkerHeartbeat.objects.get()
    assert beat.worker.endswith(f":{os.getpid()}")
    assert worker_status().immediate is True  # under the tests jobs run in-process
