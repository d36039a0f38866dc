from django.urls import path

from lianxin.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/<int:pk>/", views.commitment_progress, name="commitment_progress"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/reached/", views.milestone_reach, name="milestone_reach"),
    path("<int:pk>/complete/", views.project_complete, name="complete"),
]
