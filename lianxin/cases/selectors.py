"""Reads of cases, always through permissions.cases_visible_to."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.cases.models import (
    OPEN_REFERRAL_STATUSES,
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    Category,
    Referral,
    ReferralStatus,
)
from lianxin.cases.permissions import can_view_case, cases_visible_to

__all__ = ["can_view_case", "cases_visible_to"]


def case_get_for_user(user, number: str) -> Case:
    case = (
        cases_visible_to(user)
        .select_related(
            "category__parent",
            "community__subdistrict",
            "reporter_resident__community",
            "received_by",
            "assignee",
            "merged_into",
        )
        .prefetch_related(
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related(
                    "department", "referred_by", "accepted_by", "replied_by"
                ),
            ),
            "ratings",
        )
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_timeline(case: Case, *, public_only: bool = False) -> QuerySet[CaseEvent]:
    events = case.events.select_related("actor", "referral__department").prefetch_related(
        "attachments"
    )
    if public_only:
        events = events.filter(is_public=True)
    return events.order_by("at", "pk")


def merged_cases(case: Case) -> QuerySet[Case]:
    return case.merged_cases.order_by("received_at")


@dataclass
class CaseFilters:
    status: str = ""
    category_id: int | None = None
    community_id: int | None = None
    department_id: int | None = None
    overdue: bool = False
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None
    text: str = ""
    mine: bool = False


def case_list(user, filters: CaseFilters | None = None) -> QuerySet[Case]:
    filters = filters or CaseFilters()
    cases = cases_visible_to(user)
    now = timezone.now()
    if filters.status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        cases = cases.filter(status=filters.status)
    if filters.category_id:
        cases = cases.filter(
            Q(category_id=filters.category_id) | Q(category__parent_id=filters.category_id)
        )
    if filters.community_id:
        cases = cases.filter(community_id=filters.community_id)
    if filters.department_id:
        cases = cases.filter(
            Exists(Referral.objects.filter(case=OuterRef("pk"), department=filters.department_id))
        )
    if filters.overdue:
        cases = cases.filter(overdue_q(now))
    if filters.received_from:
        cases = cases.filter(received_at__date__gte=filters.received_from)
    if filters.received_to:
        cases = cases.filter(received_at__date__lte=filters.received_to)
    if filters.text:
        text = filters.text.strip()
        cases = cases.filter(
            Q(title__contains=text)
            | Q(description__contains=text)
            | Q(number__icontains=text)
            | Q(address__contains=text)
            | Q(reporter_name__contains=text)
        )
    if filters.mine:
        cases = cases.filter(Q(assignee=user) | Q(received_by=user))
    return cases.select_related("category__parent", "community", "assignee").order_by(
        "-received_at", "-pk"
    )


def overdue_q(now: datetime.datetime) -> Q:
    """Open cases past their handling deadline, or not yet responded past the response one."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(handling_due_at__lt=now) | Q(first_responded_at__isnull=True, response_due_at__lt=now)
    )


def referrals_for_department(user, *, status: str = "", overdue: bool = False):
    if user.role != Role.HANDLER or not user.department_id:
        return Referral.objects.none()
    referrals = Referral.objects.filter(department=user.department_id)
    if status == "open":
        referrals = referrals.filter(status__in=OPEN_REFERRAL_STATUSES)
    elif status:
        referrals = referrals.filter(status=status)
    if overdue:
        now = timezone.now()
        referrals = referrals.filter(
            Q(status=ReferralStatus.PENDING, accept_due_at__lt=now)
            | Q(status__in=OPEN_REFERRAL_STATUSES, due_at__lt=now)
        )
    return referrals.select_related("case__category", "case__community", "referred_by").order_by(
        "due_at", "pk"
    )


def categories_for_choice() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).select_related("parent", "default_department")


# --- The to-do inbox -------------------------------------------------------------------------
@dataclass
class Inbox:
    overdue: list
    due_today: list
    awaiting_acceptance: list
    awaiting_reply: list
    returned: list
    awaiting_feedback: list
    awaiting_rating: list

    @property
    def total(self) -> int:
        return sum(
            len(x)
            for x in (
                self.overdue,
                self.due_today,
                self.awaiting_acceptance,
                self.awaiting_reply,
                self.returned,
                self.awaiting_feedback,
                self.awaiting_rating,
            )
        )


INBOX_LIMIT = 20


def inbox_for(user) -> Inbox:
    """What needs this user now, by role. Each list is capped; counts come from the pages."""
    now = timezone.now()
    local_today = timezone.localdate()
    end_of_today = timezone.make_aware(datetime.datetime.combine(local_today, datetime.time.max))
    empty: list = []
    if user.role == Role.HANDLER:
        referrals = referrals_for_department(user, status="open")
        return Inbox(
            overdue=list(referrals.filter(due_at__lt=now)[:INBOX_LIMIT]),
            due_today=list(
                referrals.filter(due_at__gte=now, due_at__lte=end_of_today)[:INBOX_LIMIT]
            ),
            awaiting_acceptance=list(referrals.filter(status=ReferralStatus.PENDING)[:INBOX_LIMIT]),
            awaiting_reply=list(referrals.filter(status=ReferralStatus.ACCEPTED)[:INBOX_LIMIT]),
            returned=empty,
            awaiting_feedback=empty,
            awaiting_rating=empty,
        )
    cases = cases_visible_to(user).select_related("category", "community")
    if user.role in (Role.WORKER, Role.REPRESENTATIVE):
        mine = cases.filter(Q(assignee=user) | Q(received_by=user) | Q(assignee__isnull=True))
    else:
        mine = cases
    open_cases = mine.filter(status__in=OPEN_STATUSES)
    returned_ids = Referral.objects.filter(
        status=ReferralStatus.RETURNED, case=OuterRef("pk"), round=OuterRef("round")
    )
    return Inbox(
        overdue=list(open_cases.filter(overdue_q(now)).order_by("handling_due_at")[:INBOX_LIMIT]),
        due_today=list(
            open_cases.filter(handling_due_at__gte=now, handling_due_at__lte=end_of_today).order_by(
                "handling_due_at"
            )[:INBOX_LIMIT]
        ),
        awaiting_acceptance=empty,
        awaiting_reply=empty,
        returned=list(
            open_cases.filter(status=CaseStatus.RESPONDING)
            .filter(Exists(returned_ids))
            .order_by("status_changed_at")[:INBOX_LIMIT]
        ),
        awaiting_feedback=list(
            open_cases.filter(status=CaseStatus.REPLIED).order_by("status_changed_at")[:INBOX_LIMIT]
        ),
        awaiting_rating=list(
            mine.filter(status=CaseStatus.RESOLVED).order_by("resolved_at")[:INBOX_LIMIT]
        ),
    )


def calendar_years_needed() -> set[int]:
    """Years open cases wait for: their deadlines could not be computed without them."""
    problems = (
        Case.objects.filter(status__in=OPEN_STATUSES)
        .exclude(deadline_problem="")
        .values_list("deadline_problem", flat=True)
        .distinct()
    )
    return {int(year) for problem in problems for year in problem.split(",") if year.isdigit()}
