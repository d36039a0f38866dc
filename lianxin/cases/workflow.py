"""The case workflow as one table.

Every step a member of staff can take on a case or on a referral is a row of STEPS: the
states it starts from and where they lead, who may take it (a named predicate of
lianxin.cases.permissions) and when (a condition on the case), its form and its serializer,
its words, and the service that does it. The staff pages offer exactly `case_steps()` and
`referral_steps()`, the REST API lists the same names in `actions` and has one endpoint per
row, and every service starts with `check()` and moves the case only from `starts_from`.
`tests/test_workflow_table.py` walks every persona × status × step through all three.

Steps that are not a member of staff's choice stay outside the table: intake (a case does
not exist yet), the resident's rating (a one-time link), and the deadline sweep.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianxin.cases import forms, permissions
from lianxin.cases import serializers as inputs
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    Referral,
    ReferralRole,
    ReferralStatus,
)
from lianxin.cases.permissions import Situation

# Step names (stable: URLs, the API's `actions` and its endpoints use them).
CONTACT = "contact"
REFER = "refer"
FEEDBACK = "feedback"
CALLBACK = "callback"
NOTE = "note"
ASSIGN = "assign"
RETITLE = "retitle"
URGE = "urge"
SUPERVISE = "supervise"
MERGE = "merge"
REJECT = "reject"
WITHDRAW = "withdraw"
ACCEPT = "accept"
REPLY = "reply"
OPINION = "opinion"
RETURN = "return"

CASE, REFERRAL = "case", "referral"


# --- Conditions beyond the state ------------------------------------------------------------
def always(s: Situation, referral: Referral | None = None) -> bool:
    return True


def not_yet_contacted(s: Situation, referral: Referral | None = None) -> bool:
    return s.case.first_responded_at is None


def referrals_open(s: Situation, referral: Referral | None = None) -> bool:
    return bool(s.open_referrals)


def unrated_this_round(s: Situation, referral: Referral | None = None) -> bool:
    return not any(r.round == s.case.round for r in s.case.ratings.all())


def lead_referral(s: Situation, referral: Referral | None = None) -> bool:
    return referral is not None and referral.role == ReferralRole.LEAD


def assisting_referral(s: Situation, referral: Referral | None = None) -> bool:
    return referral is not None and referral.role == ReferralRole.ASSISTING


def _to(statuses, *targets: str) -> dict[str, tuple[str, ...]]:
    return {status: targets for status in statuses}


@dataclass(frozen=True)
class Step:
    name: str
    on: str  # CASE or REFERRAL: whose status `starts_from` and `moves` speak of
    label: Promise
    done: Promise
    starts_from: frozenset[str]
    who: Callable[..., bool]
    form: type
    serializer: type
    service: str  # a function of lianxin.cases.services
    fields: tuple[str, ...] = ()  # the form's / serializer's data the service takes
    moves: dict[str, tuple[str, ...]] = field(default_factory=dict)  # others stay put
    when: Callable[..., bool] = always
    icon: str = "arrow-right"

    def after(self, status: str) -> set[str]:
        """The states the step can leave its target in, starting from `status`."""
        return set(self.moves.get(status, (status,)))

    def allows(self, s: Situation, referral: Referral | None = None) -> bool:
        if self.on == REFERRAL:
            return (
                referral is not None
                and s.visible
                and referral.status in self.starts_from
                and s.case.status in OPEN_STATUSES
                and referral.round == s.case.round
                and self.who(s, referral)
                and self.when(s, referral)
            )
        return s.case.status in self.starts_from and self.who(s) and self.when(s)

    def call(self, *, actor, target, data: dict) -> Any:
        """Do the step through its service with the cleaned data of its form or serializer."""
        service = getattr(importlib.import_module("lianxin.cases.services"), self.service)
        kwargs = {name: data[name] for name in self.fields if name in data}
        return service(actor=actor, **{self.on: target}, **kwargs)


OPEN = frozenset(OPEN_STATUSES)
_OPEN_REFERRAL = frozenset({ReferralStatus.PENDING, ReferralStatus.ACCEPTED})

STEPS: dict[str, Step] = {
    step.name: step
    for step in [
        Step(
            CONTACT,
            CASE,
            _("Record contact with the resident"),
            _("Contact with the resident recorded."),
            starts_from=OPEN,
            moves={CaseStatus.RECEIVED: (CaseStatus.RESPONDING,)},
            who=permissions.caseworker_or_accepting_department,
            when=not_yet_contacted,
            form=forms.ContactForm,
            serializer=inputs.OptionalNoteSerializer,
            service="case_contact",
            fields=("note",),
            icon="telephone",
        ),
        Step(
            REFER,
            CASE,
            _("Refer to departments"),
            _("Referred."),
            starts_from=OPEN,
            moves=_to(OPEN, CaseStatus.REFERRED),
            who=permissions.caseworker,
            form=forms.ReferForm,
            serializer=inputs.ReferSerializer,
            service="case_refer",
            fields=("lead", "assisting", "instructions", "due_at"),
            icon="arrow-right-circle",
        ),
        Step(
            FEEDBACK,
            CASE,
            _("Feed back to the resident"),
            _("Feedback recorded; the resident is asked to rate it."),
            starts_from=frozenset({CaseStatus.RECEIVED, CaseStatus.RESPONDING, CaseStatus.REPLIED}),
            moves=_to(
                (CaseStatus.RECEIVED, CaseStatus.RESPONDING, CaseStatus.REPLIED),
                CaseStatus.RESOLVED,
            ),
            who=permissions.caseworker,
            form=forms.FeedbackForm,
            serializer=inputs.FeedbackSerializer,
            service="case_feedback",
            fields=("summary", "method"),
            icon="chat-left-text",
        ),
        Step(
            CALLBACK,
            CASE,
            _("Record a callback rating"),
            _("Callback rating recorded."),
            starts_from=frozenset({CaseStatus.RESOLVED}),
            moves={CaseStatus.RESOLVED: (CaseStatus.CLOSED, CaseStatus.RESPONDING)},
            who=permissions.caseworker,
            when=unrated_this_round,
            form=forms.CallbackForm,
            serializer=inputs.CallbackSerializer,
            service="rating_record_callback",
            fields=("resolved", "satisfaction", "comment", "method", "called_at"),
            icon="telephone-inbound",
        ),
        Step(
            NOTE,
            CASE,
            _("Add a note"),
            _("Note added."),
            starts_from=OPEN | {CaseStatus.RESOLVED},
            who=permissions.participant,
            form=forms.NoteForm,
            serializer=inputs.NoteSerializer,
            service="case_note",
            fields=("note", "public", "attachments"),
            icon="pencil",
        ),
        Step(
            ASSIGN,
            CASE,
            _("Set the responsible person"),
            _("Responsible person set."),
            starts_from=OPEN,
            who=permissions.case_manager,
            form=forms.AssignForm,
            serializer=inputs.AssignSerializer,
            service="case_assign",
            fields=("assignee",),
            icon="person",
        ),
        Step(
            RETITLE,
            CASE,
            _("Change the title"),
            _("Title changed."),
            starts_from=OPEN | {CaseStatus.RESOLVED},
            who=permissions.caseworker,
            form=forms.RetitleForm,
            serializer=inputs.RetitleSerializer,
            service="case_retitle",
            fields=("title",),
            icon="type",
        ),
        Step(
            URGE,
            CASE,
            _("Urge"),
            _("Urged."),
            starts_from=OPEN,
            who=permissions.caseworker_or_supervisor,
            when=referrals_open,
            form=forms.UrgeForm,
            serializer=inputs.OptionalNoteSerializer,
            service="case_urge",
            fields=("note",),
            icon="megaphone",
        ),
        Step(
            SUPERVISE,
            CASE,
            _("Supervise"),
            _("The case is under supervision."),
            starts_from=OPEN,
            who=permissions.supervisor,
            form=forms.UrgeForm,
            serializer=inputs.OptionalNoteSerializer,
            service="case_supervise",
            fields=("note",),
            icon="eye",
        ),
        Step(
            MERGE,
            CASE,
            _("Merge into another case"),
            _("Merged."),
            starts_from=OPEN,
            moves=_to(OPEN, CaseStatus.MERGED),
            who=permissions.caseworker,
            form=forms.MergeForm,
            serializer=inputs.MergeSerializer,
            service="case_merge",
            fields=("into",),
            icon="intersect",
        ),
        Step(
            REJECT,
            CASE,
            _("Do not accept"),
            _("The case is not accepted."),
            starts_from=frozenset({CaseStatus.RECEIVED, CaseStatus.RESPONDING}),
            moves=_to((CaseStatus.RECEIVED, CaseStatus.RESPONDING), CaseStatus.REJECTED),
            who=permissions.caseworker,
            form=forms.ReasonForm,
            serializer=inputs.ReasonSerializer,
            service="case_reject",
            fields=("reason",),
            icon="x-circle",
        ),
        Step(
            WITHDRAW,
            CASE,
            _("Withdraw"),
            _("The case is withdrawn."),
            starts_from=OPEN,
            moves=_to(OPEN, CaseStatus.WITHDRAWN),
            who=permissions.caseworker,
            form=forms.ReasonForm,
            serializer=inputs.ReasonSerializer,
            service="case_withdraw",
            fields=("reason",),
            icon="arrow-counterclockwise",
        ),
        Step(
            ACCEPT,
            REFERRAL,
            _("Accept"),
            _("Accepted. Reply within the deadline."),
            starts_from=frozenset({ReferralStatus.PENDING}),
            moves={ReferralStatus.PENDING: (ReferralStatus.ACCEPTED,)},
            who=permissions.own_department,
            form=forms.ConfirmForm,
            serializer=inputs.EmptySerializer,
            service="referral_accept",
            icon="check-lg",
        ),
        Step(
            REPLY,
            REFERRAL,
            _("Reply"),
            _("Reply sent."),
            starts_from=frozenset({ReferralStatus.ACCEPTED}),
            moves={ReferralStatus.ACCEPTED: (ReferralStatus.REPLIED,)},
            who=permissions.own_department,
            when=lead_referral,
            form=forms.ReplyForm,
            serializer=inputs.ReplySerializer,
            service="referral_reply",
            fields=("reply", "attachments"),
            icon="reply",
        ),
        Step(
            OPINION,
            REFERRAL,
            _("Give the assisting opinion"),
            _("Opinion sent to the lead department and the dispatcher."),
            starts_from=frozenset({ReferralStatus.ACCEPTED}),
            moves={ReferralStatus.ACCEPTED: (ReferralStatus.REPLIED,)},
            who=permissions.own_department,
            when=assisting_referral,
            form=forms.OpinionForm,
            serializer=inputs.OpinionSerializer,
            service="referral_opinion",
            fields=("reply", "attachments"),
            icon="chat-square-text",
        ),
        Step(
            RETURN,
            REFERRAL,
            _("Return"),
            _("Returned to the dispatcher."),
            starts_from=_OPEN_REFERRAL,
            moves=_to(_OPEN_REFERRAL, ReferralStatus.RETURNED),
            who=permissions.own_department,
            form=forms.ReasonForm,
            serializer=inputs.ReasonSerializer,
            service="referral_return",
            fields=("reason",),
            icon="arrow-return-left",
        ),
    ]
}
CASE_STEPS = {name: step for name, step in STEPS.items() if step.on == CASE}
REFERRAL_STEPS = {name: step for name, step in STEPS.items() if step.on == REFERRAL}


def situation(user, case: Case, referrals: list[Referral] | None = None) -> Situation:
    return Situation(user, case, referrals)


def case_steps(user, case: Case, *, referrals: list[Referral] | None = None) -> list[Step]:
    """The case steps `user` may take on `case` now, in the order pages offer them."""
    s = situation(user, case, referrals)
    return [step for step in CASE_STEPS.values() if step.allows(s)]


def referral_steps(user, referral: Referral, *, case: Case | None = None) -> list[Step]:
    """The steps `user` may take on `referral` now. Only its department acts on a referral,
    so the referral itself is all the rules need to know of the case's referrals."""
    case = case or referral.case
    s = situation(user, case, [referral])
    return [step for step in REFERRAL_STEPS.values() if step.allows(s, referral)]


