"""The OpenAPI document is valid, its docs pages are served from our own files, and a
property-based run of every operation against it finds no server error and no response the
schema does not describe."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lianxin.api.services import api_token_create
from lianxin.testing import factories as f

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_the_schema_is_a_valid_openapi_3_document(client, db):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert "/api/v1/cases/{number}/refer/" in paths
    assert "/api/v1/referrals/{id}/return/" in paths
    assert "409" in paths["/api/v1/referrals/{id}/accept/"]["post"]["responses"]


def test_the_docs_pages_load_their_assets_locally(client, db):
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        page = client.get(url).content.decode()
        assert "/static/drf_spectacular_sidecar/" in page
        assert "cdn" not in page.lower()
    assert (
        client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css").status_code
        == 200
    )


@pytest.fixture
def connections_kept():
    """The WSGI handler closes database connections after each request; inside the test's
    transaction that would drop it (Django's own test client avoids this the same way)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def outreach_ids(admin_user, worker_a, rep_a, community_a, resident_a):
    """One record of each kind of outreach, and a reception day open for visitors now."""
    import datetime

    from django.utils import timezone

    from lianxin.directory.models import Representative
    from lianxin.outreach import services
    from lianxin.outreach.models import ReceptionDay, ReceptionStatus

    now = timezone.now()
    rep = Representative.objects.get(user=rep_a)
    reception = ReceptionDay.objects.create(
        community=community_a,
        place="社区党群服务中心",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=2),
        status=ReceptionStatus.PUBLISHED,
        publish_at=now - datetime.timedelta(days=3),
        created_by=worker_a,
    )
    reception.representatives.set([rep])
    earlier = now - datetime.timedelta(hours=2)
    activity = services.activity_create(
        actor=worker_a,
        kind="briefing",
        topic="医保政策宣讲",
        starts_at=earlier,
        ends_at=now,
        place="活动室",
        communities=[community_a],
    )
    services.attendance_record(actor=worker_a, activity=activity, residents=[resident_a])
    services.duty_rule_save(
        actor=admin_user, year=now.year, metric="visits", period="quarter", minimum=3
    )
    return {
        "visits": services.visit_log(
            actor=rep_a, resident=resident_a, visited_at=earlier, heard="走访"
        ).pk,
        "reception-days": reception.pk,
        "check-ins": services.check_in_record(
            actor=rep_a, community=community_a, checked_in_at=earlier
        ).pk,
        "talks": services.talk_record(
            actor=rep_a, resident=resident_a, reason="mood", held_at=earlier, notes="谈心"
        ).pk,
        "activities": activity.pk,
        "duties": rep.pk,
        "proposals": services.proposal_submit(
            actor=rep_a, title="建议", description="增设老年食堂"
        ).pk,
    }


@pytest.fixture
def api_schema(
    db,
    connections_kept,
    admin_user,
    worker_a,
    community_a,
    department_1,
    resident_a,
    outreach_ids,
):
    """The schema as a program sees it, with a few real records to find."""
    from django.core.wsgi import get_wsgi_application

    from lianxin.cases import services
    from lianxin.cases.models import Category
    from lianxin.directory.models import Representative

    case = f.case(actor=worker_a, community=community_a)
    (referral,) = services.case_refer(actor=worker_a, case=case, lead=department_1)
    _token, secret = api_token_create(actor=None, user=admin_user, name="schemathesis")
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    schema.secret = secret
    schema.real_ids = {
        "cases": case.number,
        "referrals": referral.pk,
        "residents": resident_a.pk,
        "communities": community_a.pk,
        "departments": department_1.pk,
        "representatives": f.RepresentativeFactory().pk,
        "categories": Category.objects.filter(parent__isnull=False).first().pk,
        **outreach_ids,
    }
    assert Representative.objects.exists()
    return schema


def test_every_operation_answers_as_its_schema_says(api_schema):
    """Each operation gets a few generated requests (bounded, so the suite stays quick); half
    of them address records that exist, so that the steps reach the services."""
    headers = {"Authorization": f"Token {api_schema.secret}"}
    failures, tried, statuses = [], [], {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        tried.append(operation.label)
        collection = operation.path.removeprefix("/api/v1/").split("/")[0]
        generated = operation.as_strategy()

        def on_a_real_record(case, collection=collection):
            for name in case.path_parameters or {}:
                case.path_parameters[name] = api_schema.real_ids[collection]
            return case

        @settings(
            max_examples=10,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=st.one_of(generated, generated.map(on_a_real_record)))
        def run(case):
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # report every operation's failure
            failures.append(f"{operation.label}: {exc}")
    assert len(tried) >= 45, tried
    for path in (
        "visits/",
        "reception-days/{id}/visitors/",
        "coverage/",
        "duties/{representative}/",
    ):
        assert any(f"/api/v1/{path}" in label for label in tried), path
    assert not failures, "\n\n".join(failures)
    assert statuses.get(200, 0) > 50, statuses


def test_the_outreach_writes_succeed_as_their_schema_says(api_schema, resident_a):
    """The generated requests above rarely name a real resident; these do, so that the
    answers of successful writes are checked against the schema too."""
    headers = {"Authorization": f"Token {api_schema.secret}"}
    problem = {"title": "楼道灯坏了", "description": "三单元楼道灯坏了一周。"}
    for path, path_parameters, body in (
        (
            "/api/v1/visits/",
            {},
            {
                "resident": resident_a.pk,
                "visited_at": "2026-01-05T09:00:00+08:00",
                "heard": "居民说楼道灯坏了。",
                "problem": problem,
            },
        ),
        (
            "/api/v1/reception-days/{id}/visitors/",
            {"id": api_schema.real_ids["reception-days"]},
            {"name": "过路群众", "phone": "13912345678", **problem},
        ),
        ("/api/v1/visits/{id}/case/", {"id": api_schema.real_ids["visits"]}, problem),
    ):
        operation = api_schema[path]["POST"]
        case = operation.Case(
            path_parameters=path_parameters, body=body, media_type="application/json"
        )
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == 201, response.text
        assert "13912345678" not in response.text


def test_the_outreach_operations_are_documented_in_the_readers_language(client, db):
    for language, summary in (
        ("en", "Log a visit, and record the problem heard as a case"),
        ("zh-hans", "登记走访，并可将听到的问题同时登记为诉求"),
    ):
        document = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE=language).json()
        assert document["paths"]["/api/v1/visits/"]["post"]["summary"] == summary
