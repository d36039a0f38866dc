import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lianxin.assistance.sweep import sweep


class Command(BaseCommand):
    help = _("Run the assistance sweep once: urge aid reviews past their time limit (for cron).")

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(sweep(), ensure_ascii=False))
