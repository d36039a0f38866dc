from __future__ import annotations

from django.db import transaction

from lianxin.accounts.models import AccessKind, AccessLog, Role, User


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def access_record(
    *, actor: User, kind: AccessKind, subject, reason: str = "", ip_address: str | None = None
) -> AccessLog:
    """Write one access-log row for a protected value someone was shown or exported."""
    return AccessLog.objects.create(
        user=actor,
        kind=kind,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=getattr(subject, "pk", None),
        subject_label=str(subject)[:200] if subject is not None else "",
        reason=reason[:200],
        ip_address=ip_address,
    )


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    department=None,
    communities=(),
    is_demo: bool = False,
) -> User:
    """Create a member of staff; administrators also get the admin site."""
    user = User(
        username=username,
        role=role,
        full_name=full_name,
        department=department,
        is_demo=is_demo,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if communities:
        user.communities.set(communities)
    return user
