from django.urls import path

from lianxin.core import views

app_name = "staff"
urlpatterns = [
    path("", views.staff_home, name="home"),
]
