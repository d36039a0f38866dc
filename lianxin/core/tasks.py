"""Periodic jobs of the core: the worker heartbeat."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lianxin.core.jobs import heartbeat_record


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    heartbeat_record()
