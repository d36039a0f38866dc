"""Background jobs of casework: the deadline sweep every LIANXIN_SWEEP_MINUTES minutes."""

from __future__ import annotations

import logging

from django.conf import settings
from huey.contrib.djhuey import db_periodic_task, lock_task

from lianxin.core.jobs import every_minutes

log = logging.getLogger(__name__)


@db_periodic_task(every_minutes(settings.LIANXIN_SWEEP_MINUTES))
@lock_task("cases-deadline-sweep")  # one sweep at a time across all consumers
def deadline_sweep():
    from lianxin.cases.sweep import sweep

    report = sweep()
    log.info("deadline sweep: %s", report.as_dict())
    return report.as_dict()


@db_periodic_task(every_minutes(60))
@lock_task("cases-retention")
def retention_anonymise():
    """Keep the notice's promise without anyone remembering to run a command."""
    from lianxin.cases.retention import anonymise_expired

    return anonymise_expired()
