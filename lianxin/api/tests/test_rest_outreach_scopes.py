"""Outreach through the REST API with personas: every list holds exactly what the persona's
outreach page lists, outsiders get 404, talk notes reach only the talker and supervisors, and
department handlers get nothing of outreach."""

from __future__ import annotations

import pytest
from django.test import Client

PERSONAS = [
    "worker_a",
    "worker_b",
    "rep_a",
    "rep_b",
    "handler_1",
    "handler_2",
    "supervisor",
    "admin_user",
]

# (API list, staff page, the page's context entry, query parameters of both)
LISTS = [
    ("/api/v1/visits/", "/staff/outreach/visits/", "page", {}),
    ("/api/v1/visits/", "/staff/outreach/visits/", "page", {"mine": "1"}),
    ("/api/v1/visits/", "/staff/outreach/visits/", "page", {"q": "路灯"}),
    ("/api/v1/reception-days/", "/staff/outreach/receptions/", "upcoming", {"upcoming": "1"}),
    ("/api/v1/reception-days/", "/staff/outreach/receptions/", "page", {"upcoming": "false"}),
    ("/api/v1/check-ins/", "/staff/outreach/check-ins/", "page", {}),
    ("/api/v1/talks/", "/staff/outreach/talks/", "page", {}),
    ("/api/v1/talks/", "/staff/outreach/talks/", "page", {"due": "1"}),
    ("/api/v1/activities/", "/staff/outreach/activities/", "page", {}),
    ("/api/v1/proposals/", "/staff/outreach/proposals/", "page", {}),
    ("/api/v1/duties/", "/staff/outreach/duties/", "rows", {"year": "2026"}),
]


def _page_ids(response, key: str) -> list[int]:
    rows = response.context[key]
    rows = rows.object_list if hasattr(rows, "object_list") else rows
    # The duties page lists representatives' progress; the other pages list records.
    return [row.representative.pk if key == "rows" else row.pk for row in rows]


