"""What the rooms' sweeps share: one periodic task per room, and "once per deadline" urging.

A room's tasks.py declares its sweep (a function returning a small report) as a task that the
worker runs every LIANXIN_SWEEP_MINUTES, one run at a time across all consumers:

    assistance_sweep = sweep_task("assistance-sweep", "lianxin.assistance.sweep.sweep")

A record urged when late keeps the deadline it was last urged for (`mark_field`); a later,
changed deadline is urged again, an unchanged one never twice, however many sweeps overlap:

    late = Model.objects.filter(not_yet_urged("due_at", "urged_due_at"), due_at__lt=now)
    if claim_urge(Model.objects.filter(pk=row.pk, due_at=row.due_at), "due_at", "urged_due_at"):
        ...  # tell people, once
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils.module_loading import import_string
from huey.contrib.djhuey import db_periodic_task, lock_task

from lianxin.core.jobs import every_minutes

log = logging.getLogger(__name__)


def not_yet_urged(due_field: str, mark_field: str) -> Q:
    return Q(**{f"{mark_field}__isnull": True}) | ~Q(**{mark_field: F(due_field)})


def claim_urge(queryset, due_field: str, mark_field: str) -> bool:
    """Mark the one row of `queryset` as urged for its deadline; False if another sweep did."""
    return (
        queryset.filter(not_yet_urged(due_field, mark_field)).update(**{mark_field: F(due_field)})
        == 1
    )


def sweep_task(name: str, dotted: str):
    @db_periodic_task(every_minutes(settings.LIANXIN_SWEEP_MINUTES), name=name)
    @lock_task(name)  # one run at a time across all consumers
    def run():
        report = import_string(dotted)()
        log.info("%s: %s", name, report)
        return report

    return run
