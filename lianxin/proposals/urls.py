from django.urls import path

from lianxin.proposals import views

app_name = "proposals"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("share/", views.share_report, name="share"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/assign/", views.proposal_assign, name="assign"),
    path("<int:pk>/answer/", views.proposal_answer, name="answer"),
    path("<int:pk>/rate/", views.proposal_rate, name="rate"),
]
