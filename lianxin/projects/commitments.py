"""Commitments (承诺联系): what a representative promises their paired community for the year,
each with a date; residents see its progress and result on the community page; commitments
that slip past their date are urged by the projects sweep; they count in the connected record.

Commitments share the projects room with practical projects: both are public promises with
progress and a result that residents watch."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import Role
from lianxin.core.sweeps import claim_urge, not_yet_urged
from lianxin.notify.kinds import EventKind
from lianxin.notify.services import notify_users
from lianxin.projects.models import Commitment, CommitmentStatus


class CommitmentError(Exception):
    def __init__(self, code: str, message) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = str(message)


def can_manage(user, representative) -> bool:
    """The representative themself, and administrators."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return user.role == Role.ADMIN or (
        user.role == Role.REPRESENTATIVE and representative.user_id == user.pk
    )


def commitments_public(*, community) -> list[Commitment]:
    year = timezone.localdate().year
    return list(
        Commitment.objects.filter(community=community, year=year)
        .select_related("representative")
        .order_by("representative__name", "due_on", "pk")
    )


@transaction.atomic
def commitment_add(
    *, actor, representative, community, title: str, due_on: datetime.date
) -> Commitment:
    if not can_manage(actor, representative):
        raise CommitmentError("not_allowed", _("Representatives publish their own commitments."))
    paired = representative.pairings.filter(kind="contact", community=community).exists()
    if not paired:
        raise ValidationError(
            {
                "community": [
                    _("Commitments are made to a community the representative is paired with.")
                ]
            }
        )
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Say what you will do.")]})
    today = timezone.localdate()
    if due_on.year != today.year or due_on < today:
        raise ValidationError({"due_on": [_("Choose a date from today to the end of this year.")]})
    return Commitment.objects.create(
        representative=representative,
        community=community,
        year=due_on.year,
        title=title,
        due_on=due_on,
    )


@transaction.atomic
def commitment_progress(
    *, actor, commitment: Commitment, progress: int, note: str = ""
) -> Commitment:
    if not can_manage(actor, commitment.representative):
        raise CommitmentError("not_allowed", _("Representatives report on their own commitments."))
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": [_("Progress is a percentage from 0 to 100.")]})
    note = (note or "").strip()
    fields = {"progress": progress, "note": note}
    if progress == 100:
        if not note:
            raise ValidationError({"note": [_("Say what was achieved.")]})
        fields.update(status=CommitmentStatus.KEPT, done_on=timezone.localdate())
    changed = Commitment.objects.filter(pk=commitment.pk, status=CommitmentStatus.OPEN).update(
        **fields
    )
    if changed != 1:
        raise CommitmentError("stale", _("This commitment is already kept."))
    commitment.refresh_from_db()
    return commitment


def sweep(*, today: datetime.date | None = None) -> int:
    """Urge the representative of every open commitment past its date, once per date."""
    today = today or timezone.localdate()
    urged = 0
    late = (
        Commitment.objects.filter(status=CommitmentStatus.OPEN, due_on__lt=today)
        .filter(not_yet_urged("due_on", "urged_for"))
        .select_related("representative__user", "community")
    )
    for commitment in late[:500]:
        with transaction.atomic():
            mine = Commitment.objects.filter(
                pk=commitment.pk, status=CommitmentStatus.OPEN, due_on=commitment.due_on
            )
            if not claim_urge(mine, "due_on", "urged_for"):
                continue
            users = [commitment.representative.user] if commitment.representative.user_id else []
            notify_users(
                kind=EventKind.MESSAGE,
                users=users,
                context={
                    "title": f"【催办】承诺事项「{commitment.title}」",
                    "body": f"您向{commitment.community.name}承诺于{commitment.due_on:%Y-%m-%d}前"
                    f"「{commitment.title}」，目前尚未完成（进度{commitment.progress}%），请抓紧落实并更新进度。",
                },
                link="/staff/projects/commitments/",
                idempotency_key=f"commitment:{commitment.pk}:urge:{commitment.due_on:%Y%m%d}",
            )
            urged += 1
    return urged
