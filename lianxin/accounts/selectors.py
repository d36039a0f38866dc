from __future__ import annotations

from lianxin.accounts.models import AccessLog, Role


def can_read_access_log(user) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


def access_log_entries(*, user_id: int | None = None, kind: str = ""):
    entries = AccessLog.objects.select_related("user").order_by("-at")
    if user_id:
        entries = entries.filter(user_id=user_id)
    if kind:
        entries = entries.filter(kind=kind)
    return entries
