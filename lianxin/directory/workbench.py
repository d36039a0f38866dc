from django.utils.translation import gettext_lazy as _

from lianxin.accounts import scopes
from lianxin.core.workbench import Panel
from lianxin.directory import selectors


def scope_panel(user):
    """Where the user works: their communities and the size of their roster."""
    if user.role not in selectors.DIRECTORY_ROLES:
        return None
    ids = scopes.community_ids(user)
    communities = list(selectors.communities_in_scope(user)[:20]) if ids is not None else []
    return Panel(
        title=_("My communities"),
        template="directory/_scope_panel.html",
        context={
            "whole_district": ids is None,
            "communities": communities,
            "residents": selectors.residents_visible_to(user).count(),
            "households": selectors.households_visible_to(user).count(),
        },
        order=200,
    )
