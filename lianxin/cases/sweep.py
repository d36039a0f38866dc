"""The deadline sweep: time limits that enforce themselves.

Run every few minutes by the background worker (tasks.deadline_sweep) and as `lianxin sweep`
for cron. Each pass:

1. makes sure this year and the next two have a calendar (a provisional one if the official
   schedule is not out), and sets deadlines that could not be computed before;
2. reminds whoever holds a case or referral that is due within LIANXIN_REMIND_HOURS;
3. urges (催办) every case and referral past its deadline;
4. puts under supervision (督办) cases overdue by more than LIANXIN_SUPERVISE_AFTER_DAYS
   working days, for the supervisors;
5. closes resolved cases whose rating window has passed without a rating.

Every step claims a SweepMark with a unique key inside its own transaction before acting, so
two sweeps at the same moment (two workers, or cron beside the worker) do each step once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from lianxin.calendar import deadlines
from lianxin.calendar.services import calendar_ensure_ahead
from lianxin.cases import notifications
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import (
    OPEN_REFERRAL_STATUSES,
    OPEN_STATUSES,
    Case,
    CaseStatus,
    EventKind,
    RatingInvitation,
    Referral,
    ReferralStatus,
    SweepMark,
)
from lianxin.cases.services import case_close_unrated, case_supervise, case_urge
from lianxin.cases.services._common import compute_deadlines, record_event
from lianxin.env import env_int

REMIND_HOURS = env_int("LIANXIN_REMIND_HOURS", 24, minimum=1)
SUPERVISE_AFTER_DAYS = env_int("LIANXIN_SUPERVISE_AFTER_DAYS", 2, minimum=0)
BATCH = 500


@dataclass
class SweepReport:
    deadlines_set: int = 0
    reminded: int = 0
    urged: int = 0
    supervised: int = 0
    closed: int = 0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "deadlines_set": self.deadlines_set,
            "reminded": self.reminded,
            "urged": self.urged,
            "supervised": self.supervised,
            "closed": self.closed,
        }


def _once(key: str, action) -> bool:
    """Do `action` in one transaction with claiming `key`; False if it was claimed before."""
    try:
        with transaction.atomic():
            SweepMark.objects.create(key=key)
            action()
    except (IntegrityError, CaseActionError):
        # Claimed before, or the case moved on meanwhile (e.g. closed): nothing to do.
        return False
    return True


def _local(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _stamp(value: datetime.datetime) -> str:
    return value.strftime("%Y%m%d%H%M")


def sweep(now: datetime.datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport()
    # Next year's provisional calendar is ready before the first case reaches it.
    calendar_ensure_ahead(today=timezone.localdate(now))
    _set_missing_deadlines(report)
    _remind(now, report)
    _urge(now, report)
    _supervise(now, report)
    _close_unrated(now, report)
    return report


def _set_missing_deadlines(report: SweepReport) -> None:
    for case in Case.objects.filter(status__in=OPEN_STATUSES).exclude(deadline_problem="")[:BATCH]:
        start = case.round_started_at or case.received_at
        response_due, handling_due, problem = compute_deadlines(case.category, case.urgency, start)
        if problem:
            report.problems.append(problem)
            continue
        with transaction.atomic():
            changed = (
                Case.objects.filter(pk=case.pk)
                .exclude(deadline_problem="")
                .update(
                    response_due_at=response_due, handling_due_at=handling_due, deadline_problem=""
                )
            )
            if changed:
                case.response_due_at, case.handling_due_at = response_due, handling_due
                record_event(
                    case,
                    kind=EventKind.DEADLINE,
                    public=True,
                    message=(gettext_noop("Deadlines set now that the calendar has the year."), {}),
                )
                notifications.case_deadline_set(case)
                report.deadlines_set += 1


def _remind(now: datetime.datetime, report: SweepReport) -> None:
    soon = now + datetime.timedelta(hours=REMIND_HOURS)
    cases = Case.objects.filter(
        status__in=OPEN_STATUSES, handling_due_at__gt=now, handling_due_at__lte=soon
    ).select_related("assignee", "received_by")[:BATCH]
    for case in cases:
        key = f"remind:case:{case.pk}:{case.round}:{_stamp(case.handling_due_at)}"

        def act(case=case):
            event = record_event(
                case,
                kind=EventKind.REMINDED,
                message=(gettext_noop("Due soon: %(due)s"), {"due": _local(case.handling_due_at)}),
            )
            notifications.case_due_soon(case, event)

        report.reminded += _once(key, act)
    referrals = Referral.objects.filter(
        status__in=OPEN_REFERRAL_STATUSES, due_at__gt=now, due_at__lte=soon
    ).select_related("case", "department")[:BATCH]
    for referral in referrals:
        key = f"remind:referral:{referral.pk}:{_stamp(referral.due_at)}"

        def act(referral=referral):
            event = record_event(
                referral.case,
                kind=EventKind.REMINDED,
                referral=referral,
                message=(
                    gettext_noop("%(department)s: reply due %(due)s"),
                    {"department": referral.department.name, "due": _local(referral.due_at)},
                ),
            )
            notifications.referral_due_soon(referral, event)

        report.reminded += _once(key, act)


def _urge(now: datetime.datetime, report: SweepReport) -> None:
    late_response = Q(first_responded_at__isnull=True, response_due_at__lt=now)
    late_handling = Q(handling_due_at__lt=now)
    cases = Case.objects.filter(Q(status__in=OPEN_STATUSES) & (late_response | late_handling))
    for case in cases.select_related("assignee")[:BATCH]:
        if case.handling_due_at and case.handling_due_at < now:
            key = f"urge:case:{case.pk}:{case.round}:handling:{_stamp(case.handling_due_at)}"
            msgid = gettext_noop("Overdue: the handling time limit passed at %(due)s.")
            due = case.handling_due_at
        else:
            key = f"urge:case:{case.pk}:{case.round}:response:{_stamp(case.response_due_at)}"
            msgid = gettext_noop("Overdue: nobody has contacted the resident since %(due)s.")
            due = case.response_due_at
        message = (msgid, {"due": _local(due)})
        report.urged += _once(
            key,
            lambda case=case, message=message: case_urge(
                actor=None, case=case, message=message, automatic=True
            ),
        )
    referrals = Referral.objects.filter(
        Q(status__in=OPEN_REFERRAL_STATUSES, due_at__lt=now)
        | Q(status=ReferralStatus.PENDING, accept_due_at__lt=now)
    ).select_related("case", "department")
    for referral in referrals[:BATCH]:
        if referral.due_at and referral.due_at < now:
            key = f"urge:referral:{referral.pk}:reply:{_stamp(referral.due_at)}"
            msgid = gettext_noop("%(department)s has not replied within the time limit.")
        else:
            key = f"urge:referral:{referral.pk}:accept:{_stamp(referral.accept_due_at)}"
            msgid = gettext_noop("%(department)s has not accepted the referral in time.")
        message = (msgid, {"department": referral.department.name})
        report.urged += _once(
            key,
            lambda r=referral, message=message: case_urge(
                actor=None, case=r.case, message=message, automatic=True, referral=r
            ),
        )


def _supervise(now: datetime.datetime, report: SweepReport) -> None:
    overdue = Case.objects.filter(status__in=OPEN_STATUSES, handling_due_at__lt=now)
    for case in overdue[:BATCH]:
        try:
            late = deadlines.working_days_between(case.handling_due_at, now)
        except deadlines.CalendarMissing as exc:
            report.problems.append(str(exc))
            continue
        if late <= SUPERVISE_AFTER_DAYS:
            continue
        key = f"supervise:case:{case.pk}:{case.round}"
        message = (gettext_noop("Overdue by %(n)d working days: under supervision."), {"n": late})
        report.supervised += _once(
            key,
            lambda case=case, message=message: case_supervise(
                actor=None, case=case, message=message, automatic=True
            ),
        )


def _close_unrated(now: datetime.datetime, report: SweepReport) -> None:
    expired = (
        RatingInvitation.objects.filter(
            case__status=CaseStatus.RESOLVED, expires_at__lt=now, used_at__isnull=True
        )
        .values_list("case_id", "round")
        .distinct()
    )
    for case_id, round_ in expired[:BATCH]:
        case = Case.objects.filter(pk=case_id, round=round_, status=CaseStatus.RESOLVED).first()
        if (
            case
            and not RatingInvitation.objects.filter(
                case=case, round=round_, expires_at__gte=now
            ).exists()
        ):
            report.closed += case_close_unrated(case=case)
