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


def _heartbeats(db: Path) -> list:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT worker FROM core_workerheartbeat").fetchall()
    except sqlite3.OperationalError:
        return []


def test_the_worker_consumes_jobs_logs_each_line_once_and_stops_on_sigint(tmp_path):
    env = _env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "lianxin", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
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
            while not _heartbeats(tmp_path / "lianxin.sqlite3") and time.monotonic() < deadline:
                time.sleep(0.2)
                assert worker.poll() is None, log.read_text()
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(timeout=30)
    text = log.read_text()
    assert _heartbeats(tmp_path / "lianxin.sqlite3"), text
    started = [line for line in text.splitlines() if "Huey consumer started with 3 thread" in line]
    assert len(started) == 1, text
    assert "lianxin.notify.tasks.deliver" in text  # tasks of every app are registered
    assert worker.returncode == 0
