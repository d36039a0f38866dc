"""Writes to the working-day calendar. Each service is atomic, records a CalendarChange row and
makes every process forget its cached calendar (lianxin.calendar.deadlines.invalidate)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.calendar import deadlines, official, provisional
from lianxin.calendar.models import (
    PROTECTED_SOURCES,
    WORKING_KINDS,
    CalendarChange,
    ChangeAction,
    DayKind,
    DaySource,
    WorkingDay,
)
from lianxin.calendar.official import DaySpec
from lianxin.calendar.schedule import Schedule, parse_schedule, weekday_name

BATCH = 500


def _calendar_changed() -> None:
    deadlines.invalidate()
    transaction.on_commit(deadlines.invalidate)


# Called, inside the transaction, with the years whose provisional calendar was just
# replaced by an official one. Rooms that compute deadlines register here from their
# AppConfig.ready() (casework recomputes every provisional deadline with a timeline event).
OFFICIAL_YEAR_HOOKS: list = []


def on_official_year(hook) -> None:
    if hook not in OFFICIAL_YEAR_HOOKS:
        OFFICIAL_YEAR_HOOKS.append(hook)


def _provisional_years_among(years) -> list[int]:
    return sorted(
        y
        for y in set(years)
        if WorkingDay.objects.filter(
            date__gte=datetime.date(y, 1, 1),
            date__lte=datetime.date(y, 12, 31),
            source=DaySource.PROVISIONAL,
        ).exists()
    )


def _made_official(years: list[int]) -> None:
    still = set(_provisional_years_among(years))
    done = [y for y in years if y not in still]
    if not done:
        return
    _calendar_changed()
    for hook in OFFICIAL_YEAR_HOOKS:
        hook(done)


def last_official_year() -> int | None:
    """The last year with any day from an official schedule, a file or a correction."""
    last = (
        WorkingDay.objects.exclude(source=DaySource.PROVISIONAL)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return last.year if last else None


@transaction.atomic
def calendar_provide_provisional(*, years, actor=None) -> list[int]:
    """Give each of `years` that has no calendar at all and lies after the last official
    year a provisional (暂定) calendar (lianxin.calendar.provisional). Idempotent and safe
    to run at the same moment from several processes. Returns the years made."""
    last = last_official_year()
    made = []
    for year in sorted(set(years)):
        if last is None or year <= last:
            continue
        present = WorkingDay.objects.filter(
            date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
        ).exists()
        if present:
            continue
        rows = [
            WorkingDay(
                date=spec.date,
                is_working_day=spec.is_working_day,
                kind=spec.kind,
                note=spec.note,
                source=DaySource.PROVISIONAL,
                updated_by=actor,
            )
            for spec in provisional.provisional_year(year)
        ]
        created = WorkingDay.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
        if not created:
            continue
        CalendarChange.objects.create(
            actor=actor,
            action=ChangeAction.PROVISIONAL,
            year=year,
            summary=_(
                "%(year)s: provisional calendar (weekends and the statutory holidays, no make-up "
                "days) until the official schedule is loaded."
            )
            % {"year": year},
        )
        made.append(year)
    if made:
        _calendar_changed()
    return made


def calendar_ensure_ahead(*, today: datetime.date | None = None) -> list[int]:
    """This year and the next two always have a calendar: official, or else provisional."""
    today = today or timezone.localdate()
    return calendar_provide_provisional(years=range(today.year, today.year + 3))


@dataclass
class Difference:
    """A protected day (corrected or loaded from a file) that the official package sees
    differently. Synchronisation keeps the administrator's version and reports it."""

    date: datetime.date
    kept: str
    official: str


@dataclass
class SyncReport:
    years: list[int]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0
    differences: list[Difference] = field(default_factory=list)


