"""`lianxin worker` as an operator runs it: a separate process on the embedded default."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _env(tmp_path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "PYTEST_VERSION", "PYTEST_CURRENT_TEST")
    }
    env.update(
        LIANXIN_ENV="development",
        LIANXIN_VAR_DIR=str(tmp_path),
        HUEY_IMMEDIATE="0",
        HUEY_WORKERS="3",
        PYTHONUNBUFFERED="1",
    )
    return env


QUEUE_A_MESSAGE = """
from lianxin.accounts.models import User
from lianxin.notify.services import notify_users
user = User.objects.create(username="on-duty", role="worker", phone="13700137000")
notify_users(kind="case_overdue_urged", users=[user], context={"case_title": "积水"})
"""


def _query(db: Path, sql: str) -> list:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []


def _heartbeats(db: Path) -> list:
    return _query(db, "SELECT worker FROM core_workerheartbeat")


def test_the_worker_sends_queued_messages_beats_logs_each_line_once_and_stops_on_sigint(
    tmp_path,
):
    env = _env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "lianxin", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    # A message queued by another process (as the web server would) before the worker runs.
    subprocess.run(
        [sys.executable, "-m", "lianxin", "shell", "-c", QUEUE_A_MESSAGE],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    db = tmp_path / "lianxin.sqlite3"
    assert _query(db, "SELECT status FROM notify_delivery") == [("queued",)]
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "lianxin", "worker"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not (
                _heartbeats(db) and _query(db, "SELECT status FROM notify_delivery") == [("sent",)]
            ):
                time.sleep(0.2)
                assert worker.poll() is None, log.read_text()
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(timeout=30)
    text = log.read_text()
    assert _heartbeats(db), text
    assert _query(db, "SELECT status, provider FROM notify_delivery") == [("sent", "outbox")], text
    started = [line for line in text.splitlines() if "Huey consumer started with 3 thread" in line]
    assert len(started) == 1, text
    assert "lianxin.notify.tasks.deliver" in text  # tasks of every app are registered
    assert worker.returncode == 0
