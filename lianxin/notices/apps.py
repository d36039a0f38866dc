from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "lianxin.notices"
    label = "notices"
    verbose_name = _("Notices to residents")

    def ready(self) -> None:
        from lianxin.accounts.models import Role
        from lianxin.core import extras, navigation
        from lianxin.core.demo import STEPS
        from lianxin.notices import pages

        extras.register("resident", pages.resident_consent)
        extras.register("coverage", pages.coverage_notices)
        item = navigation.NavItem(
            _("Notices to residents"),
            "notices:list",
            "send",
            frozenset({Role.ADMIN, Role.SUPERVISOR, Role.WORKER, Role.REPRESENTATIVE}),
            _("Aid and projects"),
        )
        if item not in navigation.NAV:
            at = next(
                (i for i, it in enumerate(navigation.NAV) if it.roles == {Role.ADMIN}),
                len(navigation.NAV),
            )
            navigation.NAV.insert(at, item)
        step = "lianxin.notices.demo.seed"
        if step not in STEPS:
            STEPS.insert(STEPS.index("lianxin.notify.demo.seed"), step)
