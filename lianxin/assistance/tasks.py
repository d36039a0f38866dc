"""Background jobs of assistance: the assistance sweep every LIANXIN_SWEEP_MINUTES minutes."""

from __future__ import annotations

import logging

from django.conf import settings
from huey.contrib.djhuey import db_periodic_task, lock_task

from lianxin.core.jobs import every_minutes

log = logging.getLogger(__name__)


@db_periodic_task(every_minutes(settings.LIANXIN_SWEEP_MINUTES))
@lock_task("assistance-sweep")  # one sweep at a time across all consumers
def assistance_sweep():
    from lianxin.assistance.sweep import sweep

    report = sweep()
    log.info("assistance sweep: %s", report)
    return report
