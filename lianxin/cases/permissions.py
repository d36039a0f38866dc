"""Who may see a case and which actions they may take on it now: the one place both the
pages and the services ask. Pages show exactly `case_actions(user, case)`; services refuse
anything else."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from lianxin.accounts import scopes
from lianxin.accounts.models import Role
from lianxin.cases.models import (
    OPEN_REFERRAL_STATUSES,
    OPEN_STATUSES,
    Case,
    CaseStatus,
    Referral,
    ReferralStatus,
)

# Actions on a case.
CONTACT = "contact"
ASSIGN = "assign"
REFER = "refer"
NOTE = "note"
URGE = "urge"
SUPERVISE = "supervise"
FEEDBACK = "feedback"
CALLBACK = "callback"
MERGE = "merge"
REJECT = "reject"
WITHDRAW = "withdraw"
# Actions on a referral.
ACCEPT = "accept"
RETURN = "return"
REPLY = "reply"

CASEWORKERS = (Role.ADMIN, Role.WORKER, Role.REPRESENTATIVE)


def cases_visible_to(user) -> QuerySet[Case]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    cases = Case.objects.all()
    if user.role in (Role.ADMIN, Role.SUPERVISOR):
        return cases
    if user.role == Role.HANDLER:
        if not user.department_id:
            return Case.objects.none()
        return cases.filter(
            Exists(Referral.objects.filter(case=OuterRef("pk"), department=user.department_id))
        )
    ids = scopes.community_ids(user)
    return cases.filter(Q(community_id__in=ids) | Q(received_by=user) | Q(assignee=user))


def can_view_case(user, case: Case) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role in (Role.ADMIN, Role.SUPERVISOR):
        return True
    if user.role == Role.HANDLER:
        return (
            bool(user.department_id)
            and case.referrals.filter(department=user.department_id).exists()
        )
    return (
        scopes.in_scope(user, case.community_id)
        or case.received_by_id == user.pk
        or case.assignee_id == user.pk
    )


def _is_caseworker_for(user, case: Case) -> bool:
    """Workers and representatives in the case's community, its receiver or assignee; admins."""
    if user.role == Role.ADMIN:
        return True
    if user.role not in (Role.WORKER, Role.REPRESENTATIVE):
        return False
    return (
        scopes.in_scope(user, case.community_id)
        or case.received_by_id == user.pk
        or case.assignee_id == user.pk
    )


def can_reveal_reporter_phone(user, case: Case) -> bool:
    """Who may see the reporter's full number to call them back: the caseworkers, and the
    handlers of a department that holds an open referral of the case."""
    if not case.reporter_phone_cipher and not (
        case.reporter_resident_id and case.reporter_resident.phone_cipher
    ):
        return False
    if user.role == Role.HANDLER:
        return any(
            r.department_id == user.department_id and r.is_open for r in case.referrals.all()
        )
    return _is_caseworker_for(user, case)


def case_actions(user, case: Case, *, open_referrals: list[Referral] | None = None) -> set[str]:
    """Every case-level action `user` may take on `case` in its current state."""
    if not can_view_case(user, case):
        return set()
    if open_referrals is None:
        open_referrals = [r for r in case.referrals.all() if r.status in OPEN_REFERRAL_STATUSES]
    actions: set[str] = set()
    status = case.status
    is_open = status in OPEN_STATUSES
    caseworker = _is_caseworker_for(user, case)
    own_department_accepted = user.role == Role.HANDLER and any(
        r.department_id == user.department_id and r.status == ReferralStatus.ACCEPTED
        for r in open_referrals
    )
    if is_open or status == CaseStatus.RESOLVED:
        actions.add(NOTE)
    if is_open and case.first_responded_at is None and (caseworker or own_department_accepted):
        actions.add(CONTACT)
    if not is_open:
        if status == CaseStatus.RESOLVED and caseworker and not _rated_this_round(case):
            actions.add(CALLBACK)
        return actions
    if caseworker:
        actions |= {REFER, WITHDRAW, MERGE}
        if user.role != Role.REPRESENTATIVE:
            actions.add(ASSIGN)
        if status in (CaseStatus.RECEIVED, CaseStatus.RESPONDING):
            actions.add(REJECT)
        lead_open = any(r.role == "lead" for r in open_referrals)
        if status == CaseStatus.REPLIED or (
            status in (CaseStatus.RECEIVED, CaseStatus.RESPONDING) and not lead_open
        ):
            actions.add(FEEDBACK)
    if open_referrals and (caseworker or user.role == Role.SUPERVISOR):
        actions.add(URGE)
    if user.role in (Role.SUPERVISOR, Role.ADMIN):
        actions.add(SUPERVISE)
    return actions


def _rated_this_round(case: Case) -> bool:
    return any(r.round == case.round for r in case.ratings.all())


def referral_actions(user, referral: Referral) -> set[str]:
    """Actions a department handler may take on their own department's referral."""
    if (
        not getattr(user, "is_authenticated", False)
        or user.role != Role.HANDLER
        or user.department_id != referral.department_id
    ):
        return set()
    if referral.status == ReferralStatus.PENDING:
        return {ACCEPT, RETURN}
    if referral.status == ReferralStatus.ACCEPTED:
        return {REPLY, RETURN}
    return set()
