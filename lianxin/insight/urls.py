from django.urls import path

from lianxin.insight import views

app_name = "insight"
urlpatterns = [
    path("", views.index, name="index"),
    path("definitions/", views.definitions, name="definitions"),
    path("report/", views.report, name="report"),
    path("ledgers/", views.ledger, name="ledger"),
    path("communities/<int:pk>/", views.community_page, name="community"),
    path("departments/<int:pk>/", views.department_page, name="department"),
    path("representatives/<int:pk>/", views.representative_page, name="representative"),
]
