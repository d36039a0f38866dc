"""Reads of the directory, always inside the user's scope (see accounts.scopes).

One predicate and one selector per model; views use `*_get_for_user`, which gives 404 to
outsiders rather than revealing that a record exists.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from lianxin.accounts import scopes
from lianxin.accounts.models import CASEWORK_ROLES, Role
from lianxin.core import privacy
from lianxin.core.validators import normalise_phone
from lianxin.directory.models import (
    CareTag,
    Community,
    Department,
    Household,
    Pairing,
    PairingKind,
    Representative,
    Resident,
    RosterImport,
)

DIRECTORY_ROLES = (Role.ADMIN, Role.SUPERVISOR, Role.WORKER, Role.REPRESENTATIVE)
EDITOR_ROLES = (Role.ADMIN, Role.WORKER)


# --- Residents -----------------------------------------------------------------------------
def residents_visible_to(user) -> QuerySet[Resident]:
    if not user.is_authenticated or user.role not in DIRECTORY_ROLES:
        return Resident.objects.none()
    return scopes.filter_by_community(Resident.objects.all(), user)


def can_view_resident(user, resident: Resident) -> bool:
    return (
        user.is_authenticated
        and user.role in DIRECTORY_ROLES
        and scopes.in_scope(user, resident.community_id)
    )


def can_edit_resident(user, resident: Resident | None = None) -> bool:
    if not user.is_authenticated or user.role not in EDITOR_ROLES:
        return False
    return resident is None or scopes.in_scope(user, resident.community_id)


def can_reveal_phone(user, resident: Resident) -> bool:
    """Those who contact residents: workers and representatives in scope, administrators."""
    return (
        user.is_authenticated
        and user.role in CASEWORK_ROLES
        and scopes.in_scope(user, resident.community_id)
    )


def can_reveal_id_number(user, resident: Resident) -> bool:
    """Only those who keep the roster: the community's workers and administrators."""
    return (
        user.is_authenticated
        and user.role in (Role.ADMIN, Role.WORKER)
        and scopes.in_scope(user, resident.community_id)
    )


def can_export_unmasked(user) -> bool:
    return user.is_authenticated and user.role in (Role.ADMIN, Role.WORKER)


def resident_get_for_user(user, pk: int) -> Resident:
    resident = (
        residents_visible_to(user)
        .select_related("community__subdistrict", "household")
        .prefetch_related("care_tags")
        .filter(pk=pk)
        .first()
    )
    if resident is None:
        raise Http404
    return resident


def resident_list(
    user,
    *,
    query: str = "",
    phone: str = "",
    community_id: int | None = None,
    tag_id: int | None = None,
    party_member: bool | None = None,
    gender: str = "",
) -> QuerySet[Resident]:
    """Filtered residents. `phone` must match exactly (through the blind index)."""
    residents = residents_visible_to(user)
    if query:
        residents = residents.filter(Q(name__contains=query) | Q(address__contains=query))
    if phone:
        residents = residents.filter(phone_index=phone_index_or_none(phone) or "-")
    if community_id:
        residents = residents.filter(community_id=community_id)
    if tag_id:
        residents = residents.filter(care_tags__id=tag_id)
    if party_member is not None:
        residents = residents.filter(is_party_member=party_member)
    if gender:
        residents = residents.filter(gender=gender)
    return (
        residents.select_related("community", "household")
        .prefetch_related(
            Prefetch("care_tags", queryset=CareTag.objects.order_by("sort_order", "name"))
        )
        .order_by("community__name", "name", "pk")
    )


def phone_index_or_none(raw: str) -> str | None:
    from django.core.exceptions import ValidationError

    try:
        normalised = normalise_phone(raw)
    except ValidationError:
        return None
    return privacy.blind_index(normalised, purpose=privacy.PHONE) if normalised else None


def resident_by_phone(user, raw: str) -> Resident | None:
    index = phone_index_or_none(raw)
    if index is None:
        return None
    return residents_visible_to(user).filter(phone_index=index).first()


def resident_duplicates(
    *, phone_index: str = "", id_index: str = "", exclude_pk: int | None = None
) -> dict[str, Resident]:
    """Existing residents (in the whole district) sharing a phone or an ID number."""
    found: dict[str, Resident] = {}
    for key, column, value in (
        ("phone", "phone_index", phone_index),
        ("id_number", "id_index", id_index),
    ):
        if not value:
            continue
        match = Resident.objects.filter(**{column: value}).select_related("community")
        if exclude_pk:
            match = match.exclude(pk=exclude_pk)
        first = match.first()
        if first:
            found[key] = first
    return found


# --- Households ----------------------------------------------------------------------------
def households_visible_to(user) -> QuerySet[Household]:
    if not user.is_authenticated or user.role not in DIRECTORY_ROLES:
        return Household.objects.none()
    return scopes.filter_by_community(Household.objects.all(), user)


