"""Large text (适老化) is remembered and drawn by the server; the notice speaks plainly."""

import pytest
from django.urls import reverse

from lianxin.portal.templatetags.portal import LARGE_TEXT_COOKIE

pytestmark = pytest.mark.django_db


def test_large_text_is_switched_on_remembered_and_switched_off(client):
    response = client.post(reverse("portal:display"), {"large": "1", "next": "/privacy/"})
    assert response.status_code == 302 and response.url == "/privacy/"
    cookie = response.cookies[LARGE_TEXT_COOKIE]
    assert cookie.value == "1" and int(cookie["max-age"]) >= 300 * 24 * 3600
    page = client.get("/").content.decode()
    assert '<html lang="zh-hans" class="lx-large">' in page and "标准字号" in page
    client.post(reverse("portal:display"), {"large": "0", "next": "/"})
    page = client.get("/").content.decode()
    assert 'class="lx-large"' not in page and "大字版" in page


def test_the_switch_never_sends_people_to_another_site(client):
    response = client.post(
        reverse("portal:display"), {"large": "1", "next": "https://evil.example/"}
    )
    assert response.url == reverse("portal:home")


def test_the_switch_only_takes_a_form(client):
    assert client.get(reverse("portal:display")).status_code == 405


def test_english_is_available(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en"' in page and "Raise a problem" in page and "简体中文" in page


def test_the_personal_information_notice_says_what_why_who_how_long_and_rights(client, settings):
    settings.LIANXIN_RETENTION_YEARS = 5
    settings.LIANXIN_PRIVACY_CONTACT = "区委组织部（010-12345678）"
    page = client.get(reverse("portal:privacy")).content.decode()
    for heading in ("我们收集什么", "为什么收集", "谁能看到", "保存多长时间", "您的权利", "联系谁"):
        assert heading in page
    assert "保存 5 年" in page and "区委组织部（010-12345678）" in page


def test_the_district_name_is_in_the_header(client, settings):
    settings.LIANXIN_DISTRICT_NAME = "示范区"
    assert '<span class="lx-brand-district">示范区</span>' in client.get("/").content.decode()
