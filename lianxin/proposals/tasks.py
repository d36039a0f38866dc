"""Background jobs of proposal handling: urge answers past due, every LIANXIN_SWEEP_MINUTES."""

from __future__ import annotations

import logging

from django.conf import settings
from huey.contrib.djhuey import db_periodic_task, lock_task

from lianxin.core.jobs import every_minutes

log = logging.getLogger(__name__)


@db_periodic_task(every_minutes(settings.LIANXIN_SWEEP_MINUTES))
@lock_task("proposals-sweep")  # one sweep at a time across all consumers
def proposals_sweep():
    from lianxin.proposals.services import sweep

    report = sweep()
    log.info("proposals sweep: %s", report)
    return report
