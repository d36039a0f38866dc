from django.urls import path

from lianxin.outreach import public_views

app_name = "outreach_public"
urlpatterns = [
    path("sign-in/<str:token>/", public_views.sign_in, name="sign_in"),
]
