"""Writes of outreach. Each service is atomic, takes the acting user, checks that the actor may
act, and creates cases through lianxin.cases.services in the same transaction.

Reception days are announced by this rule (DESIGN.md: "announced at least 2 days ahead"):
the day a reception day starts must lie at least two full calendar days after the day it is
published, in local time. Published on Monday, it may be held on Wednesday or later; a session
tomorrow, or today, is refused with the reason. Publishing earlier is always allowed, and a
publication may be set for a later time (it then appears on the public site, and residents are
told, at that time).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts import scopes
from lianxin.accounts.models import Role
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import AppealType, Case, Category, Channel
from lianxin.cases.services import case_intake
from lianxin.directory import selectors as directory_selectors
from lianxin.directory.models import Community, Household, Representative, Resident
from lianxin.outreach import selectors
from lianxin.outreach.models import (
    Activity,
    Attendance,
    CheckIn,
    DutyRule,
    Proposal,
    ReceptionDay,
    ReceptionStatus,
    ReceptionVisitor,
    SignInMethod,
    Talk,
    Visit,
)

PUBLISH_DAYS_AHEAD = 2
# Visits and talks are logged after the fact; a little clock skew of a phone is tolerated.
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)
# QR sign-in is open from this long before an activity starts until this long after it ends.
SIGN_IN_EARLY = datetime.timedelta(hours=2)
SIGN_IN_LATE = datetime.timedelta(hours=2)
WEEKDAYS = "一二三四五六日"


class OutreachError(Exception):
    """A step that cannot be taken now; `message` is translated and safe to show."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Problem:
    """A problem heard, to be recorded as a case."""

    title: str
    description: str
    category: Category | None = None
    appeal_type: str = AppealType.HELP
    urgency: str = "normal"
    resolved_on_spot: bool = False
    resolution: str = ""


def _require_recorder(actor) -> None:
    if not actor.is_authenticated or actor.role not in selectors.RECORDERS:
        raise OutreachError("not_allowed", _("Your role does not record outreach work."))


def _not_in_future(value: datetime.datetime, field: str) -> None:
    if value > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({field: [_("This lies in the future; record it after it happened.")]})


def _intake(*, actor, problem: Problem, channel: str, community, **reporter) -> Case:
    try:
        return case_intake(
            actor=actor,
            title=problem.title,
            description=problem.description,
            channel=channel,
            category=problem.category,
            appeal_type=problem.appeal_type,
            urgency=problem.urgency,
            community=community,
            consented=True,
            resolved_on_spot=problem.resolved_on_spot,
            resolution=problem.resolution,
            resolution_method="in_person",
            **reporter,
        )
    except CaseActionError as exc:
        raise OutreachError(exc.code, exc.message) from None


# --- Visits --------------------------------------------------------------------------------
@transaction.atomic
def visit_log(
    *,
    actor,
    visited_at: datetime.datetime,
    heard: str,
    household: Household | None = None,
    resident: Resident | None = None,
    met: str = "",
    answers: list[dict] | None = None,
    follow_up_on: datetime.date | None = None,
    companions=(),
    problem: Problem | None = None,
) -> Visit:
    """Log a visit (an entry of the visitor's diary) and, in the same step, record the problem
    heard as a case linked to the visit."""
    _require_recorder(actor)
    if household is None and resident is None:
        raise ValidationError({"household": [_("Choose the household or resident visited.")]})
    place = household if household is not None else resident
    community_id = place.community_id
    if not scopes.in_scope(actor, community_id):
        raise OutreachError("out_of_scope", _("You can only log visits in your own communities."))
    if resident is not None and household is not None and resident.household_id != household.pk:
        raise ValidationError({"resident": [_("This resident does not live in that household.")]})
    heard = (heard or "").strip()
    if not heard:
        raise ValidationError({"heard": [_("Write down what you heard.")]})
    _not_in_future(visited_at, "visited_at")
    if follow_up_on and follow_up_on < timezone.localtime(visited_at).date():
        raise ValidationError({"follow_up_on": [_("The follow-up date lies before the visit.")]})
    visit = Visit.objects.create(
        community_id=community_id,
        household=household,
        resident=resident,
        visited_at=visited_at,
        met=(met or "").strip()[:100],
        heard=heard,
        answers=[a for a in (answers or []) if (a.get("answer") or "").strip()],
        follow_up_on=follow_up_on,
        recorded_by=actor,
    )
    visit.visitors.set({actor.pk, *(u.pk for u in companions)})
    if problem is not None:
        visit_case_record(actor=actor, visit=visit, problem=problem)
    return visit


