"""Chinese unless someone chose English."""

from lianxin.accounts.models import Role
from lianxin.testing import factories as f


def test_pages_are_chinese_whatever_the_browser_prefers(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans"' in page.content.decode()
    assert "工作人员登录" in page.content.decode()


def test_the_language_switch_chooses_english_and_it_stays(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en"' in page and "Staff login" in page
    user = f.UserFactory(username="u-en", role=Role.ADMIN)
    client.force_login(user)
    assert "Workbench" in client.get("/staff/").content.decode()


def test_programs_choose_their_language_with_accept_language(client, db):
    body = client.get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["code"] and body["message"].isascii()
    body = client.get("/api/v1/cases/").json()
    assert not body["message"].isascii()
