from django.urls import path

from lianxin.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("todo/", views.todo, name="todo"),
    path("export.xlsx", views.case_export, name="export"),
    path("new/", views.case_create, name="create"),
    path("lookup/", views.resident_lookup, name="resident_lookup"),
    path("go/", views.case_jump, name="jump"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<int:pk>/<str:action>/", views.referral_action, name="referral_action"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/reveal-phone/", views.reveal_reporter_phone, name="reveal_phone"),
    path("<str:number>/<str:action>/", views.case_action, name="action"),
]
