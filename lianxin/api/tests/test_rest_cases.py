"""The REST API with personas: the same scopes and steps as the staff pages, through tokens."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lianxin.api.models import ApiToken
from lianxin.api.services import api_token_revoke
from lianxin.cases import services
from lianxin.cases.models import Case, CaseStatus, Channel, ReferralStatus
from lianxin.testing import factories as f


@pytest.fixture
def case_a(worker_a, community_a):
    return f.case(actor=worker_a, community=community_a, title="甲社区的诉求")


@pytest.fixture
def case_b(worker_b, community_b):
    return f.case(actor=worker_b, community=community_b, title="乙社区的诉求")


def test_a_program_without_a_valid_token_gets_a_json_401(db, worker_a, token_client):
    response = APIClient().get("/api/v1/cases/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["message"] == "身份认证信息未提供。"
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token lxt_not-a-real-token")
    response = bad.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_revoked_token_stops_working(worker_a, token_client):
    client = token_client(worker_a)
    assert client.get("/api/v1/me/").json()["role"] == "worker"
    api_token_revoke(token=ApiToken.objects.get(user=worker_a))
    assert client.get("/api/v1/me/").status_code == 401


def test_the_token_is_stored_only_as_a_hash(worker_a, token_client):
    client = token_client(worker_a)
    secret = client._credentials["HTTP_AUTHORIZATION"].split()[1]
    token = ApiToken.objects.get(user=worker_a)
    assert secret not in (token.key_hash, token.hint) and token.hint == secret[:10]
    assert token.last_used_at is None
    client.get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_worker_lists_only_the_cases_of_their_community(worker_a, case_a, case_b, token_client):
    client = token_client(worker_a)
    numbers = [c["number"] for c in client.get("/api/v1/cases/").json()["results"]]
    assert numbers == [case_a.number]
    assert client.get(f"/api/v1/cases/{case_a.number}/").status_code == 200
    response = client.get(f"/api/v1/cases/{case_b.number}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = client.post(f"/api/v1/cases/{case_b.number}/note/", {"note": "越权"}, format="json")
    assert response.status_code == 404


def test_list_filters_are_the_staff_list_filters(worker_a, community_a, case_a, token_client):
    other = f.case(actor=worker_a, community=community_a, title="路灯不亮")
    services.case_reject(actor=worker_a, case=other, reason="不属于受理范围")
    client = token_client(worker_a)

    def numbers(**params):
        response = client.get("/api/v1/cases/", params)
        assert response.status_code == 200, response.json()
        return {c["number"] for c in response.json()["results"]}

    assert numbers(status="open") == {case_a.number}
    assert numbers(status="rejected") == {other.number}
    assert numbers(q="路灯") == {other.number}
    assert numbers(community=community_a.pk) == {case_a.number, other.number}
    assert numbers(mine="true") == {case_a.number, other.number}
    response = client.get("/api/v1/cases/", {"status": "nonsense"})
    assert response.status_code == 400 and "status" in response.json()["fields"]


def test_cursor_pagination_walks_every_case_once(worker_a, community_a, token_client):
    made = {
        f.case(actor=worker_a, community=community_a, title=f"诉求{i}").number for i in range(5)
    }
    client = token_client(worker_a)
    seen, url = [], "/api/v1/cases/?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [c["number"] for c in page["results"]]
        url = page["next"]
    assert len(seen) == 5 and set(seen) == made


def test_a_worker_records_a_case_and_the_phone_comes_back_masked(
    worker_a, community_a, token_client
):
    client = token_client(worker_a)
    response = client.post(
        "/api/v1/cases/",
        {
            "title": "楼道灯坏了",
            "description": "三单元楼道灯坏了一周。",
            "community": community_a.pk,
            "category": f.category().pk,
            "appeal_type": "complaint",
            "reporter_name": "李阿姨",
            "reporter_phone": "13600136000",
            "channel": "phone",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reporter_phone_masked"] == "136****6000"
    assert "13600136000" not in response.content.decode()
    case = Case.objects.get(number=body["number"])
    assert case.channel == Channel.PHONE and case.received_by == worker_a
    assert "contact" in body["actions"]


def test_intake_errors_are_json_with_chinese_messages(
    worker_a, handler_1, community_b, token_client
):
    client = token_client(worker_a)
    response = client.post("/api/v1/cases/", {"title": ""}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and {"title", "description"} <= set(body["fields"])
    assert "该字段" in body["fields"]["description"][0]
    response = client.post(
        "/api/v1/cases/",
        {"title": "越界", "description": "别的社区", "community": community_b.pk},
        format="json",
    )
    assert response.status_code == 403 and response.json()["code"] == "out_of_scope"
    assert "社区" in response.json()["message"]
    response = client.post(
        "/api/v1/cases/",
        {"title": "电话", "description": "号码不对", "reporter_phone": "12345"},
        format="json",
    )
    assert response.status_code == 400 and "reporter_phone" in response.json()["fields"]
    handler = token_client(handler_1)
    response = handler.post("/api/v1/cases/", {"title": "t", "description": "d"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"


def test_english_messages_when_the_program_asks_for_english(worker_a, token_client):
    client = token_client(worker_a)
    response = client.get("/api/v1/cases/LX-0000-000000/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["message"] == "Not found."


def test_a_case_goes_from_referral_to_closing_through_the_api(
    worker_a, case_a, department_1, handler_1, token_client
):
    worker, handler = token_client(worker_a), token_client(handler_1)
    url = f"/api/v1/cases/{case_a.number}"
    response = worker.post(f"{url}/contact/", {"note": "已电话联系"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == CaseStatus.RESPONDING
    response = worker.post(f"{url}/refer/", {"lead": department_1.pk}, format="json")
    assert response.status_code == 200, response.json()
    referral_id = response.json()["referrals"][0]["id"]

    inbox = handler.get("/api/v1/referrals/", {"status": "open"}).json()["results"]
    assert [r["id"] for r in inbox] == [referral_id]
    assert inbox[0]["actions"] == ["accept", "return"]
    assert handler.post(f"/api/v1/referrals/{referral_id}/accept/").status_code == 200
    again = handler.post(f"/api/v1/referrals/{referral_id}/accept/")
    assert again.status_code == 409 and again.json()["code"] == "referral_accepted"
    response = handler.post(
        f"/api/v1/referrals/{referral_id}/reply/", {"reply": "已调整广播时间"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == ReferralStatus.REPLIED

    response = worker.post(
        f"{url}/feedback/", {"summary": "幼儿园已调整", "method": "phone"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == CaseStatus.RESOLVED
    response = worker.post(
        f"{url}/callback/",
        {
            "resolved": True,
            "satisfaction": 5,
            "method": "phone",
            "called_at": "2026-01-05T10:00:00+08:00",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == CaseStatus.CLOSED
    assert body["ratings"][0]["is_callback"] is True
    assert [e["kind"] for e in body["events"]][-1] == "closed"
    response = worker.post(f"{url}/note/", {"note": "归档后补记"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"


def test_the_same_steps_are_refused_as_on_the_pages(supervisor, worker_a, case_a, token_client):
    response = token_client(supervisor).post(
        f"/api/v1/cases/{case_a.number}/reject/", {"reason": "不受理"}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"
    response = token_client(worker_a).post(
        f"/api/v1/cases/{case_a.number}/reject/", {"reason": ""}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()["fields"]


def test_the_browser_session_needs_its_csrf_token(worker_a, case_a):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(worker_a)
    assert client.get(f"/api/v1/cases/{case_a.number}/").status_code == 200
    response = client.post(f"/api/v1/cases/{case_a.number}/note/", {"note": "x"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_list_endpoints_make_a_bounded_number_of_queries(
    worker_a,
    community_a,
    department_1,
    handler_1,
    token_client,
    django_assert_max_num_queries,
):
    worker, handler = token_client(worker_a), token_client(handler_1)
    for i in range(3):
        services.case_refer(
            actor=worker_a,
            case=f.case(actor=worker_a, community=community_a, title=f"诉求{i}"),
            lead=department_1,
        )
    f.ResidentFactory.create_batch(3, community=community_a)
    urls = [
        (worker, "/api/v1/cases/"),
        (handler, "/api/v1/referrals/"),
        (worker, "/api/v1/residents/"),
        (worker, "/api/v1/categories/"),
    ]
    counts = {}
    for client, url in urls:
        with django_assert_max_num_queries(15) as few:
            assert client.get(url).status_code == 200
        counts[url] = len(few.captured_queries)
    for i in range(3, 20):
        services.case_refer(
            actor=worker_a,
            case=f.case(actor=worker_a, community=community_a, title=f"诉求{i}"),
            lead=department_1,
        )
    f.ResidentFactory.create_batch(15, community=community_a)
    for client, url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)


def test_a_case_page_costs_the_same_however_long_its_timeline(
    worker_a, case_a, token_client, django_assert_max_num_queries
):
    client = token_client(worker_a)
    with django_assert_max_num_queries(40) as few:
        client.get(f"/api/v1/cases/{case_a.number}/")
    for i in range(10):
        services.case_note(actor=worker_a, case=case_a, note=f"记录{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/api/v1/cases/{case_a.number}/")


def test_the_token_command_prints_a_working_token_once(worker_a):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("api_token", "create", worker_a.username, "--name", "热线系统", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/me/").json()["username"] == worker_a.username
    out = io.StringIO()
    call_command("api_token", "list", stdout=out)
    assert "热线系统" in out.getvalue() and secret not in out.getvalue()
    token = ApiToken.objects.get(user=worker_a)
    call_command("api_token", "revoke", str(token.pk), stdout=io.StringIO())
    assert client.get("/api/v1/me/").status_code == 401
