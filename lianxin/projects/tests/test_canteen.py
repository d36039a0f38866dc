"""The canteen of the seed's 栓心工程: from a proposal, three milestones, a resident follows it
and gets the milestone SMS, it is completed and rated, and it shows on the community page."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lianxin.notify.models import Delivery
from lianxin.projects import services
from lianxin.projects.models import Follower, Milestone, Project, ProjectRating, ProjectStatus
from lianxin.projects.sweep import sweep

from .conftest import READER_PHONE

pytestmark = pytest.mark.django_db


def _canteen_from_the_proposal(client, worker_a, canteen_proposal, company, starts_on):
    client.force_login(worker_a)
    form = client.get(
        reverse("projects:create") + f"?proposal={canteen_proposal.pk}"
    ).content.decode()
    assert (
        "建议为一线职工建小食堂" in form and "利用闲置用房" in form
    )  # pre-filled from the proposal
    response = client.post(
        reverse("projects:create"),
        {
            "proposal": canteen_proposal.pk,
            "title": "建议为一线职工建小食堂",
            "summary": "一线职工吃饭难，建议利用闲置用房建小食堂。",
            "community": worker_a.communities.first().pk,
            "owner": company.pk,
            "budget": "180000",
            "starts_on": starts_on.isoformat(),
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and list(project.proposals.all()) == [canteen_proposal]
    return project


def test_the_canteen_from_proposal_to_rating(
    client, worker_a, canteen_proposal, company, starts_on
):
    project = _canteen_from_the_proposal(client, worker_a, canteen_proposal, company, starts_on)
    for title, days, progress in (("改造用房", 5, 30), ("配齐厨具", 15, 70), ("投入使用", 25, 100)):
        client.post(
            reverse("projects:milestone_add", args=[project.pk]),
            {
                "title": title,
                "due_on": (starts_on + datetime.timedelta(days=days)).isoformat(),
                "progress": progress,
            },
        )
    assert project.milestones.count() == 3
    # A resident follows it on the public page, giving consent.
    client.logout()
    page = project.get_public_url()
    refused = client.post(page, {"phone": READER_PHONE})
    assert refused.status_code == 400 and "同意" in refused.content.decode()
    assert client.post(page, {"phone": READER_PHONE, "consent": "on"}).status_code == 302
    assert (
        client.post(page, {"phone": READER_PHONE, "consent": "on"}).status_code == 302
    )  # twice: once
    follower = Follower.objects.get()
    assert READER_PHONE not in follower.phone_cipher and follower.phone_masked == "139****5678"
    # Milestones reached: the follower gets one SMS each.
    client.force_login(worker_a)
    for milestone in project.milestones.all():
        client.post(
            reverse("projects:milestone_reach", args=[project.pk]),
            {
                "milestone": milestone.pk,
                "reached_on": (starts_on + datetime.timedelta(days=1)).isoformat(),
                "note": "完成",
            },
        )
    sms = Delivery.objects.filter(kind="project_milestone", address_masked="139****5678")
    assert sms.count() == 3
    assert "配齐厨具" in sms.order_by("pk")[1].body
    project.refresh_from_db()
    assert project.progress == 100 and project.status == ProjectStatus.UNDERWAY
    # Completed: the follower gets a one-time rating link, rates once.
    client.post(
        reverse("projects:complete", args=[project.pk]),
        {
            "result": "小食堂投入使用，职工吃上了热饭。",
            "completed_on": timezone.localdate().isoformat(),
        },
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    done = Delivery.objects.get(kind="project_completed")
    token = done.body.rsplit("/projects/r/", 1)[1].strip().rstrip("/").split("/")[0]
    client.logout()
    assert (
        client.post(f"/projects/r/{token}/", {"satisfaction": 4, "comment": "好"}).status_code
        == 302
    )
    again = client.post(f"/projects/r/{token}/", {"satisfaction": 1})
    assert "已经评价" in again.content.decode()
    assert ProjectRating.objects.get().satisfaction == 4
    # It shows on the community's public page and in the district list.
    community = worker_a.communities.first()
    assert (
        project.title
        in client.get(reverse("portal:community", args=[community.code])).content.decode()
    )
    assert project.title in client.get("/projects/").content.decode()


def test_bad_milestone_dates_and_budgets_get_clear_messages(client, worker_a, company, starts_on):
    project = services.project_create(
        actor=worker_a,
        title="小食堂",
        summary="建小食堂",
        owner=company,
        starts_on=starts_on,
        community=worker_a.communities.first(),
    )
    client.force_login(worker_a)
    response = client.post(
        reverse("projects:milestone_add", args=[project.pk]),
        {
            "title": "选址",
            "due_on": (starts_on - datetime.timedelta(days=1)).isoformat(),
            "progress": 10,
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and "不能早于项目开工日期" in body and "选址" in body
    assert not Milestone.objects.exists()
    response = client.post(
        reverse("projects:create"),
        {
            "title": "热水器",
            "summary": "装热水器",
            "owner": company.pk,
            "budget": "-5",
            "starts_on": starts_on.isoformat(),
            "community": worker_a.communities.first().pk,
        },
    )
    assert "预算不能为负数" in response.content.decode() and Project.objects.count() == 1


def test_only_the_community_the_owner_and_the_district_manage_a_project(
    client, worker_a, worker_b, handler_1, company, company_handler, starts_on
):
    project = services.project_create(
        actor=worker_a,
        title="小食堂",
        summary="建小食堂",
        owner=company,
        starts_on=starts_on,
        community=worker_a.communities.first(),
    )
    with pytest.raises(services.ProjectError):
        services.milestone_add(
            actor=worker_b, project=project, title="x", due_on=starts_on, progress=10
        )
    with pytest.raises(services.ProjectError):
        services.milestone_add(
            actor=handler_1, project=project, title="x", due_on=starts_on, progress=10
        )
    services.milestone_add(
        actor=company_handler, project=project, title="选址", due_on=starts_on, progress=10
    )
    with pytest.raises(ValidationError):
        services.project_create(
            actor=worker_a,
            title="x",
            summary="x",
            owner=company,
            starts_on=starts_on,
            budget=-1,
            community=worker_a.communities.first(),
        )


def test_the_sweep_urges_an_overdue_milestone_once(worker_a, company, company_handler, starts_on):
    from lianxin.notify.models import Notification

    project = services.project_create(
        actor=worker_a,
        title="小食堂",
        summary="建小食堂",
        owner=company,
        starts_on=starts_on,
        community=worker_a.communities.first(),
    )
    services.milestone_add(
        actor=worker_a, project=project, title="选址", due_on=starts_on, progress=10
    )
    assert sweep()["urged"] == 1
    assert sweep()["urged"] == 0
    assert (
        Notification.objects.filter(recipient=company_handler, title__contains="小食堂").count()
        == 1
    )
