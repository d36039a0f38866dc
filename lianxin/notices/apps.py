from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "lianxin.notices"
    label = "notices"
    verbose_name = _("Notices to residents")

    def ready(self) -> None:
        from lianxin.accounts.models import Role
        from lianxin.core import extras, navigation
        from lianxin.core.demo import register_step
        from lianxin.notices import pages

        extras.register("resident", pages.resident_consent)
        extras.register("coverage", pages.coverage_notices)
        navigation.register(
            navigation.NavItem(
                _("Notices to residents"),
                "notices:list",
                "send",
                frozenset({Role.ADMIN, Role.SUPERVISOR, Role.WORKER, Role.REPRESENTATIVE}),
                _("Aid and projects"),
            )
        )
        register_step("lianxin.notices.demo.seed")
