"""The outreach sweep, run by the background worker (tasks.outreach_sweep) and as
`lianxin outreach-sweep` for cron. Each pass:

1. tells the paired residents of every published reception day whose publication time has
   come (services.reception_announce claims each announcement once);
2. reminds talkers of talks, and visitors of visits, whose follow-up date has come and that
   are not followed up yet: once per follow-up date, claimed with a conditional update, and
   sent with an idempotency key, so overlapping sweeps remind once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from lianxin.notify.kinds import EventKind
from lianxin.notify.services import notify_users
from lianxin.outreach.models import ReceptionDay, ReceptionStatus, Talk, Visit
from lianxin.outreach.services import reception_announce

BATCH = 500


@dataclass
class OutreachSweepReport:
    receptions_announced: int = 0
    residents_told: int = 0
    talk_reminders: int = 0
    visit_reminders: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _due(model, today: datetime.date):
    return model.objects.filter(
        follow_up_on__isnull=False,
        follow_up_on__lte=today,
        follow_up_done_at__isnull=True,
    ).filter(Q(follow_up_reminded_on__isnull=True) | ~Q(follow_up_reminded_on=F("follow_up_on")))


def _claim(model, obj) -> bool:
    return (
        model.objects.filter(pk=obj.pk, follow_up_on=obj.follow_up_on)
        .filter(Q(follow_up_reminded_on__isnull=True) | ~Q(follow_up_reminded_on=F("follow_up_on")))
        .update(follow_up_reminded_on=obj.follow_up_on)
        == 1
    )


def sweep(*, now: datetime.datetime | None = None) -> OutreachSweepReport:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    report = OutreachSweepReport()
    due = ReceptionDay.objects.filter(
        status=ReceptionStatus.PUBLISHED, publish_at__lte=now, announced_at__isnull=True
    ).select_related("community")
    for reception in due[:BATCH]:
        told = reception_announce(reception=reception, now=now)
        if reception.announced_at:
            report.receptions_announced += 1
            report.residents_told += told
    for talk in _due(Talk, today).select_related("talker", "resident")[:BATCH]:
        with transaction.atomic():
            if not _claim(Talk, talk):
                continue
            notify_users(
                kind=EventKind.MESSAGE,
                users=[talk.talker],
                context={
                    "title": f"谈心回访提醒：{talk.resident.name}",
                    "body": f"您于{timezone.localtime(talk.held_at):%Y-%m-%d}与{talk.resident.name}"
                    f"谈心（{talk.get_reason_display()}），约定{talk.follow_up_on:%Y-%m-%d}跟进，"
                    "请及时回访并在谈心记录中标记已跟进。",
                },
                link=f"/staff/outreach/talks/{talk.pk}/",
                idempotency_key=f"talk:{talk.pk}:follow-up:{talk.follow_up_on:%Y%m%d}",
            )
            report.talk_reminders += 1
    for visit in (
        _due(Visit, today)
        .select_related("household", "resident")
        .prefetch_related("visitors")[:BATCH]
    ):
        with transaction.atomic():
            if not _claim(Visit, visit):
                continue
            notify_users(
                kind=EventKind.MESSAGE,
                users=list(visit.visitors.all()),
                context={
                    "title": f"走访跟进提醒：{visit.whom}",
                    "body": f"{timezone.localtime(visit.visited_at):%Y-%m-%d}走访{visit.whom}时"
                    f"约定{visit.follow_up_on:%Y-%m-%d}跟进，请及时再次走访并标记已跟进。",
                },
                link=f"/staff/outreach/visits/{visit.pk}/",
                idempotency_key=f"visit:{visit.pk}:follow-up:{visit.follow_up_on:%Y%m%d}",
            )
            report.visit_reminders += 1
    return report
