"""Open311 details: errors, rate limits, attributes, reading scopes and the default window."""

from __future__ import annotations

import datetime
import io
import json
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from lianxin.api.models import Open311Client, Open311Request
from lianxin.api.services import open311_client_create, open311_requests_file_pending
from lianxin.cases import services
from lianxin.cases.models import Case, Category, CategoryQuestion
from lianxin.testing import factories as f

BASE = "/open311/v2"


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def questions(db):
    category = Category.objects.get(code="noise-institution")
    CategoryQuestion.objects.create(
        category=category,
        code="floors",
        description="几楼受影响？",
        datatype="multivaluelist",
        required=True,
        order=1,
        choices="low | 低层\nhigh | 高层",
    )
    CategoryQuestion.objects.create(
        category=category, code="decibel", description="分贝", datatype="number", order=2
    )
    return category


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """post(key, **fields): POST a request and let the worker's job run (as after commit)."""

    def send(key, fmt="json", **fields):
        data = {"api_key": key, "service_code": "noise-institution", "address_string": "幸福路1号"}
        data.update(fields)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"{BASE}/requests.{fmt}", data)

    return send


def _number(client, response) -> str:
    token = response.json()[0]["token"]
    return client.get(f"{BASE}/tokens/{token}.json").json()[0]["service_request_id"]


def test_required_attributes_and_their_values_are_checked(client, post, open311_key, questions):
    response = post(open311_key)
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert "attribute[floors]" in response.json()[0]["description"]
    response = post(open311_key, **{"attribute[floors][]": ["low", "nowhere"]})
    assert response.status_code == 400 and "low" in response.json()[0]["description"]
    response = post(open311_key, **{"attribute[decibel]": "loud"})
    assert response.status_code == 400
    assert not Case.objects.exists()
    response = post(
        open311_key, **{"attribute[floors][]": ["low", "high"], "attribute[decibel]": "72"}
    )
    assert response.status_code == 200, response.json()
    case = Case.objects.get(number=_number(client, response))
    assert case.attributes == {"floors": ["low", "high"], "decibel": 72}


def test_a_place_is_required_and_coordinates_are_checked(client, post, open311_key):
    response = client.post(
        f"{BASE}/requests.xml", {"api_key": open311_key, "service_code": "noise-institution"}
    )
    assert response.status_code == 400
    root = ElementTree.fromstring(response.content)
    assert root.tag == "errors" and root.find("error/code").text == "400"
    assert post(open311_key, lat="91", long="10").status_code == 400
    assert post(open311_key, lat="30").status_code == 400
    assert post(open311_key, phone="12345").status_code == 400
    assert not Case.objects.exists()


def test_a_key_files_at_most_its_rate_limit_a_minute(client, post, db):
    _client, key = open311_client_create(name="小程序", rate_limit=2)
    assert post(key).status_code == 200
    assert post(key).status_code == 200
    response = post(key)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json()[0]["code"] == 429
    assert Case.objects.count() == 2


def test_a_withdrawn_or_unknown_key_is_refused(client, post, open311_key):
    Open311Client.objects.update(is_active=False)
    response = post(open311_key)
    assert response.status_code == 403 and response.json()[0]["code"] == 403
    assert post("lxk_guess").status_code == 403
    assert client.get(f"{BASE}/requests.json").status_code == 403


def test_another_jurisdiction_is_not_found(client, post, open311_key, settings):
    settings.OPEN311_JURISDICTION_ID = "lianxin.example.cn"
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "sfgov.org"}).status_code == 404
    ok = client.get(f"{BASE}/services.json", {"jurisdiction_id": "lianxin.example.cn"})
    assert ok.status_code == 200
    assert post(open311_key, jurisdiction_id="lianxin.example.cn").status_code == 200