@transaction.atomic
def visit_case_record(*, actor, visit: Visit, problem: Problem) -> Case:
    """Record a problem heard at a visit as a case (channel: visit), linked to the visit."""
    _require_recorder(actor)
    if not selectors.can_view_visit(actor, visit):
        raise OutreachError("not_allowed", _("This visit is not yours to add to."))
    reporter: dict = {}
    if visit.resident_id:
        reporter["reporter_resident"] = visit.resident
    elif visit.household_id:
        head = (
            visit.household.members.filter(name=visit.household.head_name).first()
            if visit.household.head_name
            else None
        )
        if head is not None:
            reporter["reporter_resident"] = head
        else:
            reporter["reporter_name"] = visit.met or visit.household.head_name
    case = _intake(
        actor=actor,
        problem=problem,
        channel=Channel.VISIT,
        community=visit.community,
        address=visit.household.address if visit.household_id else visit.resident.address,
        received_at=min(visit.visited_at, timezone.now()),
        **reporter,
    )
    visit.cases.add(case)
    return case


@transaction.atomic
def visit_follow_up_done(*, actor, visit: Visit) -> None:
    if not selectors.can_view_visit(actor, visit) or actor.role not in selectors.RECORDERS:
        raise OutreachError("not_allowed", _("This visit is not yours to follow up."))
    changed = Visit.objects.filter(
        pk=visit.pk, follow_up_on__isnull=False, follow_up_done_at__isnull=True
    ).update(follow_up_done_at=timezone.now())
    if changed != 1:
        raise OutreachError("stale", _("This follow-up has already been marked done."))


# --- Reception days ------------------------------------------------------------------------
def publication_problem(starts_at: datetime.datetime, publish_at: datetime.datetime) -> str | None:
    """Why a reception day starting at `starts_at` may not be published at `publish_at`, or
    None when it may (see the module docstring for the rule)."""
    start_day = timezone.localtime(starts_at).date()
    publish_day = timezone.localtime(publish_at).date()
    if (start_day - publish_day).days >= PUBLISH_DAYS_AHEAD:
        return None
    latest = start_day - datetime.timedelta(days=PUBLISH_DAYS_AHEAD)
    return _(
        "A reception day must be announced at least two full days ahead: the one on "
        "%(date)s had to be published by %(latest)s at the latest. Choose a later date."
    ) % {"date": f"{start_day:%Y-%m-%d}", "latest": f"{latest:%Y-%m-%d}"}


