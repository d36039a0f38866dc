"""Writes of assistance: applying, reviewing level by level, documents, payment.

Every step is one transaction that moves the application with a conditional update (two
reviewers clicking at once cannot both win), writes its timeline row, and tells the resident
by SMS on commit through lianxin.notify (deliveries with retries)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lianxin.assistance import documents, selectors
from lianxin.assistance.models import (
    CENT,
    AidApplication,
    AidCounter,
    AidDocument,
    AidEvent,
    AidEventKind,
    AidOrigin,
    AidPayment,
    AidScheme,
    AidStatus,
    ApprovalLevel,
)
from lianxin.calendar import deadlines
from lianxin.notify.kinds import EventKind
from lianxin.notify.services import notify_resident, notify_users


class AidError(Exception):
    """A step that is not allowed now; `message` is translated. Nothing was changed."""

    def __init__(self, code: str, message) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = str(message)


APPROVE, REJECT, RETURN = "approve", "reject", "return"
DECISIONS = (APPROVE, REJECT, RETURN)


# --- Helpers -------------------------------------------------------------------------------
def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def check_amount(amount, *, field: str = "amount") -> Decimal:
    """A positive amount of yuan with at most two decimals (fen), or ValidationError."""
    try:
        value = Decimal(str(amount))
    except Exception:
        raise ValidationError(
            {field: [_("Enter an amount in yuan, e.g. 2000 or 1500.50.")]}
        ) from None
    if not value.is_finite():
        raise ValidationError({field: [_("Enter an amount in yuan, e.g. 2000 or 1500.50.")]})
    if value <= 0:
        raise ValidationError({field: [_("The amount must be more than zero.")]})
    if value != value.quantize(CENT):
        raise ValidationError(
            {field: [_("An amount has at most two decimals (fen), e.g. 1500.50.")]}
        )
    if value >= Decimal("100000000"):
        raise ValidationError({field: [_("That amount is too large.")]})
    return value.quantize(CENT)


def _year_start(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    return local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)


def check_limits(*, scheme: AidScheme, resident, amount: Decimal, now, exclude=None) -> None:
    """Refuse an amount above the scheme's limits, saying which limit and by how much."""
    if amount > scheme.max_per_application:
        raise ValidationError(
            {
                "amount": [
                    _(
                        "%(amount)s yuan is more than the %(scheme)s limit of %(limit)s yuan "
                        "per application."
                    )
                    % {
                        "amount": yuan(amount),
                        "scheme": scheme.name,
                        "limit": yuan(scheme.max_per_application),
                    }
                ]
            }
        )
    earlier = selectors.amount_this_year(resident.pk, scheme.pk, _year_start(now), exclude=exclude)
    if earlier + amount > scheme.max_per_year:
        raise ValidationError(
            {
                "amount": [
                    _(
                        "%(name)s already has %(earlier)s yuan of %(scheme)s this year; with "
                        "%(amount)s yuan more it would pass the limit of %(limit)s yuan per "
                        "resident per year (at most %(left)s yuan can still be applied for)."
                    )
                    % {
                        "name": resident.name,
                        "earlier": yuan(earlier),
                        "scheme": scheme.name,
                        "amount": yuan(amount),
                        "limit": yuan(scheme.max_per_year),
                        "left": yuan(max(Decimal("0"), scheme.max_per_year - earlier)),
                    }
                ]
            }
        )


def _next_number(now: datetime.datetime) -> str:
    year = timezone.localtime(now).year
    AidCounter.objects.bulk_create([AidCounter(year=year, last=0)], ignore_conflicts=True)
    counter = AidCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"BF-{year}-{counter.last:04d}"


def _level(application: AidApplication, position: int) -> ApprovalLevel | None:
    return application.scheme.levels.filter(position=position).first()


def _due(now: datetime.datetime, level: ApprovalLevel) -> datetime.datetime | None:
    try:
        return deadlines.add_working_days(now, level.working_days)
    except deadlines.CalendarMissing:
        # The year is not in the calendar: no deadline rather than a guessed one.
        return None


def _label(user) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "username", ""))[:100]


def _event(application, *, kind, actor=None, level=None, note="", at=None) -> AidEvent:
    return AidEvent.objects.create(
        application=application,
        kind=kind,
        level=level.position if level else None,
        level_name=level.name if level else "",
        actor=actor,
        actor_label=_label(actor) if actor else "",
        at=at or timezone.now(),
        note=note,
    )