def test_a_key_reads_its_own_requests_unless_it_may_read_all(
    client, post, open311_key, open311_reader_key, worker_a, community_a
):
    own = _number(client, post(open311_key))
    staff_case = f.case(actor=worker_a, community=community_a)

    def listed(key):
        response = client.get(f"{BASE}/requests.json", {"api_key": key})
        return {r["service_request_id"] for r in response.json()}

    assert listed(open311_key) == {own}
    assert listed(open311_reader_key) == {own, staff_case.number}
    detail = client.get(f"{BASE}/requests/{staff_case.number}.json", {"api_key": open311_key})
    assert detail.status_code == 404 and detail.json()[0]["code"] == 404
    detail = client.get(
        f"{BASE}/requests/{staff_case.number}.json", {"api_key": open311_reader_key}
    )
    assert detail.status_code == 200
    assert "13700137000" not in detail.content.decode()


def test_status_notes_agency_and_dates_follow_the_case(
    client, open311_reader_key, worker_a, community_a, department_1
):
    case = f.case(actor=worker_a, community=community_a)
    services.case_refer(actor=worker_a, case=case, lead=department_1)
    services.case_note(actor=worker_a, case=case, note="内部记录，不给居民看")
    request = client.get(
        f"{BASE}/requests/{case.number}.json", {"api_key": open311_reader_key}
    ).json()[0]
    assert request["status"] == "open"
    assert request["agency_responsible"] == department_1.name
    assert department_1.name in request["status_notes"]
    assert "内部记录" not in json.dumps(request, ensure_ascii=False)
    assert request["expected_datetime"] == timezone.localtime(case.handling_due_at).isoformat(
        timespec="seconds"
    )
    services.case_withdraw(actor=worker_a, case=case, reason="居民撤回")
    request = client.get(f"{BASE}/requests/{case.number}.xml", {"api_key": open311_reader_key})
    root = ElementTree.fromstring(request.content)
    assert root.find("request/status").text == "closed"
    assert root.find("request/status_notes").text == "居民撤回"


