"""Visits: the questions of the household's care tags, a problem heard becoming a case in the
same step, the diary, and follow-up reminders."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from lianxin.cases.models import Channel
from lianxin.notify.models import Notification
from lianxin.outreach import selectors, services
from lianxin.outreach.services import OutreachError, Problem
from lianxin.outreach.sweep import sweep
from lianxin.outreach.tests.conftest import at
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db


def test_a_low_income_household_is_asked_about_food_clothing_housing_and_transport(
    dibao_household,
):
    [prompt] = selectors.visit_prompts(household=dibao_household)
    assert prompt["question"].startswith("问衣食住行")
    assert prompt["tags"] == ["低保户"]


def test_tags_of_members_add_their_questions_once_each(community_a, dibao_household):
    head = dibao_household.members.get(name="牛某")
    head.care_tags.set([f.care_tag("canji"), f.care_tag("kunnan")])  # 困难户 asks as 低保户 does
    questions = [p["question"] for p in selectors.visit_prompts(household=dibao_household)]
    assert len(questions) == 2
    assert questions[0].startswith("问衣食住行") and questions[1].startswith("问生活照料")


def test_a_problem_heard_becomes_a_case_linked_to_the_visit(rep_a, dibao_household):
    with time_machine.travel(at(2026, 3, 2, 16), tick=False):
        visit = services.visit_log(
            actor=rep_a,
            household=dibao_household,
            visited_at=at(2026, 3, 2, 15),
            met="牛某和老伴",
            heard="牛某长年吃药，退休金不高。",
            answers=[{"tag": "低保户", "question": "问衣食住行", "answer": "冬天取暖费负担重"}],
            problem=Problem(
                title="申请困难党员帮扶款",
                description="牛某患肌肉萎缩症，药费负担重，想申请困难党员帮扶款和残疾人困难补助。",
                category=f.category("disability-subsidy"),
            ),
        )
    [case] = visit.cases.all()
    assert case.channel == Channel.VISIT
    assert case.reporter_resident.name == "牛某"  # the head of the household
    assert case.community == dibao_household.community
    assert case.received_by == rep_a and case.assignee == rep_a
    assert visit.answers[0]["answer"] == "冬天取暖费负担重"
    assert list(visit.visitors.all()) == [rep_a]


def test_a_visit_outside_the_visitors_communities_is_refused(rep_b, dibao_household):
    with pytest.raises(OutreachError):
        services.visit_log(
            actor=rep_b, household=dibao_household, visited_at=at(2026, 3, 2), heard="越权"
        )


def test_a_visit_needs_what_was_heard_and_loses_no_case_when_refused(rep_a, dibao_household):
    with pytest.raises(ValidationError):
        services.visit_log(
            actor=rep_a,
            household=dibao_household,
            visited_at=at(2026, 3, 2),
            heard=" ",
            problem=Problem(title="标题", description="内容"),
        )
    from lianxin.cases.models import Case

    assert not Case.objects.exists()


def test_the_diary_reads_the_visitors_own_visits_newest_first(rep_a, worker_a, dibao_household):
    for day in (2, 9, 5):
        services.visit_log(
            actor=rep_a, household=dibao_household, visited_at=at(2026, 3, day), heard=f"3月{day}日"
        )
    services.visit_log(
        actor=worker_a, household=dibao_household, visited_at=at(2026, 3, 6), heard="社工走访"
    )
    diary = list(selectors.visit_list(rep_a, visitor=rep_a))
    assert [v.heard for v in diary] == ["3月9日", "3月5日", "3月2日"]


def test_a_follow_up_is_reminded_once_when_its_day_comes(rep_a, worker_a, dibao_household):
    visit = services.visit_log(
        actor=rep_a,
        household=dibao_household,
        visited_at=at(2026, 3, 2),
        heard="约好下周再来看看暖气修好没有。",
        follow_up_on=at(2026, 3, 9).date(),
        companions=[worker_a],
    )
    with time_machine.travel(at(2026, 3, 8, 10), tick=False):
        assert sweep().visit_reminders == 0
    with time_machine.travel(at(2026, 3, 9, 8), tick=False):
        assert sweep().visit_reminders == 1
        assert sweep().visit_reminders == 0
    reminded = Notification.objects.filter(title__startswith="走访跟进提醒")
    assert set(reminded.values_list("recipient", flat=True)) == {rep_a.pk, worker_a.pk}
    services.visit_follow_up_done(actor=rep_a, visit=visit)
    with pytest.raises(OutreachError):
        services.visit_follow_up_done(actor=rep_a, visit=visit)