def can_view_household(user, household: Household) -> bool:
    return (
        user.is_authenticated
        and user.role in DIRECTORY_ROLES
        and scopes.in_scope(user, household.community_id)
    )


def household_get_for_user(user, pk: int) -> Household:
    household = (
        households_visible_to(user)
        .select_related("community")
        .prefetch_related("care_tags")
        .filter(pk=pk)
        .first()
    )
    if household is None:
        raise Http404
    return household


def household_list(
    user, *, query: str = "", community_id: int | None = None, tag_id: int | None = None
) -> QuerySet[Household]:
    households = households_visible_to(user)
    if query:
        households = households.filter(Q(address__contains=query) | Q(head_name__contains=query))
    if community_id:
        households = households.filter(community_id=community_id)
    if tag_id:
        households = households.filter(care_tags__id=tag_id)
    return (
        households.select_related("community")
        .prefetch_related("care_tags")
        .annotate(member_count=Count("members"))
        .order_by("community__name", "address")
    )


# --- Places, units and representatives: public within the staff workbench ------------------
def communities_visible_to(user) -> QuerySet[Community]:
    if not user.is_authenticated:
        return Community.objects.none()
    return Community.objects.select_related("subdistrict")


def communities_in_scope(user) -> QuerySet[Community]:
    """The communities a user works in (for filters and forms)."""
    return scopes.filter_by_community(communities_visible_to(user), user, field="pk")


def community_get_for_user(user, pk: int) -> Community:
    community = communities_visible_to(user).filter(pk=pk).first()
    if community is None:
        raise Http404
    return community


def departments_visible_to(user) -> QuerySet[Department]:
    if not user.is_authenticated:
        return Department.objects.none()
    return Department.objects.all()


def representatives_visible_to(user) -> QuerySet[Representative]:
    if not user.is_authenticated:
        return Representative.objects.none()
    return Representative.objects.all()


def representative_get_for_user(user, pk: int) -> Representative:
    rep = representatives_visible_to(user).select_related("user").filter(pk=pk).first()
    if rep is None:
        raise Http404
    return rep


def can_edit_directory_reference(user) -> bool:
    """Communities, departments and representatives are kept by administrators."""
    return user.is_authenticated and user.role == Role.ADMIN


# --- Pairings ------------------------------------------------------------------------------
def pairings_visible_to(user) -> QuerySet[Pairing]:
    if not user.is_authenticated or user.role not in DIRECTORY_ROLES:
        return Pairing.objects.none()
    ids = scopes.community_ids(user)
    pairings = Pairing.objects.all()
    if ids is not None:
        pairings = pairings.filter(
            Q(community_id__in=ids)
            | Q(resident__community_id__in=ids)
            | Q(household__community_id__in=ids)
        )
    return pairings


def can_view_pairing(user, pairing: Pairing) -> bool:
    community_id = (
        pairing.community_id
        if pairing.kind == PairingKind.CONTACT
        else pairing.resident.community_id
        if pairing.kind == PairingKind.ONE_TO_ONE
        else pairing.household.community_id
    )
    return (
        user.is_authenticated
        and user.role in DIRECTORY_ROLES
        and scopes.in_scope(user, community_id)
    )


def can_manage_pairings(user) -> bool:
    return user.is_authenticated and user.role in EDITOR_ROLES


def pairing_list(
    user, *, kind: str = "", active_only: bool = True, community_id: int | None = None
) -> QuerySet[Pairing]:
    pairings = pairings_visible_to(user)
    if kind:
        pairings = pairings.filter(kind=kind)
    if active_only:
        pairings = pairings.active()
    if community_id:
        pairings = pairings.filter(
            Q(community_id=community_id)
            | Q(resident__community_id=community_id)
            | Q(household__community_id=community_id)
        )
    return pairings.select_related(
        "representative",
        "community",
        "party_member",
        "resident",
        "resident__community",
        "household",
        "household__community",
    ).order_by("kind", "-start_date", "pk")


# --- Roster imports ------------------------------------------------------------------------
def roster_imports_visible_to(user) -> QuerySet[RosterImport]:
    if not user.is_authenticated or user.role not in EDITOR_ROLES:
        return RosterImport.objects.none()
    imports = RosterImport.objects.select_related("created_by", "default_community")
    return imports if user.role == Role.ADMIN else imports.filter(created_by=user)


def can_import_roster(user) -> bool:
    return user.is_authenticated and user.role in EDITOR_ROLES


def can_view_roster_import(user, roster_import: RosterImport) -> bool:
    return can_import_roster(user) and (
        user.role == Role.ADMIN or roster_import.created_by_id == user.pk
    )


def roster_import_get_for_user(user, pk: int) -> RosterImport:
    found = roster_imports_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
