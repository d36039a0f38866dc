"""Administrators create keys and tokens in the admin; the secret is shown once."""

from __future__ import annotations

from lianxin.api.keys import secret_hash
from lianxin.api.models import ApiToken, Open311Client, Open311Request


def test_an_administrator_creates_an_open311_key_and_sees_it_once(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/api/open311client/add/",
        {"name": "街道小程序", "contact": "街道办", "rate_limit": "30", "read_scope": "own"},
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    key = shown[0].rsplit("：", 1)[-1].strip()
    created = Open311Client.objects.get(name="街道小程序")
    assert created.key_hash == secret_hash(key)
    page = client.get(f"/admin/api/open311client/{created.pk}/change/").content.decode()
    assert key not in page


def test_an_administrator_creates_a_token_for_a_user(client, admin_user, worker_a):
    client.force_login(admin_user)
    response = client.post(
        "/admin/api/apitoken/add/", {"user": worker_a.pk, "name": "数据看板"}, follow=True
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=worker_a)
    assert token.created_by == admin_user and token.name == "数据看板"
    for url in ("/admin/api/apitoken/", "/admin/api/open311request/"):
        assert client.get(url).status_code == 200
    assert not Open311Request.objects.exists()
