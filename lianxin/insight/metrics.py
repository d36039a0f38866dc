"""The metric definitions: one entry per metric, the only place a figure is defined.

Each entry has a stable code, a name, the formula in words, its numerator and denominator
twice over — as rollup counters (what the pages read) and as queries over the case tables
(what the rollups are checked against, and what `make bench` compares them with) — and a
version, raised whenever the meaning changes. /staff/insight/definitions/ shows this table.

Which day a case counts on is part of the definition:
- received: the day received;
- response: the day the first response fell due (a reopened case, whose deadline was
  replaced, on the day of its first response); the handling of the latest round: the day it
  fell due; acceptance and reply of a referral: the day they fell due;
- ratings: the day rated; referrals: the day referred; first-time-right: the day of the
  first lead referral.
Work still waiting counts as missed once its due day has passed (not on the due day itself).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    EventKind,
    Rating,
    Referral,
    ReferralRole,
    ReferralStatus,
)
from lianxin.insight.models import OPEN_COUNTERS, Dimension

RATE, COUNT, SCORE = "rate", "count", "score"
PLACES = frozenset(
    {
        Dimension.DISTRICT,
        Dimension.COMMUNITY,
        Dimension.CATEGORY,
        Dimension.CHANNEL,
        Dimension.COMMUNITY_CHANNEL,
        Dimension.COMMUNITY_CATEGORY,
        Dimension.URGENCY,
        Dimension.REPRESENTATIVE,
    }
)
DEPARTMENTS = frozenset({Dimension.DEPARTMENT_LEAD, Dimension.DEPARTMENT_ASSISTING})
EVERY_DIMENSION = PLACES | DEPARTMENTS
EXITS = (CaseStatus.MERGED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN)


@dataclass(frozen=True)
class Window:
    """A period as the raw queries need it: [start, end) in aware datetimes, and the start
    of today (waiting work counts as missed only before it)."""

    start: datetime.datetime
    end: datetime.datetime
    today: datetime.datetime

    @property
    def due_end(self) -> datetime.datetime:
        return min(self.end, self.today)


RawQuery = Callable[[Window, Q], int]


@dataclass(frozen=True)
class Metric:
    code: str
    name: str | Promise
    formula: str | Promise
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] = ()
    kind: str = RATE
    version: int = 1
    dimensions: frozenset = EVERY_DIMENSION
    higher_is_better: bool = True
    # The raw queries below cover these dimensions (ratings by department are checked
    # through the rollup property test only).
    raw_dimensions: frozenset = PLACES
    raw_numerator: RawQuery | None = field(default=None, compare=False)
    raw_denominator: RawQuery | None = field(default=None, compare=False)

    @property
    def counters(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.numerator + self.denominator))


def _in(field_name: str, start, end) -> Q:
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


# --- Raw queries: the same figures straight from the case tables ---------------------------
# `where` narrows the cases (e.g. Q(community_id=3)); ratings are narrowed through their case.
# Department metrics take `where` over referrals instead (Q(department_id=…, role=…)).


def _response(w: Window, where: Q, *, in_time_only: bool) -> int:
    responded = Q(first_responded_at__isnull=False)
    by_due = (
        responded
        & Q(round=1, response_due_at__isnull=False)
        & _in("response_due_at", w.start, w.end)
    )
    by_answer = (
        responded
        & (Q(round__gt=1) | Q(response_due_at__isnull=True))
        & _in("first_responded_at", w.start, w.end)
    )
    query = by_due | by_answer
    if in_time_only:
        query &= Q(responded_in_time=True)
    else:
        waiting = (
            Q(first_responded_at__isnull=True)
            & ~Q(status__in=EXITS)
            & _in("response_due_at", w.start, w.due_end)
        )
        query |= waiting
    return Case.objects.filter(where).filter(query).count()


def _handling(w: Window, where: Q, *, outcome: str) -> int:
    done = Q(resolved_at__isnull=False)
    settled = done & (
        (Q(handling_due_at__isnull=False) & _in("handling_due_at", w.start, w.end))
        | (Q(handling_due_at__isnull=True) & _in("resolved_at", w.start, w.end))
    )
    waiting = (
        Q(resolved_at__isnull=True)
        & ~Q(status__in=EXITS)
        & _in("handling_due_at", w.start, w.due_end)
    )
    query = {
        "in_time": settled & Q(resolved_in_time=True),
        "missed": (settled & Q(resolved_in_time=False)) | waiting,
        "all": settled | waiting,
    }[outcome]
    return Case.objects.filter(where).filter(query).count()


def _ratings(w: Window, where: Q, *, callback: bool, extra: Q | None = None) -> int:
    rated = Rating.objects.filter(is_callback=callback).filter(_in("created_at", w.start, w.end))
    rated = rated.filter(case__in=Case.objects.filter(where))
    return rated.filter(extra or Q()).count()


def _received(w: Window, where: Q) -> int:
    return Case.objects.filter(where).filter(_in("received_at", w.start, w.end)).count()


def _reopened(w: Window, where: Q) -> int:
    events = CaseEvent.objects.filter(kind=EventKind.REOPENED).filter(_in("at", w.start, w.end))
    return events.filter(case__in=Case.objects.filter(where)).count()


def _acceptance(w: Window, where: Q, *, in_time_only: bool) -> int:
    referrals = Referral.objects.filter(where)
    count = 0
    # Acted (accepted or returned) on: the first action against the acceptance deadline.
    for r in referrals.filter(Q(accepted_at__isnull=False) | Q(returned_at__isnull=False)).values(
        "accept_due_at", "accepted_at", "returned_at"
    ):
        acted = min(t for t in (r["accepted_at"], r["returned_at"]) if t is not None)
        when = r["accept_due_at"] or acted
        in_time = r["accept_due_at"] is None or acted <= r["accept_due_at"]
        if w.start <= when < w.end and (in_time or not in_time_only):
            count += 1
    if not in_time_only:
        count += (
            referrals.filter(accepted_at__isnull=True, returned_at__isnull=True)
            .exclude(status=ReferralStatus.CANCELLED)
            .filter(_in("accept_due_at", w.start, w.due_end))
            .count()
        )
    return count


def _first_time_right(w: Window, where: Q, *, kept_only: bool) -> int:
    """Cases whose first lead referral matches `where` and falls in the period."""
    matching = set(
        Referral.objects.filter(where, role=ReferralRole.LEAD).values_list("pk", flat=True)
    )
    leads: dict[int, list] = {}
    for r in (
        Referral.objects.filter(role=ReferralRole.LEAD)
        .order_by("case_id", "referred_at", "pk")
        .values("pk", "case_id", "department_id", "referred_at")
    ):
        leads.setdefault(r["case_id"], []).append(r)
    count = 0
    for rows in leads.values():
        first = rows[0]
        if first["pk"] not in matching or not (w.start <= first["referred_at"] < w.end):
            continue
        if kept_only and any(r["department_id"] != first["department_id"] for r in rows):
            continue
        count += 1
    return count


SATISFIED = Q(satisfaction__in=(5, 4, 3))

METRICS: list[Metric] = [
    Metric(
        "intake",
        _("Cases received"),
        _("Cases received in the period, by every channel, including duplicates later merged."),
        numerator=("received",),
        kind=COUNT,
        dimensions=PLACES,
        raw_numerator=_received,
    ),
    Metric(
        "response_rate",
        _("Response rate"),
        _(
            "Cases whose first contact with the resident came within the response limit, "
            "divided by the cases whose response fell due in the period. A case still "
            "waiting for contact counts as missed from the day after its deadline; a case "
            "merged, not accepted or withdrawn before any contact does not count."
        ),
        numerator=("resp_in_time",),
        denominator=("resp_in_time", "resp_late", "resp_open"),
        dimensions=PLACES,
        raw_numerator=lambda w, q: _response(w, q, in_time_only=True),
        raw_denominator=lambda w, q: _response(w, q, in_time_only=False),
    ),
    Metric(
        "resolution_rate",
        _("Resolution rate"),
        _(
            "Residents' own ratings that say the problem is solved, divided by the residents' "
            "ratings made in the period. Each round of a reopened case is rated, and each "
            "rating counts. Callbacks are counted separately."
        ),
        numerator=("solved",),
        denominator=("rated",),
        raw_numerator=lambda w, q: _ratings(w, q, callback=False, extra=Q(resolved=True)),
        raw_denominator=lambda w, q: _ratings(w, q, callback=False),
    ),
    Metric(
        "satisfaction_rate",
        _("Satisfaction rate"),
        _(
            "Residents' own ratings of very satisfied, satisfied or fairly satisfied, divided "
            "by the residents' ratings made in the period. Callbacks are counted separately."
        ),
        numerator=("sat5", "sat4", "sat3"),
        denominator=("rated",),
        raw_numerator=lambda w, q: _ratings(w, q, callback=False, extra=SATISFIED),
        raw_denominator=lambda w, q: _ratings(w, q, callback=False),
    ),
    Metric(
        "satisfaction_score",
        _("Satisfaction score"),
        _(
            "The average of the points of the residents' own ratings in the period, out of "
            "100. The points per level are set by administrators; see below."
        ),
        numerator=("sat5", "sat4", "sat3", "sat2", "sat1"),
        denominator=("rated",),
        kind=SCORE,
    ),
    Metric(
        "on_time_rate",
        _("On-time rate"),
        _(
            "Cases whose latest round was fed back to the resident within the handling "
            "limit, divided by the cases whose handling fell due in the period. A case not "
            "finished counts as late from the day after its deadline."
        ),
        numerator=("done_in_time",),
        denominator=("done_in_time", "done_late", "done_open"),
        dimensions=PLACES,
        raw_numerator=lambda w, q: _handling(w, q, outcome="in_time"),
        raw_denominator=lambda w, q: _handling(w, q, outcome="all"),
    ),
    Metric(
        "overdue",
        _("Overdue cases"),
        _(
            "Cases whose handling fell due in the period and that were finished late or are "
            "not finished a day after their deadline."
        ),
        numerator=("done_late", "done_open"),
        kind=COUNT,
        dimensions=PLACES,
        higher_is_better=False,
        raw_numerator=lambda w, q: _handling(w, q, outcome="missed"),
    ),
    Metric(
        "reopened",
        _("Reopened (重办)"),
        _("Times cases were reopened in the period because the resident was not satisfied."),
        numerator=("reopened",),
        kind=COUNT,
        dimensions=PLACES,
        higher_is_better=False,
        raw_numerator=_reopened,
    ),
    Metric(
        "callback_share",
        _("Share of callback ratings"),
        _(
            "Ratings recorded by staff as callbacks (回访), divided by all ratings of the "
            "period, the residents' own and the callbacks."
        ),
        numerator=("cb_rated",),
        denominator=("rated", "cb_rated"),
        higher_is_better=False,
        raw_numerator=lambda w, q: _ratings(w, q, callback=True),
        raw_denominator=lambda w, q: _ratings(w, q, callback=True) + _ratings(w, q, callback=False),
    ),
    Metric(
        "callback_resolution_rate",
        _("Resolution rate by callback"),
        _("Callback ratings that say the problem is solved, divided by the callback ratings."),
        numerator=("cb_solved",),
        denominator=("cb_rated",),
    ),
    Metric(
        "callback_satisfaction_rate",
        _("Satisfaction rate by callback"),
        _(
            "Callback ratings of very satisfied, satisfied or fairly satisfied, divided by "
            "the callback ratings."
        ),
        numerator=("cb_sat5", "cb_sat4", "cb_sat3"),
        denominator=("cb_rated",),
    ),
    Metric(
        "acceptance_rate",
        _("Acceptance in time"),
        _(
            "Referrals the department accepted (or returned) within the acceptance limit, "
            "divided by the referrals whose acceptance fell due in the period. One still "
            "waiting counts as late from the day after its deadline."
        ),
        numerator=("acc_in_time",),
        denominator=("acc_in_time", "acc_late", "acc_open"),
        dimensions=DEPARTMENTS,
        raw_dimensions=DEPARTMENTS,
        raw_numerator=lambda w, q: _acceptance(w, q, in_time_only=True),
        raw_denominator=lambda w, q: _acceptance(w, q, in_time_only=False),
    ),
    Metric(
        "return_rate",
        _("Return rate (退单率)"),
        _("Referrals the department returned, divided by the referrals it received in the period."),
        numerator=("ref_returned",),
        denominator=("ref_received",),
        dimensions=DEPARTMENTS,
        raw_dimensions=DEPARTMENTS,
        higher_is_better=False,
        raw_numerator=lambda w, q: (
            Referral.objects.filter(q)
            .filter(_in("referred_at", w.start, w.end), status=ReferralStatus.RETURNED)
            .count()
        ),
        raw_denominator=lambda w, q: (
            Referral.objects.filter(q).filter(_in("referred_at", w.start, w.end)).count()
        ),
    ),
    Metric(
        "first_time_right",
        _("First-time-right referrals (一次派准率)"),
        _(
            "Cases whose first lead referral went to the department and whose lead "
            "department never changed afterwards, divided by the cases first referred to it "
            "as lead in the period."
        ),
        numerator=("ftr_kept",),
        denominator=("ftr_cases",),
        dimensions=frozenset({Dimension.DEPARTMENT_LEAD}),
        raw_dimensions=frozenset({Dimension.DEPARTMENT_LEAD}),
        raw_numerator=lambda w, q: _first_time_right(w, q, kept_only=True),
        raw_denominator=lambda w, q: _first_time_right(w, q, kept_only=False),
    ),
    Metric(
        "reply_on_time_rate",
        _("Replies on time"),
        _(
            "Referrals the department replied to within their deadline, divided by the "
            "referrals whose reply fell due in the period (returned and cancelled ones do "
            "not count); one still waiting counts as late from the day after its deadline."
        ),
        numerator=("reply_in_time",),
        denominator=("reply_in_time", "reply_late", "reply_open"),
        dimensions=DEPARTMENTS,
    ),
    Metric(
        "referrals_overdue",
        _("Overdue referrals"),
        _(
            "Referrals whose reply fell due in the period and came late, or has not come a "
            "day after the deadline."
        ),
        numerator=("reply_late", "reply_open"),
        kind=COUNT,
        dimensions=DEPARTMENTS,
        higher_is_better=False,
    ),
    Metric(
        "composite",
        _("Composite score"),
        _(
            "Weighted sum of the response rate, resolution rate and satisfaction rate, in "
            "points out of 100, with the weights set by administrators (for departments, "
            "acceptance in time stands for the response rate). Shown only when each of the "
            "three rates has enough cases; it names the version of the weights it used."
        ),
        numerator=(),
        kind=SCORE,
    ),
]

BY_CODE = {m.code: m for m in METRICS}
RATES = [m for m in METRICS if m.kind == RATE]


def get(code: str) -> Metric:
    return BY_CODE[code]


def is_open_counter(counter: str) -> bool:
    return counter in OPEN_COUNTERS
