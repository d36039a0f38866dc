from decimal import Decimal

from django import template
from django.db.models import Q

register = template.Library()


@register.filter
def pct(value) -> str:
    """25 → "25%", 12.5 → "12.5%", None (nothing to divide by) → "—"."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


# --- Outreach on the directory's pages (included in their extension blocks) ----------------
@register.simple_tag(takes_context=True)
def resident_outreach(context, resident):
    """A resident's one-to-one pairings with the last contact, and the visits and talks the
    reader may see."""
    from django.utils import timezone

    from lianxin.directory.models import Pairing, PairingKind
    from lianxin.outreach import selectors

    user = context["request"].user
    if user.role not in selectors.OUTREACH_ROLES:
        return None
    pairings = (
        Pairing.objects.active_on(timezone.localdate())
        .filter(kind=PairingKind.ONE_TO_ONE, resident=resident)
        .select_related("party_member")
    )
    last = selectors.last_contacts([resident]).get(resident.pk)
    visits = selectors.visits_visible_to(user).filter(resident=resident)
    if resident.household_id:
        visits = selectors.visits_visible_to(user).filter(
            Q(resident=resident) | Q(household_id=resident.household_id)
        )
    return {
        "one_to_one": [selectors.OneToOne(p, last) for p in pairings],
        "visits": list(visits.order_by("-visited_at")[:5]),
        "talks": list(
            selectors.talks_visible_to(user).filter(resident=resident).order_by("-held_at")[:5]
        ),
        "can_record": user.role in selectors.RECORDERS,
    }


@register.simple_tag(takes_context=True)
def household_visits(context, household):
    from lianxin.outreach import selectors

    user = context["request"].user
    return list(
        selectors.visits_visible_to(user).filter(household=household).order_by("-visited_at")[:10]
    )


@register.simple_tag(takes_context=True)
def representative_outreach(context, rep):
    from django.utils import timezone

    from lianxin.outreach import selectors

    user = context["request"].user
    if user.role not in selectors.OUTREACH_ROLES:
        return None
    return {
        "receptions": list(
            selectors.receptions_visible_to(user)
            .filter(representatives=rep)
            .select_related("community")
            .order_by("-starts_at")[:5]
        ),
        "check_ins": list(
            selectors.check_ins_visible_to(user)
            .filter(representative=rep)
            .select_related("community")
            .order_by("-checked_in_at")[:5]
        ),
        "can_view_duties": selectors.can_view_duties(user, rep),
        "year": timezone.localdate().year,
    }


@register.simple_tag(takes_context=True)
def community_outreach(context, community):
    import datetime

    from django.utils import timezone

    from lianxin.outreach import selectors

    user = context["request"].user
    if not selectors.can_read_coverage(user, community):
        return None
    today = timezone.localdate()
    return {
        "receptions": list(
            selectors.reception_list(user, upcoming=True).filter(community=community)[:5]
        ),
        "today": today,
        "year_start": datetime.date(today.year, 1, 1),
    }
