"""Panels on the `/staff/` workbench. Each room of the work contributes its own providers;
a provider takes the user and returns a panel, or None when it has nothing for that user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string


@dataclass
class Panel:
    title: Any
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


PROVIDERS = [
    "lianxin.cases.workbench.inbox_panel",
    "lianxin.directory.workbench.scope_panel",
    "lianxin.core.jobs.worker_panel",
    "lianxin.notify.workbench.inbox_panel",
    "lianxin.notify.workbench.failed_deliveries_panel",
    "lianxin.calendar.workbench.missing_years_panel",
    "lianxin.outreach.workbench.duties_panel",
    "lianxin.outreach.workbench.receptions_panel",
    "lianxin.outreach.workbench.follow_ups_panel",
]


def panels_for(user) -> list[Panel]:
    panels = []
    for dotted in PROVIDERS:
        panel = import_string(dotted)(user)
        if panel is not None:
            panels.append(panel)
    return sorted(panels, key=lambda p: p.order)