def test_the_default_window_is_ninety_days_and_filters_combine(
    client, open311_reader_key, worker_a, community_a
):
    now = timezone.now()
    recent = f.case(actor=worker_a, community=community_a, title="近期")
    old = f.case(
        actor=worker_a,
        community=community_a,
        title="早先",
        received_at=now - datetime.timedelta(days=120),
    )
    services.case_reject(actor=worker_a, case=recent, reason="不受理")

    def listed(**params):
        response = client.get(f"{BASE}/requests.json", {"api_key": open311_reader_key, **params})
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in response.json()}

    assert listed() == {recent.number}
    start = (now - datetime.timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    assert listed(start_date=start) == {old.number}
    assert listed(service_request_id=f"{old.number},{recent.number}") == {old.number, recent.number}
    assert listed(status="open") == set()
    assert listed(status="closed,open") == {recent.number}
    assert listed(service_code="no-such-code") == set()
    end = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    response = client.get(
        f"{BASE}/requests.json",
        {"api_key": open311_reader_key, "start_date": start, "end_date": end},
    )
    assert response.status_code == 400
    for bad in ({"start_date": "yesterday"}, {"status": "pending"}):
        response = client.get(f"{BASE}/requests.xml", {"api_key": open311_reader_key, **bad})
        assert response.status_code == 400
        assert ElementTree.fromstring(response.content).tag == "errors"


def test_reading_requests_costs_the_same_for_one_or_many(
    client, open311_reader_key, worker_a, community_a, department_1, django_assert_max_num_queries
):
    services.case_refer(
        actor=worker_a, case=f.case(actor=worker_a, community=community_a), lead=department_1
    )
    with django_assert_max_num_queries(6) as few:
        client.get(f"{BASE}/requests.xml", {"api_key": open311_reader_key})
    for _i in range(10):
        services.case_refer(
            actor=worker_a, case=f.case(actor=worker_a, community=community_a), lead=department_1
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{BASE}/requests.xml", {"api_key": open311_reader_key})
    assert len(ElementTree.fromstring(response.content)) == 11


def test_text_xml_cannot_carry_is_dropped_from_the_xml(client, post, open311_key):
    number = _number(client, post(open311_key, description="控制字符\x01在此"))
    response = client.get(f"{BASE}/requests/{number}.xml", {"api_key": open311_key})
    root = ElementTree.fromstring(response.content)
    assert root.find("request/description").text == "控制字符在此"


def test_services_list_second_level_categories_with_their_group(client, questions):
    services_ = client.get(f"{BASE}/services.json").json()
    noise = next(s for s in services_ if s["service_code"] == "noise-institution")
    assert noise["metadata"] is True and noise["group"] == questions.parent.name
    assert all(
        s["metadata"] is False for s in services_ if s["service_code"] != "noise-institution"
    )
    definition = client.get(f"{BASE}/services/noise-institution.xml")
    root = ElementTree.fromstring(definition.content)
    assert [a.find("code").text for a in root.iter("attribute")] == ["floors", "decibel"]
    assert root.find("attributes/attribute/values/value/key").text == "low"


def test_unknown_resources_and_formats_answer_with_an_error_body(client, db):
    response = client.get(f"{BASE}/services.csv")
    assert response.status_code == 404
    assert ElementTree.fromstring(response.content).tag == "errors"
    assert client.get(f"{BASE}/nothing.json").json()[0]["code"] == 404
    assert client.get(f"{BASE}/tokens/NOPE.json").status_code == 404


def test_the_key_command_prints_the_key_once_and_stores_its_hash(db):
    out = io.StringIO()
    call_command("open311_key", "create", "微信小程序", "--rate-limit", "30", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    client = Open311Client.objects.get(name="微信小程序")
    assert client.rate_limit == 30 and key.startswith(client.hint)
    assert key not in client.key_hash
    out = io.StringIO()
    call_command("open311_key", "list", stdout=out)
    assert "微信小程序" in out.getvalue() and key not in out.getvalue()


def test_a_request_waits_for_the_worker_and_then_its_token_leads_to_the_case(client, open311_key):
    response = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": open311_key,
            "service_code": "noise-institution",
            "lat": "39.9",
            "long": "116.4",
            "phone": "13912345678",
        },
    )
    token = response.json()[0]["token"]
    assert "service_request_id" not in response.json()[0]
    kept = Open311Request.objects.get(token=token)
    assert kept.status == "pending" and "13912345678" not in kept.phone_cipher
    assert kept.phone_cipher and not Case.objects.exists()
    pending = client.get(f"{BASE}/tokens/{token}.xml")
    assert ElementTree.fromstring(pending.content).find("request/service_request_id").text is None

    assert open311_requests_file_pending(older_than=datetime.timedelta(0)) == 1
    assert open311_requests_file_pending(older_than=datetime.timedelta(0)) == 0
    kept.refresh_from_db()
    assert kept.status == "filed" and kept.phone_cipher == ""
    assert kept.case.reporter_phone_masked == "139****5678"
    assert kept.case.received_at == kept.created_at
    found = client.get(f"{BASE}/tokens/{token}.json").json()[0]
    assert found == {"service_request_id": kept.case.number, "token": token}


def test_a_request_the_casework_refuses_reports_why_through_its_token(
    client, open311_key, monkeypatch
):
    from django.core.exceptions import ValidationError

    from lianxin.api import services as api_services

    def refuse(**kwargs):
        raise ValidationError({"title": ["标题太短"]})

    monkeypatch.setattr(api_services, "case_intake", refuse)
    token = client.post(
        f"{BASE}/requests.json",
        {"api_key": open311_key, "service_code": "noise-institution", "address_string": "某处"},
    ).json()[0]["token"]
    open311_requests_file_pending(older_than=datetime.timedelta(0))
    response = client.get(f"{BASE}/tokens/{token}.json")
    assert response.status_code == 400 and "标题太短" in response.json()[0]["description"]
