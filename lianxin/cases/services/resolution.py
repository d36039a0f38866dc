"""Feedback to the resident, the resident's rating (or a staff callback), reopening and closing."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.cases import notifications, workflow
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import (
    Case,
    CaseStatus,
    EventKind,
    Rating,
    RatingInvitation,
    ReferralCloseReason,
    Satisfaction,
    rating_token_hash,
)
from lianxin.cases.services._common import compute_deadlines, record_event, require, transition
from lianxin.cases.services.referrals import referrals_close
from lianxin.env import env_int

RATING_DAYS = env_int("LIANXIN_RATING_DAYS", 7, minimum=1)


def reporters_cases(case: Case) -> list[Case]:
    """The case and every case merged into it (each has its own reporter), recursively."""
    found, frontier = [case], [case]
    while frontier:
        frontier = list(Case.objects.filter(merged_into__in=frontier))
        found.extend(frontier)
    return found


def invite_ratings(case: Case) -> list[RatingInvitation]:
    """One rating link per reporter (the case's own and those of merged duplicates)."""
    expires = timezone.now() + datetime.timedelta(days=RATING_DAYS)
    invitations = []
    for source in reporters_cases(case):
        salt = secrets.token_hex(16)
        invitation = RatingInvitation(
            case=case, source_case=source, round=case.round, salt=salt, expires_at=expires
        )
        invitation.token_hash = rating_token_hash(invitation.token())
        invitations.append(invitation)
    return RatingInvitation.objects.bulk_create(invitations)


@transaction.atomic
def case_feedback(*, actor, case: Case, summary: str, method: str) -> Case:
    """Tell the resident what was done (反馈): the case is resolved and awaits the rating."""
    step = require(actor, case, workflow.FEEDBACK)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": [_("Say what was done about the problem.")]})
    now = timezone.now()
    fields = {
        "now": now,
        "resolved_at": now,
        "resolved_in_time": case.handling_due_at is None or now <= case.handling_due_at,
    }
    if case.first_responded_at is None:
        fields["first_responded_at"] = now
        fields["responded_in_time"] = case.response_due_at is None or now <= case.response_due_at
    transition(case, allowed=step.starts_from, to=CaseStatus.RESOLVED, **fields)
    # The round ends here: what no department answered is closed, with the reason.
    referrals_close(case, actor=actor, reason=ReferralCloseReason.ROUND_ENDED)
    record_event(
        case,
        kind=EventKind.FEEDBACK,
        actor=actor,
        public=True,
        note=summary,
        data={"method": method},
    )
    invitations = invite_ratings(case)
    notifications.case_feedback(case, invitations)
    return case


def _check_rating_values(resolved, satisfaction) -> None:
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": [_("Choose how satisfied you are.")]})
    if resolved not in (True, False):
        raise ValidationError({"resolved": [_("Say whether the problem was solved.")]})


def _apply_rating(case: Case, rating: Rating, actor) -> None:
    """Close a case judged solved and satisfactory; reopen it otherwise (重办)."""
    now = timezone.now()
    if rating.resolved and rating.is_satisfied:
        transition(
            case, allowed=[CaseStatus.RESOLVED], to=CaseStatus.CLOSED, now=now, closed_at=now
        )
        record_event(
            case,
            kind=EventKind.CLOSED,
            actor=None,
            public=True,
            message=(gettext_noop("Closed after the resident's rating."), {}),
        )
        return
    case_reopen(
        case=case,
        actor=actor,
        message=(gettext_noop("The resident was not satisfied; handled again."), {}),
    )


@transaction.atomic
def rating_submit(*, token: str, resolved: bool, satisfaction: int, comment: str = "") -> Rating:
    """The resident's own rating through a one-time link. No staff member can call this on a
    resident's behalf: it needs the link's secret, and staff record callbacks instead."""
    _check_rating_values(resolved, satisfaction)
    invitation = (
        RatingInvitation.objects.select_related("case")
        .filter(token_hash=rating_token_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise CaseActionError("invalid_link", _("This rating link is not valid."))
    case = invitation.case
    now = timezone.now()
    if invitation.used_at is not None:
        raise CaseActionError("already_rated", _("This link has already been used to rate."))
    if invitation.expires_at < now:
        raise CaseActionError("expired", _("The time for rating this result has passed."))
    if case.status != CaseStatus.RESOLVED or invitation.round != case.round:
        raise CaseActionError(
            "not_awaiting_rating", _("This case is not waiting for a rating now.")
        )
    used = RatingInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_at=now
    )
    if used != 1:
        raise CaseActionError("already_rated", _("This link has already been used to rate."))
    rating = _create_rating(
        case, resolved=resolved, satisfaction=satisfaction, comment=(comment or "").strip()
    )
    record_event(
        case,
        kind=EventKind.RATED,
        actor=None,
        public=True,
        data={
            "resolved": resolved,
            "satisfaction": satisfaction,
            "comment": rating.comment,
            "source_case": invitation.source_case_id,
        },
    )
    _apply_rating(case, rating, actor=None)
    notifications.case_rated(case, rating)
    return rating


def _create_rating(case: Case, **fields) -> Rating:
    try:
        with transaction.atomic():
            return Rating.objects.create(case=case, round=case.round, **fields)
    except IntegrityError:
        raise CaseActionError(
            "already_rated", _("This round of the case has already been rated.")
        ) from None


@transaction.atomic
def rating_record_callback(
    *,
    actor,
    case: Case,
    resolved: bool,
    satisfaction: int,
    method: str,
    called_at: datetime.datetime,
    comment: str = "",
) -> Rating:
    """A callback (回访) recorded by staff: always marked as such and counted separately."""
    require(actor, case, workflow.CALLBACK)
    _check_rating_values(resolved, satisfaction)
    if not method:
        raise ValidationError({"method": [_("Say how the resident was reached.")]})
    if called_at > timezone.now():
        raise ValidationError({"called_at": [_("The callback time lies in the future.")]})
    rating = _create_rating(
        case,
        resolved=resolved,
        satisfaction=satisfaction,
        comment=(comment or "").strip(),
        is_callback=True,
        callback_method=method,
        callback_at=called_at,
        recorded_by=actor,
    )
    RatingInvitation.objects.filter(case=case, round=case.round, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    record_event(
        case,
        kind=EventKind.CALLBACK,
        actor=actor,
        public=True,
        data={
            "resolved": resolved,
            "satisfaction": satisfaction,
            "method": method,
            "comment": rating.comment,
        },
    )
    _apply_rating(case, rating, actor=actor)
    return rating


def case_reopen(
    *, case: Case, actor, reason: str = "", message: tuple[str, dict] | None = None
) -> Case:
    """重办: back to `responding` for a new round with fresh deadlines from now."""
    now = timezone.now()
    response_due, handling_due, problem = compute_deadlines(case.category, case.urgency, now)
    transition(
        case,
        allowed=[CaseStatus.RESOLVED],
        to=CaseStatus.RESPONDING,
        now=now,
        round=case.round + 1,
        round_started_at=now,
        reopen_count=case.reopen_count + 1,
        response_due_at=response_due,
        handling_due_at=handling_due,
        deadline_problem=problem,
        resolved_at=None,
        resolved_in_time=None,
    )
    record_event(
        case,
        kind=EventKind.REOPENED,
        actor=actor,
        public=True,
        note=reason,
        message=message,
        data={"round": case.round},
    )
    notifications.case_reopened(case)
    return case


@transaction.atomic
def case_close_unrated(*, case: Case) -> bool:
    """Close a resolved case whose rating window passed without a rating. False if it was
    rated or changed meanwhile."""
    now = timezone.now()
    changed = Case.objects.filter(pk=case.pk, status=CaseStatus.RESOLVED, round=case.round).update(
        status=CaseStatus.CLOSED, status_changed_at=now, closed_at=now
    )
    if changed != 1:
        return False
    case.status, case.closed_at = CaseStatus.CLOSED, now
    record_event(
        case,
        kind=EventKind.CLOSED,
        public=True,
        message=(gettext_noop("Closed: the time for rating has passed without a rating."), {}),
    )
    return True
