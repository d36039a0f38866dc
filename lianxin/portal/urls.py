"""The public site at the root of the address. /t/<code> and /r/<token> are the short paths
sent to residents by SMS (lianxin.cases.links); keep them stable."""

from django.urls import path

from lianxin.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:code>/", views.community, name="community"),
    path("c/<slug:code>/contact/<int:pk>.vcf", views.contact_card, name="contact_card"),
    path("report/", views.report, name="report"),
    path("report/received/", views.received, name="received"),
    path("t/", views.track_form, name="track_form"),
    path("t/<str:code>", views.track, name="track"),
    path("t/<str:code>/", views.track),
    path("r/<str:token>", views.rate, name="rate"),
    path("r/<str:token>/", views.rate),
    path("r/<str:token>/thanks", views.rated, name="rated"),
    path("privacy/", views.privacy, name="privacy"),
    path("display/", views.display, name="display"),
]
