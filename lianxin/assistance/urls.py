from django.urls import path

from lianxin.assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("new/", views.application_create, name="application_create"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("<str:number>/", views.application_detail, name="application_detail"),
    path("<str:number>/<slug:step>/", views.application_step, name="application_step"),
    path("<str:number>/documents/<int:pk>/", views.document_download, name="document_download"),
]
