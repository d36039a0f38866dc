"""The workflow table is the one rule: for every persona, every case state and every step,
what the case page offers, what the API lists in `actions`, and what the service accepts
when called for real are the same set."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from lianxin.cases import services, workflow
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import Case, CaseStatus, Referral
from lianxin.cases.tests.test_case_permissions import PERSONAS
from lianxin.testing import factories as f


class Rollback(Exception):
    pass


@pytest.fixture
def department_3(db):
    return f.DepartmentFactory(name="测试住建委", short_name="住建委")


@pytest.fixture
def cases_by_status(worker_a, community_a, department_1, department_2, handler_1, handler_2):
    """One case in community A in every state; department 1 leads, department 2 assists."""

    def new(title):
        return f.case(actor=worker_a, community=community_a, title=title)

    def referred(title):
        case = new(title)
        services.case_contact(actor=worker_a, case=case)
        lead, assisting = services.case_refer(
            actor=worker_a, case=case, lead=department_1, assisting=[department_2]
        )
        services.referral_accept(actor=handler_1, referral=lead)
        services.referral_accept(actor=handler_2, referral=assisting)
        return case, lead

    def replied(title):
        case, lead = referred(title)
        services.referral_reply(actor=handler_1, referral=lead, reply="已处理")
        return Case.objects.get(pk=case.pk)

    def resolved(title):
        case = replied(title)
        services.case_feedback(actor=worker_a, case=case, summary="已办好", method="phone")
        return Case.objects.get(pk=case.pk)

    built = {CaseStatus.RECEIVED: new("已受理")}
    responding = new("办理中")
    services.case_contact(actor=worker_a, case=responding)
    built[CaseStatus.RESPONDING] = responding
    built[CaseStatus.REFERRED] = referred("已转办")[0]
    built[CaseStatus.REPLIED] = replied("已答复")
    built[CaseStatus.RESOLVED] = resolved("已办结")
    closed = resolved("已归档")
    services.rating_record_callback(
        actor=worker_a,
        case=closed,
        resolved=True,
        satisfaction=5,
        method="phone",
        called_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    built[CaseStatus.CLOSED] = closed
    target = new("合并目标")
    merged = new("已合并")
    services.case_merge(actor=worker_a, case=merged, into=target)
    built[CaseStatus.MERGED] = merged
    rejected = new("不予受理")
    services.case_reject(actor=worker_a, case=rejected, reason="不属于受理范围")
    built[CaseStatus.REJECTED] = rejected
    withdrawn = new("已撤回")
    services.case_withdraw(actor=worker_a, case=withdrawn, reason="居民撤回")
    built[CaseStatus.WITHDRAWN] = withdrawn
    for status, case in built.items():
        case.refresh_from_db()
        assert case.status == status
    return built


def step_data(step, case: Case, *, department_3, worker_a) -> dict:
    """Valid input for the step on this case, as its form or serializer would give it."""
    open_lead = case.referrals.filter(role="lead", status__in=["pending", "accepted"]).exists()
    target = Case.objects.filter(title="合并目标").first()
    return {
        workflow.CONTACT: {"note": "电话联系了居民"},
        workflow.REFER: {
            "lead": None if open_lead else department_3,
            "assisting": [department_3] if open_lead else [],
            "instructions": "",
            "due_at": None,
        },
        workflow.FEEDBACK: {"summary": "已处理好", "method": "phone"},
        workflow.CALLBACK: {
            "resolved": True,
            "satisfaction": 5,
            "comment": "",
            "method": "phone",
            "called_at": timezone.now() - datetime.timedelta(minutes=1),
        },
        workflow.NOTE: {"note": "进展", "public": False, "attachments": []},
        workflow.ASSIGN: {"assignee": worker_a},
        workflow.RETITLE: {"title": case.title + "（改）"},
        workflow.URGE: {"note": ""},
        workflow.SUPERVISE: {"note": ""},
        workflow.MERGE: {"into": target},
        workflow.REJECT: {"reason": "理由"},
        workflow.WITHDRAW: {"reason": "理由"},
        workflow.ACCEPT: {},
        workflow.REPLY: {"reply": "答复", "attachments": []},
        workflow.OPINION: {"reply": "意见", "attachments": []},
        workflow.RETURN: {"reason": "不归我们"},
    }[step.name]


def accepted_by_services(user, case: Case, **context) -> tuple[set, set]:
    """Every step the services accept, each called for real and rolled back; the state each
    successful step leaves must be one the table says it leads to."""
    case_steps, referral_steps = set(), set()
    for step in workflow.STEPS.values():
        targets = (
            [Case.objects.get(pk=case.pk)]
            if step.on == workflow.CASE
            else list(Referral.objects.filter(case=case).select_related("case", "department"))
        )
        for target in targets:
            before = target.status
            try:
                with transaction.atomic():
                    step.call(actor=user, target=target, data=step_data(step, case, **context))
                    target.refresh_from_db()
                    assert target.status in step.after(before), (step.name, before, target.status)
                    raise Rollback
            except Rollback:
                if step.on == workflow.CASE:
                    case_steps.add(step.name)
                else:
                    referral_steps.add((target.pk, step.name))
            except CaseActionError:
                pass
    return case_steps, referral_steps


def offered_on_page(client, case: Case) -> tuple[set, set]:
    response = client.get(f"/staff/cases/{case.number}/")
    if response.status_code == 404:
        return set(), set()
    html = response.content.decode()
    case_steps = set(re.findall(r'id="act-([a-z_]+)"', html))
    referral_steps = {
        (int(pk), name) for pk, name in re.findall(r"/staff/cases/referrals/(\d+)/([a-z_]+)/", html)
    }
    return case_steps, referral_steps


def listed_by_api(api: APIClient, case: Case) -> tuple[set, set]:
    response = api.get(f"/api/v1/cases/{case.number}/")
    if response.status_code == 404:
        return set(), set()
    body = response.json()
    referral_steps = {(r["id"], name) for r in body["referrals"] for name in r["actions"]}
    return set(body["actions"]), referral_steps


# What two personas may do, spelled out, so that a rule changed by mistake shows here too.
EXPECTED = {
    "worker_a": {
        CaseStatus.RECEIVED: {
            "contact",
            "refer",
            "feedback",
            "note",
            "assign",
            "retitle",
            "merge",
            "reject",
            "withdraw",
        },
        CaseStatus.RESPONDING: {
            "refer",
            "feedback",
            "note",
            "assign",
            "retitle",
            "merge",
            "reject",
            "withdraw",
        },
        CaseStatus.REFERRED: {"refer", "note", "assign", "retitle", "urge", "merge", "withdraw"},
        CaseStatus.REPLIED: {
            "refer",
            "feedback",
            "note",
            "assign",
            "retitle",
            "urge",
            "merge",
            "withdraw",
        },
        CaseStatus.RESOLVED: {"callback", "note", "retitle"},
        CaseStatus.CLOSED: set(),
        CaseStatus.MERGED: set(),
        CaseStatus.REJECTED: set(),
        CaseStatus.WITHDRAWN: set(),
    },
    "handler_1": {
        CaseStatus.REFERRED: {"note"},
        CaseStatus.REPLIED: {"note"},
    },
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_api_and_services_agree_for_every_state_and_step(
    client, request, persona, cases_by_status, department_3, worker_a
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    for status, case in cases_by_status.items():
        page = offered_on_page(client, case)
        listed = listed_by_api(api, case)
        accepted = accepted_by_services(user, case, department_3=department_3, worker_a=worker_a)
        assert page == listed == accepted, (persona, status, page, listed, accepted)
        if status in EXPECTED.get(persona, {}):
            assert accepted[0] == EXPECTED[persona][status], (persona, status)


def test_departments_act_only_on_their_own_referrals_of_the_current_round(
    client, cases_by_status, handler_1, handler_2
):
    referred = cases_by_status[CaseStatus.REFERRED]
    lead = referred.referrals.get(role="lead")
    assisting = referred.referrals.get(role="assisting")
    assert workflow.referral_step_names(handler_1, lead) == {"reply", "return"}
    assert workflow.referral_step_names(handler_2, assisting) == {"opinion", "return"}
    assert workflow.referral_step_names(handler_2, lead) == set()
    # Once the resident has been told the result, the round is over for every department.
    resolved = cases_by_status[CaseStatus.RESOLVED]
    for referral in resolved.referrals.all():
        assert workflow.referral_step_names(handler_1, referral) == set()
        assert workflow.referral_step_names(handler_2, referral) == set()


def test_every_step_names_a_service_a_form_and_a_serializer():
    for step in workflow.STEPS.values():
        assert callable(getattr(services, step.service)), step.name
        assert step.form.__init__ is not None and step.serializer is not None
        assert step.starts_from, step.name
        for status, targets in step.moves.items():
            assert status in step.starts_from, (step.name, status)
            assert targets, step.name
