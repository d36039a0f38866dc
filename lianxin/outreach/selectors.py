"""Reads of outreach, always inside the user's scope (accounts.scopes).

Who sees what (DESIGN.md "Who uses it"):
- representatives: their own visits, talks, check-ins and proposals; reception days and
  activities of the communities they are paired with, or that they host or organise;
- community workers: everything of their own communities;
- supervisors and administrators: the whole district;
- department handlers: nothing of outreach.

Talk notes are the exception: only the talker and supervisors read them (administrators see
that a talk took place, not what was said).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lianxin.accounts import scopes
from lianxin.accounts.models import CASEWORK_ROLES, Role
from lianxin.directory.models import (
    CareTag,
    Community,
    Household,
    Pairing,
    PairingKind,
    Representative,
    Resident,
)
from lianxin.outreach.models import (
    Activity,
    Attendance,
    CheckIn,
    DutyMetric,
    DutyPeriod,
    DutyRule,
    DutyRuleSet,
    Proposal,
    ReceptionDay,
    ReceptionStatus,
    Talk,
    Visit,
)
from lianxin.outreach.record import sections_for as record_sections

OUTREACH_ROLES = (Role.ADMIN, Role.SUPERVISOR, Role.WORKER, Role.REPRESENTATIVE)
RECORDERS = CASEWORK_ROLES
WHOLE_DISTRICT = (Role.ADMIN, Role.SUPERVISOR)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def representative_of(user) -> Representative | None:
    """The representative record of a login, cached on the user object."""
    if not _active(user) or user.role != Role.REPRESENTATIVE:
        return None
    cached = getattr(user, "_outreach_representative", False)
    if cached is False:
        cached = Representative.objects.filter(user=user).first()
        user._outreach_representative = cached
    return cached


def local_bounds(start: datetime.date, end: datetime.date) -> tuple:
    """Aware datetimes [start 00:00, end+1 00:00) in the local time zone."""
    tz = timezone.get_current_timezone()
    lower = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    upper = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return lower, upper


# --- Visits --------------------------------------------------------------------------------
def visits_visible_to(user) -> QuerySet[Visit]:
    if not _active(user) or user.role not in OUTREACH_ROLES:
        return Visit.objects.none()
    visits = Visit.objects.all()
    if user.role in WHOLE_DISTRICT:
        return visits
    if user.role == Role.REPRESENTATIVE:
        went = Visit.visitors.through.objects.filter(visit_id=OuterRef("pk"), user_id=user.pk)
        return visits.filter(Q(Exists(went)) | Q(recorded_by=user))
    return scopes.filter_by_community(visits, user)


def can_view_visit(user, visit: Visit) -> bool:
    if not _active(user) or user.role not in OUTREACH_ROLES:
        return False
    if user.role in WHOLE_DISTRICT:
        return True
    if user.role == Role.REPRESENTATIVE:
        return visit.recorded_by_id == user.pk or visit.visitors.filter(pk=user.pk).exists()
    return scopes.in_scope(user, visit.community_id)


def visit_get_for_user(user, pk: int) -> Visit:
    visit = (
        visits_visible_to(user)
        .select_related("community", "household", "resident", "recorded_by")
        .prefetch_related("visitors", "cases")
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def visit_list(
    user, *, visitor=None, community_id: int | None = None, query: str = ""
) -> QuerySet[Visit]:
    """The visit diary: newest first. `visitor` narrows it to one person's diary."""
    visits = visits_visible_to(user)
    if visitor is not None:
        visits = visits.filter(
            Exists(
                Visit.visitors.through.objects.filter(visit_id=OuterRef("pk"), user_id=visitor.pk)
            )
        )
    if community_id:
        visits = visits.filter(community_id=community_id)
    if query:
        visits = visits.filter(
            Q(heard__contains=query)
            | Q(met__contains=query)
            | Q(household__address__contains=query)
            | Q(resident__name__contains=query)
        )
    return (
        visits.select_related("community", "household", "resident")
        .prefetch_related("visitors", "cases")
        .order_by("-visited_at", "-pk")
    )


