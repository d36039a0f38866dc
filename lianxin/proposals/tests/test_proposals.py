"""A proposal gets an answer: assigned to a department, answered (solved, planned or
explained), rated by the representative; it may become a practical project; the solved or
planned share per representative and department."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.proposals import selectors, services
from lianxin.proposals.models import AnswerKind, ProposalHandling

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_june():
    """60 working days from June stay inside the loaded calendar year."""
    import datetime

    import time_machine
    from django.utils import timezone

    with time_machine.travel(
        datetime.datetime(2026, 6, 1, 10, tzinfo=timezone.get_fixed_timezone(480)), tick=False
    ):
        yield


@pytest.fixture
def proposal(rep_a, community_a):
    from lianxin.outreach.services import proposal_submit

    return proposal_submit(
        actor=rep_a,
        title="建议为一线职工建小食堂",
        description="一线职工吃饭难。",
        community=community_a,
    )


def test_a_proposal_is_assigned_answered_and_rated(
    client, supervisor, handler_1, handler_2, rep_a, rep_b, proposal, department_1, working_calendar
):
    client.force_login(supervisor)
    client.post(reverse("proposals:assign", args=[proposal.pk]), {"department": department_1.pk})
    handling = ProposalHandling.objects.get()
    assert handling.due_at is not None and handling.department == department_1
    client.force_login(handler_2)
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 404
    client.force_login(handler_1)
    response = client.post(
        reverse("proposals:answer", args=[proposal.pk]),
        {"answer_kind": "planned", "answer": "已列入明年计划"},
    )
    assert response.status_code == 302
    with pytest.raises(services.ProposalError):
        services.proposal_rate(
            actor=rep_b, handling=ProposalHandling.objects.get(), rating="satisfied"
        )
    client.force_login(rep_a)
    client.post(
        reverse("proposals:rate", args=[proposal.pk]), {"rating": "fairly", "comment": "希望尽快"}
    )
    handling.refresh_from_db()
    assert handling.answer_kind == AnswerKind.PLANNED and handling.rating == "fairly"
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert (
        "已列入明年计划" in page and f"?proposal={proposal.pk}" not in page
    )  # reps do not start projects


def test_the_solved_or_planned_share_needs_enough_answers(
    supervisor, handler_1, rep_a, community_a, department_1, working_calendar
):
    from django.utils import timezone

    from lianxin.outreach.services import proposal_submit

    kinds = ["solved", "planned", "explained", "solved", "planned", "solved"]
    for i, kind in enumerate(kinds):
        proposal = proposal_submit(
            actor=rep_a, title=f"建议{i}", description="内容", community=community_a
        )
        handling = services.proposal_assign(
            actor=supervisor, proposal=proposal, department=department_1
        )
        if i < 4:
            services.proposal_answer(
                actor=handler_1, handling=handling, answer="答复", answer_kind=kind
            )
    [row] = selectors.share(year=timezone.localdate().year, by="department")
    assert (row.solved_or_planned, row.answered, row.assigned) == (3, 4, 6)
    assert not row.enough and row.percent is None
    for handling in ProposalHandling.objects.filter(answered_at__isnull=True):
        services.proposal_answer(
            actor=handler_1, handling=handling, answer="答复", answer_kind="solved"
        )
    [row] = selectors.share(year=timezone.localdate().year, by="representative")
    assert (row.solved_or_planned, row.answered) == (5, 6)
    assert round(row.percent) == 83 and row.interval[0] < 83 < row.interval[1]


def test_the_sweep_urges_an_answer_past_due_once(
    supervisor, handler_1, proposal, department_1, working_calendar
):
    import datetime

    from lianxin.notify.models import Notification

    handling = services.proposal_assign(
        actor=supervisor, proposal=proposal, department=department_1
    )
    later = handling.due_at + datetime.timedelta(hours=1)
    assert services.sweep(now=later) == {"urged": 1}
    assert services.sweep(now=later) == {"urged": 0}
    assert (
        Notification.objects.filter(recipient=handler_1, title__startswith="【催办】").count() == 1
    )
