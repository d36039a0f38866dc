"""The assistance sweep, run by the background worker (tasks.assistance_sweep) and as
`lianxin assistance-sweep` for cron: every application whose review is past its time limit is
urged to the reviewers of its level (and its applicant) once per deadline, claimed with a
conditional update and sent with an idempotency key, so overlapping sweeps urge once."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from lianxin.assistance import selectors
from lianxin.assistance.models import AidApplication, AidEventKind, AidStatus
from lianxin.assistance.services import _event, _level
from lianxin.core.sweeps import claim_urge, not_yet_urged
from lianxin.notify.kinds import EventKind
from lianxin.notify.services import notify_users

BATCH = 500


def sweep(*, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    urged = 0
    due = (
        AidApplication.objects.filter(status=AidStatus.REVIEWING, due_at__lt=now)
        .filter(not_yet_urged("due_at", "urged_due_at"))
        .select_related("scheme", "resident", "community__subdistrict", "applicant")
        .order_by("due_at")
    )
    for application in due[:BATCH]:
        with transaction.atomic():
            mine = AidApplication.objects.filter(
                pk=application.pk, status=AidStatus.REVIEWING, due_at=application.due_at
            )
            if not claim_urge(mine, "due_at", "urged_due_at"):
                continue
            level = _level(application, application.level)
            _event(application, kind=AidEventKind.URGED, level=level, at=now)
            notify_users(
                kind=EventKind.MESSAGE,
                users=[*selectors.reviewers_of(level, application), application.applicant],
                context={
                    "title": f"【催办】帮扶申请{application.number}",
                    "body": f"{application.resident.name}的{application.scheme.name}申请已超过"
                    f"{level.name}的审核时限（{level.working_days}个工作日，应于"
                    f"{timezone.localtime(application.due_at):%Y-%m-%d %H:%M}前），请尽快审核。",
                },
                link=application.get_absolute_url(),
                idempotency_key=f"aid:{application.pk}:urge:{application.due_at.timestamp():.0f}",
            )
            urged += 1
    return {"urged": urged}
