"""REST representations of outreach: what the outreach pages show, no more. Residents appear
by id and name (their numbers masked, and only for readers whose scope holds them), staff by
id and name, cases by number; talk notes only for those who may read them (the talker and
supervisors), null for everyone else."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lianxin.accounts import scopes
from lianxin.api.serializers import MAX_ID, CategoryBriefSerializer
from lianxin.cases.models import AppealType
from lianxin.outreach import selectors
from lianxin.outreach.models import (
    Activity,
    Attendance,
    CheckIn,
    Proposal,
    ReceptionDay,
    ReceptionVisitor,
    Talk,
    Visit,
)

# Outreach is recorded after the fact and scheduled ahead; moments outside these years are
# typing errors (and would not survive the conversion to local time at the extremes).
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _moment_in_range(value: datetime.datetime) -> None:
    if not EARLIEST <= value < LATEST:
        raise serializers.ValidationError(_("Give a time between the years 2000 and 2099."))


def _day_in_range(value: datetime.date) -> None:
    if not FIRST_YEAR <= value.year < LAST_YEAR:
        raise serializers.ValidationError(_("Give a date between the years 2000 and 2099."))


def _id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# --- Small pieces --------------------------------------------------------------------------
class PersonBriefSerializer(serializers.Serializer):
    """A member of staff: id and name."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class NamedBriefSerializer(serializers.Serializer):
    """A community or representative: id and name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class CaseBriefSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")


class CaseReceiptSerializer(CaseBriefSerializer):
    """A case just recorded, with the tracking code to give to the resident."""

    tracking_code = serializers.CharField(
        source="tracking_code_display",
        help_text=_("Give it to the resident: they follow the case with it."),
    )


# --- Visits --------------------------------------------------------------------------------
class VisitAnswerSerializer(serializers.Serializer):
    tag = serializers.CharField(help_text=_("The care tags that ask the question."))
    question = serializers.CharField()
    answer = serializers.CharField()


class VisitSerializer(serializers.ModelSerializer):
    """An entry of the visit diary (民情日记)."""

    community = serializers.PrimaryKeyRelatedField(read_only=True)
    community_name = serializers.CharField(source="community.name")
    household = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    household_address = serializers.CharField(
        source="household.address", default=None, allow_null=True
    )
    resident = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    resident_name = serializers.CharField(source="resident.name", default=None, allow_null=True)
    whom = serializers.CharField(help_text=_("The household or resident visited, as shown."))
    answers = VisitAnswerSerializer(many=True)
    visitors = PersonBriefSerializer(many=True, help_text=_("Who went."))
    cases = CaseBriefSerializer(many=True, help_text=_("Cases recorded from the visit."))

    class Meta:
        model = Visit
        fields = [
            "id",
            "visited_at",
            "community",
            "community_name",
            "household",
            "household_address",
            "resident",
            "resident_name",
            "whom",
            "met",
            "heard",
            "answers",
            "visitors",
            "follow_up_on",
            "follow_up_done_at",
            "cases",
            "created_at",
        ]


class VisitCreatedSerializer(VisitSerializer):
    cases = CaseReceiptSerializer(many=True, help_text=_("Cases recorded from the visit."))


class VisitPromptSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=_("Key of the answer to this question when logging the visit.")
    )
    question = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())


class VisitPromptQuerySerializer(serializers.Serializer):
    household = _id_field(required=False, help_text=_("Household id"))
    resident = _id_field(required=False, help_text=_("Resident id"))

    def validate(self, attrs):
        if not attrs.get("household") and not attrs.get("resident"):
            raise serializers.ValidationError(
                {"household": [_("Choose the household or resident visited.")]}
            )
        return attrs


class ProblemSerializer(serializers.Serializer):
    """A problem heard, recorded as a case in the same step."""

    title = serializers.CharField(max_length=100)
    description = serializers.CharField()
    category = _id_field(
        required=False, allow_null=True, help_text=_("An active category of the second level.")
    )
    appeal_type = serializers.ChoiceField(choices=AppealType.choices, default=AppealType.HELP)


class VisitCreateSerializer(serializers.Serializer):
    household = _id_field(required=False, allow_null=True)
    resident = _id_field(required=False, allow_null=True)
    visited_at = serializers.DateTimeField(validators=[_moment_in_range])
    met = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    heard = serializers.CharField(help_text=_("What was heard (the diary entry)."))
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=2000),
        required=False,
        default=dict,
        help_text=_(
            "Answers to the questions of the household's care tags, by the code "
            "/visits/prompts/ gives."
        ),
    )
    follow_up_on = serializers.DateField(
        required=False, allow_null=True, validators=[_day_in_range]
    )
    companions = serializers.ListField(
        child=_id_field(),
        required=False,
        default=list,
        max_length=20,
        help_text=_("Ids of the community workers and representatives who went along."),
    )
    problem = ProblemSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A problem heard: recorded as a case in the same step."),
    )


# --- Reception days ------------------------------------------------------------------------
class ReceptionVisitorSerializer(serializers.ModelSerializer):
    resident = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    name = serializers.CharField(source="display_name")
    case = CaseBriefSerializer()

    class Meta:
        model = ReceptionVisitor
        fields = ["id", "name", "resident", "arrived_at", "case"]


class ReceptionVisitorCreatedSerializer(ReceptionVisitorSerializer):
    case = CaseReceiptSerializer()


class ReceptionDaySerializer(serializers.ModelSerializer):
    community = serializers.PrimaryKeyRelatedField(read_only=True)
    community_name = serializers.CharField(source="community.name")
    status_label = serializers.CharField(source="get_status_display")
    representatives = NamedBriefSerializer(many=True)
    visitor_count = serializers.SerializerMethodField()
    visitors = serializers.SerializerMethodField()

    class Meta:
        model = ReceptionDay
        fields = [
            "id",
            "community",
            "community_name",
            "place",
            "starts_at",
            "ends_at",
            "status",
            "status_label",
            "publish_at",
            "announced_at",
            "representatives",
            "summary",
            "summarised_at",
            "cancel_reason",
            "visitor_count",
            "visitors",
        ]

    def get_visitor_count(self, obj) -> int:
        return len(obj.visitors.all())

    @extend_schema_field(ReceptionVisitorSerializer(many=True))
    def get_visitors(self, obj):
        return ReceptionVisitorSerializer(obj.visitors.all(), many=True).data


class ReceptionVisitorCreateSerializer(serializers.Serializer):
    resident = _id_field(
        required=False, allow_null=True, help_text=_("The visitor, if in the roster.")
    )
    name = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The visitor's name, if not in the roster."),
    )
    phone = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        help_text=_("Sealed on arrival and shown masked from then on."),
    )
    title = serializers.CharField(max_length=100)
    description = serializers.CharField()
    category = _id_field(
        required=False, allow_null=True, help_text=_("An active category of the second level.")
    )
    appeal_type = serializers.ChoiceField(choices=AppealType.choices, default=AppealType.HELP)
    resolved_on_spot = serializers.BooleanField(default=False)
    resolution = serializers.CharField(required=False, allow_blank=True, default="")


# --- Check-ins -----------------------------------------------------------------------------
class CheckInSerializer(serializers.ModelSerializer):
    representative = serializers.PrimaryKeyRelatedField(read_only=True)
    representative_name = serializers.CharField(source="representative.name")
    community = serializers.PrimaryKeyRelatedField(read_only=True)
    community_name = serializers.CharField(source="community.name")

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "representative",
            "representative_name",
            "community",
            "community_name",
            "checked_in_at",
            "note",
        ]


# --- Talks ---------------------------------------------------------------------------------
class TalkSerializer(serializers.ModelSerializer):
    resident = serializers.PrimaryKeyRelatedField(read_only=True)
    resident_name = serializers.CharField(source="resident.name")
    community = serializers.PrimaryKeyRelatedField(read_only=True)
    community_name = serializers.CharField(source="community.name")
    reason_label = serializers.CharField(source="get_reason_display")
    talker = PersonBriefSerializer()
    notes = serializers.SerializerMethodField(
        help_text=_("Only the talker and supervisors read the notes; null for everyone else.")
    )

    class Meta:
        model = Talk
        fields = [
            "id",
            "held_at",
            "resident",
            "resident_name",
            "community",
            "community_name",
            "reason",
            "reason_label",
            "talker",
            "notes",
            "follow_up_on",
            "follow_up_done_at",
            "created_at",
        ]

    def get_notes(self, obj) -> str | None:
        user = self.context["request"].user
        return obj.notes if selectors.can_read_talk_notes(user, obj) else None


# --- Activities ----------------------------------------------------------------------------
class ActivitySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    communities = NamedBriefSerializer(many=True)
    organiser = PersonBriefSerializer()
    attendance_count = serializers.IntegerField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "kind_label",
            "topic",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "communities",
            "organiser",
            "attendance_count",
        ]


class AttendanceSerializer(serializers.ModelSerializer):
    """One person at an activity. Residents of the roster come with their id and community;
    their phone masked (as in the residents endpoint) only for readers whose scope holds
    them. People not in the roster come with the masked phone they signed in with."""

    name = serializers.CharField(source="display_name")
    resident = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    community = serializers.IntegerField(
        source="resident.community_id", default=None, allow_null=True
    )
    community_name = serializers.CharField(
        source="resident.community.name", default=None, allow_null=True
    )
    phone_masked = serializers.SerializerMethodField()
    method_label = serializers.CharField(source="get_method_display")

    class Meta:
        model = Attendance
        fields = [
            "id",
            "name",
            "resident",
            "community",
            "community_name",
            "phone_masked",
            "method",
            "method_label",
            "signed_in_at",
        ]

    def get_phone_masked(self, obj) -> str | None:
        if obj.resident_id is None:
            return obj.phone_masked or None
        user = self.context["request"].user
        if scopes.in_scope(user, obj.resident.community_id):
            return obj.resident.phone_masked or None
        return None


# --- Coverage ------------------------------------------------------------------------------
class CoverageQuerySerializer(serializers.Serializer):
    community = _id_field(help_text=_("Community id"))
    start = serializers.DateField(validators=[_day_in_range], help_text=_("First day (YYYY-MM-DD)"))
    end = serializers.DateField(validators=[_day_in_range], help_text=_("Last day (YYYY-MM-DD)"))

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": [_("The end lies before the start.")]})
        return attrs


PERCENT = {
    "max_digits": 4,
    "decimal_places": 1,
    "coerce_to_string": False,
    "allow_null": True,
    "help_text": _("Reached over total, in per cent with one decimal; null when none."),
}


class CoverageRowSerializer(serializers.Serializer):
    label = serializers.CharField(help_text=_("The care tag; empty for the whole community."))
    reached = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.DecimalField(**PERCENT)
    is_sensitive = serializers.BooleanField()


class CoverageSerializer(serializers.Serializer):
    community = NamedBriefSerializer()
    start = serializers.DateField()
    end = serializers.DateField()
    activities = serializers.IntegerField(help_text=_("Activities and briefings in the period."))
    residents = CoverageRowSerializer(help_text=_("Residents who attended an activity."))
    by_tag = CoverageRowSerializer(many=True)
    households_visited = CoverageRowSerializer()
    visits_by_tag = CoverageRowSerializer(many=True)


# --- Duties --------------------------------------------------------------------------------
class DutyQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        help_text=_("The year; this year when not given."),
    )


class DutyRuleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    metric = serializers.CharField()
    metric_label = serializers.CharField(source="get_metric_display")
    period = serializers.CharField()
    period_label = serializers.CharField(source="get_period_display")
    minimum = serializers.IntegerField()
    note = serializers.CharField()


class PeriodProgressSerializer(serializers.Serializer):
    label = serializers.CharField(help_text=_("The year, or Q1 to Q4."))
    value = serializers.IntegerField()
    minimum = serializers.IntegerField()
    finished = serializers.BooleanField(help_text=_("The period is over."))
    met = serializers.BooleanField()


DUTY_STATUS = [
    ("met", pgettext_lazy("duty", "Done")),
    ("behind", pgettext_lazy("duty", "Behind")),
    ("pending", pgettext_lazy("duty", "In progress")),
]


class RuleProgressSerializer(serializers.Serializer):
    rule = DutyRuleSerializer()
    value = serializers.IntegerField()
    met = serializers.BooleanField()
    status = serializers.ChoiceField(
        choices=DUTY_STATUS,
        help_text=_("met; behind (a finished period fell short); pending (there is still time)."),
    )
    status_label = serializers.SerializerMethodField()
    periods = PeriodProgressSerializer(many=True)

    def get_status_label(self, obj) -> str:
        return str(dict(DUTY_STATUS)[obj.status])


class RepresentativeBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()


class DutyProgressSerializer(serializers.Serializer):
    """A representative's progress against every duty rule of the year."""

    representative = RepresentativeBriefSerializer()
    year = serializers.SerializerMethodField()
    met_count = serializers.IntegerField(help_text=_("Duties done."))
    rule_count = serializers.SerializerMethodField(help_text=_("Duties set for the year."))
    rules = RuleProgressSerializer(many=True)

    def get_year(self, obj) -> int:
        return self.context["year"]

    def get_rule_count(self, obj) -> int:
        return len(obj.rules)


# --- Proposals -----------------------------------------------------------------------------
class ProposalSerializer(serializers.ModelSerializer):
    representative = NamedBriefSerializer()
    case = serializers.CharField(source="case.number")
    title = serializers.CharField(source="case.title")
    status = serializers.CharField(source="case.status")
    status_label = serializers.CharField(source="case.get_status_display")
    category = CategoryBriefSerializer(source="case.category", allow_null=True)
    community = serializers.IntegerField(source="case.community_id", allow_null=True)
    community_name = serializers.CharField(
        source="case.community.name", default=None, allow_null=True
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "case",
            "title",
            "status",
            "status_label",
            "category",
            "community",
            "community_name",
            "representative",
            "created_at",
        ]
