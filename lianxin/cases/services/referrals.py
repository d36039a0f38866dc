"""Referral (转办) to departments: one lead and any assisting; accept, return or reply."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.calendar import deadlines
from lianxin.cases import notifications, workflow
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import (
    OPEN_REFERRAL_STATUSES,
    Case,
    CaseStatus,
    EventKind,
    LimitUnit,
    Referral,
    ReferralCloseReason,
    ReferralRole,
    ReferralStatus,
)
from lianxin.cases.services._common import (
    attach_files,
    check_attachments,
    due_after,
    limits_for,
    record_event,
    require,
    transition,
)


def referral_deadlines(case: Case, start: datetime.datetime):
    """Acceptance within one working day (one hour when urgent); the reply within the
    category's handling limit."""
    _, (amount, unit) = limits_for(case.category, case.urgency)
    try:
        accept_due = due_after(start, 1, LimitUnit.WORKING_DAYS)
    except deadlines.CalendarMissing:
        accept_due = None
    try:
        due = due_after(start, amount, unit)
    except deadlines.CalendarMissing:
        due = None
    if case.urgency == "urgent":
        accept_due = deadlines.add_hours(start, 1)
    return accept_due, due


@transaction.atomic
def case_refer(
    *,
    actor,
    case: Case,
    lead=None,
    assisting=(),
    instructions: str = "",
    due_at: datetime.datetime | None = None,
) -> list[Referral]:
    """Refer a case to a lead department and any assisting ones. A case has one open lead at
    a time; a department has at most one open referral per case."""
    step = require(actor, case, workflow.REFER)
    assisting = [d for d in assisting if lead is None or d.pk != lead.pk]
    open_referrals = list(case.referrals.filter(status__in=OPEN_REFERRAL_STATUSES))
    has_open_lead = any(r.role == ReferralRole.LEAD for r in open_referrals)
    errors: dict[str, list] = {}
    if lead is None and not assisting:
        errors["lead"] = [_("Choose at least one department.")]
    if lead is None and not has_open_lead and assisting:
        errors["lead"] = [_("Choose the lead department (主办) as well.")]
    if lead is not None and has_open_lead:
        errors["lead"] = [
            _("This case already has a lead department; it must reply or return the case first.")
        ]
    already = {r.department_id for r in open_referrals}
    duplicated = [d.name for d in ([lead] if lead else []) + list(assisting) if d.pk in already]
    if duplicated:
        errors["assisting"] = [
            _("Already referred to %(names)s.") % {"names": "、".join(duplicated)}
        ]
    now = timezone.now()
    if due_at is not None and due_at <= now:
        errors["due_at"] = [_("The reply deadline must lie in the future.")]
    if errors:
        raise ValidationError(errors)

    transition(case, allowed=step.starts_from, to=CaseStatus.REFERRED, now=now)
    accept_due, computed_due = referral_deadlines(case, now)
    created = []
    pairs = ([(lead, ReferralRole.LEAD)] if lead else []) + [
        (d, ReferralRole.ASSISTING) for d in assisting
    ]
    for department, role in pairs:
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    case=case,
                    department=department,
                    role=role,
                    round=case.round,
                    instructions=instructions.strip(),
                    referred_by=actor,
                    referred_at=now,
                    accept_due_at=accept_due,
                    due_at=due_at or computed_due,
                    due_given=due_at is not None,
                )
        except IntegrityError:
            raise CaseActionError(
                "already_referred",
                _("%(department)s already has this case.") % {"department": department},
            ) from None
        record_event(
            case,
            kind=EventKind.REFERRED,
            actor=actor,
            public=True,
            referral=referral,
            message=(
                gettext_noop("Referred to %(department)s (lead).")
                if role == ReferralRole.LEAD
                else gettext_noop("Referred to %(department)s (assisting)."),
                {"department": department.name},
            ),
            data={"department": department.pk, "role": role},
        )
        created.append(referral)
    notifications.referrals_created(case, created)
    return created


def _move_referral(referral: Referral, *, actor, step, to: str, **fields) -> None:
    """Conditional update of the referral's status; a concurrent change loses cleanly."""
    changed = Referral.objects.filter(
        pk=referral.pk, status__in=list(step.starts_from), round=referral.case.round
    ).update(status=to, **fields)
    if changed != 1:
        referral.refresh_from_db()
        referral.case.refresh_from_db()
        require(actor, referral.case, step.name, referral=referral)
        raise CaseActionError("stale_state", _("This referral has just been changed; reload."))
    referral.status = to
    for name, value in fields.items():
        setattr(referral, name, value)


@transaction.atomic
def referral_accept(*, actor, referral: Referral) -> Referral:
    """签收: the department takes the case on."""
    step = require(actor, referral.case, workflow.ACCEPT, referral=referral)
    now = timezone.now()
    _move_referral(
        referral,
        actor=actor,
        step=step,
        to=ReferralStatus.ACCEPTED,
        accepted_by=actor,
        accepted_at=now,
    )
    record_event(
        referral.case,
        kind=EventKind.ACCEPTED,
        actor=actor,
        public=True,
        referral=referral,
        message=(
            gettext_noop("%(department)s has taken the case on."),
            {"department": referral.department.name},
        ),
    )
    return referral


