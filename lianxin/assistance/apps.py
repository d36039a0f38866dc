from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "lianxin.assistance"
    label = "assistance"
    verbose_name = _("Assistance")

    def ready(self) -> None:
        from lianxin.accounts.models import Role
        from lianxin.assistance import pages
        from lianxin.assistance.record import aid_section
        from lianxin.core import extras, navigation, workbench
        from lianxin.core.demo import register_step
        from lianxin.outreach import record

        record.register(aid_section)
        extras.register("resident", pages.resident_aid)
        extras.register("visit", pages.visit_aid)
        extras.register("case", pages.case_aid)
        section = _("Aid and projects")
        readers = frozenset(
            {Role.ADMIN, Role.SUPERVISOR, Role.WORKER, Role.REPRESENTATIVE, Role.HANDLER}
        )
        navigation.register(
            navigation.NavItem(
                _("Aid applications"),
                "assistance:application_list",
                "heart-pulse",
                readers,
                section,
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Aid schemes"), "assistance:scheme_list", "journal-medical", readers, section
            )
        )
        panel = "lianxin.assistance.workbench.reviews_panel"
        if panel not in workbench.PROVIDERS:
            workbench.PROVIDERS.append(panel)
        register_step("lianxin.assistance.demo.seed")
