from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "lianxin.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Like contenttypes and permissions: after every migrate, templates of new event
        # kinds get their defaults; templates administrators edited are left alone.
        post_migrate.connect(_ensure_templates, sender=self)


def _ensure_templates(sender, using="default", **kwargs) -> None:
    from lianxin.notify.services import templates_ensure_defaults

    templates_ensure_defaults(using=using)
