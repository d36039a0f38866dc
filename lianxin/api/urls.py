"""/api/v1/: the REST API, its OpenAPI schema and its documentation pages."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from lianxin.api import outreach_views, views

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("cases", views.CaseViewSet, basename="case")
router.register("referrals", views.ReferralViewSet, basename="referral")
router.register("residents", views.ResidentViewSet, basename="resident")
router.register("communities", views.CommunityViewSet, basename="community")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("representatives", views.RepresentativeViewSet, basename="representative")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("visits", outreach_views.VisitViewSet, basename="visit")
router.register("reception-days", outreach_views.ReceptionDayViewSet, basename="reception-day")
router.register("check-ins", outreach_views.CheckInViewSet, basename="check-in")
router.register("talks", outreach_views.TalkViewSet, basename="talk")
router.register("activities", outreach_views.ActivityViewSet, basename="activity")
router.register("duties", outreach_views.DutyViewSet, basename="duty")
router.register("proposals", outreach_views.ProposalViewSet, basename="proposal")

urlpatterns = [
    path("me/", views.me, name="me"),
    path("coverage/", outreach_views.coverage, name="coverage"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(router.urls)),
]
