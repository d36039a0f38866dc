from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "lianxin.proposals"
    label = "proposals"
    verbose_name = _("Proposal answers")

    def ready(self) -> None:
        from lianxin.accounts.models import Role
        from lianxin.core import navigation
        from lianxin.core.demo import register_step
        from lianxin.outreach import navigation as outreach_nav
        from lianxin.outreach import record
        from lianxin.proposals.record import proposals_section

        record.register(proposals_section)
        navigation.register(
            navigation.NavItem(
                _("Solved or planned share"),
                "proposals:share",
                "percent",
                frozenset({Role.ADMIN, Role.SUPERVISOR}),
                outreach_nav.SECTION,
            ),
            after="proposals:list",
        )
        register_step("lianxin.proposals.demo.seed")
