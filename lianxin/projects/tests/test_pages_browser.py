"""Project pages on a phone: the public page, the district list, the community page and the
staff page pass axe-core; a resident follows the canteen from the public page."""

from __future__ import annotations

import datetime
import os

import pytest
from django.urls import reverse

from lianxin.projects import services
from lianxin.projects.models import Follower
from lianxin.testing.axe import serious_violations

from .conftest import READER_PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("LIANXIN_SHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


@pytest.mark.viewport(360, 740)
def test_project_pages_are_accessible_and_a_resident_follows_on_a_phone(
    page, login, worker_a, canteen_proposal, company, starts_on
):
    community = worker_a.communities.first()
    project = services.project_create(
        actor=worker_a,
        title="栓心工程：职工小食堂",
        summary="建小食堂",
        owner=company,
        starts_on=starts_on,
        community=community,
        proposals=[canteen_proposal],
    )
    first = services.milestone_add(
        actor=worker_a,
        project=project,
        title="改造用房",
        due_on=starts_on + datetime.timedelta(days=3),
        progress=40,
    )
    services.milestone_add(
        actor=worker_a,
        project=project,
        title="投入使用",
        due_on=starts_on + datetime.timedelta(days=40),
        progress=100,
    )
    services.milestone_reach(
        actor=worker_a, milestone=first, reached_on=starts_on + datetime.timedelta(days=2)
    )

    page.goto(project.get_public_url())
    page.get_by_label("您的手机号码").fill(READER_PHONE)
    page.get_by_label("我同意接收这个项目的进度短信（每个节点最多一条）。").check()
    page.get_by_role("button", name="关注", exact=True).click()
    page.wait_for_url(f"**{project.get_public_url()}")
    assert page.get_by_text("关注成功").is_visible()
    assert Follower.objects.filter(project=project).count() == 1
    for url, name in (
        (project.get_public_url(), "i14-project-public-360.png"),
        ("/projects/", "i14-projects-list-360.png"),
        (reverse("portal:community", args=[community.code]), "i14-community-projects-360.png"),
    ):
        page.goto(url)
        assert "栓心工程：职工小食堂" in page.content()
        assert serious_violations(page) == [], url
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
        _shot(page, name)
    login(page, worker_a)
    page.goto(project.get_absolute_url())
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, "i14-project-staff-360.png")