def _api_ids(client, url: str, params: dict) -> list[int]:
    response = client.get(url, {**params, "page_size": 100})
    assert response.status_code == 200, (url, response.json())
    return [
        row["representative"]["id"] if url.endswith("/duties/") else row["id"]
        for row in response.json()["results"]
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_outreach_list_holds_what_the_personas_page_lists(
    persona, request, outreach_work, token_client
):
    user = request.getfixturevalue(persona)
    api, web = token_client(user), Client()
    web.force_login(user)
    seen = 0
    for api_url, page_url, key, params in LISTS:
        page = web.get(page_url, params)
        expected = _page_ids(page, key) if page.status_code == 200 else []
        assert page.status_code in (200, 404), page_url
        assert _api_ids(api, api_url, params) == expected, (persona, api_url, params)
        seen += len(expected)
    if persona.startswith("handler"):
        assert seen == 0
    else:
        assert seen > 0


def test_each_persona_reads_the_visits_of_their_scope_and_no_other(
    outreach_work, rep_a, worker_a, worker_b, supervisor, token_client
):
    work = outreach_work
    visit_a = work["visit_worker_a"]
    assert token_client(worker_a).get(f"/api/v1/visits/{visit_a.pk}/").status_code == 200
    response = token_client(worker_b).get(f"/api/v1/visits/{visit_a.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    # A representative reads the visits they went on, not the community's other visits.
    rep = token_client(rep_a)
    assert rep.get(f"/api/v1/visits/{work['visit_rep_a'].pk}/").status_code == 200
    assert rep.get(f"/api/v1/visits/{visit_a.pk}/").status_code == 404
    body = token_client(supervisor).get(f"/api/v1/visits/{work['visit_rep_a'].pk}/").json()
    assert body["whom"] == "枣园北里3号楼2单元101（牛某）"
    assert body["visitors"] == [{"id": rep_a.pk, "name": rep_a.display_name}]
    assert body["answers"][0]["answer"] == "冬天取暖费用高"
    [case] = body["cases"]
    assert case["title"] == "楼道扶手松动" and "tracking_code" not in case


def test_records_of_other_communities_are_404_for_a_worker(outreach_work, worker_b, token_client):
    client = token_client(worker_b)
    work = outreach_work
    for url in (
        f"/api/v1/reception-days/{work['reception_a'].pk}/",
        f"/api/v1/check-ins/{work['check_in_a'].pk}/",
        f"/api/v1/talks/{work['talk_worker_a'].pk}/",
        f"/api/v1/activities/{work['activity_a'].pk}/",
        f"/api/v1/activities/{work['activity_a'].pk}/attendance/",
        f"/api/v1/proposals/{work['proposal_a'].pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"code": "not_found", "message": "未找到。"}
    assert client.get(f"/api/v1/reception-days/{work['reception_b'].pk}/").status_code == 200


@pytest.mark.parametrize(
    ("persona", "reads_notes"),
    [("rep_a", True), ("supervisor", True), ("worker_a", False), ("admin_user", False)],
)
def test_talk_notes_reach_only_the_talker_and_supervisors(
    persona, reads_notes, request, outreach_work, token_client
):
    talk = outreach_work["talk_rep_a"]
    client = token_client(request.getfixturevalue(persona))
    detail = client.get(f"/api/v1/talks/{talk.pk}/")
    listed = {t["id"]: t for t in client.get("/api/v1/talks/").json()["results"]}
    assert detail.status_code == 200 and talk.pk in listed
    assert "notes" in detail.json() and "notes" in listed[talk.pk]
    if reads_notes:
        assert detail.json()["notes"] == listed[talk.pk]["notes"] == talk.notes
    else:
        assert detail.json()["notes"] is None and listed[talk.pk]["notes"] is None
        assert "竞聘没选上" not in detail.content.decode()
    assert detail.json()["reason_label"] == "遇到挫折困惑"


def test_a_worker_reads_the_notes_of_their_own_talks_only(outreach_work, worker_a, token_client):
    listed = token_client(worker_a).get("/api/v1/talks/").json()["results"]
    notes = {t["id"]: t["notes"] for t in listed}
    assert notes == {
        outreach_work["talk_worker_a"].pk: outreach_work["talk_worker_a"].notes,
        outreach_work["talk_rep_a"].pk: None,
    }


def test_department_handlers_get_nothing_of_outreach(
    outreach_work, handler_1, community_a, rep_a_record, token_client
):
    client = token_client(handler_1)
    for url in (
        "/api/v1/visits/",
        "/api/v1/reception-days/",
        "/api/v1/check-ins/",
        "/api/v1/talks/",
        "/api/v1/activities/",
        "/api/v1/duties/",
        "/api/v1/proposals/",
    ):
        response = client.get(url)
        assert response.status_code == 200 and response.json()["results"] == [], url
    work = outreach_work
    for url in (
        f"/api/v1/visits/{work['visit_worker_a'].pk}/",
        f"/api/v1/reception-days/{work['reception_a'].pk}/",
        f"/api/v1/check-ins/{work['check_in_a'].pk}/",
        f"/api/v1/talks/{work['talk_worker_a'].pk}/",
        f"/api/v1/activities/{work['activity_a'].pk}/",
        f"/api/v1/activities/{work['activity_a'].pk}/attendance/",
        f"/api/v1/proposals/{work['proposal_a'].pk}/",
        f"/api/v1/duties/{rep_a_record.pk}/",
        f"/api/v1/visits/prompts/?household={work['visit_rep_a'].household_id}",
        f"/api/v1/coverage/?community={community_a.pk}&start=2026-01-01&end=2026-12-31",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/api/v1/reception-days/{work['reception_a'].pk}/visitors/",
        {"name": "张三", "title": "t", "description": "d"},
        format="json",
    )
    assert response.status_code == 404
    response = client.post(
        f"/api/v1/visits/{work['visit_worker_a'].pk}/case/",
        {"title": "t", "description": "d"},
        format="json",
    )
    assert response.status_code == 404
    response = client.post(
        "/api/v1/visits/",
        {
            "resident": work["visit_worker_a"].resident_id,
            "visited_at": "2026-06-01T09:00",
            "heard": "x",
        },
        format="json",
    )
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"


def test_reception_days_list_their_visitors_cases_without_phone_numbers(
    outreach_work, worker_a, rep_a, token_client
):
    reception = outreach_work["reception_a"]
    visitor = outreach_work["visitor_a"]
    for user in (worker_a, rep_a):
        client = token_client(user)
        response = client.get(f"/api/v1/reception-days/{reception.pk}/")
        body = response.json()
        assert body["visitor_count"] == 1 and body["status"] == "published"
        assert body["visitors"] == [
            {
                "id": visitor.pk,
                "name": "过路群众",
                "resident": None,
                "arrived_at": body["visitors"][0]["arrived_at"],
                "case": {
                    "number": visitor.case.number,
                    "title": "小区停车难",
                    "status": "received",
                    "status_label": "已受理",
                },
            }
        ]
        assert body["representatives"] == [
            {"id": reception.representatives.get().pk, "name": "代表甲"}
        ]
        listed = client.get("/api/v1/reception-days/", {"upcoming": "false"}).content.decode()
        for text in (response.content.decode(), listed):
            assert "13912345678" not in text and "5678" not in text


def test_attendance_shows_residents_masked_and_only_within_the_readers_scope(
    outreach_work, admin_user, worker_a, resident_a, resident_b, token_client
):
    activity = outreach_work["activity_ab"]
    url = f"/api/v1/activities/{activity.pk}/attendance/"
    rows = {r["resident"]: r for r in token_client(admin_user).get(url).json()["results"]}
    assert rows[resident_a.pk]["phone_masked"] == "138****8000"
    assert rows[resident_b.pk]["phone_masked"] == "139****9000"
    response = token_client(worker_a).get(url)
    rows = {r["resident"]: r for r in response.json()["results"]}
    assert rows[resident_a.pk]["phone_masked"] == "138****8000"
    assert rows[resident_a.pk]["community_name"] == "甲社区"
    # Seen at the activity as on its page (name and community), but not their number.
    assert rows[resident_b.pk]["phone_masked"] is None and rows[resident_b.pk]["name"] == "居民乙"
    assert "13800138000" not in response.content.decode()
    detail = token_client(worker_a).get(f"/api/v1/activities/{activity.pk}/").json()
    listed = token_client(worker_a).get("/api/v1/activities/").json()["results"]
    assert detail["attendance_count"] == 2
    assert {a["id"]: a["attendance_count"] for a in listed}[activity.pk] == 2


def test_an_unknown_sign_in_keeps_its_masked_phone(outreach_work, worker_a, token_client):
    import time_machine

    from lianxin.outreach import services
    from lianxin.outreach.tests.conftest import at

    activity = outreach_work["activity_a"]
    with time_machine.travel(at(2026, 5, 28, 14, 30), tick=False):
        services.attendance_sign_in(activity=activity, name="过路群众", phone="13912345678")
    rows = token_client(worker_a).get(f"/api/v1/activities/{activity.pk}/attendance/").json()
    [stranger] = [r for r in rows["results"] if r["resident"] is None]
    assert stranger["name"] == "过路群众"
    assert stranger["phone_masked"] == "139****5678" and stranger["method"] == "qr"


def test_cursor_pages_walk_the_visit_diary_once(outreach_work, supervisor, token_client):
    client = token_client(supervisor)
    seen, url = [], "/api/v1/visits/?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [v["id"] for v in page["results"]]
        url = page["next"]
    assert len(seen) == 4 and len(set(seen)) == 4


def test_bad_filter_values_are_json_input_errors(outreach_work, worker_a, token_client):
    client = token_client(worker_a)
    response = client.get("/api/v1/visits/", {"community": "x"})
    assert response.status_code == 400 and "community" in response.json()["fields"]
    response = client.get("/api/v1/duties/", {"year": "1800"})
    assert response.status_code == 400 and "year" in response.json()["fields"]