def visit_prompts(*, household: Household | None = None, resident: Resident | None = None):
    """The questions to ask: one per care tag of the household and its members (or of the
    resident), in the tags' order, tags sharing a question asked once."""
    tags = CareTag.objects.exclude(visit_question="")
    if household is not None:
        tags = tags.filter(Q(households=household) | Q(residents__household=household))
    elif resident is not None:
        tags = tags.filter(residents=resident)
    else:
        return []
    prompts: dict[str, dict] = {}
    for tag in tags.distinct().order_by("sort_order", "name"):
        entry = prompts.setdefault(
            tag.visit_question, {"question": tag.visit_question, "tags": [], "code": tag.code}
        )
        entry["tags"].append(tag.name)
    return list(prompts.values())


# --- Reception days ------------------------------------------------------------------------
def receptions_visible_to(user) -> QuerySet[ReceptionDay]:
    if not _active(user) or user.role not in OUTREACH_ROLES:
        return ReceptionDay.objects.none()
    receptions = ReceptionDay.objects.all()
    if user.role in WHOLE_DISTRICT:
        return receptions
    ids = scopes.community_ids(user) or frozenset()
    if user.role == Role.REPRESENTATIVE:
        rep = representative_of(user)
        hosting = ReceptionDay.representatives.through.objects.filter(
            receptionday_id=OuterRef("pk"), representative_id=rep.pk if rep else 0
        )
        return receptions.filter(Q(community_id__in=ids) | Q(Exists(hosting)))
    return receptions.filter(community_id__in=ids)


def can_view_reception(user, reception: ReceptionDay) -> bool:
    if not _active(user) or user.role not in OUTREACH_ROLES:
        return False
    if scopes.in_scope(user, reception.community_id):
        return True
    rep = representative_of(user)
    return rep is not None and reception.representatives.filter(pk=rep.pk).exists()


def can_run_reception(user, reception: ReceptionDay) -> bool:
    """Publish, log visitors, summarise, cancel: its hosts, and staff of its community."""
    return _active(user) and user.role in RECORDERS and can_view_reception(user, reception)


def reception_get_for_user(user, pk: int) -> ReceptionDay:
    reception = (
        receptions_visible_to(user)
        .select_related("community", "created_by")
        .prefetch_related("representatives")
        .filter(pk=pk)
        .first()
    )
    if reception is None:
        raise Http404
    return reception


def reception_list(user, *, upcoming: bool | None = None) -> QuerySet[ReceptionDay]:
    receptions = receptions_visible_to(user)
    now = timezone.now()
    if upcoming is True:
        receptions = receptions.filter(ends_at__gte=now).exclude(status=ReceptionStatus.CANCELLED)
    elif upcoming is False:
        receptions = receptions.filter(ends_at__lt=now)
    return (
        receptions.select_related("community")
        .prefetch_related("representatives")
        .annotate(visitor_count=Count("visitors"))
        .order_by("starts_at" if upcoming else "-starts_at", "pk")
    )


def receptions_public(*, community: Community | None = None) -> QuerySet[ReceptionDay]:
    """Published reception days that have not ended, from their publication time on: what the
    public site shows. Holds no personal data (representatives are public figures)."""
    now = timezone.now()
    receptions = ReceptionDay.objects.filter(
        status=ReceptionStatus.PUBLISHED, publish_at__lte=now, ends_at__gte=now
    )
    if community is not None:
        receptions = receptions.filter(community=community)
    return (
        receptions.select_related("community")
        .prefetch_related(
            Prefetch("representatives", queryset=Representative.objects.order_by("name"))
        )
        .order_by("starts_at", "pk")
    )


def paired_residents_of_community(community: Community, *, on: datetime.date | None = None):
    """Residents paired in a community on a day: the residents of one-to-one pairings and the
    members of households with a household pairing. Those hear of reception days."""
    day = on or timezone.localdate()
    one_to_one = Pairing.objects.active_on(day).filter(
        kind=PairingKind.ONE_TO_ONE, resident_id=OuterRef("pk")
    )
    household = Pairing.objects.active_on(day).filter(
        kind=PairingKind.HOUSEHOLD, household_id=OuterRef("household_id")
    )
    return (
        Resident.objects.filter(community=community)
        .filter(Q(Exists(one_to_one)) | Q(Exists(household)))
        .order_by("pk")
    )


