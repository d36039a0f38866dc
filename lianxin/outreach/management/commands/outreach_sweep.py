import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lianxin.outreach.sweep import sweep


class Command(BaseCommand):
    help = _(
        "Run the outreach sweep once: announce reception days whose publication time has come, "
        "remind follow-ups of talks and visits (for cron)."
    )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(sweep().as_dict(), ensure_ascii=False))
