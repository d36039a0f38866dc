"""`lianxin expire-roster-imports`: idempotent; the job queue runs it hourly, cron may too."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lianxin.directory import services


class Command(BaseCommand):
    help = _(
        "Discard checked roster rows left waiting for a decision too long, fail imports whose "
        "background job vanished, and delete upload files no import refers to."
    )

    def handle(self, *args, **options):
        count = services.roster_imports_expire()
        self.stdout.write(_("%(count)s imports or files dealt with.") % {"count": count})
