"""Reads of cases, always through permissions.cases_visible_to."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.calendar import deadlines
from lianxin.cases.models import (
    OPEN_REFERRAL_STATUSES,
    OPEN_STATUSES,
    Case,
    CaseEvent,
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


def case_timeline(
    case: Case, *, public_only: bool = False, reader=None, whole: bool = True
) -> QuerySet[CaseEvent]:
    """The case's events in order. `whole=False` (a department out of the round) keeps only
    the events of the reader's department's own referrals."""
    events = case.events.select_related("actor", "referral__department").prefetch_related(
        "attachments"
    )
    if public_only:
        events = events.filter(is_public=True)
    if not whole:
        events = events.filter(referral__department=getattr(reader, "department_id", None))
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
    response_overdue: bool = False
    sort: str = "-received"


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
    if filters.response_overdue:
        cases = cases.filter(response_overdue_q(now))
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
        *SORTS.get(filters.sort, SORTS["-received"])
    )


def overdue_q(now: datetime.datetime) -> Q:
    """Open cases past the deadline that applies now: the response deadline until the
    resident has been contacted, the handling deadline after that (Case.is_overdue)."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(first_responded_at__isnull=True, response_due_at__lt=now)
        | Q(first_responded_at__isnull=False, handling_due_at__lt=now)
    )


def response_overdue_q(now: datetime.datetime) -> Q:
    """Open cases nobody has contacted the resident about within the response limit."""
    return Q(status__in=OPEN_STATUSES, first_responded_at__isnull=True, response_due_at__lt=now)


# How the case list can be sorted: name → order_by.
SORTS = {
    "-received": ("-received_at", "-pk"),
    "received": ("received_at", "pk"),
    "due": (F("handling_due_at").asc(nulls_last=True), "-received_at", "-pk"),
    "response_due": (F("response_due_at").asc(nulls_last=True), "-received_at", "-pk"),
}


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


def calendar_years_needed() -> set[int]:
    """Years open cases wait for: their deadlines could not be computed without them, or
    fall in them while their calendar is only provisional (暂定)."""
    problems = (
        Case.objects.filter(status__in=OPEN_STATUSES)
        .exclude(deadline_problem="")
        .values_list("deadline_problem", flat=True)
        .distinct()
    )
    years = {int(year) for problem in problems for year in problem.split(",") if year.isdigit()}
    for year in deadlines.provisional_years():
        start = datetime.datetime(year, 1, 1, tzinfo=deadlines.SHANGHAI)
        end = datetime.datetime(year + 1, 1, 1, tzinfo=deadlines.SHANGHAI)
        if Case.objects.filter(
            status__in=OPEN_STATUSES, handling_due_at__gte=start, handling_due_at__lt=end
        ).exists():
            years.add(year)
    return years