# --- Check-ins -----------------------------------------------------------------------------
def check_ins_visible_to(user) -> QuerySet[CheckIn]:
    if not _active(user) or user.role not in OUTREACH_ROLES:
        return CheckIn.objects.none()
    check_ins = CheckIn.objects.all()
    if user.role in WHOLE_DISTRICT:
        return check_ins
    if user.role == Role.REPRESENTATIVE:
        return check_ins.filter(representative__user=user)
    return scopes.filter_by_community(check_ins, user)


def can_view_check_in(user, check_in: CheckIn) -> bool:
    if not _active(user) or user.role not in OUTREACH_ROLES:
        return False
    if user.role == Role.REPRESENTATIVE:
        return check_in.representative.user_id == user.pk
    return scopes.in_scope(user, check_in.community_id)


def check_in_list(user) -> QuerySet[CheckIn]:
    return check_ins_visible_to(user).select_related("representative", "community")


def contact_communities(representative: Representative, *, on: datetime.date | None = None):
    """The communities a representative is paired with (定点联系) on a day."""
    day = on or timezone.localdate()
    return Community.objects.filter(
        pairings__in=Pairing.objects.active_on(day).filter(
            kind=PairingKind.CONTACT, representative=representative
        )
    ).distinct()


# --- One-to-one pairings -------------------------------------------------------------------
@dataclass
class OneToOne:
    pairing: Pairing
    last_contact: datetime.datetime | None


def one_to_one_list(user, *, community_id: int | None = None) -> list[OneToOne]:
    """Active one-to-one pairings in the user's scope, each with the last contact with the
    resident: the latest visit to them or their household, or talk with them."""
    from lianxin.directory.selectors import pairing_list

    pairings = list(
        pairing_list(user, kind=PairingKind.ONE_TO_ONE, active_only=True, community_id=community_id)
    )
    contacts = last_contacts([p.resident for p in pairings])
    return [OneToOne(p, contacts.get(p.resident_id)) for p in pairings]


def last_contacts(residents) -> dict[int, datetime.datetime]:
    """Resident id → latest visit (to them or their household) or talk. Three queries."""
    residents = [r for r in residents if r is not None]
    if not residents:
        return {}
    ids = [r.pk for r in residents]
    result: dict[int, datetime.datetime] = {}

    def keep(rid, when):
        if when and (rid not in result or when > result[rid]):
            result[rid] = when

    for rid, when in (
        Visit.objects.filter(resident_id__in=ids)
        .values("resident_id")
        .annotate(last=Max("visited_at"))
        .values_list("resident_id", "last")
    ):
        keep(rid, when)
    by_household: dict[int, list[int]] = {}
    for r in residents:
        if r.household_id:
            by_household.setdefault(r.household_id, []).append(r.pk)
    if by_household:
        for hid, when in (
            Visit.objects.filter(household_id__in=list(by_household))
            .values("household_id")
            .annotate(last=Max("visited_at"))
            .values_list("household_id", "last")
        ):
            for rid in by_household[hid]:
                keep(rid, when)
    for rid, when in (
        Talk.objects.filter(resident_id__in=ids)
        .values("resident_id")
        .annotate(last=Max("held_at"))
        .values_list("resident_id", "last")
    ):
        keep(rid, when)
    return result


# --- Talks ---------------------------------------------------------------------------------
def talks_visible_to(user) -> QuerySet[Talk]:
    if not _active(user) or user.role not in OUTREACH_ROLES:
        return Talk.objects.none()
    talks = Talk.objects.all()
    if user.role in WHOLE_DISTRICT:
        return talks
    if user.role == Role.REPRESENTATIVE:
        return talks.filter(talker=user)
    return scopes.filter_by_community(talks, user)


def can_view_talk(user, talk: Talk) -> bool:
    if not _active(user) or user.role not in OUTREACH_ROLES:
        return False
    if user.role in WHOLE_DISTRICT or talk.talker_id == user.pk:
        return True
    return user.role == Role.WORKER and scopes.in_scope(user, talk.community_id)


