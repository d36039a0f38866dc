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


def community_commitments(request, community) -> str:
    """This year's commitments of the community's representatives (one query)."""
    from lianxin.projects.commitments import commitments_public

    commitments = commitments_public(community=community)
    if not commitments:
        return ""
    return render_to_string(
        "projects/_portal_commitments.html", {"commitments": commitments}, request=request
    )
