from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lianxin.cases"
    label = "cases"
    verbose_name = _("Casework")

    def ready(self) -> None:
        from lianxin.calendar.services import on_official_year
        from lianxin.cases.services.recompute import deadlines_confirm

        # Loading an official year recomputes the provisional deadlines that fell in it.
        on_official_year(deadlines_confirm)
