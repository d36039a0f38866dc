"""Residents see each community's three rates, with sample sizes and nothing personal."""

import pytest

from lianxin.cases import services
from lianxin.cases.models import RatingInvitation
from lianxin.insight.models import ScoreSettings
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(working_calendar, admin_user, community_a):
    case = f.case(actor=admin_user, community=community_a, reporter_name="张秀英")
    services.case_contact(actor=admin_user, case=case)
    services.case_feedback(actor=admin_user, case=case, summary="修好了", method="phone")
    token = RatingInvitation.objects.get(case=case).token()
    services.rating_submit(token=token, resolved=True, satisfaction=5)
    return case


def test_the_community_page_shows_its_rates_with_sample_sizes(client, rated, community_a):
    page = client.get(f"/c/{community_a.code}/").content.decode()
    assert "满意率" in page and "样本不足" in page
    assert "（1 件中 1 件）" in page  # satisfied: 1 of 1 rating
    assert "张秀英" not in page


def test_the_figures_page_compares_communities_fairly(client, rated, community_a, community_b):
    ScoreSettings.objects.create(
        version=2, weight_response=30, weight_resolution=35, weight_satisfaction=35, min_sample=1
    )
    page = client.get("/figures/").content.decode()
    assert "甲社区" in page and "乙社区" in page
    assert "100.0%" in page
    assert page.index("甲社区") < page.index("乙社区")
    assert "张秀英" not in page and rated.number not in page