def can_read_talk_notes(user, talk: Talk) -> bool:
    """The talker and supervisors; nobody else, administrators included."""
    return _active(user) and (
        talk.talker_id == user.pk or (user.role == Role.SUPERVISOR and can_view_talk(user, talk))
    )


def talk_get_for_user(user, pk: int) -> Talk:
    talk = (
        talks_visible_to(user)
        .select_related("talker", "resident", "community")
        .filter(pk=pk)
        .first()
    )
    if talk is None:
        raise Http404
    return talk


def talk_list(user, *, due_only: bool = False) -> QuerySet[Talk]:
    talks = talks_visible_to(user)
    if due_only:
        talks = talks.filter(
            follow_up_on__isnull=False,
            follow_up_on__lte=timezone.localdate(),
            follow_up_done_at__isnull=True,
        )
    return talks.select_related("talker", "resident", "community").order_by("-held_at", "-pk")


def follow_ups_due(user, *, within_days: int = 3) -> dict:
    """The user's own talks and visits whose follow-up date is within a few days or past."""
    limit = timezone.localdate() + datetime.timedelta(days=within_days)
    talks = (
        Talk.objects.filter(talker=user, follow_up_on__lte=limit, follow_up_done_at__isnull=True)
        .select_related("resident")
        .order_by("follow_up_on")[:10]
    )
    visits = (
        Visit.objects.filter(
            Exists(Visit.visitors.through.objects.filter(visit_id=OuterRef("pk"), user_id=user.pk)),
            follow_up_on__lte=limit,
            follow_up_done_at__isnull=True,
        )
        .select_related("household", "resident")
        .order_by("follow_up_on")[:10]
    )
    return {"talks": list(talks), "visits": list(visits)}


# --- Activities ----------------------------------------------------------------------------
def activities_visible_to(user) -> QuerySet[Activity]:
    if not _active(user) or user.role not in OUTREACH_ROLES:
        return Activity.objects.none()
    activities = Activity.objects.all()
    if user.role in WHOLE_DISTRICT:
        return activities
    ids = scopes.community_ids(user) or frozenset()
    in_scope = Activity.communities.through.objects.filter(
        activity_id=OuterRef("pk"), community_id__in=ids
    )
    return activities.filter(Q(Exists(in_scope)) | Q(organiser=user))


def can_view_activity(user, activity: Activity) -> bool:
    if not _active(user) or user.role not in OUTREACH_ROLES:
        return False
    if user.role in WHOLE_DISTRICT or activity.organiser_id == user.pk:
        return True
    ids = scopes.community_ids(user) or frozenset()
    return activity.communities.filter(pk__in=ids).exists()


def can_run_activity(user, activity: Activity) -> bool:
    return _active(user) and user.role in RECORDERS and can_view_activity(user, activity)


