"""Alibaba Cloud SMS (Dysmsapi SendSms, RPC signature 1.0) against a local fake of the API
that verifies every signature and answers in the API's own shapes."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import urllib.parse
import uuid

import pytest
from django.utils import timezone

from lianxin.notify.kinds import Channel, EventKind
from lianxin.notify.models import DeliveryStatus, NotificationTemplate
from lianxin.notify.providers import aliyun_signature
from lianxin.notify.services import notify_resident

KEY_ID, SECRET = "LTAI-test-key-id", "test-secret-0123456789"


def test_the_signature_matches_the_example_in_alibaba_clouds_documentation():
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert aliyun_signature(params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def _expected_signature(params: dict, secret: str) -> str:
    """The server's side, written from the documentation independently of the provider."""

    def encode(text: str) -> str:
        return (
            urllib.parse.quote_plus(text, encoding="utf-8")
            .replace("+", "%20")
            .replace("*", "%2A")
            .replace("%7E", "~")
        )

    canonical = "&".join(f"{encode(k)}={encode(params[k])}" for k in sorted(params))
    string_to_sign = "GET&" + encode("/") + "&" + encode(canonical)
    mac = hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


class FakeDysmsapi:
    """What dysmsapi.aliyuncs.com checks and answers, for SendSms."""

    def __init__(self):
        self.mode = "ok"
        self.nonces: set = set()
        self.accepted: list[dict] = []

    def __call__(self, request):
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(request.path).query))
        request_id = str(uuid.uuid4()).upper()
        signature = query.pop("Signature", "")
        required = {
            "AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce",
            "SignatureVersion", "Timestamp", "Version", "PhoneNumbers", "SignName", "TemplateCode",
        }  # fmt: skip
        missing = sorted(required - set(query))
        if missing:
            return 400, {"RequestId": request_id, "Code": "MissingParameter",
                         "Message": f"The input parameter \"{missing[0]}\" that is mandatory for processing this request is not supplied."}  # fmt: skip
        if query["AccessKeyId"] != KEY_ID:
            return 404, {"RequestId": request_id, "Code": "InvalidAccessKeyId.NotFound",
                         "Message": "Specified access key is not found."}  # fmt: skip
        if signature != _expected_signature(query, SECRET):
            return 400, {"RequestId": request_id, "HostId": "dysmsapi.aliyuncs.com",
                         "Code": "SignatureDoesNotMatch",
                         "Message": "Specified signature is not matched with our calculation."}  # fmt: skip
        sent = datetime.datetime.strptime(query["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.UTC
        )
        if abs(timezone.now() - sent) > datetime.timedelta(minutes=15):
            return 400, {"RequestId": request_id, "Code": "InvalidTimeStamp.Expired",
                         "Message": "Specified time stamp or date value is expired."}  # fmt: skip
        if query["SignatureNonce"] in self.nonces:
            return 400, {"RequestId": request_id, "Code": "SignatureNonceUsed",
                         "Message": "Specified signature nonce was used already."}  # fmt: skip
        self.nonces.add(query["SignatureNonce"])
        assert (query["Action"], query["Version"], query["Format"]) == (
            "SendSms",
            "2017-05-25",
            "JSON",
        )
        assert (query["SignatureMethod"], query["SignatureVersion"]) == ("HMAC-SHA1", "1.0")
        if self.mode == "limit":
            return 200, {"Message": "触发分钟级流控Permits:1", "RequestId": request_id,
                         "Code": "isv.BUSINESS_LIMIT_CONTROL"}  # fmt: skip
        if not query["PhoneNumbers"].isdigit() or len(query["PhoneNumbers"]) != 11:
            return 200, {"Message": "非法手机号", "RequestId": request_id,
                         "Code": "isv.MOBILE_NUMBER_ILLEGAL"}  # fmt: skip
        self.accepted.append(query)
        return 200, {"Message": "OK", "RequestId": request_id, "BizId": "900619746936498440^0",
                     "Code": "OK"}  # fmt: skip


@pytest.fixture
def aliyun(settings, http_server):
    fake = FakeDysmsapi()
    http_server.reply = fake
    settings.SMS_PROVIDER = "aliyun"
    settings.SMS_ALIYUN_ACCESS_KEY_ID = KEY_ID
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET
    settings.SMS_ALIYUN_ENDPOINT = f"{http_server.url}/"
    NotificationTemplate.objects.filter(kind=EventKind.CASE_REFERRED, channel=Channel.SMS).update(
        provider_template_code="SMS_154950909"
    )
    fake.server = http_server
    return fake


def _refer(resident, key="case:31:referred"):
    return notify_resident(
        kind=EventKind.CASE_REFERRED,
        resident=resident,
        context={"tracking_code": "K7M2Q9", "departments": "区教育委员会"},
        link="/track/K7M2Q9/",
        idempotency_key=key,
    )


@pytest.mark.django_db
def test_it_sends_a_signed_send_sms_request_with_the_template_and_its_chinese_variables(
    aliyun, resident_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _refer(resident_a).deliveries[0]

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.provider == "aliyun"
    assert delivery.provider_message_id == "900619746936498440^0"
    [query] = aliyun.accepted
    assert query["PhoneNumbers"] == "13800138000"
    assert query["SignName"] == "连心"
    assert query["TemplateCode"] == "SMS_154950909"
    assert json.loads(query["TemplateParam"]) == {"code": "K7M2Q9", "department": "区教育委员会"}
    assert query["OutId"] == str(delivery.pk)


@pytest.mark.django_db
def test_a_rate_limit_answer_is_retried_later(
    aliyun, resident_a, django_capture_on_commit_callbacks
):
    aliyun.mode = "limit"
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _refer(resident_a).deliveries[0]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.last_error == "isv.BUSINESS_LIMIT_CONTROL: 触发分钟级流控Permits:1"
    assert delivery.next_attempt_at > timezone.now()


@pytest.mark.django_db
def test_a_wrong_secret_fails_at_once_with_the_providers_answer(
    settings, aliyun, resident_a, django_capture_on_commit_callbacks
):
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _refer(resident_a).deliveries[0]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert delivery.last_error.startswith("SignatureDoesNotMatch: Specified signature")
    assert aliyun.accepted == []


@pytest.mark.django_db
def test_without_an_approved_template_code_the_delivery_fails_visibly_without_a_request(
    aliyun, resident_a, django_capture_on_commit_callbacks
):
    NotificationTemplate.objects.filter(kind=EventKind.CASE_REFERRED).update(
        provider_template_code=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _refer(resident_a).deliveries[0]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert aliyun.server.requests == []
