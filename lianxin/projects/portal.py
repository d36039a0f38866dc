"""What projects add to the public community page (registered in apps.py)."""

from __future__ import annotations

from django.template.loader import render_to_string

from lianxin.projects.selectors import projects_public

LIMIT = 6


def community_projects(request, community) -> str:
    """The community's projects and the district-wide ones (one query)."""
    projects = list(projects_public(community=community)[:LIMIT])
    if not projects:
        return ""
    return render_to_string(
        "projects/_portal_projects.html", {"projects": projects}, request=request
    )
