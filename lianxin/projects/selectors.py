"""Reads of practical projects. Projects are public (residents watch them); managing one is
for administrators and supervisors, the community's workers, and the department that carries
it out. Followers' numbers are never shown beyond their masked form."""

from __future__ import annotations

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404

from lianxin.accounts import scopes
from lianxin.accounts.models import Role
from lianxin.projects.models import Milestone, Project, ProjectStatus

PUBLIC_STATUSES = (ProjectStatus.PLANNED, ProjectStatus.UNDERWAY, ProjectStatus.COMPLETED)


def _active(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def can_create_project(user, community) -> bool:
    if not _active(user):
        return False
    if user.role in scopes.WHOLE_DISTRICT_ROLES:
        return True
    return (
        user.role == Role.WORKER and community is not None and scopes.in_scope(user, community.pk)
    )


def can_manage_project(user, project: Project) -> bool:
    if not _active(user):
        return False
    if user.role in scopes.WHOLE_DISTRICT_ROLES:
        return True
    if user.role == Role.HANDLER:
        return user.department_id == project.owner_id
    return (
        user.role == Role.WORKER
        and project.community_id is not None
        and scopes.in_scope(user, project.community_id)
    )


def projects_for_staff(user) -> QuerySet[Project]:
    if not _active(user):
        return Project.objects.none()
    return Project.objects.all()


def _with_milestones(projects: QuerySet[Project]) -> QuerySet[Project]:
    return projects.select_related("community", "owner").prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.prefetch_related("photos"))
    )


def project_get_for_staff(user, pk: int) -> Project:
    project = _with_milestones(projects_for_staff(user)).filter(pk=pk).first()
    if project is None:
        raise Http404
    return project


def projects_public(*, community=None) -> QuerySet[Project]:
    projects = Project.objects.filter(status__in=PUBLIC_STATUSES)
    if community is not None:
        projects = projects.filter(Q(community=community) | Q(community__isnull=True))
    return projects.select_related("community", "owner").order_by("status", "-starts_on", "-pk")


def project_get_public(pk: int) -> Project:
    project = (
        _with_milestones(Project.objects.filter(status__in=PUBLIC_STATUSES)).filter(pk=pk).first()
    )
    if project is None:
        raise Http404
    return project


def rating_summary(project: Project) -> dict:
    row = project.ratings.aggregate(
        n=Count("pk"), mean=Avg("satisfaction"), good=Count("pk", filter=Q(satisfaction__gte=3))
    )
    return {"count": row["n"], "mean": row["mean"], "satisfied": row["good"]}
