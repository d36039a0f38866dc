from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "lianxin.insight"
    label = "insight"
    verbose_name = _("Insight")

    def ready(self) -> None:
        from lianxin.cases import hooks
        from lianxin.insight import navigation, rollup

        hooks.register(rollup.on_case_event)
        navigation.register()
