"""Pieces every case service uses: numbers and codes, deadlines, events, conditional updates."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.accounts.models import Role
from lianxin.calendar import deadlines
from lianxin.calendar.services import calendar_provide_provisional
from lianxin.cases import hooks, workflow
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import (
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    LimitUnit,
    Urgency,
)

# Used when a case has no category yet: 12345 practice.
DEFAULT_LIMITS = {
    Urgency.NORMAL: ((1, LimitUnit.WORKING_DAYS), (7, LimitUnit.WORKING_DAYS)),
    Urgency.URGENT: ((2, LimitUnit.HOURS), (2, LimitUnit.HOURS)),
}
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud safely
TRACKING_LENGTH = 12


def next_case_number(received_at: datetime.datetime) -> str:
    year = timezone.localtime(received_at).year
    CaseCounter.objects.bulk_create([CaseCounter(year=year, last=0)], ignore_conflicts=True)
    counter = CaseCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"LX-{year}-{counter.last:06d}"


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def normalise_tracking_code(text: str) -> str:
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return cleaned.replace("O", "0").replace("I", "1").replace("L", "1")


def due_after(start: datetime.datetime, amount: int, unit: str) -> datetime.datetime:
    """`amount` hours or working days after `start`. A year without any calendar after the
    last official one gets its provisional (暂定) calendar first, so no case is left
    without a deadline (the deadline then shows as provisional)."""
    if unit == LimitUnit.HOURS:
        return deadlines.add_hours(start, amount)
    try:
        return deadlines.add_working_days(start, amount)
    except deadlines.CalendarMissing as exc:
        if not calendar_provide_provisional(years=exc.years):
            raise
        return deadlines.add_working_days(start, amount)


def limits_for(category: Category | None, urgency: str):
    if category is None:
        return DEFAULT_LIMITS[Urgency(urgency)]
    return category.limits(urgency)


def compute_deadlines(
    category: Category | None, urgency: str, start: datetime.datetime
) -> tuple[datetime.datetime | None, datetime.datetime | None, str]:
    """Response and handling deadlines from `start`; a deadline that falls in a year without
    calendar data is None, and the third value lists those years (e.g. "2027")."""
    (response_amount, response_unit), (handling_amount, handling_unit) = limits_for(
        category, urgency
    )
    problems = []
    results = []
    for amount, unit in ((response_amount, response_unit), (handling_amount, handling_unit)):
        try:
            results.append(due_after(start, amount, unit))
        except deadlines.CalendarMissing as exc:
            results.append(None)
            problems.extend(exc.years)
    problem = ",".join(str(y) for y in sorted(set(problems)))
    return results[0], results[1], problem


CALENDAR_MISSING = gettext_noop(
    "The working-day calendar has no data for %(years)s; the deadline will be set as "
    "soon as an administrator loads that year."
)


def actor_label(user) -> str:
    """How a member of staff is shown to residents: role and unit, never a personal name."""
    if user is None:
        return _("System")
    role = Role(user.role).label
    if user.role == Role.HANDLER and user.department_id:
        return f"{user.department.name}"
    if user.role == Role.WORKER:
        first = user.communities.order_by("name").first()
        return f"{first.name}{role}" if first else str(role)
    return str(role)


def record_event(
    case: Case,
    *,
    kind: str,
    actor=None,
    note: str = "",
    message: tuple[str, dict] | None = None,
    public: bool = False,
    referral=None,
    at: datetime.datetime | None = None,
    data: dict | None = None,
) -> CaseEvent:
    """Append an event. `note` is what a person wrote; `message` is a system sentence kept as
    (untranslated msgid, params) so each reader sees it in their own language. The receivers
    registered in `cases.hooks` see every event, in the same transaction."""
    data = dict(data or {})
    if message is not None:
        data["message"] = [message[0], message[1]]
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        actor_label=actor_label(actor),
        note=note,
        is_public=public,
        referral=referral,
        round=case.round,
        at=at or timezone.now(),
        data=data,
    )
    hooks.case_event_recorded(case=case, event=event)
    return event


def require(actor, case: Case, name: str, *, referral=None) -> workflow.Step:
    """The workflow step `name`, if `actor` may take it now; CaseActionError otherwise."""
    return workflow.check(actor, case, name, referral=referral)


def stale(case: Case) -> CaseActionError:
    return CaseActionError(
        "stale_state",
        _(
            "Case %(number)s has just been changed by someone else (it is now "
            "“%(status)s”); reload the page and try again."
        )
        % {"number": case.number, "status": case.get_status_display()},
    )


def hold(case: Case, allowed: Iterable[str]) -> None:
    """Lock the case's row for the rest of the transaction and check that it is still in one
    of `allowed`. Steps that change no state (a note, an urging, a new responsible person)
    take it, so they cannot slip in beside a concurrent transition (on SQLite the write
    transaction already runs alone)."""
    current = (
        Case.objects.select_for_update().filter(pk=case.pk).values_list("status", flat=True).first()
    )
    if current not in set(allowed):
        case.status = current
        raise stale(case)


def transition(case: Case, *, allowed: Iterable[str], to: str, **fields) -> None:
    """Move `case` from one of `allowed` to `to` with a conditional update; exactly one row
    must change, so two concurrent steps cannot both win."""
    now = fields.pop("now", None) or timezone.now()
    changed = Case.objects.filter(pk=case.pk, status__in=list(allowed)).update(
        status=to, status_changed_at=now, **fields
    )
    if changed != 1:
        case.status = Case.objects.filter(pk=case.pk).values_list("status", flat=True).first()
        raise stale(case)
    case.status, case.status_changed_at = to, now
    for name, value in fields.items():
        setattr(case, name, value)


def atomic_unique(fn):
    """Run `fn` in a savepoint, turning a unique-constraint race into a CaseActionError."""

    def wrapper(*args, **kwargs):
        try:
            with transaction.atomic():
                return fn(*args, **kwargs)
        except IntegrityError:
            raise CaseActionError(
                "conflict", _("Someone else did this at the same moment; reload the page.")
            ) from None

    return wrapper


MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_ATTACHMENT_TYPES = {
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/plain",
}


def check_attachments(files) -> None:
    from django.core.exceptions import ValidationError

    for upload in files or ():
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                {"attachments": [_("“%(name)s” is larger than 10 MB.") % {"name": upload.name}]}
            )
        if upload.content_type not in ALLOWED_ATTACHMENT_TYPES:
            raise ValidationError(
                {
                    "attachments": [
                        _("“%(name)s” is not a picture, PDF, Word, Excel or text file.")
                        % {"name": upload.name}
                    ]
                }
            )


def attach_files(event, files, *, public: bool = False) -> None:
    from lianxin.cases.models import Attachment

    for upload in files or ():
        Attachment.objects.create(
            event=event,
            file=upload,
            original_name=upload.name[:200],
            content_type=upload.content_type,
            size=upload.size,
            is_public=public,
        )
