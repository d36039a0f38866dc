"""Sections other rooms of the work add to the public community page.

COMMUNITY_SECTIONS lists dotted paths of functions, rendered in order below the community's
representatives. Each function is called as

    section(request, community) -> str

and returns a piece of HTML marked safe (as `render_to_string("<app>/_portal_<thing>.html",
{...}, request=request)` returns it; a plain str is escaped and shown as text), or "" when it
has nothing to show, in which case nothing is drawn.
A section starts with its own <h2> heading (the page's sections are h2), uses public data only
and keeps its queries bounded: the community page has a query-count test.

For example, the reception days of outreach would be registered as
"lianxin.outreach.portal.upcoming_receptions".
"""

from __future__ import annotations

from django.utils.html import conditional_escape
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

COMMUNITY_SECTIONS: list[str] = [
    "lianxin.outreach.portal.upcoming_receptions",
    "lianxin.insight.portal.community_figures",
]


def community_sections(request, community) -> list[SafeString]:
    """The rendered sections for `community`, leaving out empty ones."""
    rendered = []
    for dotted in COMMUNITY_SECTIONS:
        html = import_string(dotted)(request, community)
        if html:
            rendered.append(conditional_escape(html))
    return rendered
