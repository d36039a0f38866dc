"""`lianxin insight rebuild [--since DATE]` and `lianxin insight report --month YYYY-MM`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lianxin.insight.periods import parse_day


class Command(BaseCommand):
    help = _("Rebuild the figures from the cases, or make the monthly report.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help=_("Recompute the rollups from the cases."))
        rebuild.add_argument(
            "--since",
            help=_("Only cases with events from this day on (YYYY-MM-DD), and unseen cases."),
        )
        report = sub.add_parser("report", help=_("Make the monthly report as PDF."))
        report.add_argument("--month", required=True, help="YYYY-MM")
        report.add_argument(
            "--output", help=_("File to write (default lianxin-report-YYYY-MM.pdf).")
        )

    def handle(self, *args, action, **options):
        if action == "rebuild":
            return self._rebuild(options.get("since"))
        return self._report(options["month"], options.get("output"))

    def _rebuild(self, since_text):
        from lianxin.insight import rollup

        since = None
        if since_text:
            try:
                since = parse_day(since_text)
            except ValueError:
                raise CommandError(_("Give --since as a date, for example 2026-11-01.")) from None
        started = time.monotonic()

        def log(done, total):
            if sys.stdout.isatty():
                self.stdout.write(f"\r{done}/{total}", ending="")

        count = rollup.rebuild(since=since, log=log)
        self.stdout.write(
            _("Figures rebuilt: %(count)d cases in %(seconds).1f s.")
            % {"count": count, "seconds": time.monotonic() - started}
        )

    def _report(self, month, output):
        from lianxin.insight import report

        try:
            period = report.month_period(month)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        path = Path(output or f"lianxin-report-{period.start:%Y-%m}.pdf")
        path.write_bytes(report.report_pdf(period))
        self.stdout.write(_("Monthly report written to %(path)s.") % {"path": path})
