"""Reads of assistance, always inside the reader's scope.

A resident's aid history is personal information as sensitive as their care tags: it is seen
by workers and representatives of the resident's community, by supervisors and
administrators, and by the department handlers who review it, from the level they review on.
Everyone else gets 404.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from lianxin.accounts import scopes
from lianxin.accounts.models import Role
from lianxin.assistance.models import (
    COUNTED_AID_STATUSES,
    AidApplication,
    AidScheme,
    AidStatus,
    ApprovalLevel,
    ReviewUnit,
)

APPLYING_ROLES = (Role.ADMIN, Role.WORKER, Role.REPRESENTATIVE)
COMMUNITY_ROLES = (Role.WORKER, Role.REPRESENTATIVE)
PAYABLE_OR_PAID = (AidStatus.APPROVED, AidStatus.PAID)


def _active(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def applications_visible_to(user) -> QuerySet[AidApplication]:
    if not _active(user):
        return AidApplication.objects.none()
    if user.role in scopes.WHOLE_DISTRICT_ROLES:
        return AidApplication.objects.all()
    if user.role in COMMUNITY_ROLES:
        return scopes.filter_by_community(AidApplication.objects.all(), user)
    if user.role == Role.HANDLER and user.department_id:
        levels = ApprovalLevel.objects.filter(
            scheme_id=OuterRef("scheme_id"), position__lte=OuterRef("reached_level")
        )
        return AidApplication.objects.filter(
            Exists(levels.filter(unit=ReviewUnit.DEPARTMENT, department_id=user.department_id))
            | (
                Q(community__subdistrict__office_id=user.department_id)
                & Exists(levels.filter(unit=ReviewUnit.SUBDISTRICT))
            )
            | Q(scheme__funder_id=user.department_id, status__in=PAYABLE_OR_PAID)
        )
    return AidApplication.objects.none()


def can_view_application(user, application: AidApplication) -> bool:
    return applications_visible_to(user).filter(pk=application.pk).exists()


def application_get_for_user(user, number: str) -> AidApplication:
    application = (
        applications_visible_to(user)
        .select_related(
            "scheme__funder",
            "resident__community__subdistrict",
            "community__subdistrict__office",
            "applicant",
            "visit",
            "case",
        )
        .filter(number=number)
        .first()
    )
    if application is None:
        raise Http404
    return application


def application_list(user, *, status: str = "", scheme_id: int | None = None, q: str = ""):
    applications = applications_visible_to(user)
    if status == "open":
        applications = applications.filter(
            status__in=[AidStatus.REVIEWING, AidStatus.RETURNED, AidStatus.APPROVED]
        )
    elif status:
        applications = applications.filter(status=status)
    if scheme_id:
        applications = applications.filter(scheme_id=scheme_id)
    if q:
        applications = applications.filter(Q(number__icontains=q) | Q(resident__name__contains=q))
    return applications.select_related("scheme", "resident", "community", "applicant").order_by(
        "-submitted_at", "-pk"
    )


def resident_aid_history(user, resident) -> list[AidApplication]:
    """A resident's applications, for their page; empty outside the reader's scope."""
    return list(
        applications_visible_to(user)
        .filter(resident=resident)
        .select_related("scheme", "payment")
        .order_by("-submitted_at")
    )


def can_apply_for(user, resident) -> bool:
    return (
        _active(user)
        and user.role in APPLYING_ROLES
        and scopes.in_scope(user, resident.community_id)
    )


def schemes_open() -> QuerySet[AidScheme]:
    return AidScheme.objects.filter(is_active=True).select_related("funder").order_by("name")


def current_level(application: AidApplication) -> ApprovalLevel | None:
    return application.scheme.levels.filter(position=application.level).first()


def is_reviewer(user, level: ApprovalLevel, application: AidApplication) -> bool:
    """Whether `user` sits where `level` is reviewed, for this application's resident."""
    if not _active(user):
        return False
    if level.unit == ReviewUnit.COMMUNITY:
        return user.role == Role.WORKER and scopes.in_scope(user, application.community_id)
    if level.unit == ReviewUnit.SUBDISTRICT:
        office_id = application.community.subdistrict.office_id
        return (
            user.role == Role.HANDLER and office_id is not None and user.department_id == office_id
        )
    if level.unit == ReviewUnit.DEPARTMENT:
        return user.role == Role.HANDLER and user.department_id == level.department_id
    return user.role in (Role.SUPERVISOR, Role.ADMIN)


def reviewers_of(level: ApprovalLevel, application: AidApplication) -> list:
    from lianxin.accounts.models import User

    users = User.objects.filter(is_active=True)
    if level.unit == ReviewUnit.COMMUNITY:
        users = users.filter(role=Role.WORKER, communities=application.community_id)
    elif level.unit == ReviewUnit.SUBDISTRICT:
        office_id = application.community.subdistrict.office_id
        users = users.filter(role=Role.HANDLER, department_id=office_id or -1)
    elif level.unit == ReviewUnit.DEPARTMENT:
        users = users.filter(role=Role.HANDLER, department_id=level.department_id)
    else:
        users = users.filter(role=Role.SUPERVISOR)
    return list(users.exclude(pk=application.applicant_id).distinct())


def can_record_payment(user, application: AidApplication) -> bool:
    """The funding department's handlers, the resident's community workers, administrators."""
    if not _active(user) or application.status != AidStatus.APPROVED:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.HANDLER:
        return user.department_id == application.scheme.funder_id
    return user.role == Role.WORKER and scopes.in_scope(user, application.community_id)


def can_manage_application(user, application: AidApplication) -> bool:
    """The applicant (and administrators) may add documents, resubmit and withdraw."""
    return _active(user) and (user.pk == application.applicant_id or user.role == Role.ADMIN)


def amount_this_year(
    resident_id: int, scheme_id: int, year_start: datetime.datetime, *, exclude=None
):
    rows = AidApplication.objects.filter(
        resident_id=resident_id,
        scheme_id=scheme_id,
        submitted_at__gte=year_start,
        status__in=COUNTED_AID_STATUSES,
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0")