def activity_get_for_user(user, pk: int) -> Activity:
    activity = (
        activities_visible_to(user)
        .select_related("organiser")
        .prefetch_related("communities")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def activity_list(user) -> QuerySet[Activity]:
    return (
        activities_visible_to(user)
        .prefetch_related("communities")
        .annotate(attendance_count=Count("attendances"))
        .order_by("-starts_at", "-pk")
    )


def activity_by_token(token: str) -> Activity | None:
    return Activity.objects.filter(sign_in_token=token).first() if token else None


def attendance_list(activity: Activity) -> QuerySet[Attendance]:
    return activity.attendances.select_related("resident__community", "recorded_by").order_by(
        "signed_in_at", "pk"
    )


# --- Coverage ------------------------------------------------------------------------------
def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class CoverageRow:
    label: str
    reached: int
    total: int
    is_sensitive: bool = False

    @property
    def percent(self) -> Decimal | None:
        return percent(self.reached, self.total)


@dataclass
class Coverage:
    community: Community
    start: datetime.date
    end: datetime.date
    residents: CoverageRow
    by_tag: list[CoverageRow] = field(default_factory=list)
    households_visited: CoverageRow | None = None
    visits_by_tag: list[CoverageRow] = field(default_factory=list)
    activities: int = 0


def coverage(*, community: Community, start: datetime.date, end: datetime.date) -> Coverage:
    """全覆盖 of one community in a period [start, end] (local dates):

    1. residents reached: distinct residents of the community who attended an activity that
       started in the period, over the community's residents;
    2. the same for the residents with each care tag;
    3. households visited in the period over the community's households, overall and for the
       households with each care tag.

    A fixed number of queries, whatever the size of the community.
    """
    lower, upper = local_bounds(start, end)
    in_period = Q(activity__starts_at__gte=lower, activity__starts_at__lt=upper)
    reached = Attendance.objects.filter(in_period, resident__community=community).values(
        "resident_id"
    )
    total = Resident.objects.filter(community=community).count()
    reached_count = reached.distinct().count()
    tags = list(
        CareTag.objects.annotate(
            total=Count("residents", filter=Q(residents__community=community), distinct=True),
            reached=Count(
                "residents",
                filter=Q(residents__community=community, residents__in=reached),
                distinct=True,
            ),
        ).order_by("sort_order", "name")
    )
    visited = Visit.objects.filter(
        community=community,
        visited_at__gte=lower,
        visited_at__lt=upper,
        household__isnull=False,
    ).values("household_id")
    households_total = Household.objects.filter(community=community).count()
    households_visited = visited.distinct().count()
    household_tags = list(
        CareTag.objects.annotate(
            total=Count("households", filter=Q(households__community=community), distinct=True),
            reached=Count(
                "households",
                filter=Q(households__community=community, households__in=visited),
                distinct=True,
            ),
        ).order_by("sort_order", "name")
    )
    activities = (
        Activity.objects.filter(communities=community, starts_at__gte=lower, starts_at__lt=upper)
        .distinct()
        .count()
    )
    return Coverage(
        community=community,
        start=start,
        end=end,
        residents=CoverageRow("", reached_count, total),
        by_tag=[CoverageRow(t.name, t.reached, t.total, t.is_sensitive) for t in tags if t.total],
        households_visited=CoverageRow("", households_visited, households_total),
        visits_by_tag=[
            CoverageRow(t.name, t.reached, t.total, t.is_sensitive)
            for t in household_tags
            if t.total
        ],
        activities=activities,
    )


def can_read_coverage(user, community: Community) -> bool:
    return _active(user) and user.role in OUTREACH_ROLES and scopes.in_scope(user, community.pk)


# --- Duties --------------------------------------------------------------------------------
def can_manage_duty_rules(user) -> bool:
    return _active(user) and user.role == Role.ADMIN


def duty_rules_for(year: int) -> QuerySet[DutyRule]:
    return DutyRule.objects.filter(year=year).order_by("metric", "period")


def representatives_with_duties_visible_to(user) -> QuerySet[Representative]:
    """Whose duty progress a user may read: supervisors and administrators everyone's, a
    representative their own."""
    if not _active(user):
        return Representative.objects.none()
    if user.role in WHOLE_DISTRICT:
        return Representative.objects.filter(is_active=True)
    if user.role == Role.REPRESENTATIVE:
        return Representative.objects.filter(user=user)
    return Representative.objects.none()


def can_view_duties(user, representative: Representative) -> bool:
    if not _active(user):
        return False
    if user.role in WHOLE_DISTRICT:
        return True
    return user.role == Role.REPRESENTATIVE and representative.user_id == user.pk


def representative_duties_get_for_user(user, pk: int) -> Representative:
    rep = Representative.objects.select_related("user").filter(pk=pk).first()
    if rep is None or not can_view_duties(user, rep):
        raise Http404
    return rep


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, 3 * (quarter - 1) + 1, 1)
    last = (
        datetime.date(year, 12, 31)
        if quarter == 4
        else datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)
    )
    return first, last


