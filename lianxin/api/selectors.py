"""Reads for Open311: client applications by key, services, and cases as service requests.

A client application reads the requests it filed, or every case when an administrator has
given it that scope (`Open311Client.read_scope`)."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from lianxin.api.keys import secret_hash
from lianxin.api.models import Open311Client, Open311Request, Open311Scope
from lianxin.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    Category,
    CategoryQuestion,
    Referral,
    ReferralRole,
    ReferralStatus,
)
from lianxin.cases.selectors import categories_for_choice

MAX_REQUESTS = 1000
DEFAULT_SPAN = datetime.timedelta(days=90)


# Client applications and service definitions change rarely and are read on every POST; each
# server process keeps them this long (a new key, a withdrawn key or an edited question takes
# effect within this time).
MEMO_SECONDS = 10
_memo: dict[tuple, tuple[float, object]] = {}


def _memoised(key: tuple, load):
    now = time.monotonic()
    hit = _memo.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = load()
    _memo[key] = (now + MEMO_SECONDS, value)
    return value


def memo_clear() -> None:
    _memo.clear()


def open311_client_by_key(key: str) -> Open311Client | None:
    if not key:
        return None
    digest = secret_hash(key)
    return _memoised(
        ("client", digest),
        lambda: Open311Client.objects.filter(key_hash=digest, is_active=True).first(),
    )


def open311_service_for_request(code: str) -> Category | None:
    """The category a POST names, with its questions (memoised briefly, see MEMO_SECONDS)."""

    def load():
        category = (
            Category.objects.filter(code=code, is_active=True, parent__isnull=False)
            .prefetch_related(Prefetch("questions", CategoryQuestion.objects.order_by("order")))
            .first()
        )
        if category is not None:
            category.question_list = list(category.questions.all())
        return category

    return _memoised(("service", code), load)


def open311_services() -> QuerySet[Category]:
    """Services: the active categories residents choose from (second level)."""
    return (
        categories_for_choice()
        .filter(parent__isnull=False)
        .annotate(has_questions=Exists(CategoryQuestion.objects.filter(category=OuterRef("pk"))))
        .order_by("parent__sort_order", "parent_id", "sort_order", "pk")
    )


def open311_service_get(code: str) -> Category | None:
    return (
        open311_services()
        .prefetch_related(Prefetch("questions", CategoryQuestion.objects.order_by("order", "pk")))
        .filter(code=code)
        .first()
    )


def open311_cases_for(client: Open311Client) -> QuerySet[Case]:
    cases = Case.objects.all()
    if client.read_scope != Open311Scope.ALL:
        cases = cases.filter(open311__client=client)
    return cases


@dataclass
class RequestQuery:
    numbers: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    statuses: list[str] = field(default_factory=list)


def open311_requests(client: Open311Client, query: RequestQuery) -> list[dict]:
    """GET requests: by number (overrides everything else), or within a window of at most 90
    days (default: the last 90), newest first, at most 1,000, as rows of REQUEST_FIELDS with
    `lead_department` and `public_event` (the latest public timeline entry)."""
    cases = open311_cases_for(client)
    if query.numbers:
        cases = cases.filter(number__in=query.numbers)
    else:
        cases = cases.filter(received_at__gte=query.start, received_at__lte=query.end)
        if query.service_codes:
            cases = cases.filter(category__code__in=query.service_codes)
        if query.statuses == ["open"]:
            cases = cases.filter(status__in=OPEN_STATUSES)
        elif query.statuses == ["closed"]:
            cases = cases.exclude(status__in=OPEN_STATUSES)
    return _with_request_fields(cases.order_by("-received_at", "-pk")[:MAX_REQUESTS])


def open311_request_get(client: Open311Client, number: str) -> dict | None:
    found = _with_request_fields(open311_cases_for(client).filter(number=number)[:1])
    return found[0] if found else None


def open311_request_by_token(token: str) -> Open311Request | None:
    return Open311Request.objects.select_related("case").filter(token=token).first()


REQUEST_FIELDS = (
    "number",
    "status",
    "status_changed_at",
    "closed_at",
    "description",
    "address",
    "latitude",
    "longitude",
    "received_at",
    "handling_due_at",
    "urgency",
    "category_id",
    "category__code",
    "category__name",
    "open311__address_id",
    "open311__media_url",
)


def _with_request_fields(cases: QuerySet[Case]) -> list[dict]:
    """Two queries whatever the number of cases: the cases as plain rows (with their
    category, Open311 fields, lead department and latest public entry's id), then those
    entries (as `public_event`)."""
    lead = (
        Referral.objects.filter(case=OuterRef("pk"), role=ReferralRole.LEAD)
        .exclude(status__in=[ReferralStatus.RETURNED, ReferralStatus.CANCELLED])
        .order_by("-referred_at", "-pk")
        .values("department__name")[:1]
    )
    public = (
        CaseEvent.objects.filter(case=OuterRef("pk"), is_public=True)
        .order_by("-at", "-pk")
        .values("pk")[:1]
    )
    rows = list(
        cases.annotate(lead_department=Subquery(lead), public_event_id=Subquery(public)).values(
            *REQUEST_FIELDS, "lead_department", "public_event_id"
        )
    )
    events = CaseEvent.objects.only("kind", "at", "note", "data").in_bulk(
        [row["public_event_id"] for row in rows if row["public_event_id"] is not None]
    )
    for row in rows:
        row["public_event"] = events.get(row["public_event_id"])
    return rows
