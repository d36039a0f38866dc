"""Finding your representative: the home page, search, and the community page with its paired
representatives, a QR code to save their contact, and sections other rooms add."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lianxin.directory.models import PairingKind
from lianxin.portal import sections
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def paired(community_a):
    rep = f.RepresentativeFactory(
        name="李莉",
        unit="区供电公司",
        position="党支部书记",
        phone="13611112222",
        wechat_id="lili_dangdaibiao",
        qq_group="123456789",
        introduction="有事请随时找我。",
    )
    f.PairingFactory(kind=PairingKind.CONTACT, representative=rep, community=community_a)
    return rep


def community_url(community):
    return reverse("portal:community", args=[community.code])


def test_the_home_page_lists_every_community_by_subdistrict(client, community_a, community_b):
    page = client.get("/").content.decode()
    assert community_a.subdistrict.name in page
    assert community_url(community_a) in page and community_url(community_b) in page
    assert "工作人员登录" in page and reverse("accounts:login") in page
    assert 'action="/t/"' in page


def test_search_finds_a_community_by_its_representative(client, community_a, community_b, paired):
    page = client.get("/", {"q": "李莉"}).content.decode()
    assert community_url(community_a) in page and community_url(community_b) not in page
    assert "找到 1 个社区" in page


def test_the_community_page_shows_paired_representatives_as_published(client, community_a, paired):
    page = client.get(community_url(community_a)).content.decode()
    assert "李莉" in page and "区供电公司" in page and "党支部书记" in page
    assert 'href="tel:13611112222"' in page
    assert "lili_dangdaibiao" in page and "123456789" in page and "有事请随时找我" in page
    assert 'role="img" aria-label="保存李莉联系方式的二维码"' in page and "<svg" in page
    assert f"{reverse('portal:report')}?community={community_a.code}" in page


def test_a_representative_photo_is_shown_with_a_text_alternative(
    client, community_a, paired, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    paired.photo = SimpleUploadedFile("li.png", b"png", content_type="image/png")
    paired.save()
    page = client.get(community_url(community_a)).content.decode()
    assert f'src="{paired.photo.url}"' in page and 'alt="李莉的照片"' in page


def test_ended_pairings_and_inactive_representatives_are_not_shown(client, community_a):
    gone = f.RepresentativeFactory(name="已调走代表")
    f.PairingFactory(
        kind=PairingKind.CONTACT,
        representative=gone,
        community=community_a,
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    retired = f.RepresentativeFactory(name="已停用代表", is_active=False)
    f.PairingFactory(kind=PairingKind.CONTACT, representative=retired, community=community_a)
    future = f.RepresentativeFactory(name="将来代表")
    f.PairingFactory(
        kind=PairingKind.CONTACT,
        representative=future,
        community=community_a,
        start_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    page = client.get(community_url(community_a)).content.decode()
    assert "已调走代表" not in page and "已停用代表" not in page and "将来代表" not in page
    assert "本社区暂时没有定点联系的党代表" in page


def test_the_contact_card_downloads_as_a_vcard(client, community_a, paired):
    response = client.get(reverse("portal:contact_card", args=[community_a.code, paired.pk]))
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    card = response.content.decode()
    assert card.startswith("BEGIN:VCARD") and "FN:李莉" in card and "TEL:13611112222" in card
    assert "ORG:区供电公司" in card and "微信号：lili_dangdaibiao" in card


def test_no_contact_card_for_a_representative_of_another_community(client, community_b, paired):
    url = reverse("portal:contact_card", args=[community_b.code, paired.pk])
    assert client.get(url).status_code == 404


def test_an_unknown_community_is_not_found(client):
    assert client.get("/c/no-such-place/").status_code == 404


def safe_section(request, community):
    from django.utils.html import format_html

    return format_html("<h2>接待日</h2><p>{}每月5日接待</p>", community.name)


def _plain_text_section(request, community):
    return "<b>not html</b>"


def _empty_section(request, community):
    return ""


def test_sections_registered_by_other_rooms_are_drawn_below_the_representatives(
    client, community_a, monkeypatch
):
    monkeypatch.setattr(
        sections,
        "COMMUNITY_SECTIONS",
        [
            f"{__name__}.safe_section",
            f"{__name__}._plain_text_section",
            f"{__name__}._empty_section",
        ],
    )
    page = client.get(community_url(community_a)).content.decode()
    assert "<h2>接待日</h2><p>甲社区每月5日接待</p>" in page
    assert "&lt;b&gt;not html&lt;/b&gt;" in page  # a plain str is text, not markup
    assert page.count('<section class="lx-section">') == 2


def test_the_community_page_reads_a_bounded_number_of_rows(
    client, community_a, django_assert_max_num_queries
):
    for i in range(12):
        rep = f.RepresentativeFactory(name=f"代表{i}")
        f.PairingFactory(kind=PairingKind.CONTACT, representative=rep, community=community_a)
    # Three for the page, two for outreach's reception days (the days, their representatives),
    # two for insight's figures (the settings in force, one sum of rollup rows).
    with django_assert_max_num_queries(7):
        response = client.get(community_url(community_a))
    assert response.content.decode().count("lx-rep card") == 12


def test_the_home_page_reads_a_bounded_number_of_rows(
    client, community_a, django_assert_max_num_queries
):
    for _i in range(10):
        f.CommunityFactory(subdistrict=community_a.subdistrict)
        f.CommunityFactory()
    with django_assert_max_num_queries(2):
        client.get("/")
