"""The workbench navigation: what each role sees, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import CASEWORK_ROLES, Role
from lianxin.calendar.apps import CalendarConfig
from lianxin.outreach import navigation as outreach_nav

EVERYONE = frozenset(Role.values)
DIRECTORY_READERS = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.WORKER, Role.REPRESENTATIVE})
CASEWORKERS = CASEWORK_ROLES


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str
    roles: frozenset[str]
    section: str | Promise = ""


NAV: list[NavItem] = [
    NavItem(_("Workbench"), "staff:home", "house", EVERYONE),
    NavItem(_("Inbox"), "notify:inbox", "bell", EVERYONE),
    NavItem(_("Record a case"), "cases:create", "plus-circle", CASEWORKERS, _("Cases")),
    NavItem(_("Cases"), "cases:list", "card-checklist", EVERYONE, _("Cases")),
    NavItem(
        _("Referrals to my department"),
        "cases:referrals",
        "inbox",
        frozenset({Role.HANDLER}),
        _("Cases"),
    ),
    NavItem(_("Residents"), "directory:resident_list", "people", DIRECTORY_READERS, _("Directory")),
    NavItem(
        _("Households"),
        "directory:household_list",
        "house-heart",
        DIRECTORY_READERS,
        _("Directory"),
    ),
    NavItem(
        _("Representatives"),
        "directory:representative_list",
        "person-badge",
        EVERYONE,
        _("Directory"),
    ),
    NavItem(_("Communities"), "directory:community_list", "buildings", EVERYONE, _("Directory")),
    NavItem(_("Departments"), "directory:department_list", "bank", EVERYONE, _("Directory")),
    NavItem(
        _("Pairings"), "directory:pairing_list", "link-45deg", DIRECTORY_READERS, _("Directory")
    ),
    NavItem(
        _("Roster import"),
        "directory:roster_import_list",
        "file-earmark-arrow-up",
        frozenset({Role.ADMIN, Role.WORKER}),
        _("Directory"),
    ),
    NavItem(
        outreach_nav.LOG_VISIT,
        "outreach:visit_create",
        "house-add",
        CASEWORKERS,
        outreach_nav.SECTION,
    ),
    NavItem(
        outreach_nav.VISIT_DIARY,
        "outreach:visit_list",
        "journal-text",
        DIRECTORY_READERS,
        outreach_nav.SECTION,
    ),
    NavItem(
        outreach_nav.RECEPTIONS,
        "outreach:reception_list",
        "calendar-event",
        DIRECTORY_READERS,
        outreach_nav.SECTION,
    ),
    NavItem(
        outreach_nav.CHECK_INS,
        "outreach:check_in_list",
        "geo-alt",
        DIRECTORY_READERS,
        outreach_nav.SECTION,
    ),
    NavItem(
        outreach_nav.ONE_TO_ONE,
        "outreach:one_to_one_list",
        "people-fill",
        DIRECTORY_READERS,
        outreach_nav.SECTION,
    ),
    NavItem(
        outreach_nav.TALKS,
        "outreach:talk_list",
        "chat-heart",
        DIRECTORY_READERS,
        outreach_nav.SECTION,
    ),
    NavItem(
        outreach_nav.ACTIVITIES,
        "outreach:activity_list",
        "megaphone",
        DIRECTORY_READERS,
        outreach_nav.SECTION,
    ),
    NavItem(
        outreach_nav.COVERAGE,
        "outreach:coverage",
        "pie-chart",
        DIRECTORY_READERS,
        outreach_nav.SECTION,
    ),
    NavItem(
        outreach_nav.DUTIES,
        "outreach:duty_progress",
        "clipboard-check",
        frozenset({Role.ADMIN, Role.SUPERVISOR, Role.REPRESENTATIVE}),
        outreach_nav.SECTION,
    ),
    NavItem(
        outreach_nav.PROPOSALS,
        "proposals:list",
        "lightbulb",
        frozenset({Role.ADMIN, Role.SUPERVISOR, Role.REPRESENTATIVE, Role.HANDLER}),
        outreach_nav.SECTION,
    ),
    NavItem(
        outreach_nav.DUTY_RULES,
        "outreach:duty_rules",
        "sliders",
        frozenset({Role.ADMIN}),
        _("Administration"),
    ),
    NavItem(
        _("Change history"),
        "directory:history",
        "clock-history",
        frozenset({Role.ADMIN}),
        _("Administration"),
    ),
    NavItem(
        _("Access log"),
        "accounts:access_log",
        "shield-lock",
        frozenset({Role.ADMIN}),
        _("Administration"),
    ),
    NavItem(
        CalendarConfig.verbose_name,
        "calendar:month",
        "calendar3",
        frozenset({Role.ADMIN}),
        _("Administration"),
    ),
    NavItem(_("Admin site"), "admin:index", "gear", frozenset({Role.ADMIN}), _("Administration")),
    NavItem(
        _("Deliveries"),
        "notify:delivery_list",
        "send-exclamation",
        frozenset({Role.ADMIN}),
        _("Administration"),
    ),
]


def register(item: NavItem, *, after: str | None = None) -> None:
    """Rooms add their entries from AppConfig.ready(): after the entry named `after`, or else
    before the administration entries (the first entry only administrators see)."""
    if item in NAV:
        return
    if after:
        at = next(i for i, it in enumerate(NAV) if it.url_name == after) + 1
    else:
        at = next((i for i, it in enumerate(NAV) if it.roles == {Role.ADMIN}), len(NAV))
    NAV.insert(at, item)


def items_for(user, current_path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV:
        if user.role not in item.roles:
            continue
        url = reverse(item.url_name)
        active = (
            current_path == url if url.rstrip("/") == "/staff" else current_path.startswith(url)
        )
        items.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "section": item.section,
                "active": active,
            }
        )
    return items
