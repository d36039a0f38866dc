"""A department handler's token reads and acts only on its own department's referrals, through
every endpoint; residents stay masked and out of a handler's reach."""

from __future__ import annotations

import pytest

from lianxin.cases import services
from lianxin.testing import factories as f


@pytest.fixture
def shared_case(worker_a, community_a, department_1, department_2):
    """The kindergarten case: department 1 leads, department 2 assists."""
    case = f.case(actor=worker_a, community=community_a, title="两家单位共办")
    services.case_refer(actor=worker_a, case=case, lead=department_1, assisting=[department_2])
    return case


@pytest.fixture
def only_1_case(worker_a, community_a, department_1):
    case = f.case(actor=worker_a, community=community_a, title="只转给幼儿园")
    services.case_refer(actor=worker_a, case=case, lead=department_1)
    return case


def _referral(case, department):
    return case.referrals.get(department=department)


def test_a_handler_sees_no_trace_of_cases_not_referred_to_them(
    only_1_case, department_1, handler_2, token_client
):
    client = token_client(handler_2)
    referral = _referral(only_1_case, department_1)
    assert client.get("/api/v1/cases/").json()["results"] == []
    assert client.get("/api/v1/referrals/").json()["results"] == []
    assert client.get(f"/api/v1/cases/{only_1_case.number}/").status_code == 404
    assert client.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
    for step, body in (("accept", {}), ("return", {"reason": "不归我"}), ("reply", {"reply": "x"})):
        response = client.post(f"/api/v1/referrals/{referral.pk}/{step}/", body, format="json")
        assert response.status_code == 404, step
    for step, body in (
        ("note", {"note": "x"}),
        ("contact", {}),
        ("urge", {}),
        ("refer", {"lead": referral.department_id}),
        ("feedback", {"summary": "x", "method": "phone"}),
        ("reject", {"reason": "x"}),
        ("withdraw", {"reason": "x"}),
        ("merge", {"into": only_1_case.number}),
        ("supervise", {}),
        ("assign", {"assignee": handler_2.pk}),
        (
            "callback",
            {
                "resolved": True,
                "satisfaction": 5,
                "method": "phone",
                "called_at": "2026-01-01T08:00:00+08:00",
            },
        ),
    ):
        response = client.post(f"/api/v1/cases/{only_1_case.number}/{step}/", body, format="json")
        assert response.status_code == 404, step
    referral.refresh_from_db()
    assert referral.status == "pending"


def test_on_a_shared_case_each_handler_reads_and_acts_on_their_own_referral_only(
    shared_case, department_1, department_2, handler_1, handler_2, token_client
):
    mine, theirs = _referral(shared_case, department_2), _referral(shared_case, department_1)
    client = token_client(handler_2)
    listed = client.get("/api/v1/referrals/").json()["results"]
    assert [r["id"] for r in listed] == [mine.pk]
    detail = client.get(f"/api/v1/cases/{shared_case.number}/").json()
    assert [r["id"] for r in detail["referrals"]] == [mine.pk]
    assert client.get(f"/api/v1/referrals/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/referrals/{theirs.pk}/accept/").status_code == 404
    response = client.post(
        f"/api/v1/referrals/{theirs.pk}/return/", {"reason": "不归我们"}, format="json"
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "pending"

    assert client.post(f"/api/v1/referrals/{mine.pk}/accept/").status_code == 200
    response = client.post(
        f"/api/v1/referrals/{mine.pk}/reply/", {"reply": "物业已处理"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "wrong_role"
    response = client.post(
        f"/api/v1/referrals/{mine.pk}/opinion/", {"reply": "物业已处理"}, format="json"
    )
    assert response.status_code == 200
    other = token_client(handler_1).get("/api/v1/referrals/").json()["results"]
    assert [r["id"] for r in other] == [theirs.pk]


def test_a_handler_may_add_notes_but_not_caseworker_steps(shared_case, handler_1, token_client):
    client = token_client(handler_1)
    url = f"/api/v1/cases/{shared_case.number}"
    assert client.post(f"{url}/note/", {"note": "已安排"}, format="json").status_code == 200
    response = client.post(f"{url}/reject/", {"reason": "不受理"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"


def test_handlers_never_get_residents(resident_a, handler_1, token_client):
    client = token_client(handler_1)
    assert client.get("/api/v1/residents/").json()["results"] == []
    assert client.get(f"/api/v1/residents/{resident_a.pk}/").status_code == 404


def test_residents_are_masked_as_on_the_pages(resident_a, resident_b, worker_a, token_client):
    client = token_client(worker_a)
    response = client.get("/api/v1/residents/")
    results = response.json()["results"]
    assert [r["id"] for r in results] == [resident_a.pk]
    assert results[0]["phone_masked"] == "138****8000"
    assert results[0]["id_masked"] == resident_a.id_masked
    body = response.content.decode()
    assert "13800138000" not in body and resident_a.unsealed_id_number() not in body
    assert client.get(f"/api/v1/residents/{resident_b.pk}/").status_code == 404
    found = client.get("/api/v1/residents/", {"phone": "13800138000"}).json()["results"]
    assert [r["id"] for r in found] == [resident_a.pk]


def test_reference_data_is_read_by_every_signed_in_program(
    handler_1, community_a, department_1, rep_a, token_client
):
    client = token_client(handler_1)
    assert community_a.pk in [c["id"] for c in client.get("/api/v1/communities/").json()["results"]]
    assert department_1.pk in [
        d["id"] for d in client.get("/api/v1/departments/").json()["results"]
    ]
    assert client.get("/api/v1/representatives/").json()["results"][0]["name"] == "代表甲"
    categories = client.get("/api/v1/categories/", {"page_size": 100}).json()["results"]
    assert "noise-institution" in [c["code"] for c in categories]
