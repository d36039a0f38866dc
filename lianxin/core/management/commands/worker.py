"""`lianxin worker`: the background worker (huey consumer) on its own.

Unlike huey's `run_huey`, it adds no log handler of its own: huey's messages go through the
project's logging (one line each, personal numbers masked). Worker count and type come from
settings.HUEY["consumer"] (HUEY_WORKERS) unless given here.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from huey.consumer_options import ConsumerConfig


class Command(BaseCommand):
    help = _("Run the background worker (huey consumer) on its own.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers", type=int, help=_("Number of worker threads (default: HUEY_WORKERS).")
        )
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help=_("Do not schedule periodic jobs on this node (another node does)."),
        )

    def handle(self, *args, workers: int | None, no_periodic: bool, verbosity: int, **options):
        from huey.contrib.djhuey import HUEY

        if HUEY.immediate:
            raise CommandError(
                _(
                    "HUEY_IMMEDIATE is on: jobs run inside the web process; there is nothing to consume."
                )
            )
        consumer_options = dict(settings.HUEY.get("consumer", {}))
        if workers is not None:
            if workers < 1:
                raise CommandError(_("--workers must be at least 1."))
            consumer_options["workers"] = workers
        if no_periodic:
            consumer_options["periodic"] = False
        config = ConsumerConfig(**consumer_options)
        config.validate()

        # Huey logs through the root handler configured in settings.LOGGING.
        logging.getLogger("huey").setLevel(logging.DEBUG if verbosity > 2 else logging.INFO)
        # Every app's tasks.py; the scheduler enqueues the periodic ones (among them the
        # heartbeat) at start and then every minute.
        autodiscover_modules("tasks")
        HUEY.create_consumer(**config.values).run()
