"""Where other rooms add to the dashboards and to the monthly report.

A room registers from its own `AppConfig.ready()`:

    from lianxin.insight import extensions
    extensions.register_dashboard_panel(hot_topics_panel)
    extensions.register_report_section(hot_topics_section)

- A dashboard panel is called as `panel(request, scope, period)` and returns rendered HTML
  (a SafeString starting with its own <h2>) or "" when it has nothing to show. `scope` is
  an `insight.dashboards.Scope` (whose figures: district, communities, a department …) and
  `period` an `insight.periods.Period`. Panels are drawn after the charts, in order.
- A report section is called as `section(period)` for the report's month and returns a
  `ReportSection` (a heading and HTML for WeasyPrint: no scripts; charts as inline SVG) or
  None. Sections follow the figures of the report, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_dashboard_panels: list[Callable] = []
_report_sections: list[Callable] = []


@dataclass(frozen=True)
class ReportSection:
    title: str
    html: str


def register_dashboard_panel(panel: Callable) -> Callable:
    if panel not in _dashboard_panels:
        _dashboard_panels.append(panel)
    return panel


def register_report_section(section: Callable) -> Callable:
    if section not in _report_sections:
        _report_sections.append(section)
    return section


def dashboard_panels(request, scope, period) -> list[str]:
    return [html for panel in _dashboard_panels if (html := panel(request, scope, period))]


def report_sections(period) -> list[ReportSection]:
    return [s for section in _report_sections if (s := section(period)) is not None]