def metric_counts(
    metric: str, start: datetime.date, end: datetime.date, rep_ids: list[int]
) -> dict[int, int]:
    """Representative id → how much of `metric` they did in [start, end]. One query."""
    lower, upper = local_bounds(start, end)
    now = timezone.now()
    if metric == DutyMetric.VISITS:
        rows = (
            Visit.visitors.through.objects.filter(
                user__representative__in=rep_ids,
                visit__visited_at__gte=lower,
                visit__visited_at__lt=upper,
            )
            .values("user__representative")
            .annotate(n=Count("visit_id", distinct=True))
            .values_list("user__representative", "n")
        )
    elif metric == DutyMetric.RECEPTIONS:
        rows = (
            ReceptionDay.representatives.through.objects.filter(
                representative_id__in=rep_ids,
                receptionday__status__in=[ReceptionStatus.PUBLISHED, ReceptionStatus.HELD],
                receptionday__starts_at__gte=lower,
                receptionday__starts_at__lt=upper,
                receptionday__starts_at__lte=now,
            )
            .values("representative_id")
            .annotate(n=Count("receptionday_id", distinct=True))
            .values_list("representative_id", "n")
        )
    elif metric == DutyMetric.PAIRED_RESIDENTS:
        rows = (
            Pairing.objects.filter(
                kind=PairingKind.HOUSEHOLD,
                representative_id__in=rep_ids,
                start_date__lte=end,
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
            .values("representative_id")
            .annotate(n=Count("household__members", distinct=True))
            .values_list("representative_id", "n")
        )
    elif metric == DutyMetric.CHECK_INS:
        rows = (
            CheckIn.objects.filter(
                representative_id__in=rep_ids,
                checked_in_at__gte=lower,
                checked_in_at__lt=upper,
            )
            .values("representative_id")
            .annotate(n=Count("pk"))
            .values_list("representative_id", "n")
        )
    elif metric == DutyMetric.PROPOSALS:
        rows = (
            Proposal.objects.filter(
                representative_id__in=rep_ids,
                case__received_at__gte=lower,
                case__received_at__lt=upper,
            )
            .values("representative_id")
            .annotate(n=Count("pk"))
            .values_list("representative_id", "n")
        )
    elif metric == DutyMetric.TALKS:
        rows = (
            Talk.objects.filter(
                talker__representative__in=rep_ids, held_at__gte=lower, held_at__lt=upper
            )
            .values("talker__representative")
            .annotate(n=Count("pk"))
            .values_list("talker__representative", "n")
        )
    else:
        raise ValueError(metric)
    return dict(rows)


@dataclass
class PeriodProgress:
    label: str
    value: int
    minimum: int
    finished: bool  # the period is over

    @property
    def met(self) -> bool:
        return self.value >= self.minimum


@dataclass
class RuleProgress:
    rule: DutyRule
    periods: list[PeriodProgress]

    @property
    def met(self) -> bool:
        return all(p.met for p in self.periods)

    @property
    def value(self) -> int:
        return sum(p.value for p in self.periods)

    @property
    def status(self) -> str:
        """met, behind (a finished period fell short), or pending (still time)."""
        if self.met:
            return "met"
        if any(p.finished and not p.met for p in self.periods):
            return "behind"
        return "pending"


@dataclass
class RepresentativeProgress:
    representative: Representative
    rules: list[RuleProgress]

    @property
    def met_count(self) -> int:
        return sum(1 for r in self.rules if r.met)


def duty_progress(
    *, year: int, representatives, today: datetime.date | None = None
) -> list[RepresentativeProgress]:
    """Every representative's progress against every duty rule of `year`. The number of
    queries depends on the rules (one per yearly rule, four per quarterly rule), not on the
    number of representatives."""
    today = today or timezone.localdate()
    reps = list(representatives)
    rep_ids = [r.pk for r in reps]
    rules = list(duty_rules_for(year))
    # (label, start, end) per rule
    results: dict[int, list[RuleProgress]] = {r.pk: [] for r in reps}
    for rule in rules:
        if rule.period == DutyPeriod.QUARTER:
            spans = [(f"Q{q}", *quarter_bounds(year, q)) for q in range(1, 5)]
        else:
            spans = [(str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))]
        counted = [
            (label, start, end, metric_counts(rule.metric, start, end, rep_ids))
            for label, start, end in spans
        ]
        for rep in reps:
            results[rep.pk].append(
                RuleProgress(
                    rule=rule,
                    periods=[
                        PeriodProgress(
                            label=label,
                            value=counts.get(rep.pk, 0),
                            minimum=rule.minimum,
                            finished=end < today,
                        )
                        for label, start, end, counts in counted
                    ],
                )
            )
    return [RepresentativeProgress(rep, results[rep.pk]) for rep in reps]


