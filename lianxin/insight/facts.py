"""What a case contributes to the figures, in two steps:

1. `extract` reads the case, its referrals, ratings and reopenings into *facts*: a small
   JSON-able dict of days (as ordinals, in Asia/Shanghai) and outcomes. Every rule of
   metrics.py about which day a case counts on, and as what, is applied here and only here.
2. `contribution(facts)` turns facts into counters per (dimension, key, day). It is pure, so
   the contribution a case made last time can be taken back exactly (rollup.py).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.utils import timezone

from lianxin.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    EventKind,
    Rating,
    Referral,
    ReferralRole,
    ReferralStatus,
)
from lianxin.insight.models import Dimension

EXITS = frozenset({CaseStatus.MERGED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN})
# A representative's own cases: those they recorded at their reception days and visits.
REPRESENTATIVE_CHANNELS = frozenset({Channel.RECEPTION, Channel.VISIT})
IN_TIME, LATE, OPEN = "i", "l", "o"
STATE_SUFFIX = {IN_TIME: "in_time", LATE: "late", OPEN: "open"}

CASE_FIELDS = (
    "pk",
    "community_id",
    "category_id",
    "channel",
    "urgency",
    "status",
    "round",
    "received_at",
    "received_by__representative__id",
    "response_due_at",
    "first_responded_at",
    "responded_in_time",
    "handling_due_at",
    "resolved_at",
    "resolved_in_time",
)
REFERRAL_FIELDS = (
    "case_id",
    "department_id",
    "role",
    "status",
    "round",
    "referred_at",
    "accept_due_at",
    "accepted_at",
    "returned_at",
    "due_at",
    "replied_at",
)
RATING_FIELDS = ("case_id", "round", "resolved", "satisfaction", "is_callback", "created_at")


def day(value: datetime.datetime) -> int:
    return timezone.localtime(value).date().toordinal()


def _outcome(due, done, in_time, *, skip: bool, day_of_due: bool = True):
    """[day, state] of one deadline: met or missed once done, open while it waits (filed on
    the due day), None when nothing is due (no deadline yet, or the work ended otherwise)."""
    if done is not None:
        if in_time is None:
            in_time = due is None or done <= due
        when = due if (due is not None and day_of_due) else done
        return [day(when), IN_TIME if in_time else LATE]
    if skip or due is None:
        return None
    return [day(due), OPEN]


def build(case: dict, referrals: list[dict], ratings: list[dict], reopenings: list) -> dict:
    exited = case["status"] in EXITS
    rep = case["received_by__representative__id"]
    facts = {
        "c": case["community_id"],
        "cat": case["category_id"],
        "ch": case["channel"],
        "u": case["urgency"],
        "rep": rep if rep and case["channel"] in REPRESENTATIVE_CHANNELS else None,
        "rd": day(case["received_at"]),
        # A reopened case got a new response deadline but keeps its first response, which
        # is then filed on the day it was made.
        "resp": _outcome(
            case["response_due_at"],
            case["first_responded_at"],
            case["responded_in_time"],
            skip=exited,
            day_of_due=case["round"] == 1,
        ),
        "done": _outcome(
            case["handling_due_at"],
            case["resolved_at"],
            case["resolved_in_time"],
            skip=exited,
        ),
        "reo": sorted(day(at) for at in reopenings),
        "rt": sorted(
            [
                day(r["created_at"]),
                r["round"],
                int(r["is_callback"]),
                int(r["resolved"]),
                r["satisfaction"],
            ]
            for r in ratings
        ),
        "refs": [],
        "ftr": None,
    }
    leads = []
    for r in referrals:
        ended = r["status"] in (ReferralStatus.RETURNED, ReferralStatus.CANCELLED)
        acted = [t for t in (r["accepted_at"], r["returned_at"]) if t is not None]
        facts["refs"].append(
            [
                r["department_id"],
                r["role"],
                r["round"],
                day(r["referred_at"]),
                int(r["status"] == ReferralStatus.RETURNED),
                int(not ended),
                _outcome(
                    r["accept_due_at"],
                    min(acted) if acted else None,
                    None,
                    skip=r["status"] == ReferralStatus.CANCELLED,
                ),
                _outcome(r["due_at"], r["replied_at"], None, skip=ended),
            ]
        )
        if r["role"] == ReferralRole.LEAD:
            leads.append(r)
    if leads:
        first = leads[0]
        kept = all(r["department_id"] == first["department_id"] for r in leads)
        facts["ftr"] = [first["department_id"], day(first["referred_at"]), int(kept)]
    return facts


def extract_many(case_ids: Iterable[int]) -> dict[int, dict]:
    """Facts of each existing case among `case_ids` (four queries, whatever their number)."""
    ids = list(case_ids)
    cases = list(Case.objects.filter(pk__in=ids).order_by().values(*CASE_FIELDS))
    referrals = defaultdict(list)
    for r in (
        Referral.objects.filter(case_id__in=ids)
        .order_by("case_id", "referred_at", "pk")
        .values(*REFERRAL_FIELDS)
    ):
        referrals[r["case_id"]].append(r)
    ratings = defaultdict(list)
    for r in Rating.objects.filter(case_id__in=ids).order_by().values(*RATING_FIELDS):
        ratings[r["case_id"]].append(r)
    reopenings = defaultdict(list)
    for case_id, at in (
        CaseEvent.objects.filter(case_id__in=ids, kind=EventKind.REOPENED)
        .order_by()
        .values_list("case_id", "at")
    ):
        reopenings[case_id].append(at)
    return {
        c["pk"]: build(c, referrals[c["pk"]], ratings[c["pk"]], reopenings[c["pk"]]) for c in cases
    }


Key = tuple[str, str, int]  # (dimension, unit key, day ordinal)


def _department_dimension(role: str) -> str:
    if role == ReferralRole.LEAD:
        return Dimension.DEPARTMENT_LEAD.value
    return Dimension.DEPARTMENT_ASSISTING.value


def contribution(facts: dict | None) -> dict[Key, Counter]:
    """Counters the case adds, per (dimension, key, day). Empty facts add nothing."""
    out: dict[Key, Counter] = defaultdict(Counter)
    if not facts:
        return out
    places = [(Dimension.DISTRICT.value, "0"), (Dimension.CHANNEL.value, facts["ch"])]
    places.append((Dimension.URGENCY.value, facts["u"]))
    if facts["c"]:
        places.append((Dimension.COMMUNITY.value, str(facts["c"])))
        places.append((Dimension.COMMUNITY_CHANNEL.value, f"{facts['c']}:{facts['ch']}"))
        if facts["cat"]:
            places.append((Dimension.COMMUNITY_CATEGORY.value, f"{facts['c']}:{facts['cat']}"))
    if facts["cat"]:
        places.append((Dimension.CATEGORY.value, str(facts["cat"])))
    if facts["rep"]:
        places.append((Dimension.REPRESENTATIVE.value, str(facts["rep"])))

    def add(units, when: int, counter: str, n: int = 1) -> None:
        for dim, key in units:
            out[(dim, key, when)][counter] += n

    add(places, facts["rd"], "received")
    for name, prefix in (("resp", "resp_"), ("done", "done_")):
        if facts[name]:
            when, state = facts[name]
            add(places, when, prefix + STATE_SUFFIX[state])
    for when in facts["reo"]:
        add(places, when, "reopened")

    refs = facts["refs"]
    for when, rnd, callback, solved, level in facts["rt"]:
        units = list(places)
        for dept, role, ref_round, _ref_day, _returned, live, _acc, _reply in refs:
            if live and ref_round == rnd:
                units.append((_department_dimension(role), str(dept)))
        units = list(dict.fromkeys(units))
        prefix = "cb_" if callback else ""
        add(units, when, prefix + "rated")
        if solved:
            add(units, when, prefix + "solved")
        add(units, when, f"{prefix}sat{level}")

    for dept, role, _round, ref_day, returned, _live, acc, reply in refs:
        unit = [(_department_dimension(role), str(dept))]
        add(unit, ref_day, "ref_received")
        if returned:
            add(unit, ref_day, "ref_returned")
        if acc:
            add(unit, acc[0], "acc_" + STATE_SUFFIX[acc[1]])
        if reply:
            add(unit, reply[0], "reply_" + STATE_SUFFIX[reply[1]])
    if facts["ftr"]:
        dept, when, kept = facts["ftr"]
        unit = [(Dimension.DEPARTMENT_LEAD.value, str(dept))]
        add(unit, when, "ftr_cases")
        if kept:
            add(unit, when, "ftr_kept")
    return out


def difference(old: dict | None, new: dict | None) -> dict[Key, Counter]:
    """What to add to the rollups when a case's facts change from `old` to `new`."""
    delta: dict[Key, Counter] = defaultdict(Counter)
    for key, counters in contribution(new).items():
        delta[key].update(counters)
    for key, counters in contribution(old).items():
        delta[key].subtract(counters)
    return {
        k: Counter({c: n for c, n in v.items() if n}) for k, v in delta.items() if any(v.values())
    }
