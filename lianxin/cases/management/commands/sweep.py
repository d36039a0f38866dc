import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lianxin.cases.sweep import sweep


class Command(BaseCommand):
    help = _("Run the deadline sweep once: reminders, urging, supervision, closing (for cron).")

    def handle(self, *args, **options):
        report = sweep()
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        for problem in sorted(set(report.problems)):
            self.stderr.write(problem)
