"""REST API representations. Read serializers show what the staff pages show (phones masked,
actors by role and unit); input serializers only check the shape of what is sent, and the
services decide everything else."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lianxin.cases import workflow
from lianxin.cases.forms import FEEDBACK_METHODS
from lianxin.cases.models import (
    AppealType,
    Case,
    CaseEvent,
    Category,
    CategoryQuestion,
    Channel,
    Rating,
    Referral,
    Urgency,
)
from lianxin.directory.models import Community, Department, Representative, Resident

MAX_ID = 2**63 - 1  # ids fit the database's bigint columns


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("A stable code for programs, e.g. not_found."))
    message = serializers.CharField(help_text=_("What went wrong, in the reader's language."))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("For input errors: the messages of each field."),
    )


# --- Reference data ------------------------------------------------------------------------
class CommunitySerializer(serializers.ModelSerializer):
    subdistrict = serializers.CharField(source="subdistrict.name")

    class Meta:
        model = Community
        fields = ["id", "name", "code", "subdistrict", "address", "phone", "introduction"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "phone",
            "address",
            "contact_email",
            "is_active",
        ]


class RepresentativeSerializer(serializers.ModelSerializer):
    photo = serializers.SerializerMethodField()

    class Meta:
        model = Representative
        fields = [
            "id",
            "name",
            "level",
            "unit",
            "position",
            "phone",
            "wechat_id",
            "qq_group",
            "introduction",
            "photo",
            "is_active",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_photo(self, obj) -> str | None:
        return obj.photo.url if obj.photo else None


class QuestionChoiceSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class CategoryQuestionSerializer(serializers.ModelSerializer):
    values = serializers.SerializerMethodField()

    class Meta:
        model = CategoryQuestion
        fields = [
            "code",
            "description",
            "datatype",
            "datatype_description",
            "required",
            "order",
            "values",
        ]

    @extend_schema_field(QuestionChoiceSerializer(many=True))
    def get_values(self, obj):
        return [{"key": key, "name": name} for key, name in obj.value_list]


class TimeLimitSerializer(serializers.Serializer):
    amount = serializers.IntegerField()
    unit = serializers.CharField()


class CategorySerializer(serializers.ModelSerializer):
    parent_name = serializers.CharField(source="parent.name", default=None, allow_null=True)
    limits = serializers.SerializerMethodField()
    questions = CategoryQuestionSerializer(many=True)

    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "name",
            "parent",
            "parent_name",
            "plain_description",
            "appeal_types",
            "default_department",
            "keywords",
            "limits",
            "questions",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                name: {
                    "type": "object",
                    "properties": {
                        "amount": {"type": "integer"},
                        "unit": {"type": "string"},
                    },
                }
                for name in ("response", "handling", "urgent_response", "urgent_handling")
            },
        }
    )
    def get_limits(self, obj) -> dict:
        return {
            "response": {"amount": obj.response_limit, "unit": obj.response_unit},
            "handling": {"amount": obj.handling_limit, "unit": obj.handling_unit},
            "urgent_response": {
                "amount": obj.urgent_response_limit,
                "unit": obj.urgent_response_unit,
            },
            "urgent_handling": {
                "amount": obj.urgent_handling_limit,
                "unit": obj.urgent_handling_unit,
            },
        }


class ResidentSerializer(serializers.ModelSerializer):
    """Numbers masked, exactly as on the resident pages; revealing one stays a staff-page
    action written to the access log."""

    community = serializers.PrimaryKeyRelatedField(read_only=True)
    community_name = serializers.CharField(source="community.name")
    household_address = serializers.CharField(
        source="household.address", default=None, allow_null=True
    )
    care_tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    age = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Resident
        fields = [
            "id",
            "name",
            "gender",
            "birth_date",
            "age",
            "address",
            "community",
            "community_name",
            "household",
            "household_address",
            "is_party_member",
            "care_tags",
            "phone_masked",
            "id_masked",
            "note",
        ]


# --- Cases ---------------------------------------------------------------------------------
class CategoryBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField(source="__str__")


class CaseListSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    category = CategoryBriefSerializer(allow_null=True)
    community = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    community_name = serializers.CharField(source="community.name", default=None, allow_null=True)
    assignee_name = serializers.CharField(
        source="assignee.display_name", default=None, allow_null=True
    )
    is_open = serializers.BooleanField()
    is_overdue = serializers.SerializerMethodField()
    response_due_provisional = serializers.BooleanField(
        read_only=True,
        help_text=_("The response deadline rests on a provisional (暂定) calendar."),
    )
    handling_due_provisional = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "The handling deadline rests on a provisional (暂定) calendar: the official "
            "holiday schedule of its year is not published yet, so it may still move."
        ),
    )

    class Meta:
        model = Case
        fields = [
            "number",
            "title",
            "status",
            "status_label",
            "is_open",
            "is_overdue",
            "urgency",
            "appeal_type",
            "channel",
            "category",
            "community",
            "community_name",
            "assignee_name",
            "received_at",
            "response_due_at",
            "response_due_provisional",
            "handling_due_at",
            "handling_due_provisional",
            "round",
        ]

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue(self.context.get("now") or timezone.now())


class AttachmentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("cases:attachment", args=[obj.pk])


class CaseEventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    text = serializers.CharField()
    attachments = AttachmentBriefSerializer(many=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "kind",
            "kind_label",
            "at",
            "actor_label",
            "is_public",
            "round",
            "referral",
            "text",
            "attachments",
        ]


class ReferralSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.number")
    case_title = serializers.CharField(source="case.title")
    department_name = serializers.CharField(source="department.name")
    status_label = serializers.CharField(source="get_status_display")
    accept_due_provisional = serializers.BooleanField(read_only=True)
    due_provisional = serializers.BooleanField(
        read_only=True, help_text=_("The reply deadline rests on a provisional (暂定) calendar.")
    )
    close_reason_label = serializers.CharField(source="get_close_reason_display", read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "case_title",
            "department",
            "department_name",
            "role",
            "status",
            "status_label",
            "round",
            "instructions",
            "referred_at",
            "accept_due_at",
            "accept_due_provisional",
            "due_at",
            "due_provisional",
            "accepted_at",
            "returned_at",
            "return_reason",
            "replied_at",
            "reply",
            "closed_at",
            "close_reason",
            "close_reason_label",
            "actions",
        ]

    def get_actions(self, obj) -> list[str]:
        user = self.context["request"].user
        return sorted(workflow.referral_step_names(user, obj))


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = [
            "round",
            "resolved",
            "satisfaction",
            "comment",
            "is_callback",
            "callback_method",
            "callback_at",
            "created_at",
        ]


class CaseDetailSerializer(CaseListSerializer):
    """A case as its page shows it, with the timeline, referrals, ratings and the steps the
    reader may take now (`actions`)."""

    urgency_label = serializers.CharField(source="get_urgency_display")
    reporter = serializers.CharField(source="reporter_display")
    reporter_phone_masked = serializers.CharField(source="reporter_phone_shown")
    merged_into = serializers.CharField(source="merged_into.number", default=None, allow_null=True)
    tracking_code = serializers.CharField(source="tracking_code_display")
    deadline_problem = serializers.CharField(source="deadline_problem_text")
    events = serializers.SerializerMethodField()
    referrals = serializers.SerializerMethodField()
    ratings = RatingSerializer(many=True)
    actions = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "urgency_label",
            "description",
            "address",
            "latitude",
            "longitude",
            "attributes",
            "reporter",
            "reporter_phone_masked",
            "is_anonymous",
            "tracking_code",
            "first_responded_at",
            "resolved_at",
            "closed_at",
            "resolved_on_spot",
            "reopen_count",
            "merged_into",
            "deadline_problem",
            "external_ref",
            "events",
            "referrals",
            "ratings",
            "actions",
        ]

    def _whole(self, obj) -> bool:
        from lianxin.cases.permissions import reads_whole_case

        return reads_whole_case(self.context["request"].user, obj)

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_events(self, obj):
        from lianxin.cases.selectors import case_timeline

        events = case_timeline(obj, reader=self.context["request"].user, whole=self._whole(obj))
        return CaseEventSerializer(events, many=True, context=self.context).data

    @extend_schema_field(ReferralSerializer(many=True))
    def get_referrals(self, obj):
        user = self.context["request"].user
        from lianxin.cases.permissions import referrals_for_reader

        referrals = referrals_for_reader(user, obj, list(obj.referrals.all()))
        for referral in referrals:
            referral.case = obj
        return ReferralSerializer(referrals, many=True, context=self.context).data

    def get_actions(self, obj) -> list[str]:
        return sorted(workflow.case_step_names(self.context["request"].user, obj))


# --- Input ---------------------------------------------------------------------------------
class CaseCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    description = serializers.CharField()
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)
    category = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    appeal_type = serializers.ChoiceField(choices=AppealType.choices, default=AppealType.HELP)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    community = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
    )
    reporter_resident = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    reporter_name = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    reporter_phone = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        help_text=_("Sealed on arrival and shown masked from then on."),
    )
    is_anonymous = serializers.BooleanField(default=False)
    consented = serializers.BooleanField(
        default=False, help_text=_("The reporter agreed that their details are kept.")
    )
    resolved_on_spot = serializers.BooleanField(default=False)
    resolution = serializers.CharField(required=False, allow_blank=True, default="")
    external_ref = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    attributes = serializers.DictField(
        required=False,
        default=dict,
        help_text=_("Answers to the category's questions, by question code."),
    )


# The workflow steps' inputs live with the workflow table (lianxin.cases.serializers).
FEEDBACK_METHODS = FEEDBACK_METHODS
