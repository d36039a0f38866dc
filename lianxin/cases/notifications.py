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
        "due": due_text(case),
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
    """A lead's reply goes to the dispatcher and the caseworkers; an assisting department's
    opinion also reaches the lead department of the same round."""
    from lianxin.cases.models import ReferralRole

    case = referral.case
    users = [referral.referred_by, *_caseworkers(case)]
    department = referral.department.name
    if referral.role == ReferralRole.LEAD:
        title = f"{department}已答复：{case.title}"
        body = f"{department}已答复诉求「{case.title}」（编号{case.number}），请及时反馈群众。"
    else:
        leads = case.referrals.filter(round=referral.round, role=ReferralRole.LEAD).exclude(
            status__in=["returned", "cancelled"]
        )
        users += _department_handlers(leads.values_list("department_id", flat=True))
        title = f"{department}提出协办意见：{case.title}"
        body = (
            f"协办单位{department}对诉求「{case.title}」（编号{case.number}）提出了意见："
            f"{referral.reply[:200]}"
        )
    notify_users(
        kind=EventKind.MESSAGE,
        users=list({u.pk: u for u in users}.values()),
        context={"title": title, "body": body},
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


def case_merged(duplicate, survivor, *, followers=()) -> None:
    """The reporters of a merged case (and of cases merged into it before) hear that their
    problem is now handled with the same problem reported by others."""
    for source in [duplicate, *followers]:
        _tell_reporter(
            source,
            kind=EventKind.CASE_MERGED,
            context=_context(source, survivor_number=survivor.number),
            link=tracking_path(source.tracking_code),
            key=f"case:{source.pk}:merged:{survivor.pk}",
        )


def _tell_every_reporter_of_the_deadline(case, *, kind: str, key: str) -> None:
    """Each reporter (the case's own and those of merged duplicates) hears of the case's
    handling deadline, once per `key` and reporter."""
    for source in _reporters(case):
        _tell_reporter(
            source,
            kind=kind,
            context=_context(source, due=due_text(case)),
            link=tracking_path(source.tracking_code),
            key=f"{key}:{source.pk}",
        )


def case_reopened(case) -> None:
    """Every reporter of a reopened case hears that it is handled again, and by when."""
    _tell_every_reporter_of_the_deadline(
        case, kind=EventKind.CASE_REOPENED, key=f"case:{case.pk}:reopened:{case.round}"
    )


def case_deadline_set(case) -> None:
    """Every reporter hears of a handling deadline set or moved after intake."""
    if case.handling_due_at is None:
        return
    stamp = case.handling_due_at.strftime("%Y%m%d%H%M")
    _tell_every_reporter_of_the_deadline(
        case, kind=EventKind.CASE_DEADLINE, key=f"case:{case.pk}:deadline:{case.round}:{stamp}"
    )


def due_text(case) -> str:
    """The handling deadline as a resident reads it: "12月20日23:59", marked 暂定 when it
    rests on a provisional calendar."""
    text = _when(case.handling_due_at)
    if text and case.handling_due_provisional:
        text += "（暂定）"
    return text
