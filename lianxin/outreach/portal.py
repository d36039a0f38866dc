"""What outreach adds to the public site (registered in lianxin.portal.sections)."""

from __future__ import annotations

from django.template.loader import render_to_string

from lianxin.outreach.selectors import receptions_public


def upcoming_receptions(request, community) -> str:
    """The community's announced reception days (two queries)."""
    return render_to_string(
        "outreach/_public_receptions.html",
        {"receptions": list(receptions_public(community=community))},
        request=request,
    )
