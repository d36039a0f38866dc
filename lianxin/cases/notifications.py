"""Who hears of what happens to a case. The services call these inside their transaction;
lianxin.notify records the messages there and sends them after commit. Every call carries an
idempotency key, so a step that is retried or raced never tells anyone twice."""

from __future__ import annotations

from django.utils import timezone

from lianxin.accounts.models import Role, User
from lianxin.cases.links import rating_path, staff_case_path, tracking_path
from lianxin.notify.kinds import EventKind
from lianxin.notify.services import notify_resident, notify_users, notify_wecom_group


def _when(value) -> str:
    return timezone.localtime(value).strftime("%m月%d日%H:%M") if value else ""


def _context(case, **extra) -> dict:
    return {
        "case_number": case.number,
        "case_title": case.title,
        "tracking_code": case.tracking_code_display,
        "community": case.community.name if case.community_id else "",
        "due": _when(case.handling_due_at),
        "round": case.round,
        **extra,
    }


def _tell_reporter(source_case, *, kind: str, context: dict, link: str, key: str) -> None:
    """SMS to the person who filed `source_case`, if they left a number."""
    if source_case.is_anonymous and not source_case.reporter_phone_cipher:
        return
    if source_case.reporter_phone_cipher:
        notify_resident(
            kind=kind,
            phone_cipher=source_case.reporter_phone_cipher,
            phone_masked=source_case.reporter_phone_masked,
            name=source_case.reporter_name,
            context=context,
            link=link,
            idempotency_key=key,
        )
    elif source_case.reporter_resident_id and source_case.reporter_resident.phone_cipher:
        notify_resident(
            kind=kind,
            resident=source_case.reporter_resident,
            context=context,
            link=link,
            idempotency_key=key,
        )


def _reporters(case):
    from lianxin.cases.services.resolution import reporters_cases

    return reporters_cases(case)


def _department_handlers(department_ids) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, role=Role.HANDLER, department_id__in=list(department_ids)
        )
    )


def _caseworkers(case) -> list[User]:
    """Whoever answers for the case on the community side."""
    people = [u for u in (case.assignee, case.received_by) if u is not None and u.is_active]
    if not people and case.community_id:
        people = list(
            User.objects.filter(is_active=True, role=Role.WORKER, communities=case.community_id)
        )
    return list({u.pk: u for u in people}.values())


def holders(case) -> list[User]:
    """Whoever must act now: the departments holding open referrals, else the caseworkers."""
    from lianxin.cases.models import OPEN_REFERRAL_STATUSES

    open_departments = case.referrals.filter(status__in=OPEN_REFERRAL_STATUSES).values_list(
        "department_id", flat=True
    )
    handlers = _department_handlers(open_departments)
    return handlers + [u for u in _caseworkers(case) if u not in handlers]


def case_received(case) -> None:
    _tell_reporter(
        case,
        kind=EventKind.CASE_RECEIVED,
        context=_context(case),
        link=tracking_path(case.tracking_code),
        key=f"case:{case.pk}:received",
    )


def referrals_created(case, referrals) -> None:
    names = "、".join(r.department.name for r in referrals)
    tag = "-".join(str(r.pk) for r in referrals)
    for source in _reporters(case):
        _tell_reporter(
            source,
            kind=EventKind.CASE_REFERRED,
            context=_context(source, departments=names),
            link=tracking_path(source.tracking_code),
            key=f"case:{source.pk}:referred:{tag}",
        )
    for referral in referrals:
        context = _context(
            case,
            department=referral.department.name,
            due=_when(referral.accept_due_at or referral.due_at),
        )
        key = f"referral:{referral.pk}:assigned"
        notify_users(
            kind=EventKind.REFERRAL_ASSIGNED,
            users=_department_handlers([referral.department_id]),
            context=context,
            link=staff_case_path(case.number),
            idempotency_key=key,
        )
        notify_wecom_group(
            kind=EventKind.REFERRAL_ASSIGNED,
            department=referral.department,
            context=context,
            link=staff_case_path(case.number),
            idempotency_key=key,
        )


def referral_returned(referral) -> None:
    case = referral.case
    users = [referral.referred_by, *_caseworkers(case)]
    notify_users(
        kind=EventKind.REFERRAL_RETURNED,
        users=list({u.pk: u for u in users}.values()),
        context=_context(case, department=referral.department.name, reason=referral.return_reason),
        link=staff_case_path(case.number),
        idempotency_key=f"referral:{referral.pk}:returned",
    )


def referral_replied(referral) -> None:
    case = referral.case
    users = [referral.referred_by, *_caseworkers(case)]
    notify_users(
        kind=EventKind.MESSAGE,
        users=list({u.pk: u for u in users}.values()),
        context={
            "title": f"{referral.department.name}已答复：{case.title}",
            "body": f"{referral.department.name}已答复诉求「{case.title}」"
            f"（编号{case.number}），请及时反馈群众。",
        },
        link=staff_case_path(case.number),
        idempotency_key=f"referral:{referral.pk}:replied",
    )


def case_feedback(case, invitations) -> None:
    feedback = case.events.filter(kind="feedback").order_by("-at", "-pk").first()
    for invitation in invitations:
        source = invitation.source_case
        _tell_reporter(
            source,
            kind=EventKind.CASE_FEEDBACK,
            context=_context(source, feedback=feedback.note if feedback else ""),
            link=rating_path(invitation.token()),
            key=f"case:{case.pk}:feedback:{case.round}:{source.pk}",
        )


def case_rated(case, rating) -> None:
    reopened = case.round > rating.round
    notify_users(
        kind=EventKind.CASE_RATED,
        users=_caseworkers(case),
        context=_context(case, rating=rating.get_satisfaction_display(), reopened=reopened),
        link=staff_case_path(case.number),
        idempotency_key=f"case:{case.pk}:rated:{rating.round}",
    )


def case_urged(case, event) -> None:
    context = _context(case, holder="、".join(u.display_name for u in holders(case)))
    if event.referral_id:
        users = _department_handlers([event.referral.department_id])
        context["due"] = _when(event.referral.due_at or event.referral.accept_due_at)
    else:
        users = holders(case)
    notify_users(
        kind=EventKind.CASE_OVERDUE_URGED,
        users=users,
        context=context,
        link=staff_case_path(case.number),
        idempotency_key=f"event:{event.pk}:urged",
    )


def case_supervised(case, event) -> None:
    current = holders(case)
    supervisors = list(User.objects.filter(is_active=True, role=Role.SUPERVISOR))
    users = list({u.pk: u for u in supervisors + current}.values())
    notify_users(
        kind=EventKind.CASE_SUPERVISED,
        users=users,
        context=_context(case, holder="、".join(u.display_name for u in current)),
        link=staff_case_path(case.number),
        idempotency_key=f"event:{event.pk}:supervised",
    )


def case_due_soon(case, event) -> None:
    notify_users(
        kind=EventKind.CASE_DUE_SOON,
        users=holders(case),
        context=_context(case),
        link=staff_case_path(case.number),
        idempotency_key=f"event:{event.pk}:due",
    )


def referral_due_soon(referral, event) -> None:
    case = referral.case
    notify_users(
        kind=EventKind.CASE_DUE_SOON,
        users=_department_handlers([referral.department_id]),
        context=_context(case, due=_when(referral.due_at)),
        link=staff_case_path(case.number),
        idempotency_key=f"event:{event.pk}:due",
    )
