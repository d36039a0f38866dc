"""Projects' part of the representative's connected record: the practical projects that came
from their proposals, and their commitments."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianxin.outreach.record import Section
from lianxin.projects.models import Commitment, CommitmentStatus, Project, ProjectStatus


def projects_section(representative, year: int) -> Section | None:
    projects = list(
        Project.objects.filter(proposals__representative=representative, starts_on__year__lte=year)
        .exclude(completed_on__year__lt=year)
        .select_related("owner")
        .distinct()
        .order_by("starts_on")
    )
    if not projects:
        return None
    return Section(
        title=_("Practical projects from their proposals"),
        headers=[_("Title"), _("Carried out by"), _("Progress"), _("Status")],
        rows=[[p.title, p.owner.name, f"{p.progress}%", p.get_status_display()] for p in projects],
        outcomes=[
            (_("projects"), len(projects)),
            (_("completed"), sum(p.status == ProjectStatus.COMPLETED for p in projects)),
        ],
        order=30,
    )


def commitments_section(representative, year: int) -> Section | None:
    commitments = list(
        Commitment.objects.filter(representative=representative, year=year)
        .select_related("community")
        .order_by("due_on")
    )
    if not commitments:
        return None
    return Section(
        title=_("Commitments"),
        headers=[_("What I will do"), _("Community"), _("By"), _("Progress"), _("Status")],
        rows=[
            [c.title, c.community.name, c.due_on, f"{c.progress}%", c.get_status_display()]
            for c in commitments
        ],
        outcomes=[
            (_("commitments"), len(commitments)),
            (_("kept"), sum(c.status == CommitmentStatus.KEPT for c in commitments)),
        ],
        order=40,
    )
