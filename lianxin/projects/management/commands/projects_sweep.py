import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lianxin.projects.sweep import sweep


class Command(BaseCommand):
    help = _("Run the projects sweep once: urge milestones past their due date (for cron).")

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(sweep(), ensure_ascii=False))
