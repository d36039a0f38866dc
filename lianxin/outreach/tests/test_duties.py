"""Duties: progress of a seeded representative against the year's rules, and the duty record
as .xlsx and as a PDF whose text (extracted with pypdf) holds the Chinese names and headings."""

import io

import pytest
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from lianxin.outreach import selectors, services
from lianxin.outreach.exports import duty_record_pdf, duty_record_xlsx
from lianxin.outreach.services import OutreachError
from lianxin.outreach.tests.conftest import at

pytestmark = pytest.mark.django_db

TODAY = at(2026, 7, 15, 10)


@pytest.fixture
def seeded(admin_user, rep_a, worker_a, community_a, rep_a_record, paired_household):
    """代表甲 in 2026: three visits, a reception day in the second quarter, a check-in, a
    proposal, a talk and one paired household of two."""
    for metric, period, minimum in (
        ("visits", "year", 3),
        ("receptions", "quarter", 1),
        ("paired_residents", "year", 10),
        ("proposals", "year", 1),
        ("check_ins", "year", 2),
    ):
        services.duty_rule_save(
            actor=admin_user, year=2026, metric=metric, period=period, minimum=minimum
        )
    with time_machine.travel(at(2026, 5, 4, 9), tick=False):
        reception = services.reception_schedule(
            actor=worker_a,
            community=community_a,
            place="社区党群服务中心",
            starts_at=at(2026, 5, 9, 9),
            ends_at=at(2026, 5, 9, 11),
            representatives=[rep_a_record],
            publish=True,
        )
    with time_machine.travel(at(2026, 5, 9, 12), tick=False):
        services.reception_summarise(
            actor=rep_a, reception=reception, summary="接待群众2人，反映暖气和停车问题。"
        )
    with time_machine.travel(TODAY, tick=False):
        for month in (2, 4, 6):
            services.visit_log(
                actor=rep_a,
                household=paired_household,
                visited_at=at(2026, month, 10),
                heard=f"{month}月走访牛某，了解用药和生活情况。",
            )
        services.check_in_record(
            actor=rep_a, community=community_a, checked_in_at=at(2026, 3, 1), note="到社区报到"
        )
        services.proposal_submit(
            actor=rep_a,
            title="建议党员干部定期下基层",
            description="希望党员干部多下来走走，多听听老百姓的意见。",
        )
        services.talk_record(
            actor=rep_a,
            resident=paired_household.members.first(),
            reason="mood",
            held_at=at(2026, 6, 20),
            notes="情绪低落。",
        )
    return rep_a_record


def test_progress_of_a_seeded_representative(seeded):
    with time_machine.travel(TODAY, tick=False):
        [progress] = selectors.duty_progress(year=2026, representatives=[seeded])
    by_metric = {p.rule.metric: p for p in progress.rules}
    assert (by_metric["visits"].value, by_metric["visits"].status) == (3, "met")
    receptions = by_metric["receptions"]
    assert [(q.label, q.value) for q in receptions.periods] == [
        ("Q1", 0),
        ("Q2", 1),
        ("Q3", 0),
        ("Q4", 0),
    ]
    assert receptions.status == "behind"  # the first quarter passed without one
    assert (by_metric["paired_residents"].value, by_metric["paired_residents"].status) == (
        2,
        "pending",
    )
    assert (by_metric["proposals"].value, by_metric["proposals"].status) == (1, "met")
    assert (by_metric["check_ins"].value, by_metric["check_ins"].status) == (1, "pending")
    assert progress.met_count == 2


def test_the_proposal_is_a_suggestion_case_reported_by_the_representative(seeded, rep_a):
    [proposal] = seeded.proposals.all()
    assert proposal.case.appeal_type == "suggestion"
    assert proposal.case.category.code == "suggestion-party"
    assert proposal.case.received_by == rep_a


def test_progress_of_many_representatives_costs_the_same_queries(
    seeded, rep_b, django_assert_max_num_queries
):
    from lianxin.directory.models import Representative

    reps = list(Representative.objects.all())
    # 4 yearly rules × 1 + 1 quarterly rule × 4, plus the rules themselves.
    with django_assert_max_num_queries(9):
        selectors.duty_progress(year=2026, representatives=reps)


def test_the_duty_record_pdf_holds_the_chinese_names_and_headings(seeded):
    with time_machine.travel(TODAY, tick=False):
        pdf = duty_record_pdf(selectors.duty_record(representative=seeded, year=2026))
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    compact = "".join(text.split())
    for expected in (
        "代表甲2026年度履职档案",
        "履职要求与完成情况",
        "走访",
        "接待日",
        "意见建议",
        "结对帮扶户",
        "甲社区",
        "建议党员干部定期下基层",
        "枣园北里3号楼2单元101",
    ):
        assert expected in compact, expected
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("WenQuanYi" in name for name in fonts), fonts


def test_the_duty_record_xlsx_lists_the_duties_and_the_visits(seeded):
    with time_machine.travel(TODAY, tick=False):
        content = duty_record_xlsx(selectors.duty_record(representative=seeded, year=2026))
    book = load_workbook(io.BytesIO(content))
    summary = [row for row in book["履职情况"].iter_rows(values_only=True)]
    assert summary[0][0] == "代表甲 2026年度履职档案"
    rows = {row[0]: row for row in summary[5:]}
    assert rows["走访"][3] == 3 and rows["走访"][5] == "已完成"
    assert rows["参加接待日"][4] == "Q1：0；Q2：1；Q3：0；Q4：0"
    visits = list(book["走访"].iter_rows(values_only=True))
    assert len(visits) == 4 and "2月走访牛某" in visits[1][4]


def test_the_record_is_for_the_representative_and_supervisors_only(
    client, seeded, rep_a, rep_b, worker_a, supervisor, handler_1
):
    url = f"/staff/outreach/duties/{seeded.pk}/2026/"
    for user, status in ((rep_a, 200), (supervisor, 200), (rep_b, 404), (worker_a, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(handler_1)
    assert client.get(url + "x").status_code == 404
    assert client.get(f"/staff/outreach/duties/{seeded.pk}/2026.pdf").status_code == 404
    client.force_login(rep_a)
    response = client.get(f"/staff/outreach/duties/{seeded.pk}/2026.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_only_administrators_set_duty_rules(rep_a, supervisor):
    for user in (rep_a, supervisor):
        with pytest.raises(OutreachError):
            services.duty_rule_save(
                actor=user, year=2026, metric="visits", period="year", minimum=1
            )
