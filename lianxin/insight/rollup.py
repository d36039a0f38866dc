"""Keeping the rollups (DayFigures) equal to the cases.

1. Every case step writes a timeline event; `on_case_event` (registered with cases.hooks)
   runs inside that step's transaction.
2. It locks the case's stored facts, reads the case's facts anew (facts.py), and adds the
   difference of the two contributions to the rollups in one upsert statement.
3. Calling it twice changes nothing the second time: the stored facts are then current.

`rebuild()` recomputes everything from the cases (after a bulk load, or to check); with
`since` it refreshes only the cases with events from that day on.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from lianxin.cases.models import Case, CaseEvent, EventKind
from lianxin.insight import facts as case_facts
from lianxin.insight.models import COUNTERS, CaseFacts, DayFigures

# Steps that cannot change any fact of a case: their events need no refresh.
IGNORED_KINDS = frozenset(
    {
        EventKind.NOTE,
        EventKind.REMINDED,
        EventKind.URGED,
        EventKind.SUPERVISED,
        EventKind.ASSIGNED,
        EventKind.ABSORBED,
    }
)
CHUNK = 1000
UPSERT_ROWS = 400  # rows per statement: SQLite allows 32,766 parameters


def on_case_event(*, case, event) -> None:
    if event.kind in IGNORED_KINDS:
        return
    refresh_cases([case.pk])


def refresh_cases(case_ids: Iterable[int]) -> int:
    """Bring the rollups up to date for these cases; returns how many cases changed."""
    ids = list(case_ids)
    if not ids:
        return 0
    with transaction.atomic():
        stored = {
            row.case_id: row
            for row in CaseFacts.objects.select_for_update().filter(case_id__in=ids).order_by()
        }
        current = case_facts.extract_many(ids)
        delta: dict = defaultdict(Counter)
        changed_rows, new_rows, gone = [], [], []
        for case_id in ids:
            row, new = stored.get(case_id), current.get(case_id)
            old = row.facts if row else None
            if old == new:
                continue
            for key, counters in case_facts.difference(old, new).items():
                delta[key].update(counters)
            if row is None:
                new_rows.append(CaseFacts(case_id=case_id, facts=new))
            elif new is None:
                gone.append(case_id)
            else:
                row.facts = new
                changed_rows.append(row)
        apply(delta)
        if new_rows:
            CaseFacts.objects.bulk_create(new_rows)
        if changed_rows:
            CaseFacts.objects.bulk_update(changed_rows, ["facts"])
        if gone:
            CaseFacts.objects.filter(case_id__in=gone).delete()
    return len(new_rows) + len(changed_rows) + len(gone)


def apply(delta: dict) -> None:
    """Add counters to DayFigures rows, creating missing rows, in as few statements as the
    database allows. Concurrent steps add safely: each row is updated in place."""
    rows = [(key, counters) for key, counters in delta.items() if any(counters.values())]
    if not rows:
        return
    table = connection.ops.quote_name(DayFigures._meta.db_table)
    names = ["dim", "key", "day", *COUNTERS]
    quoted = [connection.ops.quote_name(n) for n in names]
    updates = ", ".join(f"{q} = {table}.{q} + excluded.{q}" for q in quoted[3:])
    placeholders = "(" + ", ".join(["%s"] * len(names)) + ")"
    for start in range(0, len(rows), UPSERT_ROWS):
        batch = rows[start : start + UPSERT_ROWS]
        params: list = []
        for (dim, key, when), counters in batch:
            day_value = connection.ops.adapt_datefield_value(datetime.date.fromordinal(when))
            params.extend([dim, key, day_value])
            params.extend(counters.get(c, 0) for c in COUNTERS)
        sql = (
            f"INSERT INTO {table} ({', '.join(quoted)}) VALUES "
            + ", ".join([placeholders] * len(batch))
            + f" ON CONFLICT ({', '.join(quoted[:3])}) DO UPDATE SET {updates}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def rebuild(*, since: datetime.date | None = None, log=None) -> int:
    """Recompute the rollups from the cases. Without `since`, from scratch; with it, the cases
    that have events from that day on (and every case never seen before). Idempotent."""
    if since is not None:
        start = datetime.datetime.combine(since, datetime.time.min, tzinfo=_tz())
        touched = (
            CaseEvent.objects.filter(at__gte=start).order_by().values_list("case_id", flat=True)
        )
        ids = set(touched) | set(
            Case.objects.filter(received_at__gte=start).values_list("pk", flat=True)
        )
        ids |= set(
            Case.objects.exclude(pk__in=CaseFacts.objects.values("case_id")).values_list(
                "pk", flat=True
            )
        )
        ordered = sorted(ids)
        changed = 0
        for begin in range(0, len(ordered), CHUNK):
            changed += refresh_cases(ordered[begin : begin + CHUNK])
            if log:
                log(min(begin + CHUNK, len(ordered)), len(ordered))
        return changed
    return _rebuild_all(log=log)


def _rebuild_all(*, log=None) -> int:
    totals: dict = defaultdict(Counter)
    count = 0
    with transaction.atomic():
        DayFigures.objects.all().delete()
        CaseFacts.objects.all().delete()
        total = Case.objects.count()
        last = 0
        while True:
            ids = list(
                Case.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK]
            )
            if not ids:
                break
            last = ids[-1]
            current = case_facts.extract_many(ids)
            for facts in current.values():
                for key, counters in case_facts.contribution(facts).items():
                    totals[key].update(counters)
            CaseFacts.objects.bulk_create(
                [CaseFacts(case_id=i, facts=f) for i, f in current.items()], batch_size=CHUNK
            )
            count += len(current)
            if log:
                log(count, total)
        DayFigures.objects.bulk_create(
            (
                DayFigures(
                    dim=dim,
                    key=key,
                    day=datetime.date.fromordinal(when),
                    **{c: n for c, n in counters.items() if n},
                )
                for (dim, key, when), counters in totals.items()
                if any(counters.values())
            ),
            batch_size=CHUNK,
        )
    return count


def _tz():
    from django.utils import timezone

    return timezone.get_current_timezone()
