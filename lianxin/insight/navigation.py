"""The insight pages in the workbench navigation, added from InsightConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import Role

SECTION = _("Figures")
EVERYONE = frozenset(Role.values)


def register() -> None:
    from lianxin.core.navigation import NAV, NavItem

    items = [
        NavItem(_("Dashboard"), "insight:index", "graph-up", EVERYONE, SECTION),
        NavItem(_("How figures are counted"), "insight:definitions", "book", EVERYONE, SECTION),
        NavItem(_("Ledgers"), "insight:ledger", "table", EVERYONE, SECTION),
    ]
    for item in items:
        if all(existing.url_name != item.url_name for existing in NAV):
            position = next(
                (i for i, n in enumerate(NAV) if n.section == _("Administration")), len(NAV)
            )
            NAV.insert(position, item)
