"""Side exits: merging duplicates, not accepting a case, withdrawal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.cases import notifications, workflow
from lianxin.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    EventKind,
    ReferralCloseReason,
)
from lianxin.cases.services._common import record_event, require, stale, transition
from lianxin.cases.services.referrals import referrals_close


def _lock_pair(case: Case, into: Case) -> dict[int, Case]:
    """Lock both cases' rows, always in the order of their ids, and read them afresh.

    A merge changes two cases. Locking both in one fixed order means two merges touching
    the same cases (A into B beside B into A, or A into B beside B into C) run one after the
    other instead of both passing their checks, and never deadlock. On SQLite the write
    transaction already runs alone, and the fresh read is what matters."""
    rows = Case.objects.select_for_update().filter(pk__in=[case.pk, into.pk]).order_by("pk")
    return {row.pk: row for row in rows}


@transaction.atomic
def case_merge(*, actor, case: Case, into: Case) -> Case:
    """Merge a duplicate (`case`) into a surviving case: the duplicate's reporter follows the
    survivor (their tracking code shows its timeline and they are asked to rate it); both
    timelines are kept. Whatever else happens to the two cases at the same moment, at most
    one merge between them wins, no case is merged into itself, and the survivor is open."""
    step = require(actor, case, workflow.MERGE)
    require(actor, into, workflow.MERGE)
    if case.pk == into.pk:
        raise ValidationError({"into": [_("A case cannot be merged into itself.")]})
    locked = _lock_pair(case, into)
    fresh, survivor = locked[case.pk], locked[into.pk]
    if fresh.status not in step.starts_from:
        case.status = fresh.status
        raise stale(case)
    if survivor.status not in OPEN_STATUSES or survivor.merged_into_id is not None:
        raise ValidationError({"into": [_("Merge into a case that is still open.")]})
    transition(case, allowed=step.starts_from, to=CaseStatus.MERGED, merged_into=into)
    referrals_close(case, actor=actor, reason=ReferralCloseReason.MERGED)
    # Cases merged earlier into the duplicate now follow the survivor too.
    followers = list(Case.objects.filter(merged_into=case))
    Case.objects.filter(merged_into=case).update(merged_into=into)
    record_event(
        case,
        kind=EventKind.MERGED,
        actor=actor,
        public=True,
        message=(
            gettext_noop(
                "Handled together with the same problem reported by others (case %(number)s)."
            ),
            {"number": into.number},
        ),
        data={"into": into.pk},
    )
    record_event(
        into,
        kind=EventKind.ABSORBED,
        actor=actor,
        public=False,
        message=(
            gettext_noop("Case %(number)s (%(reporter)s) merged in."),
            {"number": case.number, "reporter": case.reporter_display},
        ),
        data={"duplicate": case.pk},
    )
    notifications.case_merged(case, into, followers=followers)
    return into


@transaction.atomic
def case_reject(*, actor, case: Case, reason: str) -> Case:
    step = require(actor, case, workflow.REJECT)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the case is not accepted.")]})
    transition(case, allowed=step.starts_from, to=CaseStatus.REJECTED, closed_at=timezone.now())
    referrals_close(case, actor=actor, reason=ReferralCloseReason.REJECTED)
    record_event(case, kind=EventKind.REJECTED, actor=actor, public=True, note=reason)
    return case


@transaction.atomic
def case_withdraw(*, actor, case: Case, reason: str) -> Case:
    """The resident no longer wants the case handled (recorded by staff on their word)."""
    step = require(actor, case, workflow.WITHDRAW)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the case is withdrawn.")]})
    transition(case, allowed=step.starts_from, to=CaseStatus.WITHDRAWN, closed_at=timezone.now())
    referrals_close(case, actor=actor, reason=ReferralCloseReason.WITHDRAWN)
    record_event(case, kind=EventKind.WITHDRAWN, actor=actor, public=True, note=reason)
    return case
