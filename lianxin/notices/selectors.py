"""Reads of notices: who sent what to whom, delivery counts, and what notices add to the
coverage of a community."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lianxin.accounts import scopes
from lianxin.accounts.models import Role
from lianxin.notices.models import Notice, NoticeRecipient, Outcome
from lianxin.notify.models import DeliveryStatus

READERS = (Role.ADMIN, Role.SUPERVISOR, Role.WORKER, Role.REPRESENTATIVE)


def notices_visible_to(user) -> QuerySet[Notice]:
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.role in READERS):
        return Notice.objects.none()
    ids = scopes.community_ids(user)
    if ids is None:
        return Notice.objects.all()
    return Notice.objects.filter(Q(community_id__in=ids) | Q(sent_by=user))


def notice_get_for_user(user, pk: int) -> Notice:
    notice = (
        notices_visible_to(user)
        .select_related("community", "care_tag", "sent_by")
        .filter(pk=pk)
        .first()
    )
    if notice is None:
        raise Http404
    return notice


def counts(recipients) -> dict:
    """sent (accepted by the gateway), waiting, failed, opted out, not agreed, no phone,
    capped, told in person, reached (sent + told), total."""
    by_outcome = Counter(dict(recipients.values_list("outcome").annotate(n=Count("pk"))))
    by_status = Counter(
        dict(
            recipients.filter(outcome=Outcome.SMS)
            .values_list("delivery__status")
            .annotate(n=Count("pk"))
        )
    )
    sent = by_status[DeliveryStatus.SENT]
    result = {
        "sent": sent,
        "waiting": by_status[DeliveryStatus.QUEUED] + by_status[DeliveryStatus.SENDING],
        "failed": by_status[DeliveryStatus.FAILED],
        "opted_out": by_outcome[Outcome.OPTED_OUT],
        "no_consent": by_outcome[Outcome.NO_CONSENT],
        "no_phone": by_outcome[Outcome.NO_PHONE],
        "capped": by_outcome[Outcome.CAPPED],
        "told": by_outcome[Outcome.TOLD],
        "total": sum(by_outcome.values()),
    }
    result["reached"] = sent + result["told"]
    return result


def coverage(community, start: datetime.date, end: datetime.date) -> dict:
    """Notices of the period to the community's residents (a fixed number of queries)."""
    from lianxin.outreach.selectors import local_bounds

    lower, upper = local_bounds(start, end)
    recipients = NoticeRecipient.objects.filter(
        community=community, notice__sent_at__gte=lower, notice__sent_at__lt=upper
    )
    result = counts(recipients)
    result["notices"] = recipients.values("notice_id").distinct().count()
    result["residents_reached"] = (
        recipients.filter(
            Q(outcome=Outcome.TOLD) | Q(outcome=Outcome.SMS, delivery__status=DeliveryStatus.SENT)
        )
        .values("resident_id")
        .distinct()
        .count()
    )
    return result
