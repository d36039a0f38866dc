from django.urls import path

from lianxin.assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("new/", views.application_create, name="application_create"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("<str:number>/", views.application_detail, name="application_detail"),
    path("<str:number>/review/", views.application_review, name="application_review"),
    path("<str:number>/pay/", views.application_pay, name="application_pay"),
    path("<str:number>/resubmit/", views.application_resubmit, name="application_resubmit"),
    path("<str:number>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("<str:number>/documents/", views.document_add, name="document_add"),
    path("<str:number>/documents/<int:pk>/", views.document_download, name="document_download"),
]
