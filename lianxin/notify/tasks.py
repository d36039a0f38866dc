"""Jobs of notifications. Arguments are delivery ids only: never an address or a text."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def deliver(delivery_id: int) -> None:
    from lianxin.notify.services import delivery_send

    delivery_send(delivery_id=delivery_id)


@db_periodic_task(crontab(minute="*"))
def deliveries_due() -> None:
    from lianxin.notify.services import deliveries_dispatch_due

    deliveries_dispatch_due()
