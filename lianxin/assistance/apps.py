from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "lianxin.assistance"
    label = "assistance"
    verbose_name = _("Assistance")

    def ready(self) -> None:
        from lianxin.assistance.record import aid_section
        from lianxin.outreach import record

        record.register(aid_section)
        from lianxin.accounts.models import Role
        from lianxin.assistance import pages
        from lianxin.core import extras, navigation, workbench
        from lianxin.core.demo import STEPS

        extras.register("resident", pages.resident_aid)
        extras.register("visit", pages.visit_aid)
        extras.register("case", pages.case_aid)
        section = _("Aid and projects")
        readers = frozenset(
            {Role.ADMIN, Role.SUPERVISOR, Role.WORKER, Role.REPRESENTATIVE, Role.HANDLER}
        )
        for item in (
            navigation.NavItem(
                _("Aid applications"),
                "assistance:application_list",
                "heart-pulse",
                readers,
                section,
            ),
            navigation.NavItem(
                _("Aid schemes"), "assistance:scheme_list", "journal-medical", readers, section
            ),
        ):
            if item not in navigation.NAV:
                # Before the administration entries (the first item only administrators see).
                at = next(
                    (i for i, it in enumerate(navigation.NAV) if it.roles == {Role.ADMIN}),
                    len(navigation.NAV),
                )
                navigation.NAV.insert(at, item)
        panel = "lianxin.assistance.workbench.reviews_panel"
        if panel not in workbench.PROVIDERS:
            workbench.PROVIDERS.append(panel)
        step = "lianxin.assistance.demo.seed"
        if step not in STEPS:
            STEPS.insert(STEPS.index("lianxin.notify.demo.seed"), step)
