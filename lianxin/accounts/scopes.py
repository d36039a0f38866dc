"""What part of the district a user works in. Every selector builds on these two functions.

`community_ids(user)` is None for "the whole district" and a frozenset otherwise (possibly
empty). It is computed once per user object, i.e. once per request.
"""

from __future__ import annotations

from lianxin.accounts.models import Role

WHOLE_DISTRICT_ROLES = (Role.ADMIN, Role.SUPERVISOR)


def community_ids(user) -> frozenset[int] | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_lianxin_community_ids", False)
    if cached is not False:
        return cached
    result: frozenset[int] | None
    if user.role in WHOLE_DISTRICT_ROLES:
        result = None
    elif user.role == Role.HANDLER:
        result = frozenset()
    else:
        ids = set(user.communities.values_list("id", flat=True))
        if user.role == Role.REPRESENTATIVE:
            ids |= set(paired_community_ids(user))
        result = frozenset(ids)
    user._lianxin_community_ids = result
    return result


def paired_community_ids(user) -> list[int]:
    from lianxin.directory.models import Pairing, PairingKind

    return list(
        Pairing.objects.active()
        .filter(kind=PairingKind.CONTACT, representative__user=user)
        .values_list("community_id", flat=True)
    )


def in_scope(user, community_id: int | None) -> bool:
    ids = community_ids(user)
    return ids is None or (community_id is not None and community_id in ids)


def filter_by_community(queryset, user, field: str = "community"):
    ids = community_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})
