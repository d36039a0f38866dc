"""Who may see a case, and the named predicates the workflow table (lianxin.cases.workflow)
uses to say who may take each step. Nothing here lists steps: that is the table's job."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import cached_property

from lianxin.accounts import scopes
from lianxin.accounts.models import CASEWORK_ROLES, Role, User
from lianxin.cases.models import (
    OPEN_REFERRAL_STATUSES,
    OPEN_STATUSES,
    Case,
    Referral,
    ReferralRole,
    ReferralStatus,
)

# A department still takes part in the round while its referral is in one of these states.
ACTIVE_REFERRAL_STATUSES = (*OPEN_REFERRAL_STATUSES, ReferralStatus.REPLIED)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def cases_visible_to(user) -> QuerySet[Case]:
    if not _active(user):
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


def can_view_case(user, case: Case, referrals: list[Referral] | None = None) -> bool:
    if not _active(user):
        return False
    if user.role in (Role.ADMIN, Role.SUPERVISOR):
        return True
    if user.role == Role.HANDLER:
        referrals = case.referrals.all() if referrals is None else referrals
        return bool(user.department_id) and any(
            r.department_id == user.department_id for r in referrals
        )
    return (
        scopes.in_scope(user, case.community_id)
        or case.received_by_id == user.pk
        or case.assignee_id == user.pk
    )


def can_record_cases(user) -> bool:
    return _active(user) and user.role in CASEWORK_ROLES


def assignable_users(case: Case) -> QuerySet[User]:
    """Who may be made responsible for a case: active workers and representatives of its
    community (its workers, and representatives paired with it). The form, the API and the
    service all ask this."""
    users = User.objects.filter(is_active=True, role__in=[Role.WORKER, Role.REPRESENTATIVE])
    if case.community_id:
        users = users.filter(
            Q(communities=case.community_id)
            | Q(
                representative__pairings__community=case.community_id,
                representative__pairings__end_date__isnull=True,
            )
        )
    return users.distinct().order_by("full_name", "pk")


class Situation:
    """One reader before one case: the facts every predicate needs, gathered once (the case's
    referrals are read from its prefetch when there is one)."""

    def __init__(self, user, case: Case, referrals: list[Referral] | None = None):
        self.user = user
        self.case = case
        self.referrals = list(case.referrals.all()) if referrals is None else referrals

    @cached_property
    def visible(self) -> bool:
        return can_view_case(self.user, self.case, self.referrals)

    @property
    def role(self) -> str:
        return getattr(self.user, "role", "")

    @cached_property
    def current_referrals(self) -> list[Referral]:
        return [r for r in self.referrals if r.round == self.case.round]

    @cached_property
    def open_referrals(self) -> list[Referral]:
        return [r for r in self.referrals if r.status in OPEN_REFERRAL_STATUSES]

    @cached_property
    def own_referrals(self) -> list[Referral]:
        """The reader's department's referrals (handlers only), newest round first."""
        if self.role != Role.HANDLER or not self.user.department_id:
            return []
        own = [r for r in self.referrals if r.department_id == self.user.department_id]
        return sorted(own, key=lambda r: (-r.round, r.pk or 0))

    @cached_property
    def department_active(self) -> bool:
        """The reader's department takes part in the current round of an open case. A
        department that returned the case, or whose round has ended, only reads its own
        referral's history."""
        return self.case.status in OPEN_STATUSES and any(
            r.round == self.case.round and r.status in ACTIVE_REFERRAL_STATUSES
            for r in self.own_referrals
        )


# --- Named predicates: who may take a step --------------------------------------------------
def caseworker(s: Situation) -> bool:
    """Administrators; workers and representatives of the case's community, its receiver
    and its responsible person."""
    if not s.visible:
        return False
    if s.role == Role.ADMIN:
        return True
    if s.role not in (Role.WORKER, Role.REPRESENTATIVE):
        return False
    case = s.case
    return (
        scopes.in_scope(s.user, case.community_id)
        or case.received_by_id == s.user.pk
        or case.assignee_id == s.user.pk
    )


def case_manager(s: Situation) -> bool:
    """Caseworkers who hand work out: administrators and community workers."""
    return caseworker(s) and s.role != Role.REPRESENTATIVE


def supervisor(s: Situation) -> bool:
    return s.visible and s.role in (Role.SUPERVISOR, Role.ADMIN)


def caseworker_or_supervisor(s: Situation) -> bool:
    return caseworker(s) or supervisor(s)


def participant(s: Situation) -> bool:
    """Everyone working on the case now: caseworkers, supervisors and the departments that
    take part in the current round."""
    return caseworker(s) or supervisor(s) or (s.visible and s.department_active)


def caseworker_or_accepting_department(s: Situation) -> bool:
    """Who may tell the resident the case is in hand: caseworkers, and a department that
    has accepted its referral of this round."""
    return caseworker(s) or (
        s.visible
        and s.case.status in OPEN_STATUSES
        and any(
            r.round == s.case.round and r.status == ReferralStatus.ACCEPTED for r in s.own_referrals
        )
    )


def own_department(s: Situation, referral: Referral) -> bool:
    """Handlers of the referral's department."""
    return (
        _active(s.user)
        and s.role == Role.HANDLER
        and bool(s.user.department_id)
        and s.user.department_id == referral.department_id
    )


def can_reveal_reporter_phone(user, case: Case) -> bool:
    """Who may see the reporter's full number to call them back: the caseworkers, and the
    handlers of a department that holds an open referral of the case."""
    if not case.reporter_phone_cipher and not (
        case.reporter_resident_id and case.reporter_resident.phone_cipher
    ):
        return False
    s = Situation(user, case)
    if s.role == Role.HANDLER:
        return s.visible and any(r.is_open for r in s.own_referrals)
    return caseworker(s)


def reads_whole_case(user, case: Case, referrals: list[Referral] | None = None) -> bool:
    """Whether the reader sees the whole timeline and every referral. A department reads
    the whole case only while it takes part in the current round; otherwise it keeps its
    own referral's history."""
    s = Situation(user, case, referrals)
    if not s.visible:
        return False
    return s.role != Role.HANDLER or s.department_active


def referrals_for_reader(user, case: Case, referrals: list[Referral]) -> list[Referral]:
    """The referrals a reader sees on a case: all of them for the community side and the
    supervisors; a department sees its own, and while it leads the current round also the
    other referrals of that round (so the lead reads the assisting departments' opinions)."""
    s = Situation(user, case, referrals)
    if s.role != Role.HANDLER:
        return referrals
    leads_now = s.department_active and any(
        r.round == case.round and r.role == ReferralRole.LEAD for r in s.own_referrals
    )
    return [
        r
        for r in referrals
        if r.department_id == user.department_id or (leads_now and r.round == case.round)
    ]
