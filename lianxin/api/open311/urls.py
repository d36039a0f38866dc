"""/open311/v2/: GeoReport v2, each resource in .json and .xml."""

from django.urls import path, re_path

from lianxin.api.open311 import views

app_name = "open311"
FORMAT = r"(?P<fmt>json|xml)"

urlpatterns = [
    re_path(rf"^discovery\.{FORMAT}$", views.discovery, name="discovery"),
    re_path(rf"^services\.{FORMAT}$", views.service_list, name="services"),
    re_path(
        rf"^services/(?P<service_code>[^/]+)\.{FORMAT}$", views.service_definition, name="service"
    ),
    re_path(rf"^requests\.{FORMAT}$", views.requests, name="requests"),
    re_path(
        rf"^requests/(?P<service_request_id>[^/]+)\.{FORMAT}$", views.request_detail, name="request"
    ),
    re_path(rf"^tokens/(?P<token>[^/]+)\.{FORMAT}$", views.token, name="token"),
    path("<path:path>", views.not_found),
    path("", views.not_found),
]
