"""Handling of proposals: assign to a department (supervisors and administrators), answer
(that department's handlers), rate (the representative who made it). Each step is a
conditional update; the other side is told in the inbox. The sweep urges answers past due."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import Role, User
from lianxin.calendar import deadlines
from lianxin.core.sweeps import claim_urge, not_yet_urged
from lianxin.env import env_int
from lianxin.notify.kinds import EventKind
from lianxin.notify.services import notify_users
from lianxin.proposals import selectors
from lianxin.proposals.models import AnswerKind, AnswerRating, ProposalHandling

# People's-congress suggestions are answered within three months: about 60 working days.
ANSWER_DAYS = env_int("LIANXIN_PROPOSAL_ANSWER_DAYS", 60, minimum=1)


class ProposalError(Exception):
    def __init__(self, code: str, message) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = str(message)


def _handlers(department_id) -> list:
    return list(User.objects.filter(is_active=True, role=Role.HANDLER, department_id=department_id))


@transaction.atomic
def proposal_assign(*, actor, proposal, department) -> ProposalHandling:
    if not selectors.can_assign(actor):
        raise ProposalError("not_allowed", _("Supervisors and administrators assign proposals."))
    now = timezone.now()
    try:
        due = deadlines.add_working_days(now, ANSWER_DAYS)
    except deadlines.CalendarMissing:
        due = None
    try:
        with transaction.atomic():
            handling = ProposalHandling.objects.create(
                proposal=proposal,
                department=department,
                assigned_by=actor,
                assigned_at=now,
                due_at=due,
            )
    except IntegrityError:
        raise ProposalError("stale", _("This proposal is already assigned.")) from None
    notify_users(
        kind=EventKind.MESSAGE,
        users=_handlers(department.pk),
        context={
            "title": f"代表建议待答复：{proposal.case.title}",
            "body": f"{proposal.representative.name}代表的建议「{proposal.case.title}」已交{department.name}办理，"
            + (f"请于{timezone.localtime(due):%Y-%m-%d}前答复。" if due else "请及时答复。"),
        },
        link=f"/staff/proposals/{proposal.pk}/",
        idempotency_key=f"proposal:{proposal.pk}:assigned",
    )
    return handling


@transaction.atomic
def proposal_answer(
    *, actor, handling: ProposalHandling, answer: str, answer_kind: str
) -> ProposalHandling:
    if not selectors.can_answer(actor, handling):
        raise ProposalError("not_allowed", _("Only the assigned department answers this proposal."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [_("Write the answer to the representative.")]})
    if answer_kind not in AnswerKind.values:
        raise ValidationError(
            {"answer_kind": [_("Say whether it is solved, planned or explained.")]}
        )
    now = timezone.now()
    done = ProposalHandling.objects.filter(pk=handling.pk, answered_at__isnull=True).update(
        answer=answer, answer_kind=answer_kind, answered_by=actor, answered_at=now
    )
    if done != 1:
        raise ProposalError("stale", _("This proposal was already answered."))
    handling.refresh_from_db()
    rep_user = handling.proposal.representative.user
    notify_users(
        kind=EventKind.MESSAGE,
        users=[rep_user] if rep_user else [],
        context={
            "title": f"建议已答复：{handling.proposal.case.title}",
            "body": f"{handling.department.name}答复（{handling.get_answer_kind_display()}）：{answer[:200]}。请评价答复。",
        },
        link=f"/staff/proposals/{handling.proposal_id}/",
        idempotency_key=f"proposal:{handling.proposal_id}:answered",
    )
    return handling


@transaction.atomic
def proposal_rate(
    *, actor, handling: ProposalHandling, rating: str, comment: str = ""
) -> ProposalHandling:
    if not selectors.can_rate(actor, handling):
        raise ProposalError(
            "not_allowed", _("Only the representative who made the proposal rates the answer.")
        )
    if rating not in AnswerRating.values:
        raise ValidationError(
            {"rating": [_("Choose satisfied, fairly satisfied or dissatisfied.")]}
        )
    done = ProposalHandling.objects.filter(
        pk=handling.pk, answered_at__isnull=False, rated_at__isnull=True
    ).update(rating=rating, rating_comment=(comment or "").strip()[:300], rated_at=timezone.now())
    if done != 1:
        raise ProposalError("stale", _("The answer is not there yet, or was already rated."))
    handling.refresh_from_db()
    return handling


def sweep(*, now: datetime.datetime | None = None) -> dict:
    """Urge answers past their due time, once per due time."""
    now = now or timezone.now()
    urged = 0
    due = (
        ProposalHandling.objects.filter(answered_at__isnull=True, due_at__lt=now)
        .filter(not_yet_urged("due_at", "urged_due_at"))
        .select_related("proposal__case", "department")
    )
    for handling in due[:500]:
        with transaction.atomic():
            mine = ProposalHandling.objects.filter(
                pk=handling.pk, answered_at__isnull=True, due_at=handling.due_at
            )
            if not claim_urge(mine, "due_at", "urged_due_at"):
                continue
            notify_users(
                kind=EventKind.MESSAGE,
                users=_handlers(handling.department_id),
                context={
                    "title": f"【催办】代表建议「{handling.proposal.case.title}」",
                    "body": f"代表建议「{handling.proposal.case.title}」应于"
                    f"{timezone.localtime(handling.due_at):%Y-%m-%d}前答复，至今未答复，请尽快答复。",
                },
                link=f"/staff/proposals/{handling.proposal_id}/",
                idempotency_key=f"proposal:{handling.proposal_id}:urge:{handling.due_at.timestamp():.0f}",
            )
            urged += 1
    return {"urged": urged}
