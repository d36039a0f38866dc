"""/api/v1/: the REST API, its OpenAPI schema and its documentation pages."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from lianxin.api import views

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("cases", views.CaseViewSet, basename="case")
router.register("referrals", views.ReferralViewSet, basename="referral")
router.register("residents", views.ResidentViewSet, basename="resident")
router.register("communities", views.CommunityViewSet, basename="community")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("representatives", views.RepresentativeViewSet, basename="representative")
router.register("categories", views.CategoryViewSet, basename="category")

urlpatterns = [
    path("me/", views.me, name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(router.urls)),
]
