"""The to-do hides nothing: one case in each situation, and for every role exactly where it
appears, why, with which deadline, in which order."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from lianxin.cases import services, todo
from lianxin.cases.models import Case, Channel, Referral
from lianxin.outreach.services import Problem, visit_log
from lianxin.testing import factories as f

PAST = datetime.timedelta(hours=3)


@pytest.fixture
def situations(
    worker_a, rep_a, admin_user, community_a, department_1, department_2, handler_1, handler_2
):
    now = timezone.now()

    def new(title, **kwargs):
        return f.case(actor=worker_a, community=community_a, title=title, **kwargs)

    def referred(title, **kwargs):
        case = new(title)
        services.case_contact(actor=worker_a, case=case)
        return case, services.case_refer(actor=worker_a, case=case, lead=department_1, **kwargs)

    f.case(actor=None, community=community_a, title="网上")
    services.case_intake(
        actor=None, title="Open311", description="路灯不亮", channel=Channel.API, consented=True
    )
    api = APIClient()
    api.force_authenticate(worker_a)
    created = api.post(
        "/api/v1/cases/",
        {"title": "接口", "description": "楼道灯坏了", "community": community_a.pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    resident = f.ResidentFactory(community=community_a, name="走访对象")
    visit_log(
        actor=rep_a,
        visited_at=now - datetime.timedelta(hours=1),
        heard="反映小区门口积水",
        resident=resident,
        problem=Problem(title="走访", description="小区门口下雨积水"),
    )
    new("紧急", urgency="urgent")

    case, [lead] = referred("重办")
    services.referral_accept(actor=handler_1, referral=lead)
    services.referral_reply(actor=handler_1, referral=lead, reply="已处理")
    services.case_feedback(
        actor=worker_a, case=Case.objects.get(pk=case.pk), summary="已处理", method="phone"
    )
    services.rating_record_callback(
        actor=worker_a,
        case=Case.objects.get(pk=case.pk),
        resolved=False,
        satisfaction=2,
        method="phone",
        called_at=now - datetime.timedelta(minutes=5),
    )

    case, [lead] = referred("退回")
    services.referral_return(actor=handler_1, referral=lead, reason="不归我们")

    case, [lead] = referred("已答复")
    services.referral_accept(actor=handler_1, referral=lead)
    services.referral_reply(actor=handler_1, referral=lead, reply="已处理")

    case, [lead] = referred("待评价")
    services.referral_accept(actor=handler_1, referral=lead)
    services.referral_reply(actor=handler_1, referral=lead, reply="已处理")
    services.case_feedback(
        actor=worker_a, case=Case.objects.get(pk=case.pk), summary="已处理", method="phone"
    )

    referred("待签收")

    case, [lead] = referred("超期")
    services.referral_accept(actor=handler_1, referral=lead)
    Case.objects.filter(pk=case.pk).update(handling_due_at=now - PAST)
    Referral.objects.filter(pk=lead.pk).update(due_at=now - PAST)

    late = new("响应超期")
    services.case_contact(actor=worker_a, case=late)
    Case.objects.filter(pk=late.pk).update(response_due_at=now - PAST)

    case, [lead, assisting] = referred("协办", assisting=[department_2])
    services.referral_accept(actor=handler_2, referral=assisting)

    closed = new("已归档")
    services.case_feedback(actor=worker_a, case=closed, summary="当场解释", method="phone")
    services.rating_record_callback(
        actor=worker_a,
        case=Case.objects.get(pk=closed.pk),
        resolved=True,
        satisfaction=5,
        method="phone",
        called_at=now - datetime.timedelta(minutes=5),
    )
    assert Case.objects.get(title="已归档").status == "closed"


EXPECTED = {
    "worker_a": {
        "网上": "respond",
        "接口": "respond",
        "走访": "respond",
        "紧急": "respond",
        "重办": "reopened",
        "退回": "returned",
        "已答复": "feedback",
        "待评价": "rating",
        "超期": "urge",
        "响应超期": "in_hand",
    },
    "rep_a": {"走访": "respond"},
    "worker_b": {},
    "rep_b": {},
    "admin_user": {"Open311": "respond"},
    "supervisor": {"超期": "supervise"},
    "handler_1": {"待签收": "accept", "超期": "reply", "协办": "accept"},
    "handler_2": {"协办": "opinion"},
}


def test_each_situation_appears_exactly_where_it_waits(request, situations):
    for persona, expected in EXPECTED.items():
        user = request.getfixturevalue(persona)
        found = todo.todo_for(user, limit=100)
        rows = {row.case.title: row.reason for row in found.rows}
        assert rows == expected, persona
        assert found.total == len(expected), persona
        dues = [row.due for row in found.rows if row.due is not None and not row.urgent]
        assert dues == sorted(dues), f"{persona}: nearest deadline first"


def test_rows_show_the_deadline_that_applies_now_and_overdue_means_it_passed(
    worker_a, handler_1, situations
):
    now = timezone.now()
    everything = todo.todo_for(worker_a, limit=100)
    first = everything.rows[0]
    assert first.case.title == "紧急" and first.deadline == todo.RESPONSE, "hours first"
    rows = {row.case.title: row for row in everything.rows}
    assert rows["网上"].deadline == todo.RESPONSE
    assert rows["网上"].due == rows["网上"].case.response_due_at
    assert rows["响应超期"].deadline == todo.HANDLING
    assert rows["响应超期"].due == rows["响应超期"].case.handling_due_at
    assert rows["待评价"].deadline == todo.RATING_ENDS
    assert {row.case.title for row in everything.overdue} == {"超期"}
    overdue = todo.todo_for(worker_a, show="overdue", limit=100)
    assert [row.case.title for row in overdue.rows] == ["超期"]
    assert all(row.due < now for row in overdue.rows)
    # The responded case whose response deadline passed is not overdue: its handling
    # deadline applies now, and it lies ahead.
    assert not Case.objects.get(title="响应超期").is_overdue(now)
    assert [r.case.title for r in todo.todo_for(handler_1, show="overdue").rows] == ["超期"]
    # No department is asked again to accept a referral of an ended round.
    reopened = Case.objects.get(title="重办")
    assert reopened.round == 2
    assert not Referral.objects.filter(case=reopened, status="pending").exists()


def test_the_todo_page_and_panel_list_the_rows(client, worker_a, situations):
    client.force_login(worker_a)
    page = client.get("/staff/cases/todo/").content.decode()
    for title in EXPECTED["worker_a"]:
        assert title in page
    overdue = client.get("/staff/cases/todo/?show=overdue").content.decode()
    assert "超期" in overdue and "网上" not in overdue
    home = client.get("/staff/").content.decode()
    assert "紧急" in home and "/staff/cases/todo/" in home


def test_the_todo_costs_the_same_few_queries_however_many_cases_wait(
    worker_a, community_a, django_assert_max_num_queries
):
    for i in range(3):
        f.case(actor=worker_a, community=community_a, title=f"诉求{i}")
    with django_assert_max_num_queries(6) as few:
        todo.todo_for(worker_a)
    for i in range(3, 15):
        f.case(actor=worker_a, community=community_a, title=f"诉求{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert todo.todo_for(worker_a).total == 15
