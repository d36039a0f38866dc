"""Writes of practical projects: creating one (from a proposal, pre-filled), milestones with
photos, completion, residents following by phone and rating the result.

Followers are told by SMS at each milestone reached and at completion (with a one-time rating
link), through lianxin.notify with idempotency keys, so a repeated step never texts twice."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.core import privacy
from lianxin.core.validators import normalise_phone
from lianxin.notify.kinds import EventKind
from lianxin.notify.services import notify_resident
from lianxin.projects import selectors
from lianxin.projects.models import (
    Follower,
    Milestone,
    MilestonePhoto,
    Project,
    ProjectRating,
    ProjectStatus,
    token_hash,
)


class ProjectError(Exception):
    """A step that is not allowed now; `message` is translated. Nothing was changed."""

    def __init__(self, code: str, message) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = str(message)


def _require_manager(actor, project: Project | None, community=None) -> None:
    allowed = (
        selectors.can_manage_project(actor, project)
        if project is not None
        else selectors.can_create_project(actor, community)
    )
    if not allowed:
        raise ProjectError("not_allowed", _("You cannot manage this practical project."))


@transaction.atomic
def project_create(
    *,
    actor,
    title: str,
    summary: str,
    owner,
    starts_on: datetime.date,
    community=None,
    budget=None,
    proposals=(),
    cases=(),
    hot_topic: str = "",
) -> Project:
    _require_manager(actor, None, community)
    if budget is not None and budget < 0:
        raise ValidationError({"budget": [_("The budget cannot be negative.")]})
    project = Project.objects.create(
        title=title.strip(),
        summary=summary.strip(),
        owner=owner,
        starts_on=starts_on,
        community=community,
        budget=budget,
        hot_topic=(hot_topic or "").strip(),
        created_by=actor,
    )
    project.proposals.set(proposals)
    project.cases.set(cases)
    return project


def _check_milestone_date(project: Project, due_on: datetime.date) -> None:
    if due_on < project.starts_on:
        raise ValidationError(
            {
                "due_on": [
                    _("A milestone cannot be due before the project starts (%(date)s).")
                    % {"date": project.starts_on.isoformat()}
                ]
            }
        )


@transaction.atomic
def milestone_add(
    *, actor, project: Project, title: str, due_on: datetime.date, progress: int
) -> Milestone:
    _require_manager(actor, project)
    if project.status in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED):
        raise ProjectError("closed", _("The project is finished; add no more milestones."))
    _check_milestone_date(project, due_on)
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": [_("Progress is a percentage from 0 to 100.")]})
    return Milestone.objects.create(
        project=project, title=title.strip(), due_on=due_on, progress=progress
    )


@transaction.atomic
def milestone_reach(
    *,
    actor,
    milestone: Milestone,
    reached_on: datetime.date,
    note: str = "",
    photos=(),
) -> Milestone:
    """A milestone is reached: the project moves on, its followers are told by SMS."""
    project = milestone.project
    _require_manager(actor, project)
    if reached_on > timezone.localdate():
        raise ValidationError({"reached_on": [_("The date cannot be in the future.")]})
    if reached_on < project.starts_on:
        raise ValidationError({"reached_on": [_("The date cannot be before the project starts.")]})
    claimed = Milestone.objects.filter(pk=milestone.pk, reached_on__isnull=True).update(
        reached_on=reached_on, note=(note or "").strip()
    )
    if claimed != 1:
        raise ProjectError("stale", _("This milestone was already marked as reached."))
    milestone.reached_on, milestone.note = reached_on, (note or "").strip()
    for photo in photos:
        MilestonePhoto.objects.create(milestone=milestone, image=photo)
    progress = max(project.progress, milestone.progress)
    Project.objects.filter(pk=project.pk).exclude(status=ProjectStatus.COMPLETED).update(
        progress=progress, status=ProjectStatus.UNDERWAY
    )
    project.progress, project.status = progress, ProjectStatus.UNDERWAY
    for follower in project.followers.all():
        notify_resident(
            kind=EventKind.PROJECT_MILESTONE,
            phone_cipher=follower.phone_cipher,
            phone_masked=follower.phone_masked,
            context={"project": project.title, "milestone": milestone.title, "progress": progress},
            link=project.get_public_url(),
            idempotency_key=f"project:{project.pk}:milestone:{milestone.pk}:f{follower.pk}",
        )
    return milestone


@transaction.atomic
def project_complete(
    *, actor, project: Project, result: str, completed_on: datetime.date
) -> Project:
    """Done: the result is published and every follower gets a one-time rating link."""
    _require_manager(actor, project)
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": [_("Say what was built or achieved.")]})
    if completed_on > timezone.localdate() or completed_on < project.starts_on:
        raise ValidationError(
            {"completed_on": [_("The completion date must lie between the start and today.")]}
        )
    done = (
        Project.objects.filter(pk=project.pk)
        .exclude(status__in=[ProjectStatus.COMPLETED, ProjectStatus.CANCELLED])
        .update(
            status=ProjectStatus.COMPLETED, progress=100, result=result, completed_on=completed_on
        )
    )
    if done != 1:
        raise ProjectError("stale", _("The project is already finished."))
    project.status, project.progress = ProjectStatus.COMPLETED, 100
    project.result, project.completed_on = result, completed_on
    for follower in project.followers.all():
        token = secrets.token_urlsafe(16)
        Follower.objects.filter(pk=follower.pk).update(rating_token_hash=token_hash(token))
        notify_resident(
            kind=EventKind.PROJECT_COMPLETED,
            phone_cipher=follower.phone_cipher,
            phone_masked=follower.phone_masked,
            context={"project": project.title, "result": result},
            link=f"/projects/r/{token}/",
            idempotency_key=f"project:{project.pk}:completed:f{follower.pk}",
        )
    return project


# --- Residents -----------------------------------------------------------------------------
@transaction.atomic
def project_follow(*, project: Project, phone: str, consent: bool) -> tuple[Follower, bool]:
    """A resident follows a public project with their phone. (follower, created)."""
    if not consent:
        raise ValidationError(
            {"consent": [_("Agree to receive the project's SMS, or we cannot send them.")]}
        )
    if project.status in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED):
        raise ProjectError(
            "closed", _("This project is finished; there is nothing more to follow.")
        )
    try:
        number = normalise_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    if not number:
        raise ValidationError({"phone": [_("Enter your mobile number.")]})
    protected = privacy.protect_phone(number)
    existing = Follower.objects.filter(project=project, phone_index=protected.index).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            follower = Follower.objects.create(
                project=project,
                phone_cipher=protected.cipher,
                phone_index=protected.index,
                phone_masked=protected.masked,
                consented_at=timezone.now(),
            )
    except IntegrityError:
        return Follower.objects.get(project=project, phone_index=protected.index), False
    return follower, True


@transaction.atomic
def project_rate(*, token: str, satisfaction: int, comment: str = "") -> ProjectRating:
    follower = (
        Follower.objects.select_related("project")
        .filter(rating_token_hash=token_hash(token or ""))
        .exclude(rating_token_hash="")
        .first()
    )
    if follower is None:
        raise ProjectError("unknown", _("This rating link is not valid."))
    if satisfaction not in (1, 2, 3, 4, 5):
        raise ValidationError({"satisfaction": [_("Choose how satisfied you are.")]})
    try:
        with transaction.atomic():
            rating = ProjectRating.objects.create(
                project=follower.project,
                phone_index=follower.phone_index,
                satisfaction=satisfaction,
                comment=(comment or "").strip()[:300],
            )
    except IntegrityError:
        raise ProjectError(
            "rated", _("This project has already been rated from your phone.")
        ) from None
    return rating
