"""The to-do (待办): every case or referral that waits on the reader's step, with the deadline
that applies now, nearest first.

Who waits on whom:
- community workers: every waiting case of their communities, and the cases they received
  or are responsible for;
- representatives: the cases they received or are responsible for;
- administrators: their own cases, and cases with no community (filed online or through
  Open311 without one), which nobody else can reach;
- department handlers: their department's referrals awaiting acceptance, a reply or an
  assisting opinion (a round that ended closed the rest);
- supervisors: open cases past their applicable deadline, to urge or supervise.

The applicable deadline is the response deadline until the resident has been contacted and
the handling deadline after that (for a referral: acceptance, then the reply). "Overdue"
means exactly that deadline has passed.

Cost: one query for the rows and one for the count, each over the reader's waiting work
(open and resolved cases in their reach, or their department's open referrals), never over
closed history; the indexes on (community, status), assignee, received_by and
(department, status) serve them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from lianxin.accounts import scopes
from lianxin.accounts.models import Role
from lianxin.calendar import deadlines
from lianxin.cases import models as m
from lianxin.cases.permissions import cases_visible_to
from lianxin.cases.services.resolution import RATING_DAYS

# Why a row waits on the reader.
RESPOND, REOPENED, RETURNED, IN_HAND = "respond", "reopened", "returned", "in_hand"
FEEDBACK, RATING, URGE, SUPERVISE = "feedback", "rating", "urge", "supervise"
ACCEPT, REPLY, OPINION = "accept", "reply", "opinion"

REASONS = {
    RESPOND: _("New: contact the resident"),
    REOPENED: _("Reopened: handle it again"),
    RETURNED: _("Returned by a department: refer again"),
    IN_HAND: _("In hand: refer or feed back"),
    FEEDBACK: _("Replied: feed back to the resident"),
    RATING: _("Awaiting the resident's rating"),
    URGE: _("Overdue at a department: urge"),
    SUPERVISE: _("Overdue: urge or supervise"),
    ACCEPT: _("Awaiting our acceptance"),
    REPLY: _("Awaiting our reply"),
    OPINION: _("Awaiting our assisting opinion"),
}

# Which deadline a row shows.
RESPONSE, HANDLING, ACCEPTANCE, REPLY_DUE, RATING_ENDS = (
    "response",
    "handling",
    "acceptance",
    "reply",
    "rating",
)
DEADLINES = {
    RESPONSE: _("Response due"),
    HANDLING: _("Handling due"),
    ACCEPTANCE: _("Acceptance due"),
    REPLY_DUE: _("Reply due"),
    RATING_ENDS: _("Rating window ends"),
}
# Deadlines the reader can miss (the rating window is the resident's).
MISSABLE = {RESPONSE, HANDLING, ACCEPTANCE, REPLY_DUE}

WAITING = (*m.OPEN_STATUSES, m.CaseStatus.RESOLVED)
SHOWS = ("all", "overdue", "today")


@dataclass
class Row:
    case: m.Case
    reason: str
    deadline: str
    due: datetime.datetime | None
    referral: m.Referral | None = None

    @property
    def reason_label(self):
        return REASONS[self.reason]

    @property
    def deadline_label(self):
        return DEADLINES[self.deadline]

    @cached_property
    def provisional(self) -> bool:
        return self.deadline != RATING_ENDS and deadlines.is_provisional(self.due)

    def is_overdue(self, now: datetime.datetime) -> bool:
        return self.deadline in MISSABLE and self.due is not None and self.due < now

    @property
    def urgent(self) -> bool:
        return self.case.urgency == m.Urgency.URGENT


@dataclass
class Todo:
    rows: list[Row]
    total: int
    now: datetime.datetime

    @property
    def overdue(self) -> list[Row]:
        return [row for row in self.rows if row.is_overdue(self.now)]


def _hours_first() -> Q:
    """Urgent cases not yet responded to whose response limit counts clock hours."""
    return Q(first_responded_at__isnull=True, urgency=m.Urgency.URGENT) & (
        Q(category__isnull=True) | Q(category__urgent_response_unit=m.LimitUnit.HOURS)
    )


def _case_rows_query(user, now: datetime.datetime) -> QuerySet[m.Case]:
    cases = cases_visible_to(user).filter(status__in=WAITING)
    if user.role == Role.WORKER:
        ids = scopes.community_ids(user) or []
        cases = cases.filter(Q(community_id__in=ids) | Q(assignee=user) | Q(received_by=user))
    elif user.role == Role.REPRESENTATIVE:
        cases = cases.filter(Q(assignee=user) | Q(received_by=user))
    elif user.role == Role.ADMIN:
        cases = cases.filter(
            Q(assignee=user) | Q(received_by=user) | Q(community__isnull=True, assignee=None)
        )
    elif user.role == Role.SUPERVISOR:
        cases = cases.filter(status__in=m.OPEN_STATUSES).filter(
            Q(first_responded_at__isnull=True, response_due_at__lt=now)
            | Q(first_responded_at__isnull=False, handling_due_at__lt=now)
        )
    else:
        return m.Case.objects.none()
    this_round = {"case": OuterRef("pk"), "round": OuterRef("round")}
    returned = m.Referral.objects.filter(status=m.ReferralStatus.RETURNED, **this_round)
    unresponded = Q(status__in=m.OPEN_STATUSES, first_responded_at__isnull=True)
    if user.role == Role.SUPERVISOR:
        reason = Value(SUPERVISE)
    else:
        reason = Case(
            When(status=m.CaseStatus.REPLIED, then=Value(FEEDBACK)),
            When(status=m.CaseStatus.RESOLVED, then=Value(RATING)),
            When(unresponded, then=Value(RESPOND)),
            When(Q(status=m.CaseStatus.RESPONDING) & Exists(returned), then=Value(RETURNED)),
            When(status=m.CaseStatus.RESPONDING, round__gt=1, then=Value(REOPENED)),
            When(status=m.CaseStatus.RESPONDING, then=Value(IN_HAND)),
            When(status=m.CaseStatus.REFERRED, handling_due_at__lt=now, then=Value(URGE)),
            default=Value(""),
            output_field=CharField(),
        )
    due = Case(
        When(status=m.CaseStatus.RESOLVED, then=F("rating_ends")),
        When(first_responded_at__isnull=True, then=F("response_due_at")),
        default=F("handling_due_at"),
        output_field=DateTimeField(),
    )
    return (
        cases.annotate(
            rating_ends=ExpressionWrapper(
                F("resolved_at") + datetime.timedelta(days=RATING_DAYS),
                output_field=DateTimeField(),
            ),
            todo_reason=reason,
            todo_due=due,
            hours_first=Case(
                When(_hours_first(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .exclude(todo_reason="")
        .select_related("category", "community", "assignee")
        .order_by("-hours_first", F("todo_due").asc(nulls_last=True), "received_at", "pk")
    )


def _referral_rows_query(user) -> QuerySet[m.Referral]:
    if user.role != Role.HANDLER or not user.department_id:
        return m.Referral.objects.none()
    due = Case(
        When(status=m.ReferralStatus.PENDING, then=F("accept_due_at")),
        default=F("due_at"),
        output_field=DateTimeField(),
    )
    return (
        m.Referral.objects.filter(
            department=user.department_id,
            status__in=m.OPEN_REFERRAL_STATUSES,
            round=F("case__round"),
            case__status__in=m.OPEN_STATUSES,
        )
        .annotate(todo_due=due)
        .select_related("case__category", "case__community")
        .order_by(F("todo_due").asc(nulls_last=True), "referred_at", "pk")
    )


def _case_row(case: m.Case) -> Row:
    if case.todo_reason == RATING:
        deadline = RATING_ENDS
    elif case.first_responded_at is None:
        deadline = RESPONSE
    else:
        deadline = HANDLING
    return Row(case=case, reason=case.todo_reason, deadline=deadline, due=case.todo_due)


def _referral_row(referral: m.Referral) -> Row:
    if referral.status == m.ReferralStatus.PENDING:
        reason, deadline = ACCEPT, ACCEPTANCE
    else:
        reason = REPLY if referral.role == m.ReferralRole.LEAD else OPINION
        deadline = REPLY_DUE
    return Row(
        case=referral.case,
        referral=referral,
        reason=reason,
        deadline=deadline,
        due=referral.todo_due,
    )


def _show(query, show: str, now: datetime.datetime):
    if show == "overdue":
        return query.filter(todo_due__lt=now).exclude(todo_reason=RATING)
    if show == "today":
        end = timezone.make_aware(
            datetime.datetime.combine(timezone.localdate(now), datetime.time.max)
        )
        return query.filter(todo_due__lte=end).exclude(todo_reason=RATING)
    return query


def todo_query(user, *, show: str = "all", now: datetime.datetime | None = None):
    """(query, row maker): the reader's waiting work, nearest deadline first (urgent cases
    counted in hours before all); `show` narrows it to overdue rows or those due tonight.
    Page the query, then make a Row of each item."""
    now = now or timezone.now()
    if user.role == Role.HANDLER:
        query = _referral_rows_query(user).annotate(todo_reason=Value("referral"))
        make = _referral_row
    else:
        query = _case_rows_query(user, now)
        make = _case_row
    return _show(query, show if show in SHOWS else "all", now), make


def todo_for(user, *, limit: int = 20, show: str = "all") -> Todo:
    """The first `limit` rows of the reader's to-do and how many there are in all."""
    now = timezone.now()
    query, make = todo_query(user, show=show, now=now)
    return Todo(rows=[make(item) for item in query[:limit]], total=query.count(), now=now)