def _write_days(
    specs: list[DaySpec],
    *,
    source: str,
    actor,
    overwrite_protected: bool,
    report: SyncReport | None = None,
) -> tuple[int, int, int]:
    """Create or update the rows of one year in three queries at most (plus batches).

    Returns (created, updated, unchanged). Rows whose source is protected are left alone
    unless overwrite_protected; differences are recorded on the report.
    """
    if not specs:
        return 0, 0, 0
    existing = {
        row.date: row
        for row in WorkingDay.objects.filter(date__gte=specs[0].date, date__lte=specs[-1].date)
    }
    now = timezone.now()
    to_create, to_update = [], []
    unchanged = 0
    for spec in specs:
        row = existing.get(spec.date)
        if row is None:
            to_create.append(
                WorkingDay(
                    date=spec.date,
                    is_working_day=spec.is_working_day,
                    kind=spec.kind,
                    note=spec.note,
                    source=source,
                    updated_by=actor,
                )
            )
            continue
        same = (row.kind, row.note) == (spec.kind, spec.note)
        if row.source in PROTECTED_SOURCES and not overwrite_protected:
            if report is not None:
                report.kept += 1
                if row.kind != spec.kind:
                    report.differences.append(
                        Difference(spec.date, row.get_kind_display(), str(DayKind(spec.kind).label))
                    )
            continue
        if same and row.source == source:
            unchanged += 1
            continue
        row.kind, row.note, row.is_working_day = spec.kind, spec.note, spec.is_working_day
        row.source, row.updated_by, row.updated_at = source, actor, now
        to_update.append(row)
    WorkingDay.objects.bulk_create(to_create, batch_size=BATCH)
    WorkingDay.objects.bulk_update(
        to_update,
        ["kind", "note", "is_working_day", "source", "updated_by", "updated_at"],
        batch_size=BATCH,
    )
    return len(to_create), len(to_update), unchanged


@transaction.atomic
def calendar_sync(*, actor=None, years: list[int] | None = None) -> SyncReport:
    """Fill the calendar from the installed official package (idempotent).

    1. Every date of every year the package covers (or of `years`, which it must cover).
    2. A missing day is created, a package day that the package now sees differently is
       updated (a corrected release), an identical one is left alone.
    3. Days an administrator corrected or loaded from a file are never overwritten; where
       the package disagrees with them, the report lists the day.
    """
    covered = official.covered_years()
    wanted = sorted(set(years)) if years else covered
    outside = [y for y in wanted if y not in covered]
    if outside:
        raise ValidationError(
            _(
                "The installed official schedule (chinesecalendar %(version)s) has no data for %(years)s."
            )
            % {"version": official.package_version(), "years": deadlines.format_years(outside)}
        )
    report = SyncReport(years=wanted)
    was_provisional = _provisional_years_among(wanted)
    for year in wanted:
        created, updated, unchanged = _write_days(
            official.official_year(year),
            source=DaySource.PACKAGE,
            actor=actor,
            overwrite_protected=False,
            report=report,
        )
        report.created += created
        report.updated += updated
        report.unchanged += unchanged
    if report.created or report.updated:
        CalendarChange.objects.create(
            actor=actor,
            action=ChangeAction.SYNC,
            year=wanted[0] if len(wanted) == 1 else None,
            summary=_(
                "chinesecalendar %(version)s, %(first)s–%(last)s: %(created)d days added, "
                "%(updated)d updated, %(kept)d kept as the administrators set them."
            )
            % {
                "version": official.package_version(),
                "first": wanted[0],
                "last": wanted[-1],
                "created": report.created,
                "updated": report.updated,
                "kept": report.kept,
            },
        )
        _calendar_changed()
    _made_official(was_provisional)
    return report


@dataclass
class LoadReport:
    schedule: Schedule
    created: int
    updated: int
    replaced_protected: int


