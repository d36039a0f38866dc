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


class WorkerHeartbeat(models.Model):
    """The last sign of life of each background worker (one row per host and process).

    A periodic job writes it every minute, so it proves that jobs are being consumed, not
    only that a process exists. A database row works alike for SQLite and Redis queues and
    across every process and node."""

    worker = models.CharField(_("worker"), max_length=100, unique=True)
    started_at = models.DateTimeField(_("started"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return self.worker
