"""Pieces other rooms add to a record's page, without the page's room knowing them.

A page names a slot and passes its record: `{% load lianxin %}{% page_extras "visit" visit %}`.
A room registers, from its AppConfig.ready(), a function for a slot:

    extras.register("resident", aid_history)      # aid_history(request, resident) -> str

Each function returns HTML marked safe (render_to_string does) or "" when it has nothing for
this reader; it checks the reader's scope itself. Slots in use: "resident" (the resident's
page), "visit" (a visit of the diary), "case" (the case page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_SLOTS: dict[str, list[Callable]] = defaultdict(list)


def register(slot: str, function: Callable) -> None:
    if function not in _SLOTS[slot]:
        _SLOTS[slot].append(function)


def render(slot: str, request, record) -> SafeString:
    parts = [function(request, record) for function in _SLOTS.get(slot, ())]
    return mark_safe("".join(str(conditional_escape(p)) for p in parts if p))
