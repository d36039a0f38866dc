"""An Open311 client written from the GeoReport v2 specification alone, knowing only the base
URL and an API key, talks to a real server over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree

import pytest

from lianxin.cases.models import Case, CategoryQuestion, Channel

SPEC = "http://wiki.open311.org/GeoReport_v2"
LISTS = {"services", "service_requests", "attributes", "values", "errors", "endpoints", "formats"}


def spark(element):
    """XML to the JSON shape of the specification (the Spark convention)."""
    children = list(element)
    if element.tag in LISTS:
        return [spark(child) for child in children]
    if not children:
        return element.text
    return {child.tag: spark(child) for child in children}


class GeoReportClient:
    def __init__(self, base_url: str, api_key: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key

    def call(self, resource: str, fmt: str, *, params=None, data=None, key=True):
        params = dict(params or {})
        body = None
        if data is not None:
            fields = list(data.items()) if isinstance(data, dict) else list(data)
            if key:
                fields.append(("api_key", self.api_key))
            body = urllib.parse.urlencode(fields).encode()
        elif key:
            params["api_key"] = self.api_key
        url = f"{self.base_url}/{resource}.{fmt}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        request = urllib.request.Request(url, data=body)
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw, content_type = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, content_type = error.code, error.read(), error.headers
        expected = "application/json" if fmt == "json" else "text/xml"
        assert content_type["Content-Type"].startswith(expected)
        if fmt == "json":
            return status, json.loads(raw.decode("utf-8"))
        assert raw.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        root = ElementTree.fromstring(raw)
        return status, {root.tag: spark(root)}


@pytest.fixture
def noise_question(db):
    from lianxin.cases.models import Category

    category = Category.objects.get(code="noise-institution")
    return CategoryQuestion.objects.create(
        category=category,
        code="time_of_day",
        description="什么时候吵？",
        datatype="singlevaluelist",
        required=True,
        order=1,
        choices="morning | 早上\nnight | 夜里",
    )


@pytest.mark.django_db(transaction=True)
def test_a_client_knowing_only_the_base_url_and_a_key_files_and_reads_a_request(
    live_server, settings, open311_key, noise_question
):
    settings.SITE_URL = live_server.url
    geo = GeoReportClient(f"{live_server.url}/open311/v2", open311_key)

    # Discovery names the GeoReport v2 endpoint and its formats.
    status, discovery = geo.call("discovery", "json", key=False)
    assert status == 200
    endpoint = next(e for e in discovery["endpoints"] if e["specification"] == SPEC)
    assert {"text/xml", "application/json"} <= set(endpoint["formats"])
    status, discovery_xml = geo.call("discovery", "xml", key=False)
    assert discovery_xml["discovery"]["endpoints"][0]["url"] == endpoint["url"]
    geo = GeoReportClient(endpoint["url"], open311_key)

    # The service list, and the definition of a service that has metadata.
    status, services = geo.call("services", "xml", key=False)
    assert status == 200
    service = next(s for s in services["services"] if s["service_code"] == "noise-institution")
    assert service["metadata"] == "true" and service["type"] in ("realtime", "batch")
    status, definition = geo.call(f"services/{service['service_code']}", "json", key=False)
    attribute = definition["attributes"][0]
    assert attribute["code"] == "time_of_day" and attribute["required"] is True
    keys = [v["key"] for v in attribute["values"]]

    # Post a request; the answer holds its service_request_id (type realtime) or a token
    # (type batch) that leads to it.
    status, created = geo.call(
        "requests",
        "json",
        data={
            "service_code": service["service_code"],
            "lat": "39.904200",
            "long": "116.407400",
            "address_string": "幸福路12号",
            "description": "小区旁幼儿园每天早上六点放广播。",
            "first_name": "明",
            "last_name": "王",
            "phone": "13912345678",
            "email": "wang@example.com",
            "account_id": "u-42",
            f"attribute[{attribute['code']}]": keys[0],
        },
    )
    assert status == 200, created
    if service["type"] == "batch":
        token = created[0]["token"]
        status, by_token = geo.call(f"tokens/{token}", "xml", key=False)
        assert by_token["service_requests"][0]["token"] == token
        request_id = by_token["service_requests"][0]["service_request_id"]
    else:
        request_id = created[0]["service_request_id"]
    assert request_id
    assert created[0]["account_id"] == "u-42"
    assert "13912345678" not in json.dumps(created, ensure_ascii=False)

    # Read it back in both formats.
    status, found = geo.call(f"requests/{request_id}", "json")
    assert status == 200
    request = found[0]
    assert request["service_code"] == "noise-institution"
    assert request["status"] == "open"
    assert request["lat"] == pytest.approx(39.9042) and request["long"] == pytest.approx(116.4074)
    assert request["requested_datetime"].endswith("+08:00")
    assert request["expected_datetime"]
    status, found_xml = geo.call(f"requests/{request_id}", "xml")
    xml_request = found_xml["service_requests"][0]
    assert xml_request["service_request_id"] == request_id
    assert xml_request["status"] == "open"
    assert xml_request["description"] == "小区旁幼儿园每天早上六点放广播。"
    for answer in (found, found_xml):
        assert "13912345678" not in json.dumps(answer, ensure_ascii=False)

    # It is among the requests of the default window.
    status, listed = geo.call("requests", "json", params={"status": "open"})
    assert request_id in [r["service_request_id"] for r in listed]

    # An unknown service: 404 with an error body; a missing key: 403.
    status, errors = geo.call(
        "requests", "xml", data={"service_code": "no-such-service", "address_string": "某处"}
    )
    assert status == 404 and errors["errors"][0]["code"] == "404"
    assert errors["errors"][0]["description"]
    status, errors = geo.call("services/no-such-service", "json", key=False)
    assert status == 404 and errors[0]["code"] == 404
    status, errors = geo.call(
        "requests",
        "json",
        data={"service_code": "noise-institution", "address_string": "某处"},
        key=False,
    )
    assert status == 403 and errors[0]["code"] == 403

    # The request is an ordinary case, filed through the API, the phone sealed.
    case = Case.objects.get(number=request_id)
    assert case.channel == Channel.API
    assert case.reporter_name == "王明"
    assert case.reporter_phone_masked == "139****5678"
    assert "13912345678" not in case.reporter_phone_cipher
    assert case.attributes == {"time_of_day": "morning"}
    assert case.open311.email == "wang@example.com"
    assert case.open311.phone_cipher == ""
