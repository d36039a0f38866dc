"""Reads for the public site. Everything here is public by design (communities, their paired
representatives' published contacts, the category tree) or reached only with a secret the
resident holds (a tracking code, a rating link). Internal notes, attachments, staff names
(unless LIANXIN_PUBLIC_STAFF_NAMES) and other reporters' details never leave this module."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.cases.models import (
    Case,
    CaseStatus,
    Category,
    EventKind,
    RatingInvitation,
    Satisfaction,
    rating_token_hash,
)
from lianxin.cases.selectors import case_timeline
from lianxin.cases.services._common import normalise_tracking_code
from lianxin.directory.models import (
    Community,
    Pairing,
    PairingKind,
    Representative,
    Subdistrict,
)

MAX_MERGE_HOPS = 10


# --- Communities and their representatives --------------------------------------------------
def subdistricts_with_communities() -> list[Subdistrict]:
    return list(
        Subdistrict.objects.order_by("name").prefetch_related(
            Prefetch("communities", queryset=Community.objects.order_by("name"))
        )
    )


def _contact_pairings() -> QuerySet[Pairing]:
    return Pairing.objects.active().filter(kind=PairingKind.CONTACT, representative__is_active=True)


def community_search(text: str) -> QuerySet[Community]:
    """Communities whose name, subdistrict or paired representative's name contains `text`."""
    text = (text or "").strip()
    if not text:
        return Community.objects.none()
    by_representative = _contact_pairings().filter(
        community=OuterRef("pk"), representative__name__contains=text
    )
    return (
        Community.objects.filter(
            Q(name__contains=text)
            | Q(subdistrict__name__contains=text)
            | Q(address__contains=text)
            | Exists(by_representative)
        )
        .select_related("subdistrict")
        .order_by("subdistrict__name", "name")
    )


def community_public_get(code: str) -> Community:
    community = Community.objects.select_related("subdistrict").filter(code=code).first()
    if community is None:
        raise Http404
    return community


def community_representatives(community: Community) -> list[Representative]:
    """Active representatives with an active fixed-contact pairing with the community."""
    paired = _contact_pairings().filter(community=community, representative=OuterRef("pk"))
    return list(
        Representative.objects.filter(is_active=True)
        .filter(Exists(paired))
        .order_by("level", "name", "pk")
    )


def community_representative_get(community: Community, pk: int) -> Representative:
    for representative in community_representatives(community):
        if representative.pk == pk:
            return representative
    raise Http404


# --- Categories -----------------------------------------------------------------------------
def public_categories() -> list[Category]:
    """Top-level active categories with their active children, in their order."""
    return list(
        Category.objects.filter(parent__isnull=True, is_active=True)
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Category.objects.filter(is_active=True).order_by("sort_order", "pk"),
                to_attr="active_children",
            )
        )
        .order_by("sort_order", "pk")
    )


# --- Following a case -----------------------------------------------------------------------
def case_for_tracking(code: str) -> Case | None:
    """The case with this tracking code (typed with dashes, spaces or in lower case), or None."""
    normalised = normalise_tracking_code(code)
    if not normalised:
        return None
    return (
        Case.objects.select_related("category__parent", "community__subdistrict")
        .filter(tracking_code=normalised)
        .first()
    )


def surviving_case(case: Case) -> Case:
    """The case that carries on the work: the case itself, or the one it was merged into."""
    current = case
    for _hop in range(MAX_MERGE_HOPS):
        if current.status != CaseStatus.MERGED or current.merged_into_id is None:
            return current
        current = Case.objects.select_related("category__parent", "community__subdistrict").get(
            pk=current.merged_into_id
        )
    return current


@dataclass(frozen=True)
class PublicStep:
    at: datetime.datetime
    kind: str
    title: str
    who: str
    text: str


def _who(event) -> str:
    """Role and unit of the member of staff; nothing for the resident's own steps and the
    system's."""
    if event.actor_id is None:
        return ""
    label = event.actor_label
    if settings.LIANXIN_PUBLIC_STAFF_NAMES and event.actor.full_name:
        return f"{event.actor.full_name}（{label}）" if label else event.actor.full_name
    return label


def public_steps(
    case: Case, *, reporter_case: Case, since: datetime.datetime | None = None
) -> list[PublicStep]:
    """The public timeline of `case` as `reporter_case`'s reporter may read it: public events
    only, without attachments. When the reporter follows a case their own was merged into,
    what concerns its other reporters is told without their words: the contact with them,
    their ratings and the callbacks to them."""
    from lianxin.portal.words import step_title

    someone_else = reporter_case.pk != case.pk
    events = case_timeline(case, public_only=True)
    if since is not None:
        events = events.filter(at__gte=since)
    steps = []
    for event in events:
        text = event.text
        if event.kind in (EventKind.RATED, EventKind.CALLBACK) and "satisfaction" in event.data:
            by_other = (
                event.data.get("source_case") not in (None, reporter_case.pk)
                if event.kind == EventKind.RATED
                else someone_else
            )
            if by_other:
                text = _("Another resident who raised it rated it: %(level)s (%(solved)s).") % {
                    "level": Satisfaction(event.data["satisfaction"]).label,
                    "solved": _("solved") if event.data.get("resolved") else _("not solved"),
                }
        elif event.kind == EventKind.CONTACTED and someone_else:
            text = _("Staff got in touch with the resident who first raised it.")
        steps.append(
            PublicStep(
                at=event.at,
                kind=event.kind,
                title=step_title(event.kind) or event.get_kind_display(),
                who=_who(event),
                text=text,
            )
        )
    return steps


def open_rating_invitation(case: Case, *, reporter_case: Case) -> RatingInvitation | None:
    """The reporter's unused, unexpired invitation to rate the current round, if the case is
    waiting for that rating."""
    if case.status != CaseStatus.RESOLVED:
        return None
    return (
        RatingInvitation.objects.filter(
            case=case,
            source_case=reporter_case,
            round=case.round,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )


def rating_invitation_for_token(token: str) -> RatingInvitation | None:
    if not token or len(token) > 64:
        return None
    return (
        RatingInvitation.objects.select_related("case", "source_case")
        .filter(token_hash=rating_token_hash(token))
        .first()
    )


def latest_feedback(case: Case) -> str:
    """What the resident was told in the case's current round (the feedback step's words)."""
    event = (
        case.events.filter(kind=EventKind.FEEDBACK, is_public=True, round=case.round)
        .order_by("-at", "-pk")
        .first()
    )
    return event.text if event else ""


def community_by_code(code: str) -> Community | None:
    return Community.objects.filter(code=code).first() if code else None


def case_by_pk(pk) -> Case | None:
    """The case a resident has just filed (the receipt); the pk comes from their session."""
    return Case.objects.filter(pk=pk).first() if isinstance(pk, int) else None
