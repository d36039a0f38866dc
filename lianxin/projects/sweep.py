"""The projects sweep, run by the background worker (tasks.projects_sweep) and as
`lianxin projects-sweep` for cron: every milestone past its due date and not reached is urged
to the department carrying the project out (and whoever recorded it), once per due date,
claimed with a conditional update and sent with an idempotency key."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from lianxin.accounts.models import Role, User
from lianxin.core.sweeps import claim_urge, not_yet_urged
from lianxin.notify.kinds import EventKind
from lianxin.notify.services import notify_users
from lianxin.projects.models import Milestone, ProjectStatus

BATCH = 500


def sweep(*, now: datetime.datetime | None = None) -> dict:
    today = timezone.localtime(now or timezone.now()).date()
    urged = 0
    due = (
        Milestone.objects.filter(reached_on__isnull=True, due_on__lt=today)
        .filter(project__status__in=[ProjectStatus.PLANNED, ProjectStatus.UNDERWAY])
        .filter(not_yet_urged("due_on", "urged_for"))
        .select_related("project__owner", "project__created_by")
    )
    for milestone in due[:BATCH]:
        with transaction.atomic():
            mine = Milestone.objects.filter(
                pk=milestone.pk, due_on=milestone.due_on, reached_on__isnull=True
            )
            if not claim_urge(mine, "due_on", "urged_for"):
                continue
            project = milestone.project
            handlers = list(
                User.objects.filter(
                    is_active=True, role=Role.HANDLER, department_id=project.owner_id
                )
            )
            notify_users(
                kind=EventKind.MESSAGE,
                users=[*handlers, project.created_by],
                context={
                    "title": f"【催办】民生实事「{project.title}」",
                    "body": f"民生实事「{project.title}」的节点「{milestone.title}」应于"
                    f"{milestone.due_on:%Y-%m-%d}完成，至今未完成，请抓紧推进并及时更新进度。",
                },
                link=project.get_absolute_url(),
                idempotency_key=f"project:{project.pk}:milestone:{milestone.pk}:urge:{milestone.due_on:%Y%m%d}",
            )
            urged += 1
    from lianxin.projects.commitments import sweep as commitments_sweep

    return {"urged": urged, "commitments_urged": commitments_sweep(today=today)}
