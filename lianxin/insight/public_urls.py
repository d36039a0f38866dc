from django.urls import path

from lianxin.insight import portal

app_name = "insight_public"
urlpatterns = [path("", portal.figures_page, name="figures")]
