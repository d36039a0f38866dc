"""The resident judges the result through a one-time link: once per round, never twice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.cases import services
from lianxin.cases.models import CaseStatus, Rating, RatingInvitation
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved_case(community_a, worker_a):
    case = f.case(community=community_a)
    services.case_feedback(actor=worker_a, case=case, summary="路灯已经修好了", method="phone")
    return case


def link(case):
    return reverse("portal:rate", args=[case.rating_invitations.get(round=case.round).token()])


def test_the_rating_page_shows_what_was_done_and_the_five_levels(client, resolved_case):
    response = client.get(link(resolved_case))
    page = response.content.decode()
    assert response.status_code == 200
    assert "路灯已经修好了" in page and resolved_case.tracking_code_display in page
    for level in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert level in page
    assert "解决了" in page and "没解决" in page


def test_a_satisfied_rating_closes_the_case_and_the_link_is_refused_the_second_time(
    client, resolved_case
):
    url = link(resolved_case)
    response = client.post(url, {"resolved": "yes", "satisfaction": "5", "comment": "谢谢"})
    assert response.status_code == 302 and response.url.endswith("/thanks")
    assert "谢谢您的评价" in client.get(response.url).content.decode()
    rating = Rating.objects.get()
    assert rating.resolved and rating.satisfaction == 5 and rating.comment == "谢谢"
    assert not rating.is_callback
    resolved_case.refresh_from_db()
    assert resolved_case.status == CaseStatus.CLOSED

    again = client.get(url)
    assert again.status_code == 410 and "这个评价链接已经用过了" in again.content.decode()
    posted_again = client.post(url, {"resolved": "no", "satisfaction": "1"})
    assert posted_again.status_code == 410 and Rating.objects.count() == 1


def test_an_unsatisfied_rating_reopens_the_case(client, resolved_case):
    client.post(link(resolved_case), {"resolved": "no", "satisfaction": "2"})
    resolved_case.refresh_from_db()
    assert resolved_case.status == CaseStatus.RESPONDING and resolved_case.round == 2
    page = client.get(reverse("portal:track", args=[resolved_case.tracking_code])).content
    assert "不满意（未解决）" in page.decode()


def test_missing_answers_are_asked_for_and_nothing_is_recorded(client, resolved_case):
    response = client.post(link(resolved_case), {"comment": "先写了几句"})
    page = response.content.decode()
    assert response.status_code == 400 and not Rating.objects.exists()
    assert "请选择问题是否解决了" in page and "请选择您的满意程度" in page and "先写了几句" in page
    assert RatingInvitation.objects.get().used_at is None


def test_a_guessed_link_is_not_found(client, resolved_case):
    response = client.get("/r/AAAAAAAAAAAAAAAAAAAAAAAA")
    assert response.status_code == 404 and "这个评价链接无效" in response.content.decode()


def test_an_expired_link_says_so(client, resolved_case):
    RatingInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(link(resolved_case))
    assert response.status_code == 410 and "评价时间已过" in response.content.decode()


def test_a_link_of_an_earlier_round_cannot_rate_the_next_one(client, resolved_case, worker_a):
    first = link(resolved_case)
    client.post(first, {"resolved": "no", "satisfaction": "1"})
    resolved_case.refresh_from_db()
    services.case_feedback(actor=worker_a, case=resolved_case, summary="再次维修", method="visit")
    resolved_case.refresh_from_db()
    assert client.get(first).status_code == 410
    second = link(resolved_case)
    assert second != first
    assert client.post(second, {"resolved": "yes", "satisfaction": "4"}).status_code == 302
    assert Rating.objects.count() == 2


def test_after_a_staff_callback_the_link_is_spent(client, resolved_case, worker_a):
    services.rating_record_callback(
        actor=worker_a,
        case=resolved_case,
        resolved=True,
        satisfaction=4,
        method="phone",
        called_at=timezone.now(),
    )
    assert client.get(link(resolved_case)).status_code == 410


def test_the_thanks_page_needs_a_used_link(client, resolved_case):
    url = link(resolved_case) + "/thanks"
    assert client.get(url).url == link(resolved_case)
    assert client.get("/r/nonsense/thanks").status_code == 404


def test_the_rating_page_reads_a_bounded_number_of_rows(
    client, resolved_case, django_assert_max_num_queries
):
    url = link(resolved_case)
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200
