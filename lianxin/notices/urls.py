from django.urls import path

from lianxin.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_create, name="create"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/told/<int:recipient_pk>/", views.recipient_told, name="told"),
    path("consent/<int:resident_pk>/", views.consent_edit, name="consent"),
]
