"""Background jobs: how other rooms of the work enqueue and schedule them.

The queue is huey (see settings.HUEY): SQLite in the embedded default, Redis when REDIS_URL
is set, and immediate (run in-process, in order) under the tests. The consumer is
`lianxin worker` (also started by `lianxin serve`). Tasks live in `<app>/tasks.py`; the
consumer imports every such module at start.

Enqueue on commit, never inside a transaction: a job that starts before the transaction
that created its data has committed finds nothing, and a rolled-back transaction must not
leave jobs behind. Pass ids, never personal data: job arguments are stored in the queue in
clear::

    from huey.contrib.djhuey import db_task
    from lianxin.core.jobs import enqueue_on_commit

    @db_task()
    def roster_import_run(import_id: int) -> None: ...

    @transaction.atomic
    def roster_import_start(*, actor, upload) -> RosterImport:
        job = RosterImport.objects.create(...)
        enqueue_on_commit(roster_import_run, job.pk)
        return job

A periodic job is a `db_periodic_task` whose period comes from settings, and whose body
calls an idempotent service (the same service a management command calls for cron)::

    from django.conf import settings
    from huey.contrib.djhuey import db_periodic_task, lock_task
    from lianxin.core.jobs import every_minutes

    @db_periodic_task(every_minutes(settings.LIANXIN_SWEEP_MINUTES))
    @lock_task("cases-sweep")  # one sweep at a time across all consumers
    def sweep_deadlines() -> None:
        deadlines_sweep(now=timezone.now())

The huey scheduler of every consumer enqueues periodic tasks, so with several consumers a
periodic task runs once per consumer per period: the service must be idempotent (and the
lock keeps two runs from overlapping).

Whether a consumer is running: `worker_heartbeat` (core/tasks.py) writes a
`WorkerHeartbeat` row every minute; `worker_status()` reads it, and administrators see a
warning on the workbench and in the top bar when no consumer has been seen for
LIANXIN_WORKER_STALE_MINUTES.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from huey import crontab

logger = logging.getLogger(__name__)

_PROCESS_STARTED = timezone.now()


def enqueue_on_commit(task, *args, eta: datetime.datetime | None = None, **kwargs) -> None:
    """Enqueue `task(*args, **kwargs)` once the current transaction commits (at once when
    there is none). With `eta`, the job runs at that time at the earliest.

    A queue that cannot be reached (Redis down) is logged, not raised: the data is already
    committed, and jobs that matter have a periodic catch-up (see notify's due deliveries).
    An `eta` already past runs at once.
    """

    def enqueue() -> None:
        if eta is not None and eta > timezone.now():
            task.schedule(args=args, kwargs=kwargs, eta=eta)
        else:
            task(*args, **kwargs)

    transaction.on_commit(enqueue, robust=True)


def every_minutes(minutes: int) -> crontab:
    """A huey schedule for "every N minutes" (N must divide 60: 1, 2, 3, 4, 5, 6, 10, …)."""
    if minutes < 1 or 60 % minutes:
        raise ImproperlyConfigured(
            f"A period of {minutes} minutes is not supported; use a divisor of 60 "
            "(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)."
        )
    return crontab(minute="*" if minutes == 1 else f"*/{minutes}")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def heartbeat_record(*, now: datetime.datetime | None = None) -> None:
    """Record that this worker process is alive and consuming jobs."""
    from lianxin.core.models import WorkerHeartbeat

    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker=worker_name(),
        defaults={"seen_at": now},
        create_defaults={"seen_at": now, "started_at": _PROCESS_STARTED},
    )
    # Rows of workers gone for a day are history, not information.
    WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()


@dataclass(frozen=True)
class WorkerStatus:
    running: bool
    immediate: bool
    last_seen: datetime.datetime | None
    stale_minutes: int


def worker_status(*, now: datetime.datetime | None = None) -> WorkerStatus:
    """Is some consumer running? In immediate mode jobs run in-process and need none."""
    from lianxin.core.models import WorkerHeartbeat

    stale = settings.LIANXIN_WORKER_STALE_MINUTES
    if settings.HUEY.get("immediate"):
        return WorkerStatus(running=True, immediate=True, last_seen=None, stale_minutes=stale)
    now = now or timezone.now()
    last_seen = (
        WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    )
    running = last_seen is not None and last_seen >= now - datetime.timedelta(minutes=stale)
    return WorkerStatus(running=running, immediate=False, last_seen=last_seen, stale_minutes=stale)


def worker_panel(user):
    """Workbench warning for administrators when no background worker has been seen."""
    from lianxin.accounts.models import Role
    from lianxin.core.workbench import Panel

    if not user.has_role(Role.ADMIN):
        return None
    status = worker_status()
    if status.running:
        return None
    return Panel(
        title=_("Background worker not running"),
        template="staff/_worker_panel.html",
        context={"status": status, "wide": True},
        order=0,
    )
