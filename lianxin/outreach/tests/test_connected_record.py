"""The representative's connected record: contacts, the cases they raised and how those ended,
their proposals and the answers, the projects that came from them, commitments and aid; in the
duty record page, its .xlsx and its PDF."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lianxin.directory.models import Representative
from lianxin.outreach.selectors import duty_record
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db


def test_the_record_counts_outcomes_from_case_to_project(
    client, rep_a, supervisor, handler_1, department_1, community_a, worker_a
):
    from lianxin.outreach.services import proposal_submit
    from lianxin.projects import services as projects
    from lianxin.projects.models import Commitment
    from lianxin.proposals import services as proposals

    rep = Representative.objects.get(user=rep_a)
    year = timezone.localdate().year
    f.case(actor=rep_a, community=community_a)
    proposal = proposal_submit(
        actor=rep_a, title="建议建小食堂", description="职工吃饭难", community=community_a
    )
    handling = proposals.proposal_assign(
        actor=supervisor, proposal=proposal, department=department_1
    )
    proposals.proposal_answer(
        actor=handler_1, handling=handling, answer="列入计划", answer_kind="planned"
    )
    projects.project_create(
        actor=worker_a,
        title="职工小食堂",
        summary="建",
        owner=department_1,
        starts_on=timezone.localdate(),
        community=community_a,
        proposals=[proposal],
    )
    Commitment.objects.create(
        representative=rep,
        community=community_a,
        year=year,
        title="推动建小食堂",
        due_on=timezone.localdate(),
    )
    record = duty_record(representative=rep, year=year)
    titles = [str(s.title) for s in record.connected]
    assert titles == ["诉求办理", "意见建议办理", "由其建议产生的民生实事", "承诺事项"]
    cases, answers, made, promised = record.connected
    assert dict(cases.outcomes)["提出"] == 1  # the case; the proposal is in its own section
    assert dict(answers.outcomes)["已解决或列入计划"] == 1
    assert made.rows[0][0] == "职工小食堂"
    assert promised.rows[0][0] == "推动建小食堂"
    client.force_login(supervisor)
    page = client.get(reverse("outreach:duty_record", args=[rep.pk, year])).content.decode()
    assert 'id="connected-record"' in page and "职工小食堂" in page
    book = load_workbook(
        io.BytesIO(client.get(reverse("outreach:duty_record_xlsx", args=[rep.pk, year])).content)
    )
    assert "由其建议产生的民生实事" in book.sheetnames
    assert book["由其建议产生的民生实事"]["A2"].value == "职工小食堂"
    pdf = client.get(reverse("outreach:duty_record_pdf", args=[rep.pk, year]))
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "职工小食堂" in text
