"""One predicate and one selector per model, tested together with personas."""

import pytest

from lianxin.cases import services, workflow
from lianxin.cases.models import Case, CaseEvent, Referral
from lianxin.cases.permissions import can_view_case, cases_visible_to
from lianxin.testing import factories as f

PERSONAS = [
    "admin_user",
    "supervisor",
    "worker_a",
    "worker_b",
    "rep_a",
    "rep_b",
    "handler_1",
    "handler_2",
]
CASE_ACTIONS = [
    "contact",
    "assign",
    "refer",
    "note",
    "urge",
    "supervise",
    "feedback",
    "callback",
    "merge",
    "reject",
    "withdraw",
]


@pytest.fixture
def world(worker_a, worker_b, community_a, community_b, department_1):
    """A case in each community; A's is referred to department 1."""
    case_a = f.case(actor=worker_a, community=community_a, title="甲")
    case_b = f.case(actor=worker_b, community=community_b, title="乙")
    services.case_refer(actor=worker_a, case=case_a, lead=department_1)
    return {"a": case_a, "b": case_b}


EXPECTED_VISIBLE = {
    "admin_user": {"a", "b"},
    "supervisor": {"a", "b"},
    "worker_a": {"a"},
    "worker_b": {"b"},
    "rep_a": {"a"},
    "rep_b": {"b"},
    "handler_1": {"a"},
    "handler_2": set(),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_predicate_and_selector_agree(request, persona, world):
    user = request.getfixturevalue(persona)
    visible = {key for key, case in world.items() if can_view_case(user, case)}
    selected = {
        key for key, case in world.items() if cases_visible_to(user).filter(pk=case.pk).exists()
    }
    assert visible == selected == EXPECTED_VISIBLE[persona]


@pytest.mark.parametrize("persona", ["worker_b", "rep_b", "handler_2"])
@pytest.mark.parametrize("action", CASE_ACTIONS)
def test_outsiders_get_404_for_every_action(client, request, persona, action, world):
    client.force_login(request.getfixturevalue(persona))
    case = world["a"]
    before = CaseEvent.objects.filter(case=case).count()
    assert client.get(f"/staff/cases/{case.number}/{action}/").status_code == 404
    assert client.post(f"/staff/cases/{case.number}/{action}/", {"note": "x"}).status_code == 404
    assert CaseEvent.objects.filter(case=case).count() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_shown_action_is_allowed_and_no_other(request, persona, world):
    """The buttons on the case page are exactly what the services accept."""
    user = request.getfixturevalue(persona)
    for case in world.values():
        allowed = workflow.case_step_names(user, case)
        if not can_view_case(user, case):
            assert allowed == set()
            continue
        if persona == "supervisor":
            assert allowed <= {"note", "urge", "supervise"}
        if persona.startswith("handler"):
            assert allowed <= {"note", "contact"}


@pytest.mark.parametrize("persona", ["admin_user", "worker_a", "rep_a", "supervisor"])
def test_handlers_alone_act_on_referrals(request, persona, world):
    referral = Referral.objects.get(case=world["a"])
    assert workflow.referral_step_names(request.getfixturevalue(persona), referral) == set()


def test_the_departments_handler_may_accept_or_return(handler_1, handler_2, world):
    referral = Referral.objects.get(case=world["a"])
    assert workflow.referral_step_names(handler_1, referral) == {"accept", "return"}
    assert workflow.referral_step_names(handler_2, referral) == set()


@pytest.mark.parametrize("persona", PERSONAS)
def test_exports_and_lists_hold_only_visible_cases(client, request, persona, world):
    import io

    from openpyxl import load_workbook

    client.force_login(request.getfixturevalue(persona))
    response = client.get("/staff/cases/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    titles = {row[5] for row in rows[1:]}
    assert titles == {world[k].title for k in EXPECTED_VISIBLE[persona]}
    assert Case.objects.count() == 2
