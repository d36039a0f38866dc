from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDataset(models.Model):
    """Present when (and only when) `lianxin demo` filled this database."""

    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)
    seed = models.IntegerField(_("random seed"))

    class Meta:
        verbose_name = _("demo dataset")
        verbose_name_plural = _("demo dataset")

    def __str__(self) -> str:
        return f"demo {self.loaded_at:%Y-%m-%d %H:%M}"
