"""Background jobs of the interfaces: filing the requests Open311 clients posted."""

from __future__ import annotations

import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from lianxin.api.services import open311_file_pending, open311_requests_file_pending


@db_task()
def open311_file_pending_job() -> None:
    # Two of these may run at once: each request is filed once (a conditional update).
    open311_file_pending()


@db_periodic_task(crontab(minute="*"))
def open311_file_forgotten() -> None:
    """A request whose job was lost (a crashed worker, a flushed queue) is filed within
    minutes all the same."""
    open311_requests_file_pending(older_than=datetime.timedelta(minutes=1))
