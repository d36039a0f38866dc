"""Background jobs of casework: the deadline sweep every LIANXIN_SWEEP_MINUTES minutes."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lianxin.env import env_int

SWEEP_MINUTES = env_int("LIANXIN_SWEEP_MINUTES", 5, minimum=1)
log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute=f"*/{SWEEP_MINUTES}"))
def deadline_sweep():
    from lianxin.cases.sweep import sweep

    report = sweep()
    log.info("deadline sweep: %s", report.as_dict())
    return report.as_dict()
