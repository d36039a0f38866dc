"""Reads of proposal handling, and the "solved or planned" share (已解决或列入计划).

Who sees a proposal: supervisors and administrators all, a representative their own (as in
outreach), a department's handlers those assigned to their department.

The share of a representative or a department over a year is
    answered proposals whose outcome is solved or planned / answered proposals,
shown with numerator and denominator and a 95 % Wilson interval; below MIN_SAMPLE answers it
is "too few", never a percentage (DESIGN: figures nobody can bend)."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lianxin.accounts import scopes
from lianxin.accounts.models import Role
from lianxin.outreach.models import Proposal
from lianxin.outreach.selectors import local_bounds
from lianxin.proposals.models import SOLVED_OR_PLANNED, ProposalHandling

MIN_SAMPLE = 5
DEFINITION_VERSION = 1


def _active(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def proposals_visible_to(user) -> QuerySet[Proposal]:
    if not _active(user):
        return Proposal.objects.none()
    if user.role in scopes.WHOLE_DISTRICT_ROLES:
        return Proposal.objects.all()
    if user.role == Role.REPRESENTATIVE:
        return Proposal.objects.filter(representative__user=user)
    if user.role == Role.HANDLER and user.department_id:
        return Proposal.objects.filter(handling__department_id=user.department_id)
    return Proposal.objects.none()


def proposal_get_for_user(user, pk: int) -> Proposal:
    proposal = (
        proposals_visible_to(user)
        .select_related(
            "representative", "case__community", "case__category", "handling__department"
        )
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def proposal_list(user) -> QuerySet[Proposal]:
    return (
        proposals_visible_to(user)
        .select_related("representative", "case", "handling__department")
        .order_by("-created_at", "-pk")
    )


def can_assign(user) -> bool:
    return _active(user) and user.role in scopes.WHOLE_DISTRICT_ROLES


def can_answer(user, handling: ProposalHandling) -> bool:
    return (
        _active(user)
        and user.role == Role.HANDLER
        and user.department_id == handling.department_id
        and handling.answered_at is None
    )


def can_rate(user, handling: ProposalHandling) -> bool:
    return (
        _active(user)
        and handling.answered_at is not None
        and handling.rated_at is None
        and handling.proposal.representative.user_id == user.pk
    )


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float] | None:
    if total == 0:
        return None
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class ShareRow:
    label: str
    solved_or_planned: int
    answered: int
    assigned: int

    @property
    def enough(self) -> bool:
        return self.answered >= MIN_SAMPLE

    @property
    def percent(self) -> float | None:
        return 100 * self.solved_or_planned / self.answered if self.enough else None

    @property
    def interval(self) -> tuple[float, float] | None:
        bounds = wilson(self.solved_or_planned, self.answered) if self.enough else None
        return (100 * bounds[0], 100 * bounds[1]) if bounds else None


def share(*, year: int, by: str) -> list[ShareRow]:
    """Rows per representative (`by="representative"`) or department, sorted by the lower
    bound of the interval (too few answers last). Two queries."""
    lower, upper = local_bounds(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    field = "proposal__representative__name" if by == "representative" else "department__name"
    rows = (
        ProposalHandling.objects.filter(assigned_at__gte=lower, assigned_at__lt=upper)
        .values(field)
        .annotate(
            assigned=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            good=Count("pk", filter=Q(answer_kind__in=SOLVED_OR_PLANNED)),
        )
    )
    result = [ShareRow(r[field], r["good"], r["answered"], r["assigned"]) for r in rows]
    return sorted(result, key=lambda r: (-(r.interval or (-1, 0))[0], r.label))