def _check_reception_fields(
    *, actor, community: Community, place: str, starts_at, ends_at, representatives
) -> None:
    errors: dict[str, list] = {}
    if not scopes.in_scope(actor, community.pk):
        raise OutreachError(
            "out_of_scope", _("You can only schedule reception days in your own communities.")
        )
    if not (place or "").strip():
        errors["place"] = [_("Say where the reception day takes place.")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The end lies before the start.")]
    elif ends_at - starts_at > datetime.timedelta(hours=12):
        errors["ends_at"] = [_("A reception day lasts at most twelve hours.")]
    if starts_at <= timezone.now():
        errors["starts_at"] = [_("A reception day is scheduled for a time still to come.")]
    if not representatives:
        errors["representatives"] = [_("Choose the representatives who receive residents.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def reception_schedule(
    *,
    actor,
    community: Community,
    place: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    representatives,
    publish: bool = False,
    publish_at: datetime.datetime | None = None,
) -> ReceptionDay:
    """Schedule a reception day; with `publish`, publish it in the same step (or refuse the
    whole step with the reason, saving nothing)."""
    _require_recorder(actor)
    representatives = list(representatives)
    _check_reception_fields(
        actor=actor,
        community=community,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        representatives=representatives,
    )
    if publish:
        problem = publication_problem(starts_at, max(publish_at or timezone.now(), timezone.now()))
        if problem:
            raise ValidationError({"starts_at": [problem]})
    reception = ReceptionDay.objects.create(
        community=community,
        place=place.strip()[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
    )
    reception.representatives.set(representatives)
    if publish:
        reception_publish(actor=actor, reception=reception, publish_at=publish_at)
    return reception


@transaction.atomic
def reception_publish(
    *, actor, reception: ReceptionDay, publish_at: datetime.datetime | None = None
) -> ReceptionDay:
    """Publish a scheduled reception day now, or from `publish_at`. Residents paired in its
    community are told (at once, or by the outreach sweep when `publish_at` comes)."""
    if not selectors.can_run_reception(actor, reception):
        raise OutreachError("not_allowed", _("You cannot publish this reception day."))
    now = timezone.now()
    publish_at = max(publish_at or now, now)
    problem = publication_problem(reception.starts_at, publish_at)
    if problem:
        raise OutreachError("too_late", problem)
    changed = ReceptionDay.objects.filter(pk=reception.pk, status=ReceptionStatus.DRAFT).update(
        status=ReceptionStatus.PUBLISHED, publish_at=publish_at
    )
    if changed != 1:
        raise OutreachError("stale", _("This reception day has already been published or closed."))
    reception.status, reception.publish_at = ReceptionStatus.PUBLISHED, publish_at
    if publish_at <= now:
        reception_announce(reception=reception, now=now)
    return reception


def reception_when(reception: ReceptionDay) -> str:
    """e.g. 6月8日（周六）09:00—11:30, as residents read it in an SMS."""
    start = timezone.localtime(reception.starts_at)
    end = timezone.localtime(reception.ends_at)
    day = f"{start.month}月{start.day}日（周{WEEKDAYS[start.weekday()]}）"
    if end.date() != start.date():
        return f"{day}{start:%H:%M}—{end.month}月{end.day}日{end:%H:%M}"
    return f"{day}{start:%H:%M}—{end:%H:%M}"


@transaction.atomic
def reception_announce(*, reception: ReceptionDay, now: datetime.datetime | None = None) -> int:
    """Tell the residents paired in the community of a published reception day whose
    publication time has come. Claims the announcement with a conditional update, so it
    happens once; every message also carries an idempotency key. Returns messages queued."""
    from lianxin.notify.kinds import EventKind
    from lianxin.notify.services import notify_resident

    now = now or timezone.now()
    claimed = ReceptionDay.objects.filter(
        pk=reception.pk,
        status=ReceptionStatus.PUBLISHED,
        publish_at__lte=now,
        announced_at__isnull=True,
    ).update(announced_at=now)
    if claimed != 1:
        return 0
    reception.announced_at = now
    context = {
        "community": reception.community.name,
        "date": reception_when(reception),
        "place": reception.place,
        "representatives": "、".join(r.name for r in reception.representatives.order_by("name")),
    }
    queued = 0
    residents = selectors.paired_residents_of_community(
        reception.community, on=timezone.localtime(now).date()
    ).exclude(phone_cipher="")
    for resident in residents.iterator(chunk_size=500):
        result = notify_resident(
            kind=EventKind.RECEPTION_UPCOMING,
            resident=resident,
            context=context,
            idempotency_key=f"reception:{reception.pk}:resident:{resident.pk}",
        )
        queued += len(result.deliveries)
    return queued


@transaction.atomic
def reception_cancel(*, actor, reception: ReceptionDay, reason: str) -> None:
    if not selectors.can_run_reception(actor, reception):
        raise OutreachError("not_allowed", _("You cannot cancel this reception day."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the reception day is cancelled.")]})
    changed = ReceptionDay.objects.filter(
        pk=reception.pk, status__in=[ReceptionStatus.DRAFT, ReceptionStatus.PUBLISHED]
    ).update(status=ReceptionStatus.CANCELLED, cancel_reason=reason[:200])
    if changed != 1:
        raise OutreachError("stale", _("This reception day has already been held or cancelled."))
    reception.status = ReceptionStatus.CANCELLED


def reception_is_open(reception: ReceptionDay, now: datetime.datetime | None = None) -> bool:
    """Visitors are logged on the day of a published reception day until its summary."""
    now = now or timezone.now()
    return (
        reception.status == ReceptionStatus.PUBLISHED
        and timezone.localtime(now).date() >= timezone.localtime(reception.starts_at).date()
    )


@transaction.atomic
def reception_visitor_log(
    *,
    actor,
    reception: ReceptionDay,
    problem: Problem,
    resident: Resident | None = None,
    name: str = "",
    phone: str = "",
    arrived_at: datetime.datetime | None = None,
) -> ReceptionVisitor:
    """Log one visitor of a reception day: the problem they raise becomes a case with channel
    "reception day", linked to the session."""
    if not selectors.can_run_reception(actor, reception):
        raise OutreachError("not_allowed", _("You cannot log visitors of this reception day."))
    now = timezone.now()
    if not reception_is_open(reception, now):
        if reception.status == ReceptionStatus.PUBLISHED:
            message = _("Visitors are logged from the day of the reception day on.")
        else:
            message = _("This reception day is not open for visitors (%(status)s).") % {
                "status": reception.get_status_display()
            }
        raise OutreachError("closed", message)
    if resident is None and not (name or "").strip():
        raise ValidationError({"name": [_("Give the visitor's name, or find them in the roster.")]})
    if resident is not None and not directory_selectors.can_view_resident(actor, resident):
        raise OutreachError("out_of_scope", _("This resident is outside your communities."))
    reporter = (
        {"reporter_resident": resident}
        if resident is not None
        else {"reporter_name": name.strip(), "reporter_phone": phone}
    )
    case = _intake(
        actor=actor,
        problem=problem,
        channel=Channel.RECEPTION,
        community=reception.community,
        address=resident.address if resident is not None else "",
        received_at=min(arrived_at or now, now),
        **reporter,
    )
    return ReceptionVisitor.objects.create(
        reception=reception,
        resident=resident,
        name="" if resident is not None else name.strip()[:50],
        case=case,
        arrived_at=arrived_at or now,
        recorded_by=actor,
    )


@transaction.atomic
def reception_summarise(*, actor, reception: ReceptionDay, summary: str) -> None:
    if not selectors.can_run_reception(actor, reception):
        raise OutreachError("not_allowed", _("You cannot summarise this reception day."))
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": [_("Write the summary.")]})
    now = timezone.now()
    if now < reception.starts_at:
        raise OutreachError(
            "too_early", _("The summary is written after the reception day has started.")
        )
    changed = ReceptionDay.objects.filter(pk=reception.pk, status=ReceptionStatus.PUBLISHED).update(
        status=ReceptionStatus.HELD, summary=summary, summarised_at=now
    )
    if changed != 1:
        raise OutreachError(
            "stale", _("Only a published reception day that has not been summarised can be.")
        )
    reception.status, reception.summary, reception.summarised_at = (
        ReceptionStatus.HELD,
        summary,
        now,
    )


# --- Check-ins -----------------------------------------------------------------------------
@transaction.atomic
def check_in_record(
    *,
    actor,
    community: Community,
    checked_in_at: datetime.datetime,
    note: str = "",
    representative: Representative | None = None,
) -> CheckIn:
    """报到: a representative reports in to a community they are paired with. Representatives
    record their own; administrators may record one for any representative."""
    own = selectors.representative_of(actor)
    if actor.role == Role.ADMIN and representative is not None:
        pass
    elif own is not None and representative in (None, own):
        representative = own
    else:
        raise OutreachError(
            "not_allowed", _("Check-ins are recorded by the representative themselves.")
        )
    _not_in_future(checked_in_at, "checked_in_at")
    day = timezone.localtime(checked_in_at).date()
    if not selectors.contact_communities(representative, on=day).filter(pk=community.pk).exists():
        raise ValidationError(
            {
                "community": [
                    _("%(rep)s was not paired with %(community)s on %(date)s.")
                    % {"rep": representative.name, "community": community.name, "date": day}
                ]
            }
        )
    return CheckIn.objects.create(
        representative=representative,
        community=community,
        checked_in_at=checked_in_at,
        note=(note or "").strip(),
        recorded_by=actor,
    )


# --- Talks ---------------------------------------------------------------------------------
@transaction.atomic
def talk_record(
    *,
    actor,
    resident: Resident,
    reason: str,
    held_at: datetime.datetime,
    notes: str,
    follow_up_on: datetime.date | None = None,
) -> Talk:
    _require_recorder(actor)
    if not directory_selectors.can_view_resident(actor, resident):
        raise OutreachError("out_of_scope", _("This resident is outside your communities."))
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError({"notes": [_("Write down what was talked about.")]})
    _not_in_future(held_at, "held_at")
    if follow_up_on and follow_up_on < timezone.localtime(held_at).date():
        raise ValidationError({"follow_up_on": [_("The follow-up date lies before the talk.")]})
    return Talk.objects.create(
        talker=actor,
        resident=resident,
        community_id=resident.community_id,
        reason=reason,
        held_at=held_at,
        notes=notes,
        follow_up_on=follow_up_on,
    )


@transaction.atomic
def talk_follow_up_done(*, actor, talk: Talk) -> None:
    if talk.talker_id != actor.pk:
        raise OutreachError("not_allowed", _("Only the talker follows up their talk."))
    changed = Talk.objects.filter(
        pk=talk.pk, follow_up_on__isnull=False, follow_up_done_at__isnull=True
    ).update(follow_up_done_at=timezone.now())
    if changed != 1:
        raise OutreachError("stale", _("This follow-up has already been marked done."))


# --- Activities ----------------------------------------------------------------------------
@transaction.atomic
def activity_create(
    *,
    actor,
    kind: str,
    topic: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    communities,
    description: str = "",
) -> Activity:
    _require_recorder(actor)
    communities = list(communities)
    errors: dict[str, list] = {}
    if not communities:
        errors["communities"] = [_("Choose the communities the activity is for.")]
    elif any(not scopes.in_scope(actor, c.pk) for c in communities):
        errors["communities"] = [_("You can only organise activities for your own communities.")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The end lies before the start.")]
    if not (topic or "").strip():
        errors["topic"] = [_("Give the activity a topic.")]
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.create(
        kind=kind,
        topic=topic.strip()[:100],
        description=(description or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or "").strip()[:200],
        organiser=actor,
    )
    activity.communities.set(communities)
    return activity


@transaction.atomic
def attendance_record(*, actor, activity: Activity, residents) -> tuple[int, int]:
    """Staff sign residents in. Returns (signed in now, already there)."""
    if not selectors.can_run_activity(actor, activity):
        raise OutreachError("not_allowed", _("You cannot record attendance of this activity."))
    residents = list(residents)
    for resident in residents:
        if not directory_selectors.can_view_resident(actor, resident):
            raise OutreachError("out_of_scope", _("This resident is outside your communities."))
    present = set(
        activity.attendances.filter(resident__in=residents).values_list("resident_id", flat=True)
    )
    new = [
        Attendance(
            activity=activity,
            resident=r,
            method=SignInMethod.STAFF,
            recorded_by=actor,
        )
        for r in {r.pk: r for r in residents}.values()
        if r.pk not in present
    ]
    Attendance.objects.bulk_create(new, ignore_conflicts=True)
    return len(new), len(present)


def sign_in_window(activity: Activity) -> tuple[datetime.datetime, datetime.datetime]:
    return activity.starts_at - SIGN_IN_EARLY, activity.ends_at + SIGN_IN_LATE


@transaction.atomic
def attendance_sign_in(*, activity: Activity, name: str, phone: str) -> tuple[Attendance, bool]:
    """A resident signs in on their phone by scanning the activity's QR code. The phone is
    matched to the directory by its blind index; a phone the directory does not know is kept
    as its blind index and masked form only. Returns (attendance, created)."""
    from lianxin.core import privacy
    from lianxin.core.validators import normalise_phone

    now = timezone.now()
    opens, closes = sign_in_window(activity)
    if not opens <= now <= closes:
        raise OutreachError(
            "closed",
            _("Sign-in for this activity is open from %(opens)s to %(closes)s.")
            % {
                "opens": f"{timezone.localtime(opens):%Y-%m-%d %H:%M}",
                "closes": f"{timezone.localtime(closes):%Y-%m-%d %H:%M}",
            },
        )
    name = (name or "").strip()
    errors: dict[str, list] = {}
    try:
        normalised = normalise_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
        normalised = ""
    if not normalised and "phone" not in errors:
        errors["phone"] = [_("Enter your mobile phone number.")]
    if not name:
        errors["name"] = [_("Enter your name.")]
    if errors:
        raise ValidationError(errors)
    index = privacy.blind_index(normalised, purpose=privacy.PHONE)
    resident = Resident.objects.filter(phone_index=index).first()
    existing = activity.attendances.filter(
        **({"resident": resident} if resident is not None else {"phone_index": index})
    ).first()
    if existing is not None:
        return existing, False
    attendance = Attendance(
        activity=activity,
        resident=resident,
        name="" if resident is not None else name[:50],
        phone_index="" if resident is not None else index,
        phone_masked="" if resident is not None else privacy.mask_phone(normalised),
        method=SignInMethod.QR,
    )
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError:
        # The same person pressed twice at the same moment.
        return activity.attendances.filter(
            **({"resident": resident} if resident is not None else {"phone_index": index})
        ).get(), False
    return attendance, True


# --- Duties --------------------------------------------------------------------------------
@transaction.atomic
def duty_rule_save(
    *,
    actor,
    year: int,
    metric: str,
    period: str,
    minimum: int,
    note: str = "",
    rule: DutyRule | None = None,
) -> DutyRule:
    if not selectors.can_manage_duty_rules(actor):
        raise OutreachError("not_allowed", _("Only administrators set duty rules."))
    clash = DutyRule.objects.filter(year=year, metric=metric, period=period)
    if rule is not None:
        clash = clash.exclude(pk=rule.pk)
    if clash.exists():
        raise ValidationError(
            {
                "metric": [
                    _("There is already a rule for this duty and period in %(year)s.")
                    % {"year": year}
                ]
            }
        )
    rule = rule or DutyRule(created_by=actor)
    rule.year, rule.metric, rule.period, rule.minimum = year, metric, period, minimum
    rule.note = (note or "").strip()[:200]
    rule.save()
    return rule


@transaction.atomic
def duty_rule_delete(*, actor, rule: DutyRule) -> None:
    if not selectors.can_manage_duty_rules(actor):
        raise OutreachError("not_allowed", _("Only administrators set duty rules."))
    rule.delete()


@transaction.atomic
def proposal_submit(
    *,
    actor,
    title: str,
    description: str,
    category: Category | None = None,
    community: Community | None = None,
) -> Proposal:
    """意见建议: a representative's proposal to the party committee, recorded as a case of
    type "suggestion" that the representative reported, and counted for their duties."""
    representative = selectors.representative_of(actor)
    if representative is None:
        raise OutreachError(
            "not_allowed", _("Proposals are made by representatives with a representative record.")
        )
    if category is None:
        category = Category.objects.filter(code="suggestion-party").first()
    case = _intake(
        actor=actor,
        problem=Problem(
            title=title, description=description, category=category, appeal_type="suggestion"
        ),
        channel=Channel.VISIT,
        community=community,
        reporter_name=representative.name,
    )
    return Proposal.objects.create(representative=representative, case=case)
