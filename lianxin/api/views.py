"""REST API views (/api/v1/). Thin: scopes come from the selectors, every write is a service
call, and what a user may do is `cases.permissions` — exactly as on the staff pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from lianxin.accounts.models import Role
from lianxin.api import filters, serializers
from lianxin.api.services import case_intake_with_answers
from lianxin.cases import workflow
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import Referral
from lianxin.cases.selectors import (
    case_get_for_user,
    case_list,
    cases_visible_to,
    categories_for_choice,
    referrals_for_department,
)
from lianxin.cases.serializers import EmptySerializer
from lianxin.directory import selectors as directory_selectors

NUMBER = r"[A-Za-z0-9-]{1,20}"
ID = r"[0-9]{1,18}"


def _not_allowed(case) -> CaseActionError:
    return CaseActionError(
        "not_allowed",
        _("You cannot do this on case %(number)s in its current state (%(status)s).")
        % {"number": case.number, "status": case.get_status_display()},
    )


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Who am I ------------------------------------------------------------------------------
@extend_schema(
    summary=_lazy("The signed-in user"),
    responses={
        200: {
            "type": "object",
            "properties": {
                "username": {"type": "string"},
                "name": {"type": "string"},
                "role": {"type": "string"},
                "department": {"type": "integer", "nullable": True},
                "communities": {"type": "array", "items": {"type": "integer"}},
            },
            "required": ["username", "name", "role", "department", "communities"],
        }
    },
    tags=["me"],
)
@api_view(["GET"])
def me(request):
    from lianxin.accounts import scopes

    ids = scopes.community_ids(request.user)
    return Response(
        {
            "username": request.user.username,
            "name": request.user.display_name,
            "role": request.user.role,
            "department": request.user.department_id,
            "communities": sorted(ids) if ids is not None else [],
        }
    )


# --- Cases ---------------------------------------------------------------------------------
case_number = OpenApiParameter("number", str, OpenApiParameter.PATH, pattern=f"^{NUMBER}$")


def _case_action_schema(request_serializer, summary):
    return extend_schema(
        summary=summary,
        request=request_serializer,
        responses={200: serializers.CaseDetailSerializer},
        parameters=[case_number],
    )


@extend_schema_view(
    list=extend_schema(summary=_lazy("Cases visible to you, filtered as in the staff list")),
    retrieve=extend_schema(summary=_lazy("One case with its timeline"), parameters=[case_number]),
    create=extend_schema(
        summary=_lazy("Record a case"),
        request=serializers.CaseCreateSerializer,
        responses={201: serializers.CaseDetailSerializer},
    ),
)
class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated]
    filterset_class = filters.CaseFilterSet
    lookup_field = "number"
    lookup_value_regex = NUMBER
    cursor_ordering = ("-received_at", "-id")

    def get_queryset(self):
        return case_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.CaseListSerializer
        return serializers.CaseDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_object(self):
        return case_get_for_user(self.request.user, self.kwargs["number"])

    def _detail(self, number: str, code: int = status.HTTP_200_OK) -> Response:
        case = case_get_for_user(self.request.user, number)
        return Response(self.get_serializer(case).data, status=code)

    def create(self, request, *args, **kwargs):
        data = _valid(serializers.CaseCreateSerializer, request.data)
        user = request.user
        errors: dict[str, list] = {}
        category = community = resident = None
        if data.get("category"):
            category = (
                categories_for_choice()
                .filter(parent__isnull=False, pk=data["category"])
                .prefetch_related("questions")
                .first()
            )
            if category is None:
                errors["category"] = [_("Choose an active category of the second level.")]
        if data.get("community"):
            community = (
                directory_selectors.communities_visible_to(user)
                .filter(pk=data["community"])
                .first()
            )
            if community is None:
                errors["community"] = [_("No such community.")]
        if data.get("reporter_resident"):
            resident = (
                directory_selectors.residents_visible_to(user)
                .filter(pk=data["reporter_resident"])
                .first()
            )
            if resident is None:
                errors["reporter_resident"] = [_("No such resident is visible to you.")]
        if errors:
            raise ValidationError(errors)
        case = case_intake_with_answers(
            actor=user,
            answers=data["attributes"],
            title=data["title"],
            description=data["description"],
            channel=data["channel"],
            category=category,
            appeal_type=data["appeal_type"],
            urgency=data["urgency"],
            community=community,
            address=data["address"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            reporter_resident=resident,
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            is_anonymous=data["is_anonymous"],
            consented=data["consented"],
            resolved_on_spot=data["resolved_on_spot"],
            resolution=data["resolution"],
            external_ref=data["external_ref"],
        )
        return self._detail(case.number, status.HTTP_201_CREATED)

    def _act(self, request, step) -> Response:
        """One workflow step: the table says whether the reader may take it, its serializer
        reads the body, its service does it."""
        case = self.get_object()
        if step.name not in workflow.case_step_names(request.user, case):
            raise _not_allowed(case)
        serializer = step.serializer(data=request.data, context={"case": case, "request": request})
        serializer.is_valid(raise_exception=True)
        step.call(actor=request.user, target=case, data=serializer.validated_data)
        return self._detail(case.number)


def _case_step_endpoint(step):
    def endpoint(self, request, number=None):
        return self._act(request, step)

    endpoint.__name__ = endpoint.__qualname__ = step.name
    endpoint = action(detail=True, methods=["post"], url_path=step.name, url_name=step.name)(
        endpoint
    )
    return _case_action_schema(step.serializer, step.label)(endpoint)


# One endpoint per case step of the workflow table: /api/v1/cases/{number}/{step}/.
for _step in workflow.CASE_STEPS.values():
    setattr(CaseViewSet, _step.name, _case_step_endpoint(_step))


# --- Referrals -----------------------------------------------------------------------------
def _referral_action_schema(request_serializer, summary):
    return extend_schema(
        summary=summary, request=request_serializer, responses={200: serializers.ReferralSerializer}
    )


@extend_schema_view(
    list=extend_schema(summary=_lazy("Your department's referrals (department handlers)")),
    retrieve=extend_schema(summary=_lazy("One referral")),
)
class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.ReferralSerializer
    filterset_class = filters.ReferralFilterSet
    lookup_value_regex = ID
    cursor_ordering = ("-referred_at", "-id")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        return referrals_for_department(self.request.user).select_related("department")

    def get_object(self):
        user = self.request.user
        if user.role == Role.HANDLER:
            referrals = referrals_for_department(user)
        else:
            referrals = Referral.objects.filter(case__in=cases_visible_to(user)).select_related(
                "case", "department"
            )
        referral = referrals.select_related("department").filter(pk=self.kwargs["pk"]).first()
        if referral is None:
            raise Http404
        return referral

    def _act(self, request, step) -> Response:
        referral = self.get_object()
        serializer = step.serializer(
            data=request.data, context={"case": referral.case, "request": request}
        )
        serializer.is_valid(raise_exception=True)
        step.call(actor=request.user, target=referral, data=serializer.validated_data)
        return Response(self.get_serializer(self.get_object()).data)


def _referral_step_endpoint(step):
    def endpoint(self, request, pk=None):
        return self._act(request, step)

    name = f"{step.name}_" if step.name == "return" else step.name
    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint = action(detail=True, methods=["post"], url_path=step.name, url_name=step.name)(
        endpoint
    )
    request_serializer = None if step.serializer is EmptySerializer else step.serializer
    return _referral_action_schema(request_serializer, step.label)(endpoint)


# One endpoint per referral step: /api/v1/referrals/{id}/{step}/.
for _step in workflow.REFERRAL_STEPS.values():
    _endpoint = _referral_step_endpoint(_step)
    setattr(ReferralViewSet, _endpoint.__name__, _endpoint)


# --- Directory and reference data ----------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary=_lazy("Residents in your scope (numbers masked)")),
    retrieve=extend_schema(summary=_lazy("One resident (numbers masked)")),
)
class ResidentViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.ResidentSerializer
    filterset_class = filters.ResidentFilterSet
    lookup_value_regex = ID
    cursor_ordering = ("id",)

    def get_queryset(self):
        return directory_selectors.resident_list(self.request.user)

    def get_object(self):
        return directory_selectors.resident_get_for_user(self.request.user, int(self.kwargs["pk"]))


class _ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    lookup_value_regex = ID
    cursor_ordering = ("id",)


@extend_schema_view(list=extend_schema(summary=_lazy("Communities")))
class CommunityViewSet(_ReferenceViewSet):
    serializer_class = serializers.CommunitySerializer

    def get_queryset(self):
        return directory_selectors.communities_visible_to(self.request.user)


@extend_schema_view(list=extend_schema(summary=_lazy("Departments")))
class DepartmentViewSet(_ReferenceViewSet):
    serializer_class = serializers.DepartmentSerializer

    def get_queryset(self):
        return directory_selectors.departments_visible_to(self.request.user)


@extend_schema_view(list=extend_schema(summary=_lazy("Representatives")))
class RepresentativeViewSet(_ReferenceViewSet):
    serializer_class = serializers.RepresentativeSerializer

    def get_queryset(self):
        return directory_selectors.representatives_visible_to(self.request.user)


@extend_schema_view(list=extend_schema(summary=_lazy("Active categories with their questions")))
class CategoryViewSet(_ReferenceViewSet):
    serializer_class = serializers.CategorySerializer

    def get_queryset(self):
        if not self.request.user.is_authenticated:
            return categories_for_choice().none()
        return categories_for_choice().prefetch_related("questions")
