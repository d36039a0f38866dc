from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "lianxin.calendar"
    label = "calendar"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from lianxin.calendar import checks  # noqa: F401  (registers calendar.W001)
