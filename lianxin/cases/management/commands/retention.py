from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lianxin.cases.retention import anonymise_expired, cases_due_for_anonymising


class Command(BaseCommand):
    help = _(
        "Make the reporters of cases finished longer ago than the retention period "
        "anonymous (LIANXIN_RETENTION_YEARS)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Only count the cases that are due.")
        )

    def handle(self, *args, dry_run: bool, **options):
        years = settings.LIANXIN_RETENTION_YEARS
        if dry_run:
            message = _("%(count)d cases finished more than %(years)d years ago are due.")
            count = cases_due_for_anonymising().count()
        else:
            message = _(
                "%(count)d cases finished more than %(years)d years ago were made anonymous."
            )
            count = anonymise_expired(limit=10**9)
        self.stdout.write(message % {"count": count, "years": years})