def _move(application: AidApplication, *, allowed, at_level: int | None = None, **fields) -> None:
    """Conditional update: the application must still be in `allowed` (and at `at_level`)."""
    current = AidApplication.objects.filter(pk=application.pk, status__in=allowed)
    if at_level is not None:
        current = current.filter(level=at_level)
    if current.update(**fields) != 1:
        raise AidError(
            "stale",
            _("Someone else changed application %(number)s a moment ago; reload the page.")
            % {"number": application.number},
        )
    for name, value in fields.items():
        setattr(application, name, value)


def _context(application: AidApplication, **extra) -> dict:
    level = _level(application, application.level) if application.is_open else None
    return {
        "name": application.resident.name,
        "scheme": application.scheme.name,
        "number": application.number,
        "amount": yuan(application.amount),
        "applicant": _label(application.applicant),
        "level": level.name if level and application.status == AidStatus.REVIEWING else "",
        **extra,
    }


def _tell_resident(application: AidApplication, kind: str, key: str, **extra) -> None:
    notify_resident(
        kind=kind,
        resident=application.resident,
        context=_context(application, **extra),
        idempotency_key=f"aid:{application.pk}:{key}",
    )


def _tell_reviewers(application: AidApplication, level: ApprovalLevel, key: str) -> None:
    due = application.due_at
    notify_users(
        kind=EventKind.MESSAGE,
        users=selectors.reviewers_of(level, application),
        context={
            "title": f"帮扶申请待审核：{application.number}",
            "body": f"{application.resident.name}的{application.scheme.name}申请"
            f"（{yuan(application.amount)}元）待{level.name}"
            + (
                f"，请于{date_format(timezone.localtime(due), 'Y-m-d H:i')}前审核。"
                if due
                else "。"
            ),
        },
        link=application.get_absolute_url(),
        idempotency_key=f"aid:{application.pk}:review:{key}",
    )