@dataclass
class DutyRecord:
    """履职档案: one representative's year."""

    representative: Representative
    year: int
    progress: RepresentativeProgress
    visits: list
    receptions: list
    check_ins: list
    talks_by_reason: list
    proposals: list
    paired_households: list
    contact_communities: list
    # The connected record (outreach.record): what came of the contacts.
    connected: list = field(default_factory=list)
    # The name of the year's duty rules (DutyRuleSet), e.g. 六个一.
    rule_set: str = ""


def duty_record(*, representative: Representative, year: int) -> DutyRecord:
    lower, upper = local_bounds(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    [progress] = duty_progress(year=year, representatives=[representative])
    visits = []
    if representative.user_id:
        visits = list(
            Visit.objects.filter(
                Exists(
                    Visit.visitors.through.objects.filter(
                        visit_id=OuterRef("pk"), user_id=representative.user_id
                    )
                ),
                visited_at__gte=lower,
                visited_at__lt=upper,
            )
            .select_related("community", "household", "resident")
            .prefetch_related("cases")
            .order_by("visited_at", "pk")
        )
    receptions = list(
        representative.reception_days.filter(starts_at__gte=lower, starts_at__lt=upper)
        .exclude(status__in=[ReceptionStatus.DRAFT, ReceptionStatus.CANCELLED])
        .select_related("community")
        .annotate(visitor_count=Count("visitors"))
        .order_by("starts_at")
    )
    check_ins = list(
        representative.check_ins.filter(checked_in_at__gte=lower, checked_in_at__lt=upper)
        .select_related("community")
        .order_by("checked_in_at")
    )
    talks_by_reason = []
    if representative.user_id:
        talks_by_reason = list(
            Talk.objects.filter(
                talker_id=representative.user_id, held_at__gte=lower, held_at__lt=upper
            )
            .values("reason")
            .annotate(n=Count("pk"))
            .order_by("reason")
        )
        from lianxin.outreach.models import TalkReason

        for row in talks_by_reason:
            row["label"] = TalkReason(row["reason"]).label
    proposals = list(
        representative.proposals.filter(case__received_at__gte=lower, case__received_at__lt=upper)
        .select_related("case__category__parent")
        .order_by("case__received_at")
    )
    paired_households = list(
        Pairing.objects.filter(
            kind=PairingKind.HOUSEHOLD,
            representative=representative,
            start_date__lte=datetime.date(year, 12, 31),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1)))
        .select_related("household__community")
        .annotate(member_count=Count("household__members"))
        .order_by("household__community__name", "household__address")
    )
    communities = list(
        Pairing.objects.filter(
            kind=PairingKind.CONTACT,
            representative=representative,
            start_date__lte=datetime.date(year, 12, 31),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1)))
        .select_related("community")
        .order_by("community__name")
    )
    return DutyRecord(
        representative=representative,
        year=year,
        progress=progress,
        visits=visits,
        receptions=receptions,
        check_ins=check_ins,
        talks_by_reason=talks_by_reason,
        proposals=proposals,
        paired_households=paired_households,
        contact_communities=communities,
        connected=record_sections(representative, year),
        rule_set=DutyRuleSet.objects.filter(year=year).values_list("name", flat=True).first() or "",
    )


# --- Proposals -----------------------------------------------------------------------------
def proposals_visible_to(user) -> QuerySet[Proposal]:
    if not _active(user):
        return Proposal.objects.none()
    if user.role in WHOLE_DISTRICT:
        return Proposal.objects.all()
    if user.role == Role.REPRESENTATIVE:
        return Proposal.objects.filter(representative__user=user)
    return Proposal.objects.none()


def can_view_proposal(user, proposal: Proposal) -> bool:
    if not _active(user):
        return False
    if user.role in WHOLE_DISTRICT:
        return True
    return user.role == Role.REPRESENTATIVE and proposal.representative.user_id == user.pk


def proposal_list(user) -> QuerySet[Proposal]:
    return proposals_visible_to(user).select_related(
        "representative", "case__category__parent", "case__community"
    )
