"""Side exits: merging duplicates, not accepting a case, withdrawal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.cases import permissions
from lianxin.cases.models import (
    OPEN_REFERRAL_STATUSES,
    OPEN_STATUSES,
    Case,
    CaseStatus,
    EventKind,
    Referral,
    ReferralStatus,
)
from lianxin.cases.services._common import record_event, require, transition


def _cancel_open_referrals(case: Case) -> None:
    Referral.objects.filter(case=case, status__in=OPEN_REFERRAL_STATUSES).update(
        status=ReferralStatus.CANCELLED
    )


@transaction.atomic
def case_merge(*, actor, duplicate: Case, into: Case) -> Case:
    """Merge a duplicate into a surviving case: the duplicate's reporter follows the survivor
    (their tracking code shows its timeline and they are asked to rate it); both timelines
    are kept."""
    require(actor, duplicate, permissions.MERGE)
    require(actor, into, permissions.MERGE)
    if duplicate.pk == into.pk:
        raise ValidationError({"into": [_("A case cannot be merged into itself.")]})
    if into.merged_into_id is not None or into.status not in OPEN_STATUSES:
        raise ValidationError({"into": [_("Merge into a case that is still open.")]})
    transition(duplicate, allowed=OPEN_STATUSES, to=CaseStatus.MERGED, merged_into=into)
    _cancel_open_referrals(duplicate)
    # Cases merged earlier into the duplicate now follow the survivor too.
    Case.objects.filter(merged_into=duplicate).update(merged_into=into)
    record_event(
        duplicate,
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
            {"number": duplicate.number, "reporter": duplicate.reporter_display},
        ),
        data={"duplicate": duplicate.pk},
    )
    return into


@transaction.atomic
def case_reject(*, actor, case: Case, reason: str) -> Case:
    require(actor, case, permissions.REJECT)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the case is not accepted.")]})
    transition(
        case,
        allowed=[CaseStatus.RECEIVED, CaseStatus.RESPONDING],
        to=CaseStatus.REJECTED,
        closed_at=timezone.now(),
    )
    _cancel_open_referrals(case)
    record_event(case, kind=EventKind.REJECTED, actor=actor, public=True, note=reason)
    return case


@transaction.atomic
def case_withdraw(*, actor, case: Case, reason: str) -> Case:
    """The resident no longer wants the case handled (recorded by staff on their word)."""
    require(actor, case, permissions.WITHDRAW)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the case is withdrawn.")]})
    transition(case, allowed=OPEN_STATUSES, to=CaseStatus.WITHDRAWN, closed_at=timezone.now())
    _cancel_open_referrals(case)
    record_event(case, kind=EventKind.WITHDRAWN, actor=actor, public=True, note=reason)
    return case