# --- Applying ------------------------------------------------------------------------------
@transaction.atomic
def application_submit(
    *,
    actor,
    scheme: AidScheme,
    resident,
    amount,
    reason: str,
    uploads=(),
    visit=None,
    case=None,
) -> AidApplication:
    """Apply on the resident's behalf (from their page, a visit or a case)."""
    if not selectors.can_apply_for(actor, resident):
        raise AidError("not_allowed", _("You cannot apply for aid for this resident."))
    if not scheme.is_active:
        raise ValidationError({"scheme": [_("This aid scheme takes no applications now.")]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the resident needs this aid.")]})
    now = timezone.now()
    amount = check_amount(amount)
    check_limits(scheme=scheme, resident=resident, amount=amount, now=now)
    first = scheme.levels.order_by("position").first()
    if first is None:
        raise ValidationError(
            {"scheme": [_("This aid scheme has no approval levels yet; ask an administrator.")]}
        )
    checked = [documents.check_document(upload) for upload in uploads or ()]
    if len(checked) > documents.MAX_DOCUMENTS:
        raise ValidationError(
            {
                "uploads": [
                    _("At most %(n)s documents per application.") % {"n": documents.MAX_DOCUMENTS}
                ]
            }
        )
    origin = (
        AidOrigin.VISIT if visit else AidOrigin.CASE if case is not None else AidOrigin.RESIDENT
    )
    application = AidApplication.objects.create(
        number=_next_number(now),
        scheme=scheme,
        resident=resident,
        community_id=resident.community_id,
        amount=amount,
        reason=reason,
        status=AidStatus.REVIEWING,
        level=first.position,
        reached_level=first.position,
        due_at=_due(now, first),
        origin=origin,
        visit=visit,
        case=case,
        applicant=actor,
        submitted_at=now,
    )
    _event(application, kind=AidEventKind.SUBMITTED, actor=actor, level=first, at=now)
    for data, content_type, name in checked:
        _store_document(application, actor, data, content_type, name)
    _tell_resident(application, EventKind.AID_SUBMITTED, "submitted")
    _tell_reviewers(application, first, f"{first.position}:1")
    if case is not None:
        _resolve_case(application, actor)
    return application


def _resolve_case(application: AidApplication, actor) -> None:
    """The case's problem is now handled as this application, with its own time limits: the
    case is resolved with a link to it (or, if it cannot be resolved now, noted)."""
    from lianxin.cases import workflow
    from lianxin.cases.services import case_feedback, case_note

    summary = _(
        "Handled as aid application %(number)s (%(scheme)s, %(amount)s yuan); the resident "
        "is told by SMS at each step of the review and when it is paid."
    ) % {
        "number": application.number,
        "scheme": application.scheme.name,
        "amount": yuan(application.amount),
    }
    allowed = workflow.case_step_names(actor, application.case)
    if workflow.FEEDBACK in allowed:
        case_feedback(actor=actor, case=application.case, summary=summary, method="aid")
    elif workflow.NOTE in allowed:
        case_note(actor=actor, case=application.case, note=summary)


def _store_document(application, actor, data: bytes, content_type: str, name: str) -> AidDocument:
    document = AidDocument.objects.create(
        application=application,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sealed=documents.seal(data),
        uploaded_by=actor,
    )
    _event(application, kind=AidEventKind.DOCUMENT, actor=actor, note=name)
    return document


@transaction.atomic
def document_add(*, actor, application: AidApplication, upload) -> AidDocument:
    if not selectors.can_manage_application(actor, application) or not application.is_open:
        raise AidError(
            "not_allowed", _("Only the applicant adds documents to an open application.")
        )
    if application.documents.count() >= documents.MAX_DOCUMENTS:
        raise ValidationError(
            {
                "upload": [
                    _("At most %(n)s documents per application.") % {"n": documents.MAX_DOCUMENTS}
                ]
            }
        )
    try:
        data, content_type, name = documents.check_document(upload)
    except ValidationError as exc:
        raise ValidationError({"upload": exc.messages}) from None
    return _store_document(application, actor, data, content_type, name)


# --- Reviewing -----------------------------------------------------------------------------
def review_refusal(actor, application: AidApplication) -> str | None:
    """Why `actor` may not review `application` now, or None when they may."""
    if application.status != AidStatus.REVIEWING:
        return _("Application %(number)s is not waiting for a review.") % {
            "number": application.number
        }
    level = _level(application, application.level)
    if level is None or not selectors.is_reviewer(actor, level, application):
        return _("The level “%(level)s” is not reviewed by you.") % {
            "level": level.name if level else "?"
        }
    if actor.pk == application.applicant_id:
        return _("You made this application, so you cannot review it; another reviewer must.")
    return None


@transaction.atomic
def application_review(
    *, actor, application: AidApplication, decision: str, note: str = ""
) -> AidApplication:
    """A reviewer of the current level approves (on to the next level, or approved when it
    was the last), rejects (with the reason) or sends the application back to the applicant."""
    refusal = review_refusal(actor, application)
    if refusal:
        raise AidError("not_allowed", refusal)
    if decision not in DECISIONS:
        raise ValidationError({"decision": [_("Choose approve, reject or send back.")]})
    note = (note or "").strip()
    if decision in (REJECT, RETURN) and not note:
        raise ValidationError(
            {"note": [_("Say why, so that the applicant and the resident know.")]}
        )
    now = timezone.now()
    level = _level(application, application.level)
    at = application.level
    if decision == APPROVE:
        following = (
            application.scheme.levels.filter(position__gt=level.position)
            .order_by("position")
            .first()
        )
        if following is None:
            _move(
                application,
                allowed=[AidStatus.REVIEWING],
                at_level=at,
                status=AidStatus.APPROVED,
                due_at=None,
                decided_at=now,
            )
        else:
            _move(
                application,
                allowed=[AidStatus.REVIEWING],
                at_level=at,
                level=following.position,
                reached_level=max(application.reached_level, following.position),
                due_at=_due(now, following),
            )
        _event(application, kind=AidEventKind.APPROVED, actor=actor, level=level, note=note, at=now)
        _tell_resident(
            application, EventKind.AID_LEVEL_PASSED, f"passed:{level.position}", passed=level.name
        )
        if following is not None:
            _tell_reviewers(application, following, f"{following.position}:{now.timestamp():.0f}")
    elif decision == REJECT:
        _move(
            application,
            allowed=[AidStatus.REVIEWING],
            at_level=at,
            status=AidStatus.REJECTED,
            due_at=None,
            decided_at=now,
        )
        _event(application, kind=AidEventKind.REJECTED, actor=actor, level=level, note=note, at=now)
        _tell_resident(
            application, EventKind.AID_REJECTED, "rejected", passed=level.name, note=note
        )
        _tell_applicant(application, _("not approved at %(level)s: %(note)s"), level, note)
    else:
        _move(
            application,
            allowed=[AidStatus.REVIEWING],
            at_level=at,
            status=AidStatus.RETURNED,
            due_at=None,
        )
        _event(application, kind=AidEventKind.RETURNED, actor=actor, level=level, note=note, at=now)
        _tell_resident(
            application, EventKind.AID_RETURNED, f"returned:{now.timestamp():.0f}", note=note
        )
        _tell_applicant(application, _("sent back by %(level)s: %(note)s"), level, note)
    return application


def _tell_applicant(application, message, level, note) -> None:
    notify_users(
        kind=EventKind.MESSAGE,
        users=[application.applicant],
        context={
            "title": f"帮扶申请{application.number}",
            "body": f"{application.resident.name}的{application.scheme.name}申请"
            + str(message % {"level": level.name, "note": note}),
        },
        link=application.get_absolute_url(),
    )


@transaction.atomic
def application_resubmit(
    *, actor, application: AidApplication, amount=None, reason: str = "", note: str = ""
) -> AidApplication:
    """The applicant answers a send-back: the application goes back to the level that sent it."""
    if not selectors.can_manage_application(actor, application):
        raise AidError("not_allowed", _("Only the applicant submits the application again."))
    if application.status != AidStatus.RETURNED:
        raise AidError("stale", _("This application was not sent back."))
    now = timezone.now()
    fields = {}
    if amount not in (None, ""):
        value = check_amount(amount)
        check_limits(
            scheme=application.scheme,
            resident=application.resident,
            amount=value,
            now=application.submitted_at,
            exclude=application.pk,
        )
        fields["amount"] = value
    if (reason or "").strip():
        fields["reason"] = reason.strip()
    level = _level(application, application.level)
    _move(
        application,
        allowed=[AidStatus.RETURNED],
        status=AidStatus.REVIEWING,
        due_at=_due(now, level),
        **fields,
    )
    _event(application, kind=AidEventKind.RESUBMITTED, actor=actor, level=level, note=note, at=now)
    _tell_reviewers(application, level, f"{level.position}:{now.timestamp():.0f}")
    return application


@transaction.atomic
def application_withdraw(*, actor, application: AidApplication, reason: str) -> AidApplication:
    if not selectors.can_manage_application(actor, application):
        raise AidError("not_allowed", _("Only the applicant withdraws an application."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the application is withdrawn.")]})
    _move(
        application,
        allowed=[AidStatus.REVIEWING, AidStatus.RETURNED],
        status=AidStatus.WITHDRAWN,
        due_at=None,
        decided_at=timezone.now(),
    )
    _event(application, kind=AidEventKind.WITHDRAWN, actor=actor, note=reason)
    return application


# --- Payment -------------------------------------------------------------------------------
@transaction.atomic
def payment_record(
    *,
    actor,
    application: AidApplication,
    amount,
    paid_on: datetime.date,
    method: str,
    reference: str = "",
) -> AidPayment:
    if not selectors.can_record_payment(actor, application):
        raise AidError("not_allowed", _("You cannot record the payment of this application."))
    value = check_amount(amount)
    if value > application.amount:
        raise ValidationError(
            {
                "amount": [
                    _("At most the approved %(amount)s yuan can be paid.")
                    % {"amount": yuan(application.amount)}
                ]
            }
        )
    today = timezone.localdate()
    if paid_on > today:
        raise ValidationError({"paid_on": [_("The payment date cannot be in the future.")]})
    if paid_on < timezone.localtime(application.submitted_at).date():
        raise ValidationError(
            {"paid_on": [_("The payment date cannot be before the application.")]}
        )
    _move(application, allowed=[AidStatus.APPROVED], status=AidStatus.PAID)
    payment = AidPayment.objects.create(
        application=application,
        amount=value,
        paid_on=paid_on,
        method=method,
        reference=(reference or "").strip()[:60],
        recorded_by=actor,
    )
    method_label = payment.get_method_display()
    _event(
        application,
        kind=AidEventKind.PAID,
        actor=actor,
        note=_("%(amount)s yuan on %(date)s by %(method)s")
        % {"amount": yuan(value), "date": paid_on.isoformat(), "method": method_label},
    )
    _tell_resident(
        application,
        EventKind.AID_PAID,
        "paid",
        paid=yuan(value),
        paid_on=f"{paid_on.year}年{paid_on.month}月{paid_on.day}日",
        method=str(method_label),
    )
    return payment
