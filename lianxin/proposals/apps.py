from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "lianxin.proposals"
    label = "proposals"
    verbose_name = _("Proposal answers")

    def ready(self) -> None:
        from lianxin.accounts.models import Role
        from lianxin.core import navigation
        from lianxin.core.demo import STEPS
        from lianxin.outreach import navigation as outreach_nav
        from lianxin.outreach import record
        from lianxin.proposals.record import proposals_section

        record.register(proposals_section)
        step = "lianxin.proposals.demo.seed"
        if step not in STEPS:
            STEPS.insert(STEPS.index("lianxin.notify.demo.seed"), step)
        item = navigation.NavItem(
            _("Solved or planned share"),
            "proposals:share",
            "percent",
            frozenset({Role.ADMIN, Role.SUPERVISOR}),
            outreach_nav.SECTION,
        )
        if item not in navigation.NAV:
            at = next(i for i, it in enumerate(navigation.NAV) if it.url_name == "proposals:list")
            navigation.NAV.insert(at + 1, item)
