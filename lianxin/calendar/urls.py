from django.urls import path

from lianxin.calendar import views

app_name = "calendar"
urlpatterns = [
    path("", views.month, name="month"),
]