@transaction.atomic
def referral_return(*, actor, referral: Referral, reason: str) -> Referral:
    """退回: wrong department; the case goes back to whoever dispatched it."""
    step = require(actor, referral.case, workflow.RETURN, referral=referral)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the case is returned.")]})
    now = timezone.now()
    _move_referral(
        referral,
        actor=actor,
        step=step,
        to=ReferralStatus.RETURNED,
        returned_at=now,
        return_reason=reason,
    )
    case = referral.case
    record_event(
        case,
        kind=EventKind.RETURNED,
        actor=actor,
        referral=referral,
        note=reason,
        data={"department": referral.department_id},
    )
    lead_open = case.referrals.filter(
        role=ReferralRole.LEAD, status__in=OPEN_REFERRAL_STATUSES
    ).exists()
    if referral.role == ReferralRole.LEAD and not lead_open:
        transition(
            case,
            allowed=[CaseStatus.REFERRED, CaseStatus.REPLIED],
            to=CaseStatus.RESPONDING,
            now=now,
        )
    notifications.referral_returned(referral)
    return referral


@transaction.atomic
def referral_reply(*, actor, referral: Referral, reply: str, attachments=()) -> Referral:
    """答复: the lead department's result. When every lead referral has replied, the case is
    `replied` and awaits feedback to the resident."""
    step = require(actor, referral.case, workflow.REPLY, referral=referral)
    return _answer(step, actor=actor, referral=referral, reply=reply, attachments=attachments)


@transaction.atomic
def referral_opinion(*, actor, referral: Referral, reply: str, attachments=()) -> Referral:
    """协办意见: an assisting department's opinion, for the lead and the dispatcher."""
    step = require(actor, referral.case, workflow.OPINION, referral=referral)
    return _answer(step, actor=actor, referral=referral, reply=reply, attachments=attachments)


def _answer(step, *, actor, referral: Referral, reply: str, attachments) -> Referral:
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": [_("Write what the department has done.")]})
    check_attachments(attachments)
    now = timezone.now()
    _move_referral(
        referral,
        actor=actor,
        step=step,
        to=ReferralStatus.REPLIED,
        replied_by=actor,
        replied_at=now,
        reply=reply,
    )
    case = referral.case
    event = record_event(
        case,
        kind=EventKind.REPLIED,
        actor=actor,
        public=True,
        referral=referral,
        message=(
            gettext_noop("%(department)s has replied.")
            if referral.role == ReferralRole.LEAD
            else gettext_noop("%(department)s has given its opinion (assisting)."),
            {"department": referral.department.name},
        ),
        data={"department": referral.department_id, "role": referral.role},
    )
    attach_files(event, attachments)
    if referral.role == ReferralRole.LEAD:
        lead_open = case.referrals.filter(
            role=ReferralRole.LEAD, status__in=OPEN_REFERRAL_STATUSES
        ).exists()
        if not lead_open:
            transition(case, allowed=[CaseStatus.REFERRED], to=CaseStatus.REPLIED, now=now)
    notifications.referral_replied(referral)
    return referral


CLOSE_MESSAGES = {
    ReferralCloseReason.ROUND_ENDED: gettext_noop(
        "Referral to %(department)s closed: the round ended when the resident was told the result."
    ),
    ReferralCloseReason.MERGED: gettext_noop(
        "Referral to %(department)s closed: the case was merged into another."
    ),
    ReferralCloseReason.REJECTED: gettext_noop(
        "Referral to %(department)s closed: the case was not accepted."
    ),
    ReferralCloseReason.WITHDRAWN: gettext_noop(
        "Referral to %(department)s closed: the case was withdrawn."
    ),
}


def referrals_close(case: Case, *, actor, reason: str) -> list[Referral]:
    """Close every referral of `case` still awaiting acceptance or a reply, with the reason
    on each and an event on its history: it leaves the department's to-do and never asks
    for acceptance again. Each closing is a conditional update, so a department accepting
    or replying at the same moment either comes first (and its referral is closed after)
    or finds it closed."""
    now = timezone.now()
    closed = []
    for referral in case.referrals.filter(status__in=OPEN_REFERRAL_STATUSES).select_related(
        "department"
    ):
        changed = Referral.objects.filter(pk=referral.pk, status__in=OPEN_REFERRAL_STATUSES).update(
            status=ReferralStatus.CANCELLED, closed_at=now, close_reason=reason
        )
        if not changed:
            continue
        referral.status, referral.closed_at, referral.close_reason = (
            ReferralStatus.CANCELLED,
            now,
            reason,
        )
        record_event(
            case,
            kind=EventKind.REFERRAL_CLOSED,
            actor=actor,
            referral=referral,
            message=(CLOSE_MESSAGES[reason], {"department": referral.department.name}),
            data={"department": referral.department_id, "reason": reason},
        )
        closed.append(referral)
    return closed
