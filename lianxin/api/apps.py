from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """Interfaces for other software: the REST API (/api/v1/) and Open311 GeoReport v2
    (/open311/v2/). Both read through the selectors and write through the services of the
    rooms they expose; nothing here decides who may see or do what."""

    name = "lianxin.api"
    label = "api"
    verbose_name = _("Open interfaces")
