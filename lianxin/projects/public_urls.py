from django.urls import path

from lianxin.projects import views

app_name = "projects_public"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("r/<str:token>/", views.public_rate, name="rate"),
]
