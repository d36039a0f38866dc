"""Reading the figures: sums of rollup rows, never a scan of the cases table."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils import timezone

from lianxin.insight import metrics
from lianxin.insight.metrics import COUNT, RATE, SCORE, Metric
from lianxin.insight.models import COUNTERS, OPEN_COUNTERS, DayFigures, Dimension, ScoreSettings
from lianxin.insight.stats import Rate, Score

# Version 1: in force until an administrator saves the first change (which is version 2).
DEFAULT_SETTINGS = ScoreSettings(
    version=1,
    weight_response=30,
    weight_resolution=35,
    weight_satisfaction=35,
    min_sample=10,
)


def score_settings() -> ScoreSettings:
    """The settings in force: the newest version."""
    return ScoreSettings.objects.order_by("-version").first() or DEFAULT_SETTINGS


def _sums(today: datetime.date) -> dict:
    """Aggregates of every counter; waiting work counts only on days before today."""
    return {c: Sum(c, filter=Q(day__lt=today)) if c in OPEN_COUNTERS else Sum(c) for c in COUNTERS}


@dataclass
class Figures:
    """The counters of one unit over one period, and the metrics computed from them."""

    counters: Counter
    settings: ScoreSettings
    department: bool = False

    def total(self, names: Iterable[str]) -> int:
        return sum(self.counters.get(n, 0) for n in names)

    def rate(self, code: str) -> Rate:
        metric = metrics.get(code)
        return Rate(
            self.total(metric.numerator), self.total(metric.denominator), self.settings.min_sample
        )

    def count(self, code: str) -> int:
        return self.total(metrics.get(code).numerator)

    @property
    def satisfaction_score(self) -> Score:
        points = self.settings.points
        rated = self.counters.get("rated", 0)
        if not rated or rated < self.settings.min_sample:
            return Score(None, self.settings.version, rated)
        total = sum(
            points[str(level)] * self.counters.get(f"sat{level}", 0) for level in range(1, 6)
        )
        return Score(total / rated, self.settings.version, rated)

    @property
    def composite(self) -> Score:
        s = self.settings
        response = self.rate("acceptance_rate" if self.department else "response_rate")
        parts = [
            (response, s.weight_response),
            (self.rate("resolution_rate"), s.weight_resolution),
            (self.rate("satisfaction_rate"), s.weight_satisfaction),
        ]
        weights = sum(w for _, w in parts)
        basis = min(r.denominator for r, _ in parts)
        if not weights or any(not r.sufficient for r, w in parts if w):
            return Score(None, s.version, basis)
        value = sum(r.value * w for r, w in parts if w) / weights * 100
        return Score(value, s.version, basis)

    def value(self, metric: Metric):
        if metric.kind == RATE:
            return self.rate(metric.code)
        if metric.kind == COUNT:
            return self.count(metric.code)
        if metric.kind == SCORE:
            return self.composite if metric.code == "composite" else self.satisfaction_score
        raise ValueError(metric.kind)

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.counters + other.counters, self.settings, self.department)


def _rows(dim: str, start: datetime.date, end: datetime.date, keys=None):
    rows = DayFigures.objects.filter(dim=dim, day__gte=start, day__lte=end)
    if keys is not None:
        rows = rows.filter(key__in=[str(k) for k in keys])
    return rows


def by_unit(
    dim: str,
    start: datetime.date,
    end: datetime.date,
    keys=None,
    *,
    settings: ScoreSettings | None = None,
    today: datetime.date | None = None,
) -> dict[str, Figures]:
    """Figures of each unit of `dim` over [start, end] (inclusive), keyed by unit key."""
    settings = settings or score_settings()
    today = today or timezone.localdate()
    department = dim in (Dimension.DEPARTMENT_LEAD, Dimension.DEPARTMENT_ASSISTING)
    result = {}
    for row in _rows(dim, start, end, keys).values("key").annotate(**_sums(today)).order_by():
        key = row.pop("key")
        result[key] = Figures(Counter({c: n or 0 for c, n in row.items()}), settings, department)
    return result


def combined(dim: str, start, end, keys=None, *, settings=None, today=None) -> Figures:
    """One unit's figures (or the sum of several units' of one dimension)."""
    settings = settings or score_settings()
    today = today or timezone.localdate()
    row = _rows(dim, start, end, keys).aggregate(**_sums(today))
    department = dim in (Dimension.DEPARTMENT_LEAD, Dimension.DEPARTMENT_ASSISTING)
    return Figures(Counter({c: n or 0 for c, n in row.items()}), settings, department)


GRAINS = ("day", "week", "month")


def bucket(day: datetime.date, grain: str) -> datetime.date:
    if grain == "week":
        return day - datetime.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def series(
    dim: str, start, end, grain: str, keys=None, *, by_key: bool = False, settings=None, today=None
) -> dict:
    """Figures per time bucket: {bucket: Figures}, or {key: {bucket: Figures}} with by_key."""
    settings = settings or score_settings()
    today = today or timezone.localdate()
    department = dim in (Dimension.DEPARTMENT_LEAD, Dimension.DEPARTMENT_ASSISTING)
    out: dict = defaultdict(lambda: defaultdict(Counter)) if by_key else defaultdict(Counter)
    for row in _rows(dim, start, end, keys).values("key", "day", *COUNTERS).order_by():
        counters = Counter(
            {
                c: row[c]
                for c in COUNTERS
                if row[c] and not (c in OPEN_COUNTERS and row["day"] >= today)
            }
        )
        target = out[row["key"]] if by_key else out
        target[bucket(row["day"], grain)].update(counters)

    def wrap(buckets):
        return {b: Figures(c, settings, department) for b, c in sorted(buckets.items())}

    if by_key:
        return {key: wrap(buckets) for key, buckets in out.items()}
    return wrap(out)


def open_work_overdue(dim: str, *, today=None) -> dict[str, int]:
    """Work still waiting past its due day, per unit, whenever it fell due: referrals not
    replied to (departments) or cases not finished (places). Reads only rows with open work."""
    today = today or timezone.localdate()
    counter = "reply_open" if dim in metrics.DEPARTMENTS else "done_open"
    rows = (
        DayFigures.objects.filter(Q(reply_open__gt=0) | Q(done_open__gt=0))
        .filter(dim=dim, day__lt=today)
        .values("key")
        .annotate(n=Sum(counter))
        .order_by()
    )
    return {r["key"]: r["n"] for r in rows if r["n"]}


@dataclass(frozen=True)
class Ranked:
    key: str
    figures: Figures
    rate: Rate


def ranking(units: dict[str, Figures], code: str) -> tuple[list[Ranked], list[Ranked]]:
    """Units with enough cases, best first by the lower bound of the 95 % interval (the upper
    bound, reversed, for rates where lower is better), and the units with too few apart."""
    metric = metrics.get(code)
    ranked, apart = [], []
    for key, fig in units.items():
        rate = fig.rate(code)
        (ranked if rate.sufficient else apart).append(Ranked(key, fig, rate))
    if metric.higher_is_better:
        ranked.sort(key=lambda r: (-r.rate.low, -r.rate.denominator, r.key))
    else:
        ranked.sort(key=lambda r: (r.rate.high, -r.rate.denominator, r.key))
    apart.sort(key=lambda r: (-r.rate.denominator, r.key))
    return ranked, apart
