"""Logging outreach through the REST API: a visit (with the problem heard recorded as a case in
the same step) and a reception day's visitor, through the outreach services only; refusals are
JSON with Chinese messages, and nothing is half-saved."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from lianxin.cases.models import Case, Channel
from lianxin.outreach import services
from lianxin.outreach.models import ReceptionVisitor, Visit
from lianxin.outreach.tests.conftest import at

NOW = at(2026, 6, 1, 10)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _visit(client, **fields):
    body = {"visited_at": "2026-06-01T09:00:00+08:00", "heard": "老两口身体还好。", **fields}
    return client.post("/api/v1/visits/", body, format="json")


def test_a_representative_logs_a_visit_with_the_care_tags_answers_and_a_case(
    frozen, rep_a, worker_a, dibao_household, token_client
):
    client = token_client(rep_a)
    prompts = client.get("/api/v1/visits/prompts/", {"household": dibao_household.pk}).json()
    assert [p["code"] for p in prompts] == ["dibao"]
    assert prompts[0]["tags"] == ["低保户"] and "衣食住行" in prompts[0]["question"]
    response = _visit(
        client,
        household=dibao_household.pk,
        met="牛某和老伴",
        answers={"dibao": "冬天取暖费用高"},
        companions=[worker_a.pk],
        follow_up_on="2026-06-15",
        problem={
            "title": "楼道扶手松动",
            "description": "三楼扶手松动，老人上下楼危险。",
            "appeal_type": "help",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    visit = Visit.objects.get(pk=body["id"])
    assert visit.recorded_by == rep_a and set(visit.visitors.all()) == {rep_a, worker_a}
    assert visit.answers == [
        {"tag": "低保户", "question": prompts[0]["question"], "answer": "冬天取暖费用高"}
    ]
    [case] = visit.cases.all()
    assert case.channel == Channel.VISIT and case.reporter_resident.name == "牛某"
    assert body["cases"] == [
        {
            "number": case.number,
            "title": "楼道扶手松动",
            "status": "received",
            "status_label": "已受理",
            "tracking_code": case.tracking_code_display,
        }
    ]
    assert body["follow_up_on"] == "2026-06-15" and body["met"] == "牛某和老伴"
    diary = token_client(worker_a).get("/api/v1/visits/", {"mine": "true"}).json()["results"]
    assert [v["id"] for v in diary] == [visit.pk]


def test_a_visit_to_a_resident_counts_for_their_household(
    frozen, worker_a, dibao_household, token_client
):
    member = dibao_household.members.get(name="牛某")
    response = _visit(token_client(worker_a), resident=member.pk)
    assert response.status_code == 201, response.json()
    assert response.json()["household"] == dibao_household.pk
    assert response.json()["resident"] == member.pk and response.json()["cases"] == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "household"),
        ({"answers": {"nonsense": "x"}}, "answers"),
        ({"companions": [1]}, "companions"),
        ({"problem": {"title": "", "description": "x"}}, "problem.title"),
        ({"problem": {"title": "x", "description": "y", "category": 999999}}, "problem.category"),
        ({"visited_at": "2026-06-02T09:00:00+08:00"}, "visited_at"),
        ({"visited_at": "1999-06-02T09:00:00+08:00"}, "visited_at"),
        ({"follow_up_on": "2026-05-01"}, "follow_up_on"),
        ({"heard": "   "}, "heard"),
    ],
)
def test_bad_visits_are_refused_field_by_field_and_nothing_is_saved(
    frozen, fields, field, worker_a, dibao_household, token_client
):
    if field != "household":
        fields = {"household": dibao_household.pk, **fields}
    response = _visit(token_client(worker_a), **fields)
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"], body
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_a_problem_the_casework_refuses_leaves_no_visit_behind(
    frozen, worker_a, dibao_household, token_client
):
    from lianxin.testing import factories as f

    category = f.category("suggestion-party")  # takes proposals, not requests for help
    response = _visit(
        token_client(worker_a),
        household=dibao_household.pk,
        problem={"title": "噪音", "description": "很吵", "category": category.pk},
    )
    assert response.status_code == 400, response.json()
    assert "problem.appeal_type" in response.json()["fields"]
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_visits_outside_ones_scope_or_role_are_refused(
    frozen, worker_b, supervisor, dibao_household, token_client
):
    response = _visit(token_client(worker_b), household=dibao_household.pk)
    assert response.status_code == 400
    assert response.json()["fields"]["household"] == ["没有找到该住户，或您无权查看。"]
    response = _visit(token_client(supervisor), household=dibao_household.pk)
    assert response.status_code == 403
    assert response.json() == {"code": "not_allowed", "message": "您的角色不能登记联系服务工作。"}
    assert not Visit.objects.exists()


def test_a_problem_heard_is_recorded_from_a_visit_later(
    frozen, worker_a, worker_b, resident_a, token_client
):
    visit = services.visit_log(
        actor=worker_a, resident=resident_a, visited_at=at(2026, 6, 1, 9), heard="路灯坏了"
    )
    problem = {"title": "路灯不亮", "description": "小区门口路灯坏了一周。"}
    url = f"/api/v1/visits/{visit.pk}/case/"
    assert token_client(worker_b).post(url, problem, format="json").status_code == 404
    response = token_client(worker_a).post(url, problem, format="json")
    assert response.status_code == 201, response.json()
    [case] = visit.cases.all()
    assert response.json()["number"] == case.number and case.reporter_resident == resident_a


# --- Reception days ------------------------------------------------------------------------
@pytest.fixture
def reception(worker_a, community_a, rep_a_record):
    with time_machine.travel(NOW, tick=False):
        return services.reception_schedule(
            actor=worker_a,
            community=community_a,
            place="社区党群服务中心一楼",
            starts_at=at(2026, 6, 5, 9),
            ends_at=at(2026, 6, 5, 11, 30),
            representatives=[rep_a_record],
            publish=True,
        )


def _visitor(client, reception, **fields):
    body = {"title": "小区停车难", "description": "晚上回来找不到车位。", **fields}
    return client.post(f"/api/v1/reception-days/{reception.pk}/visitors/", body, format="json")


def test_a_host_logs_a_walk_in_and_the_phone_is_sealed(reception, rep_a, token_client):
    client = token_client(rep_a)
    with time_machine.travel(at(2026, 6, 5, 9, 40), tick=False):
        response = _visitor(client, reception, name="过路群众", phone="139 1234 5678")
        assert response.status_code == 201, response.json()
        detail = client.get(f"/api/v1/reception-days/{reception.pk}/")
    body = response.json()
    visitor = ReceptionVisitor.objects.get(pk=body["id"])
    assert body["name"] == "过路群众" and body["resident"] is None
    assert body["case"]["number"] == visitor.case.number
    assert body["case"]["tracking_code"] == visitor.case.tracking_code_display
    assert visitor.case.channel == Channel.RECEPTION
    assert visitor.case.reporter_phone_masked == "139****5678"
    assert (
        visitor.case.reporter_phone_cipher
        and "13912345678" not in visitor.case.reporter_phone_cipher
    )
    for text in (response.content.decode(), detail.content.decode()):
        assert "13912345678" not in text
    assert detail.json()["visitors"][0]["case"]["number"] == visitor.case.number


def test_a_resident_of_the_roster_is_logged_by_id_and_solved_on_the_spot(
    reception, worker_a, resident_a, token_client
):
    with time_machine.travel(at(2026, 6, 5, 10), tick=False):
        response = _visitor(
            token_client(worker_a),
            reception,
            resident=resident_a.pk,
            resolved_on_spot=True,
            resolution="当场联系物业调整了车位。",
        )
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "居民甲" and response.json()["resident"] == resident_a.pk
    assert response.json()["case"]["status"] == "resolved"


def test_visitors_are_refused_with_the_services_reasons(
    reception, worker_a, worker_b, supervisor, resident_b, token_client
):
    worker = token_client(worker_a)
    with time_machine.travel(at(2026, 6, 4, 10), tick=False):
        response = _visitor(worker, reception, name="来早了")
    assert response.status_code == 409 and response.json()["code"] == "closed"
    assert response.json()["message"] == "接待日当天起才能登记来访群众。"
    with time_machine.travel(at(2026, 6, 5, 10), tick=False):
        response = _visitor(worker, reception, name="张三", phone="12345")
        assert response.status_code == 400 and "phone" in response.json()["fields"]
        response = _visitor(worker, reception)
        assert response.status_code == 400 and "name" in response.json()["fields"]
        response = _visitor(worker, reception, resident=resident_b.pk)
        assert response.status_code == 400 and "resident" in response.json()["fields"]
        response = _visitor(token_client(supervisor), reception, name="张三")
        assert response.status_code == 403 and response.json()["code"] == "not_allowed"
        assert _visitor(token_client(worker_b), reception, name="张三").status_code == 404
    assert not ReceptionVisitor.objects.exists() and not Case.objects.exists()


def test_a_cancelled_reception_day_takes_no_visitors(reception, worker_a, token_client):
    services.reception_cancel(actor=worker_a, reception=reception, reason="下雨")
    with time_machine.travel(at(2026, 6, 5, 10), tick=False):
        response = _visitor(token_client(worker_a), reception, name="张三")
    assert response.status_code == 409 and response.json()["code"] == "closed"
    assert response.json()["message"] == "这个接待日不在接待中（已撤销）。"


def test_english_messages_when_the_program_asks_for_english(reception, supervisor, token_client):
    response = token_client(supervisor).post(
        f"/api/v1/reception-days/{reception.pk}/visitors/",
        {"name": "x", "title": "t", "description": "d"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json()["message"] == "You cannot log visitors of this reception day."


def test_the_upcoming_filter_orders_soonest_first(
    worker_a, community_a, rep_a_record, token_client
):
    now = timezone.now()
    made = []
    for days in (9, 5, 7):
        start = now + datetime.timedelta(days=days)
        made.append(
            services.reception_schedule(
                actor=worker_a,
                community=community_a,
                place="活动室",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
                representatives=[rep_a_record],
            )
        )
    listed = token_client(worker_a).get("/api/v1/reception-days/", {"upcoming": "true"}).json()
    assert [r["id"] for r in listed["results"]] == [made[1].pk, made[2].pk, made[0].pk]
    assert {r["status"] for r in listed["results"]} == {"draft"}