def case_step_names(user, case: Case, **kwargs) -> set[str]:
    return {step.name for step in case_steps(user, case, **kwargs)}


def referral_step_names(user, referral: Referral, **kwargs) -> set[str]:
    return {step.name for step in referral_steps(user, referral, **kwargs)}


def check(actor, case: Case, name: str, *, referral: Referral | None = None) -> Step:
    """The step, if `actor` may take it on `case` (or on `referral`) now; otherwise a
    CaseActionError saying why. Every service starts here."""
    step = STEPS[name]
    s = situation(actor, case)
    if step.allows(s, referral):
        return step
    if referral is not None:
        raise _referral_refusal(s, referral, step)
    raise CaseActionError(
        "not_allowed",
        gettext("You cannot do this on case %(number)s in its current state (%(status)s).")
        % {"number": case.number, "status": case.get_status_display()},
    )


def _referral_refusal(s: Situation, referral: Referral, step: Step) -> CaseActionError:
    if not permissions.own_department(s, referral):
        return CaseActionError(
            "not_your_department",
            gettext("Only handlers of %(department)s can act on this referral.")
            % {"department": referral.department.name},
        )
    if referral.round != s.case.round or s.case.status not in OPEN_STATUSES:
        return CaseActionError(
            "referral_closed", gettext("This referral's round has ended; it can only be read now.")
        )
    if referral.status in step.starts_from and not step.when(s, referral):
        return CaseActionError(
            "wrong_role",
            gettext("The lead department replies; an assisting department gives its opinion."),
        )
    messages = {
        ReferralStatus.ACCEPTED: gettext("This referral has already been accepted."),
        ReferralStatus.REPLIED: gettext("This referral has already been replied to."),
        ReferralStatus.RETURNED: gettext("This referral has been returned."),
        ReferralStatus.CANCELLED: gettext("This referral has been closed."),
        ReferralStatus.PENDING: gettext("Accept the referral before replying to it."),
    }
    return CaseActionError(f"referral_{referral.status}", messages[ReferralStatus(referral.status)])
