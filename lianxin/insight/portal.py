"""The figures residents see: each community's three rates over the last twelve months on its
public page (a section registered in lianxin.portal.sections), and /figures/, where the
district's communities are compared the same fair way as on the staff pages. Counts only:
nothing about any person."""

from __future__ import annotations

import datetime

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from lianxin.directory.models import Community
from lianxin.insight import dashboards, metrics, selectors
from lianxin.insight.models import Dimension
from lianxin.insight.periods import Period


def last_twelve_months() -> Period:
    today = timezone.localdate()
    return Period(today - datetime.timedelta(days=364), today, "range")


def _rates(figures) -> list[dict]:
    out = []
    for code in dashboards.THREE_RATES:
        metric = metrics.get(code)
        rate = figures.rate(code)
        out.append({"metric": metric, "rate": rate, "text": dashboards.display(metric, rate)})
    return out


def community_figures(request, community) -> str:
    """The community's three rates over the last twelve months (two queries)."""
    period = last_twelve_months()
    figures = selectors.combined(Dimension.COMMUNITY, period.start, period.end, [community.pk])
    return render_to_string(
        "insight/_public_community.html",
        {"rates": _rates(figures), "period": period, "settings": figures.settings},
        request=request,
    )


def figures_page(request):
    period = last_twelve_months()
    settings = selectors.score_settings()
    units = selectors.by_unit(Dimension.COMMUNITY, period.start, period.end, settings=settings)
    ranked, _apart = selectors.ranking(units, "satisfaction_rate")
    communities = {str(c.pk): c for c in Community.objects.select_related("subdistrict")}
    empty = selectors.Figures(selectors.Counter(), settings)
    rows = [
        {"community": communities[r.key], "rates": _rates(r.figures), "rank": i}
        for i, r in enumerate(ranked, 1)
        if r.key in communities
    ]
    shown = {r.key for r in ranked}
    rest = [
        {"community": c, "rates": _rates(units.get(key, empty))}
        for key, c in communities.items()
        if key not in shown
    ]
    return render(
        request,
        "insight/figures.html",
        {
            "rows": rows,
            "rest": rest,
            "period": period,
            "settings": settings,
            "metrics": [metrics.get(c) for c in dashboards.THREE_RATES],
        },
    )
