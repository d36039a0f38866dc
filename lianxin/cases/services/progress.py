"""Steps that move a case along without deciding it: contact, assignment, a new title, notes,
urging (催办) and supervision (督办)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.cases import notifications, workflow
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import OPEN_STATUSES, Case, CaseStatus, EventKind
from lianxin.cases.permissions import assignable_users
from lianxin.cases.services._common import (
    attach_files,
    check_attachments,
    hold,
    record_event,
    require,
    stale,
)


@transaction.atomic
def case_contact(*, actor, case: Case, note: str = "") -> Case:
    """The first contact with the resident (the response that the response rate measures)."""
    step = require(actor, case, workflow.CONTACT)
    now = timezone.now()
    in_time = case.response_due_at is None or now <= case.response_due_at
    changed = Case.objects.filter(
        pk=case.pk, first_responded_at__isnull=True, status__in=step.starts_from
    ).update(first_responded_at=now, responded_in_time=in_time)
    if changed != 1:
        current = Case.objects.filter(pk=case.pk).values("status", "first_responded_at").first()
        if current["first_responded_at"] is not None:
            raise CaseActionError(
                "already_contacted", _("The resident has already been contacted.")
            )
        case.status = current["status"]
        raise stale(case)
    case.first_responded_at, case.responded_in_time = now, in_time
    # A new case is now in hand; a case referred before anyone called keeps its state.
    if Case.objects.filter(pk=case.pk, status=CaseStatus.RECEIVED).update(
        status=CaseStatus.RESPONDING, status_changed_at=now
    ):
        case.status, case.status_changed_at = CaseStatus.RESPONDING, now
    record_event(
        case,
        kind=EventKind.CONTACTED,
        actor=actor,
        public=True,
        note=note.strip(),
        message=(gettext_noop("We have contacted you about your request."), {}),
    )
    return case


@transaction.atomic
def case_assign(*, actor, case: Case, assignee) -> Case:
    step = require(actor, case, workflow.ASSIGN)
    if assignee is None or not assignable_users(case).filter(pk=assignee.pk).exists():
        raise ValidationError(
            {
                "assignee": [
                    _("Choose a community worker or representative of the case's community.")
                ]
            }
        )
    changed = Case.objects.filter(pk=case.pk, status__in=step.starts_from).update(assignee=assignee)
    if changed != 1:
        raise stale(case)
    case.assignee = assignee
    record_event(
        case,
        kind=EventKind.ASSIGNED,
        actor=actor,
        message=(gettext_noop("Responsible person: %(name)s"), {"name": assignee.display_name}),
        data={"assignee": assignee.pk},
    )
    return case


@transaction.atomic
def case_retitle(*, actor, case: Case, title: str) -> Case:
    """A clearer title (the resident's own words stay in the description); the old and the
    new title are kept on the timeline."""
    step = require(actor, case, workflow.RETITLE)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": [_("Give the problem a short title.")]})
    if len(title) > 100:
        raise ValidationError({"title": [_("Keep the title within 100 characters.")]})
    if title == case.title:
        raise ValidationError({"title": [_("This is already the title.")]})
    old = case.title
    changed = Case.objects.filter(pk=case.pk, status__in=step.starts_from).update(title=title)
    if changed != 1:
        raise stale(case)
    case.title = title
    record_event(
        case,
        kind=EventKind.RETITLED,
        actor=actor,
        message=(
            gettext_noop("Title changed from “%(old)s” to “%(new)s”."),
            {"old": old, "new": title},
        ),
        data={"old": old, "new": title},
    )
    return case


@transaction.atomic
def case_note(*, actor, case: Case, note: str, public: bool = False, attachments=()) -> None:
    """A progress note, internal unless marked for the resident."""
    step = require(actor, case, workflow.NOTE)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Write the note.")]})
    check_attachments(attachments)
    hold(case, step.starts_from)
    event = record_event(case, kind=EventKind.NOTE, actor=actor, public=public, note=note)
    attach_files(event, attachments, public=public)


@transaction.atomic
def case_urge(
    *,
    actor,
    case: Case,
    note: str = "",
    automatic: bool = False,
    referral=None,
    message: tuple[str, dict] | None = None,
) -> None:
    """催办: press whoever holds the case. The sweep calls this with actor=None."""
    if not automatic:
        require(actor, case, workflow.URGE)
    hold(case, OPEN_STATUSES)
    event = record_event(
        case,
        kind=EventKind.URGED,
        actor=actor,
        public=True,
        referral=referral,
        note=note.strip(),
        message=message or (gettext_noop("The case has been urged."), {}),
        data={"automatic": automatic},
    )
    notifications.case_urged(case, event)


@transaction.atomic
def case_supervise(
    *,
    actor,
    case: Case,
    note: str = "",
    automatic: bool = False,
    message: tuple[str, dict] | None = None,
) -> None:
    """督办: supervisors take the case under supervision."""
    if not automatic:
        require(actor, case, workflow.SUPERVISE)
    hold(case, OPEN_STATUSES)
    event = record_event(
        case,
        kind=EventKind.SUPERVISED,
        actor=actor,
        public=True,
        note=note.strip(),
        message=message or (gettext_noop("The case is under supervision."), {}),
        data={"automatic": automatic},
    )
    notifications.case_supervised(case, event)
