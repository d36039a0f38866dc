"""`lianxin calendar sync | check | load FILE`: the working-day calendar from the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lianxin.calendar import official, selectors, services
from lianxin.calendar.deadlines import format_years


def load_hint() -> str:
    return _(
        "To add a year: once the State Council publishes its holiday schedule, upgrade "
        "chinesecalendar and run `lianxin calendar sync`; or write the schedule into a file like "
        "lianxin/calendar/data/2026.toml and load it with `lianxin calendar load FILE` or in the "
        "admin site (Working-day calendar › Load a year's schedule)."
    )


class Command(BaseCommand):
    help = _("The working-day calendar: synchronise with the official schedule, check, load.")
    # The calendar warning (calendar.W001) would repeat what these subcommands say.
    requires_system_checks: list = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        sync = actions.add_parser(
            "sync",
            help=_("Add the years the installed official schedule covers (idempotent)."),
        )
        sync.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help=_("Only this year (may be given more than once)."),
        )
        actions.add_parser(
            "check",
            help=_(
                "List the years with and without data; fails when this or next year is missing."
            ),
        )
        load = actions.add_parser("load", help=_("Load a year's schedule from a TOML file."))
        load.add_argument("file", type=Path)
        load.add_argument(
            "--replace",
            action="store_true",
            help=_("Replace the days of a year that already has data."),
        )

    def handle(self, *args, action: str, **options):
        getattr(self, f"do_{action}")(**options)

    # --- sync ----------------------------------------------------------------------------
    def do_sync(self, *, years=None, verbosity=1, **options):
        try:
            report = services.calendar_sync(years=years)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if verbosity:
            self.stdout.write(
                _(
                    "Official schedule (chinesecalendar %(version)s) for %(first)s–%(last)s: "
                    "%(created)d days added, %(updated)d updated, %(unchanged)d unchanged, "
                    "%(kept)d kept as the administrators set them."
                )
                % {
                    "version": official.package_version(),
                    "first": report.years[0],
                    "last": report.years[-1],
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "kept": report.kept,
                }
            )
            for diff in report.differences:
                self.stdout.write(
                    _("  %(date)s: kept “%(kept)s”; the official schedule says “%(official)s”.")
                    % {"date": diff.date.isoformat(), "kept": diff.kept, "official": diff.official}
                )
        made = services.calendar_ensure_ahead()
        if made and verbosity:
            self.stdout.write(
                _(
                    "Provisional calendar (weekends and statutory holidays, no make-up days) "
                    "made for %(years)s."
                )
                % {"years": format_years(made)}
            )
        status = selectors.calendar_status()
        if status.blocking:
            # Loud, but not a failure: `make run` must still start; `check` fails instead.
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "Warning: no official schedule for %(years)s; deadlines reaching it are "
                        "provisional (暂定) until it is loaded."
                    )
                    % {"years": format_years(status.blocking)}
                )
            )
            if verbosity:
                self.stderr.write(load_hint())

    # --- check ---------------------------------------------------------------------------
    def do_check(self, **options):
        status = selectors.calendar_status()
        write = self.stdout.write
        write(
            _("Working-day calendar, checked %(first)s–%(last)s:")
            % {
                "first": status.checked[0],
                "last": status.checked[-1],
            }
        )
        write(_("  with data: %(years)s") % {"years": _compress(status.complete) or _("none")})
        for summary in status.incomplete:
            write(
                _("  incomplete: %(year)s (%(missing)d days missing)")
                % {"year": summary.year, "missing": summary.missing_days}
            )
        if status.provisional:
            write(
                _("  provisional (暂定, no official schedule yet): %(years)s")
                % {"years": format_years(status.provisional)}
            )
        write(
            _("  without data: %(years)s")
            % {"years": format_years(status.missing) if status.missing else _("none")}
        )
        if status.needed:
            write(_("  needed by open work: %(years)s") % {"years": format_years(status.needed)})
        covered = official.covered_years()
        write(
            _("  official package chinesecalendar %(version)s covers %(first)s–%(last)s")
            % {"version": official.package_version(), "first": covered[0], "last": covered[-1]}
        )
        if status.blocking:
            self.stderr.write(load_hint())
            raise CommandError(
                _(
                    "No official calendar for %(years)s: deadlines reaching it are provisional "
                    "or cannot be computed."
                )
                % {"years": format_years(status.blocking)},
                returncode=1,
            )
        write(self.style.SUCCESS(_("This year and next year have complete data.")))

    # --- load ----------------------------------------------------------------------------
    def do_load(self, *, file: Path, replace: bool = False, **options):
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s")
                % {
                    "file": file,
                    "error": exc.strerror,
                }
            ) from None
        try:
            report = services.calendar_load(
                actor=None, content=content, file_name=file.name, replace=replace
            )
        except ValidationError as exc:
            for error in exc.error_list:
                self.stderr.write(f"  - {' '.join(error.messages)}")
                if error.code == "exists":
                    self.stderr.write("    " + _("Add --replace to do so."))
            raise CommandError(
                _("%(file)s was not loaded; nothing was changed.") % {"file": file}
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Loaded %(year)s: %(holidays)d holiday days, %(makeup)d make-up working "
                    "days; %(created)d days added, %(updated)d replaced."
                )
                % {
                    "year": report.schedule.year,
                    "holidays": report.schedule.holiday_count,
                    "makeup": report.schedule.makeup_count,
                    "created": report.created,
                    "updated": report.updated,
                }
            )
        )


def _compress(years: list[int]) -> str:
    """2004, 2005, 2006, 2008 → 2004–2006, 2008."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return pgettext("list separator", ", ").join(
        f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs
    )