@transaction.atomic
def calendar_load(
    *, actor, content: bytes | str, file_name: str = "", replace: bool = False
) -> LoadReport:
    """Load a year's schedule from a file (see lianxin.calendar.schedule for the format).

    The whole file is checked first; any problem raises ValidationError listing all of them
    and nothing is written. A year that already has data is replaced only when `replace`
    is given; then every day of that year takes the file's value, corrections included.
    """
    schedule = parse_schedule(content)
    year = schedule.year
    existing = WorkingDay.objects.filter(
        date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
    )
    # A provisional calendar is only a stand-in: the official file replaces it without asking.
    was_provisional = _provisional_years_among([year])
    present = existing.exclude(source=DaySource.PROVISIONAL).count()
    protected = existing.filter(source__in=PROTECTED_SOURCES).count()
    if present and not replace:
        raise ValidationError(
            _(
                "%(year)s already has calendar data (%(days)d days). Loading this file would "
                "replace every day of that year, corrections included: choose to replace the "
                "existing days if that is what you want."
            )
            % {"year": year, "days": present},
            code="exists",
        )
    created, updated, _unchanged = _write_days(
        schedule.days, source=DaySource.FILE, actor=actor, overwrite_protected=True
    )
    text = content if isinstance(content, str) else content.decode("utf-8-sig")
    CalendarChange.objects.create(
        actor=actor,
        action=ChangeAction.LOAD,
        year=year,
        summary=(
            _(
                "%(year)s: %(holidays)d holiday days, %(makeup)d make-up working days%(title)s; "
                "%(created)d days added, %(updated)d replaced."
            )
            % {
                "year": year,
                "holidays": schedule.holiday_count,
                "makeup": schedule.makeup_count,
                "title": f" ({schedule.title})" if schedule.title else "",
                "created": created,
                "updated": updated,
            }
        )[:300],
        file_name=file_name[:200],
        content=text,
    )
    _calendar_changed()
    _made_official(was_provisional)
    return LoadReport(
        schedule=schedule,
        created=created,
        updated=updated,
        replaced_protected=protected if replace else 0,
    )


def correction_errors(day: datetime.date, kind: str) -> list[str]:
    """Why `kind` cannot be right for `day` (empty when it can)."""
    weekend = day.weekday() >= 5
    errors = []
    if kind == DayKind.MAKEUP and not weekend:
        errors.append(
            _(
                "%(date)s is a %(weekday)s; a make-up working day is a Saturday or Sunday. "
                "Choose “Working day”."
            )
            % {"date": day.isoformat(), "weekday": weekday_name(day)}
        )
    elif kind == DayKind.WEEKEND and not weekend:
        errors.append(
            _(
                "%(date)s is a %(weekday)s, not a weekend day. Choose “Public holiday” for a day off."
            )
            % {"date": day.isoformat(), "weekday": weekday_name(day)}
        )
    elif kind == DayKind.WORKDAY and weekend:
        errors.append(
            _("%(date)s is a %(weekday)s; a weekend day worked is a “Make-up working day”.")
            % {"date": day.isoformat(), "weekday": weekday_name(day)}
        )
    return errors


@transaction.atomic
def working_day_correct(*, actor, day: datetime.date, kind: str, note: str = "") -> WorkingDay:
    """An administrator's correction of one day; synchronisation will not undo it."""
    if kind not in DayKind.values:
        raise ValidationError(_("Unknown kind of day: %(kind)s.") % {"kind": kind})
    errors = correction_errors(day, kind)
    if errors:
        raise ValidationError(errors)
    note = note.strip()
    before = WorkingDay.objects.filter(date=day).first()
    if before is None:
        raise ValidationError(
            _("%(date)s has no calendar data; load that year's schedule first.")
            % {"date": day.isoformat()}
        )
    changed = WorkingDay.objects.filter(pk=before.pk, updated_at=before.updated_at).update(
        kind=kind,
        is_working_day=kind in WORKING_KINDS,
        note=note,
        source=DaySource.ADMIN,
        updated_by=actor,
        updated_at=timezone.now(),
    )
    if changed != 1:
        raise ValidationError(_("This day changed meanwhile; reload the page and try again."))
    after = WorkingDay.objects.get(pk=before.pk)
    CalendarChange.objects.create(
        actor=actor,
        action=ChangeAction.CORRECT,
        year=day.year,
        summary=_("%(date)s: %(before)s → %(after)s")
        % {
            "date": day.isoformat(),
            "before": _describe(before),
            "after": _describe(after),
        },
    )
    _calendar_changed()
    return after


def _describe(row: WorkingDay) -> str:
    label = str(row.get_kind_display())
    return f"{label}（{row.note}）" if row.note else label
