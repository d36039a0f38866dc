"""Steps that move a case along without deciding it: contact, assignment, notes, urging
(催办), supervision (督办) and reminders."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.accounts.models import Role
from lianxin.cases import notifications, permissions
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import Case, CaseStatus, EventKind
from lianxin.cases.services._common import (
    attach_files,
    check_attachments,
    record_event,
    require,
    transition,
)


@transaction.atomic
def case_contact(*, actor, case: Case, note: str = "") -> Case:
    """The first contact with the resident (the response that the response rate measures)."""
    require(actor, case, permissions.CONTACT)
    now = timezone.now()
    in_time = case.response_due_at is None or now <= case.response_due_at
    changed = Case.objects.filter(pk=case.pk, first_responded_at__isnull=True).update(
        first_responded_at=now, responded_in_time=in_time
    )
    if changed != 1:
        raise CaseActionError("already_contacted", _("The resident has already been contacted."))
    case.first_responded_at, case.responded_in_time = now, in_time
    if case.status == CaseStatus.RECEIVED:
        transition(case, allowed=[CaseStatus.RECEIVED], to=CaseStatus.RESPONDING, now=now)
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
    require(actor, case, permissions.ASSIGN)
    if assignee.role not in (Role.WORKER, Role.REPRESENTATIVE, Role.ADMIN):
        raise ValidationError({"assignee": [_("Choose a community worker or representative.")]})
    Case.objects.filter(pk=case.pk).update(assignee=assignee)
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
def case_note(*, actor, case: Case, note: str, public: bool = False, attachments=()) -> None:
    """A progress note, internal unless marked for the resident."""
    require(actor, case, permissions.NOTE)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Write the note.")]})
    check_attachments(attachments)
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
        require(actor, case, permissions.URGE)
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
        require(actor, case, permissions.SUPERVISE)
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
