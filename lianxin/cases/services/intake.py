"""Intake: a problem is recorded (or solved on the spot) with its deadlines."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.accounts import scopes
from lianxin.accounts.models import Role
from lianxin.cases import notifications
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import (
    AppealType,
    Case,
    CaseStatus,
    Category,
    Channel,
    EventKind,
    Urgency,
)
from lianxin.cases.permissions import can_record_cases
from lianxin.cases.services._common import (
    CALENDAR_MISSING,
    attach_files,
    check_attachments,
    compute_deadlines,
    new_tracking_code,
    next_case_number,
    record_event,
)
from lianxin.cases.services.resolution import invite_ratings
from lianxin.core.validators import normalise_phone


@transaction.atomic
def case_intake(
    *,
    actor,
    title: str,
    description: str,
    channel: str,
    category: Category | None = None,
    appeal_type: str = AppealType.HELP,
    urgency: str = Urgency.NORMAL,
    community=None,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    reporter_resident=None,
    reporter_name: str = "",
    reporter_phone: str = "",
    is_anonymous: bool = False,
    consented: bool = False,
    assignee=None,
    resolved_on_spot: bool = False,
    resolution: str = "",
    resolution_method: str = "",
    received_at: datetime.datetime | None = None,
    external_ref: str = "",
    attachments=(),
) -> Case:
    """Record a case. `actor` is None for residents filing on the public site or through the
    API. The reporter's phone is validated and sealed here; raises ValidationError for bad
    input and CaseActionError when the actor may not record cases there. `attachments`
    (e.g. photos) are kept on the received step, for staff only."""
    now = timezone.now()
    received_at = received_at or now
    errors: dict[str, list] = {}
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        errors["title"] = [_("Give the problem a short title.")]
    if not description:
        errors["description"] = [_("Describe the problem.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if appeal_type not in AppealType.values:
        errors["appeal_type"] = [_("Unknown appeal type.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Unknown urgency.")]
    if category is not None and not category.takes(appeal_type):
        errors["appeal_type"] = [
            _("“%(category)s” does not take appeals of this type.") % {"category": category}
        ]
    phone = ""
    if reporter_phone and not is_anonymous and reporter_resident is None:
        try:
            phone = normalise_phone(reporter_phone)
        except ValidationError as exc:
            errors["reporter_phone"] = exc.messages
    if resolved_on_spot and not resolution.strip():
        errors["resolution"] = [_("Say how the problem was solved on the spot.")]
    try:
        check_attachments(attachments)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    if reporter_resident is not None and community is None:
        community = reporter_resident.community
    if actor is not None:
        if not can_record_cases(actor):
            raise CaseActionError("not_allowed", _("Your role does not record cases."))
        if community is not None and not scopes.in_scope(actor, community.pk):
            raise CaseActionError(
                "out_of_scope", _("You can only record cases for your own communities.")
            )
        if assignee is None and actor.role in (Role.WORKER, Role.REPRESENTATIVE):
            assignee = actor

    response_due, handling_due, problem = compute_deadlines(category, urgency, received_at)
    case = Case(
        number=next_case_number(received_at),
        tracking_code=new_tracking_code(),
        appeal_type=appeal_type,
        category=category,
        title=title[:100],
        description=description,
        urgency=urgency,
        channel=channel,
        reporter_resident=None if is_anonymous else reporter_resident,
        reporter_name=""
        if is_anonymous
        else (reporter_resident.name if reporter_resident else reporter_name.strip()[:50]),
        is_anonymous=is_anonymous,
        consented_at=now if consented else None,
        community=community,
        address=address.strip()[:200],
        latitude=latitude,
        longitude=longitude,
        received_at=received_at,
        received_by=actor,
        assignee=assignee,
        status=CaseStatus.RECEIVED,
        status_changed_at=now,
        round_started_at=received_at,
        response_due_at=response_due,
        handling_due_at=handling_due,
        deadline_problem=problem,
        external_ref=external_ref[:100],
    )
    case.set_reporter_phone(phone)
    if resolved_on_spot:
        case.status = CaseStatus.RESOLVED
        case.resolved_on_spot = True
        case.first_responded_at = case.resolved_at = now
        case.responded_in_time = case.resolved_in_time = True
    case.save()
    received = record_event(
        case,
        kind=EventKind.RECEIVED,
        actor=actor,
        public=True,
        at=received_at,
        message=(gettext_noop("Your request has been received."), {}),
        data={"channel": channel},
    )
    attach_files(received, attachments)
    if problem:
        record_event(
            case,
            kind=EventKind.DEADLINE,
            message=(CALENDAR_MISSING, {"years": problem.replace(",", "、")}),
        )
    if resolved_on_spot:
        record_event(
            case,
            kind=EventKind.RESOLVED_ON_SPOT,
            actor=actor,
            public=True,
            note=resolution.strip(),
            data={"method": resolution_method},
        )
        invite_ratings(case)
    notifications.case_received(case)
    return case
