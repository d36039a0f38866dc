"""REST API of outreach (/api/v1/visits/, reception-days/, check-ins/, talks/, activities/,
coverage/, duties/, proposals/). Thin, like views.py: every list and record comes from the
outreach selectors (outsiders get 404), every write is an outreach service."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from lianxin.api import outreach_filters as filters
from lianxin.api import outreach_serializers as serializers
from lianxin.cases.selectors import categories_for_choice
from lianxin.directory import selectors as directory_selectors
from lianxin.outreach import forms, selectors, services
from lianxin.outreach.models import Attendance, ReceptionVisitor
from lianxin.outreach.services import OutreachError, Problem

ID = r"[0-9]{1,18}"
# Errors of case_intake name its own fields; in these requests they are the problem's.
PROBLEM_FIELDS = {
    "title": "problem.title",
    "description": "problem.description",
    "appeal_type": "problem.appeal_type",
    "category": "problem.category",
}
VISITOR_FIELDS = {"reporter_phone": "phone", "reporter_name": "name"}


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()})


def _category(pk, errors: dict, field: str):
    """An active second-level category, as the outreach forms offer them."""
    if not pk:
        return None
    category = categories_for_choice().filter(parent__isnull=False, pk=pk).first()
    if category is None:
        errors[field] = [_("Choose an active category of the second level.")]
    return category


def _require_recorder(user) -> None:
    if user.role not in selectors.RECORDERS:
        raise OutreachError("not_allowed", _("Your role does not record outreach work."))


def _no_filters(**kwargs):
    """For actions of list view sets that take neither filters nor pages."""
    return action(filter_backends=[], pagination_class=None, **kwargs)


# --- Visits --------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary=_("The visit diary in your scope, newest first")),
    retrieve=extend_schema(summary=_("One visit")),
    create=extend_schema(
        summary=_("Log a visit, and record the problem heard as a case"),
        request=serializers.VisitCreateSerializer,
        responses={201: serializers.VisitCreatedSerializer},
    ),
)
class VisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.VisitSerializer
    filterset_class = filters.VisitFilterSet
    lookup_value_regex = ID
    cursor_ordering = ("-visited_at", "-id")

    def get_queryset(self):
        return filters.visit_list_for(self.request.user)

    def get_object(self):
        return selectors.visit_get_for_user(self.request.user, int(self.kwargs["pk"]))

    def _chosen(self, data: dict, errors: dict) -> tuple:
        """The household and resident visited, as the visit page finds them."""
        user = self.request.user
        household = resident = None
        if data.get("household"):
            household = (
                directory_selectors.households_visible_to(user).filter(pk=data["household"]).first()
            )
            if household is None:
                errors["household"] = [_("No such household is visible to you.")]
        if data.get("resident"):
            resident = (
                directory_selectors.residents_visible_to(user)
                .select_related("household")
                .filter(pk=data["resident"])
                .first()
            )
            if resident is None:
                errors["resident"] = [_("No such resident is visible to you.")]
        if resident is not None and household is None and resident.household_id:
            household = resident.household
        return household, resident

    def create(self, request, *args, **kwargs):
        user = request.user
        _require_recorder(user)
        data = _valid(serializers.VisitCreateSerializer, request.data)
        errors: dict[str, list] = {}
        household, resident = self._chosen(data, errors)
        if not errors and household is None and resident is None:
            errors["household"] = [_("Choose the household or resident visited.")]
        prompts = selectors.visit_prompts(household=household, resident=resident)
        unknown = sorted(set(data["answers"]) - {p["code"] for p in prompts})
        if unknown and "household" not in errors and "resident" not in errors:
            errors["answers"] = [
                _("No question with the code %(codes)s for this visit.")
                % {"codes": ", ".join(unknown)}
            ]
        companions = []
        if data["companions"]:
            wanted = set(data["companions"])
            companions = list(
                forms.VisitForm(user=user).fields["companions"].queryset.filter(pk__in=wanted)
            )
            if len(companions) != len(wanted):
                errors["companions"] = [
                    _("Companions are active community workers or representatives other than you.")
                ]
        problem = None
        if data["problem"] is not None:
            wanted = data["problem"]
            problem = Problem(
                title=wanted["title"],
                description=wanted["description"],
                category=_category(wanted.get("category"), errors, "problem.category"),
                appeal_type=wanted["appeal_type"],
            )
        if errors:
            raise ValidationError(errors)
        answers = [
            {
                "tag": "、".join(p["tags"]),
                "question": p["question"],
                "answer": data["answers"].get(p["code"], "").strip(),
            }
            for p in prompts
        ]
        try:
            visit = services.visit_log(
                actor=user,
                household=household,
                resident=resident,
                visited_at=data["visited_at"],
                met=data["met"],
                heard=data["heard"],
                answers=answers,
                follow_up_on=data.get("follow_up_on"),
                companions=companions,
                problem=problem,
            )
        except ValidationError as exc:
            raise _renamed(exc, PROBLEM_FIELDS) from None
        visit = selectors.visit_get_for_user(user, visit.pk)
        return Response(
            serializers.VisitCreatedSerializer(visit, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary=_("The questions to ask at a household or resident (from their care tags)"),
        parameters=[serializers.VisitPromptQuerySerializer],
        responses={200: serializers.VisitPromptSerializer(many=True)},
    )
    @_no_filters(detail=False, methods=["get"])
    def prompts(self, request):
        data = _valid(serializers.VisitPromptQuerySerializer, request.query_params)
        errors: dict = {}
        household, resident = self._chosen(data, errors)
        if errors:
            raise Http404
        prompts = selectors.visit_prompts(household=household, resident=resident)
        return Response(serializers.VisitPromptSerializer(prompts, many=True).data)

    @extend_schema(
        summary=_("Record a problem heard at this visit as a case"),
        request=serializers.ProblemSerializer,
        responses={201: serializers.CaseReceiptSerializer},
    )
    @action(detail=True, methods=["post"])
    def case(self, request, pk=None):
        visit = self.get_object()
        _require_recorder(request.user)
        data = _valid(serializers.ProblemSerializer, request.data)
        errors: dict = {}
        category = _category(data.get("category"), errors, "category")
        if errors:
            raise ValidationError(errors)
        case = services.visit_case_record(
            actor=request.user,
            visit=visit,
            problem=Problem(
                title=data["title"],
                description=data["description"],
                category=category,
                appeal_type=data["appeal_type"],
            ),
        )
        return Response(
            serializers.CaseReceiptSerializer(case).data, status=status.HTTP_201_CREATED
        )


# --- Reception days ------------------------------------------------------------------------
def _with_visitors(reception):
    prefetch_related_objects(
        [reception],
        Prefetch(
            "visitors",
            queryset=ReceptionVisitor.objects.select_related("resident", "case").order_by(
                "arrived_at", "pk"
            ),
        ),
    )
    return reception


@extend_schema_view(
    list=extend_schema(summary=_("Reception days in your scope or hosted by you")),
    retrieve=extend_schema(summary=_("One reception day with its visitors and their cases")),
)
class ReceptionDayViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.ReceptionDaySerializer
    filterset_class = filters.ReceptionDayFilterSet
    lookup_value_regex = ID

    @property
    def cursor_ordering(self):
        upcoming = BooleanWidget().value_from_datadict(self.request.query_params, {}, "upcoming")
        # The selector's orders: soonest first coming up, latest first otherwise.
        return ("starts_at", "id") if upcoming else ("-starts_at", "id")

    def get_queryset(self):
        return filters.reception_list_for(self.request.user)

    def get_object(self):
        return _with_visitors(
            selectors.reception_get_for_user(self.request.user, int(self.kwargs["pk"]))
        )

    @extend_schema(
        summary=_("Log a visitor of the reception day; their problem becomes a case"),
        request=serializers.ReceptionVisitorCreateSerializer,
        responses={201: serializers.ReceptionVisitorCreatedSerializer},
    )
    @_no_filters(detail=True, methods=["post"])
    def visitors(self, request, pk=None):
        user = request.user
        reception = selectors.reception_get_for_user(user, int(pk))
        data = _valid(serializers.ReceptionVisitorCreateSerializer, request.data)
        errors: dict[str, list] = {}
        resident = None
        if data.get("resident"):
            visible = directory_selectors.residents_visible_to(user)
            resident = visible.filter(pk=data["resident"]).first()
            if resident is None:
                errors["resident"] = [_("No such resident is visible to you.")]
        category = _category(data.get("category"), errors, "category")
        if errors:
            raise ValidationError(errors)
        try:
            visitor = services.reception_visitor_log(
                actor=user,
                reception=reception,
                resident=resident,
                name=data["name"],
                phone=data["phone"],
                problem=Problem(
                    title=data["title"],
                    description=data["description"],
                    category=category,
                    appeal_type=data["appeal_type"],
                    resolved_on_spot=data["resolved_on_spot"],
                    resolution=data["resolution"],
                ),
            )
        except ValidationError as exc:
            raise _renamed(exc, VISITOR_FIELDS) from None
        return Response(
            serializers.ReceptionVisitorCreatedSerializer(visitor).data,
            status=status.HTTP_201_CREATED,
        )


# --- Check-ins, talks ----------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary=_("Check-ins of representatives with their paired communities")),
    retrieve=extend_schema(summary=_("One check-in")),
)
class CheckInViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.CheckInSerializer
    lookup_value_regex = ID
    cursor_ordering = ("-checked_in_at", "-id")

    def get_queryset(self):
        return selectors.check_in_list(self.request.user)

    def get_object(self):
        check_in = self.get_queryset().filter(pk=int(self.kwargs["pk"])).first()
        if check_in is None:
            raise Http404
        return check_in


@extend_schema_view(
    list=extend_schema(
        summary=_("Heart-to-heart talks; notes only for the talker and supervisors")
    ),
    retrieve=extend_schema(summary=_("One talk; notes only for the talker and supervisors")),
)
class TalkViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.TalkSerializer
    filterset_class = filters.TalkFilterSet
    lookup_value_regex = ID
    cursor_ordering = ("-held_at", "-id")

    def get_queryset(self):
        return selectors.talk_list(self.request.user)

    def get_object(self):
        return selectors.talk_get_for_user(self.request.user, int(self.kwargs["pk"]))


# --- Activities ----------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary=_("Activities and briefings with their attendance count")),
    retrieve=extend_schema(summary=_("One activity or briefing")),
)
class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.ActivitySerializer
    lookup_value_regex = ID

    @property
    def cursor_ordering(self):
        if self.action == "attendance":
            return ("signed_in_at", "id")
        return ("-starts_at", "-id")

    def get_queryset(self):
        # The page lists no organiser; the API does.
        return selectors.activity_list(self.request.user).select_related("organiser")

    def get_object(self):
        activity = selectors.activity_get_for_user(self.request.user, int(self.kwargs["pk"]))
        activity.attendance_count = Attendance.objects.filter(activity=activity).count()
        return activity

    @extend_schema(
        summary=_("Who attended, in the order they signed in"),
        responses={200: serializers.AttendanceSerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def attendance(self, request, pk=None):
        activity = selectors.activity_get_for_user(request.user, int(pk))
        page = self.paginate_queryset(selectors.attendance_list(activity))
        data = serializers.AttendanceSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(data.data)


# --- Coverage ------------------------------------------------------------------------------
@extend_schema(
    summary=_("Coverage of a community's residents and households in a period"),
    parameters=[serializers.CoverageQuerySerializer],
    responses={200: serializers.CoverageSerializer},
    tags=["coverage"],
)
@api_view(["GET"])
def coverage(request):
    data = _valid(serializers.CoverageQuerySerializer, request.query_params)
    community = directory_selectors.community_get_for_user(request.user, data["community"])
    if not selectors.can_read_coverage(request.user, community):
        raise Http404
    result = selectors.coverage(community=community, start=data["start"], end=data["end"])
    return Response(serializers.CoverageSerializer(result).data)


# --- Duties --------------------------------------------------------------------------------
def _year(request) -> int:
    data = _valid(serializers.DutyQuerySerializer, request.query_params)
    return data.get("year") or timezone.localdate().year


@extend_schema_view(
    list=extend_schema(
        summary=_("Duty progress of the representatives whose duties you may read"),
        parameters=[serializers.DutyQuerySerializer],
    ),
    retrieve=extend_schema(
        summary=_("One representative's duty progress in a year"),
        parameters=[
            serializers.DutyQuerySerializer,
            OpenApiParameter(
                "representative",
                str,
                OpenApiParameter.PATH,
                pattern=f"^{ID}$",
                description=_("Representative id"),
            ),
        ],
    ),
)
class DutyViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.DutyProgressSerializer
    lookup_url_kwarg = "representative"
    lookup_value_regex = ID
    cursor_ordering = ("name", "id")

    def get_queryset(self):
        return selectors.representatives_with_duties_visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        year = _year(request)
        page = self.paginate_queryset(self.get_queryset())
        rows = selectors.duty_progress(year=year, representatives=page)
        data = serializers.DutyProgressSerializer(rows, many=True, context={"year": year})
        return self.get_paginated_response(data.data)

    def retrieve(self, request, *args, **kwargs):
        year = _year(request)
        rep = selectors.representative_duties_get_for_user(
            request.user, int(self.kwargs["representative"])
        )
        [row] = selectors.duty_progress(year=year, representatives=[rep])
        return Response(serializers.DutyProgressSerializer(row, context={"year": year}).data)


# --- Proposals -----------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary=_("Representatives' proposals (each a case)")),
    retrieve=extend_schema(summary=_("One proposal")),
)
class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.ProposalSerializer
    lookup_value_regex = ID
    cursor_ordering = ("-created_at", "-id")

    def get_queryset(self):
        return selectors.proposal_list(self.request.user)

    def get_object(self):
        proposal = self.get_queryset().filter(pk=int(self.kwargs["pk"])).first()
        if proposal is None:
            raise Http404
        return proposal
