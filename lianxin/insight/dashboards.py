"""What the dashboards show, as data: KPI cards and charts, each chart with the table of its
numbers (shown beside it, and downloaded as .xlsx). The pages, the downloads and the monthly
report all build from here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.cases.models import Category, Channel
from lianxin.directory.models import Community, Department
from lianxin.insight import metrics, selectors
from lianxin.insight.models import DayFigures, Dimension
from lianxin.insight.periods import Period
from lianxin.insight.selectors import Figures

INSUFFICIENT = gettext_lazy("Too few cases")
THREE_RATES = ("response_rate", "resolution_rate", "satisfaction_rate")
PLACE_CARDS = (
    "intake",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "satisfaction_score",
    "on_time_rate",
    "overdue",
    "reopened",
    "composite",
    "callback_share",
    "callback_resolution_rate",
    "callback_satisfaction_rate",
)
DEPARTMENT_CARDS = (
    "acceptance_rate",
    "return_rate",
    "first_time_right",
    "reply_on_time_rate",
    "referrals_overdue",
    "resolution_rate",
    "satisfaction_rate",
    "satisfaction_score",
    "composite",
    "callback_share",
)


@dataclass(frozen=True)
class Scope:
    """Whose figures: a dimension and the unit keys summed (e.g. one community, or every
    community of a subdistrict). Cross dimensions split those units by channel or category."""

    dim: str
    keys: tuple[str, ...] | None
    title: str
    communities: tuple[int, ...] | None = None  # for the crossed dimensions; None = district

    @property
    def department(self) -> bool:
        return self.dim in metrics.DEPARTMENTS


def district_scope() -> Scope:
    return Scope(Dimension.DISTRICT, ("0",), _("Whole district"))


def communities_scope(communities, title: str) -> Scope:
    ids = tuple(sorted(c.pk for c in communities))
    return Scope(Dimension.COMMUNITY, tuple(str(i) for i in ids), title, ids)


@dataclass
class Card:
    metric: metrics.Metric
    value: Any
    previous: Any

    @property
    def text(self) -> str:
        return display(self.metric, self.value)

    @property
    def evidence(self) -> str:
        """ "120/130, 95 % CI 86.4–96.0 %" for rates; the basis and version for scores."""
        if self.metric.kind == metrics.RATE:
            low, high = self.value.interval
            return _("%(num)d/%(den)d, 95%% interval %(low).1f–%(high).1f%%") % {
                "num": self.value.numerator,
                "den": self.value.denominator,
                "low": low * 100,
                "high": high * 100,
            }
        if self.metric.kind == metrics.SCORE:
            return _("on %(n)d cases, weights v%(version)d") % {
                "n": self.value.basis,
                "version": self.value.version,
            }
        return ""

    @property
    def previous_text(self) -> str:
        return display(self.metric, self.previous)

    @property
    def change(self) -> str:
        """Against the previous period: percentage points for rates, plain difference else."""
        now, before = _number(self.metric, self.value), _number(self.metric, self.previous)
        if now is None or before is None:
            return ""
        diff = now - before
        if self.metric.kind == metrics.RATE:
            return _("%(sign)s%(diff).1f points") % {
                "sign": "+" if diff >= 0 else "−",
                "diff": abs(diff),
            }
        if self.metric.kind == metrics.SCORE:
            return f"{'+' if diff >= 0 else '−'}{abs(diff):.1f}"
        return f"{'+' if diff >= 0 else '−'}{abs(diff):g}"


def _number(metric, value):
    if metric.kind == metrics.RATE:
        return value.percent
    if metric.kind == metrics.SCORE:
        return value.shown
    return value


def display(metric, value) -> str:
    number = _number(metric, value)
    if metric.kind == metrics.COUNT:
        return str(number)
    if number is None:
        return str(INSUFFICIENT)
    return f"{number:.1f}%" if metric.kind == metrics.RATE else f"{number:.1f}"


def figures(scope: Scope, period: Period, *, settings=None) -> Figures:
    return selectors.combined(scope.dim, period.start, period.end, scope.keys, settings=settings)


def cards(scope: Scope, period: Period, *, settings=None) -> list[Card]:
    now = figures(scope, period, settings=settings)
    before = figures(scope, period.previous(), settings=settings)
    codes = DEPARTMENT_CARDS if scope.department else PLACE_CARDS
    return [
        Card(metrics.get(c), now.value(metrics.get(c)), before.value(metrics.get(c))) for c in codes
    ]


@dataclass
class Chart:
    id: str
    title: str
    kind: str  # bar, stacked, line, pie, heatmap, ranking
    headers: list[str]
    rows: list[list]
    data: dict = field(default_factory=dict)
    note: str = ""
    definition: str = ""  # metric code the chart shows, for the link to its definition

    @property
    def json_id(self) -> str:
        return f"{self.id}-data"


def _bucket_label(day: datetime.date, grain: str) -> str:
    if grain == "month":
        return f"{day:%Y-%m}"
    return day.isoformat()


def _buckets(period: Period) -> list[datetime.date]:
    out, day = [], period.start
    while day <= period.end:
        b = selectors.bucket(day, period.grain)
        if not out or out[-1] != b:
            out.append(b)
        day += datetime.timedelta(days=1)
    return out


def _crossed(scope: Scope, cross_dim: str, district_dim: str) -> tuple[str, list | None, Any]:
    """The dimension and keys for splitting the scope by channel or category, and a function
    from a row key to the channel or category key."""
    if scope.communities is None:
        return district_dim, None, lambda key: key
    return cross_dim, None, lambda key: key.split(":", 1)[1]


def _crossed_rows(scope: Scope, cross_dim: str, district_dim: str, period: Period):
    dim, _keys, split = _crossed(scope, cross_dim, district_dim)
    rows = DayFigures.objects.filter(dim=dim, day__gte=period.start, day__lte=period.end)
    if scope.communities is not None:
        prefixes = Q()
        for c in scope.communities:
            prefixes |= Q(key__startswith=f"{c}:")
        rows = rows.filter(prefixes)
    return rows, split


def intake_by_channel(scope: Scope, period: Period) -> Chart:
    rows, split = _crossed_rows(scope, Dimension.COMMUNITY_CHANNEL, Dimension.CHANNEL, period)
    buckets = _buckets(period)
    counts: dict = {}
    for row in rows.values("key", "day", "received").filter(received__gt=0).order_by():
        channel = split(row["key"])
        b = selectors.bucket(row["day"], period.grain)
        counts.setdefault(channel, {}).setdefault(b, 0)
        counts[channel][b] += row["received"]
    labels = dict(Channel.choices)
    channels = [c for c in Channel.values if c in counts]
    x = [_bucket_label(b, period.grain) for b in buckets]
    series = [
        {"name": str(labels[c]), "data": [counts[c].get(b, 0) for b in buckets]} for c in channels
    ]
    headers = [_("Period"), *[s["name"] for s in series], _("Total")]
    rows_out = [
        [x[i], *[s["data"][i] for s in series], sum(s["data"][i] for s in series)]
        for i in range(len(buckets))
    ]
    return Chart(
        "intake-by-channel",
        _("Cases received, by channel"),
        "stacked",
        headers,
        rows_out,
        {"x": x, "series": series},
        definition="intake",
    )


def rates_over_time(scope: Scope, period: Period, *, settings=None) -> Chart:
    per_bucket = selectors.series(
        scope.dim, period.start, period.end, period.grain, scope.keys, settings=settings
    )
    buckets = _buckets(period)
    codes = (
        ("acceptance_rate", "resolution_rate", "satisfaction_rate")
        if scope.department
        else THREE_RATES
    )
    empty = Figures(selectors.Counter(), settings or selectors.score_settings(), scope.department)
    x = [_bucket_label(b, period.grain) for b in buckets]
    series, rows = [], []
    for code in codes:
        values = [per_bucket.get(b, empty).rate(code) for b in buckets]
        series.append({"name": str(metrics.get(code).name), "data": [v.percent for v in values]})
    for i, b in enumerate(buckets):
        fig = per_bucket.get(b, empty)
        row = [x[i]]
        for code in codes:
            r = fig.rate(code)
            row.append(display(metrics.get(code), r))
            row.append(f"{r.numerator}/{r.denominator}")
        rows.append(row)
    headers = [_("Period")]
    for code in codes:
        headers += [str(metrics.get(code).name), _("cases")]
    return Chart(
        "rates-over-time",
        _("The three rates over time"),
        "line",
        headers,
        rows,
        {"x": x, "series": series, "unit": "%"},
        note=_("Gaps: fewer cases than the minimum sample (样本不足)."),
        definition="response_rate",
    )


def _ranking_chart(chart_id, title, units, names, code, *, settings=None) -> Chart:
    ranked, apart = selectors.ranking(units, code)
    metric = metrics.get(code)
    headers = [
        _("Rank"),
        _("Unit"),
        str(metric.name),
        _("Cases"),
        _("95% interval"),
    ]
    rows = []
    for i, r in enumerate(ranked, 1):
        low, high = r.rate.interval
        rows.append(
            [
                i,
                names.get(r.key, r.key),
                display(metric, r.rate),
                f"{r.rate.numerator}/{r.rate.denominator}",
                f"{low * 100:.1f}–{high * 100:.1f}%",
            ]
        )
    for r in apart:
        rows.append(
            [
                "",
                names.get(r.key, r.key),
                str(INSUFFICIENT),
                f"{r.rate.numerator}/{r.rate.denominator}",
                "",
            ]
        )
    data = {
        "x": [names.get(r.key, r.key) for r in ranked],
        "series": [
            {"name": str(metric.name), "data": [r.rate.percent for r in ranked]},
            {
                "name": _("Lower bound of the 95% interval"),
                "data": [round(r.rate.low * 100, 1) for r in ranked],
            },
        ],
        "unit": "%",
        "apart": [names.get(r.key, r.key) for r in apart],
    }
    note = _(
        "Ranked by the lower bound of the 95%% interval; %(n)d with too few cases are listed apart."
    ) % {"n": len(apart)}
    return Chart(chart_id, title, "ranking", headers, rows, data, note=note, definition=code)


def departments_ranked(period: Period, code: str = "satisfaction_rate", *, settings=None) -> Chart:
    units = selectors.by_unit(
        Dimension.DEPARTMENT_LEAD, period.start, period.end, settings=settings
    )
    names = {str(d.pk): d.name for d in Department.objects.filter(pk__in=[int(k) for k in units])}
    return _ranking_chart(
        "departments-ranked",
        _("Departments ranked (as lead): %(metric)s") % {"metric": metrics.get(code).name},
        units,
        names,
        code,
        settings=settings,
    )


def communities_compared(
    scope: Scope, period: Period, code: str = "satisfaction_rate", *, settings=None
) -> Chart:
    keys = scope.keys if scope.communities is not None else None
    units = selectors.by_unit(
        Dimension.COMMUNITY, period.start, period.end, keys, settings=settings
    )
    names = {str(c.pk): c.name for c in Community.objects.filter(pk__in=[int(k) for k in units])}
    return _ranking_chart(
        "communities-compared",
        _("Communities compared: %(metric)s") % {"metric": metrics.get(code).name},
        units,
        names,
        code,
        settings=settings,
    )


def overdue_by_department() -> Chart:
    lead = selectors.open_work_overdue(Dimension.DEPARTMENT_LEAD)
    assisting = selectors.open_work_overdue(Dimension.DEPARTMENT_ASSISTING)
    ids = sorted({*lead, *assisting}, key=lambda k: -(lead.get(k, 0) + assisting.get(k, 0)))
    names = {str(d.pk): d.name for d in Department.objects.filter(pk__in=[int(k) for k in ids])}
    x = [names.get(k, k) for k in ids]
    rows = [[names.get(k, k), lead.get(k, 0), assisting.get(k, 0)] for k in ids]
    return Chart(
        "overdue-by-department",
        _("Overdue referrals now, by department"),
        "stacked",
        [_("Department"), _("As lead"), _("As assisting")],
        rows,
        {
            "x": x,
            "series": [
                {"name": _("As lead"), "data": [lead.get(k, 0) for k in ids]},
                {"name": _("As assisting"), "data": [assisting.get(k, 0) for k in ids]},
            ],
            "horizontal": True,
        },
        note=_("Referrals not replied to a day after their deadline, whenever it was."),
        definition="referrals_overdue",
    )


def category_breakdown(scope: Scope, period: Period) -> Chart:
    rows, split = _crossed_rows(scope, Dimension.COMMUNITY_CATEGORY, Dimension.CATEGORY, period)
    totals: dict[int, int] = {}
    for row in rows.values("key", "received").filter(received__gt=0).order_by():
        category = int(split(row["key"]))
        totals[category] = totals.get(category, 0) + row["received"]
    categories = {c.pk: c for c in Category.objects.filter(pk__in=totals).select_related("parent")}
    top: dict[str, int] = {}
    for pk, n in totals.items():
        category = categories.get(pk)
        name = (category.parent or category).name if category else "?"
        top[name] = top.get(name, 0) + n
    ordered = sorted(top.items(), key=lambda kv: -kv[1])
    total = sum(top.values()) or 1
    return Chart(
        "category-breakdown",
        _("Cases received, by category"),
        "pie",
        [_("Category"), _("Cases"), _("Share")],
        [[name, n, f"{n / total * 100:.1f}%"] for name, n in ordered],
        {"series": [{"name": name, "value": n} for name, n in ordered]},
        definition="intake",
    )


def intake_calendar(scope: Scope, period: Period) -> Chart:
    start = max(period.start, period.end - datetime.timedelta(days=365))
    per_day = selectors.series(scope.dim, start, period.end, "day", scope.keys)
    values = [
        [d.isoformat(), fig.count("intake")] for d, fig in per_day.items() if fig.count("intake")
    ]
    return Chart(
        "intake-calendar",
        _("Cases received per day"),
        "heatmap",
        [_("Day"), _("Cases")],
        values,
        {
            "range": [start.isoformat(), period.end.isoformat()],
            "values": values,
            "max": max((v for _, v in values), default=0),
        },
        definition="intake",
    )
