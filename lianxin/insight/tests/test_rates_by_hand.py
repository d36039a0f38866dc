"""A small fixed district whose figures are worked out by hand below, step by step.

Week of Monday 2 March 2026 (all working days). Category "noise-institution": response within
1 working day, handling within 7; referrals are accepted within 1 working day.

- Case 1 (甲社区): contacted at once, referred to 测试幼儿园 (lead), accepted, replied, fed back,
  rated by the resident: solved, satisfied.
- Case 2 (甲社区): referred to 测试幼儿园 on Monday, contacted on Wednesday (late: due
  Tuesday); 测试幼儿园 returns it on Wednesday (late: acceptance was due Tuesday), referred to 测试物业, accepted,
  replied, fed back; the resident rates: not solved, very dissatisfied → reopened; fed back
  again and a worker records a callback: solved, very satisfied.
- Case 3 (乙社区): never contacted.
- Case 4 (甲社区): withdrawn before any contact.

Today is Tuesday 10 March.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db.models import Q

from lianxin.cases import services
from lianxin.cases.models import RatingInvitation
from lianxin.insight import metrics, rollup, selectors
from lianxin.insight.models import DayFigures, ScoreSettings
from lianxin.testing import factories as f

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
TODAY = datetime.date(2026, 3, 10)


def at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, 0, tzinfo=SH)


def rate(dim, key, code):
    figures = selectors.combined(dim, *MARCH, [key], today=TODAY)
    r = figures.rate(code)
    return (r.numerator, r.denominator)


@pytest.fixture
def district(working_calendar, admin_user, handler_1, handler_2, community_a, community_b):
    cases = {}
    with time_machine.travel(at(2, 9), tick=False):
        for n, community in (
            (1, community_a),
            (2, community_a),
            (3, community_b),
            (4, community_a),
        ):
            cases[n] = f.case(actor=admin_user, community=community, title=f"问题{n}")
    c1, c2, _c3, c4 = cases[1], cases[2], cases[3], cases[4]
    with time_machine.travel(at(2, 10), tick=False):
        services.case_contact(actor=admin_user, case=c1)
        [r1] = services.case_refer(actor=admin_user, case=c1, lead=handler_1.department)
        services.referral_accept(actor=handler_1, referral=r1)
        services.referral_reply(actor=handler_1, referral=r1, reply="已处理")
        c1.refresh_from_db()
        services.case_feedback(actor=admin_user, case=c1, summary="已解决", method="phone")
        token = RatingInvitation.objects.get(case=c1).token()
        services.rating_submit(token=token, resolved=True, satisfaction=4)
        services.case_withdraw(actor=admin_user, case=c4, reason="居民不再需要")
        [r2] = services.case_refer(actor=admin_user, case=c2, lead=handler_1.department)
    with time_machine.travel(at(4, 10), tick=False):
        c2.refresh_from_db()
        services.case_contact(actor=admin_user, case=c2)
    with time_machine.travel(at(4, 11), tick=False):
        services.referral_return(actor=handler_1, referral=r2, reason="不归我们管")
        c2.refresh_from_db()
        [r3] = services.case_refer(actor=admin_user, case=c2, lead=handler_2.department)
        services.referral_accept(actor=handler_2, referral=r3)
        services.referral_reply(actor=handler_2, referral=r3, reply="已处理")
        c2.refresh_from_db()
        services.case_feedback(actor=admin_user, case=c2, summary="已处理", method="phone")
        token = RatingInvitation.objects.get(case=c2).token()
        services.rating_submit(token=token, resolved=False, satisfaction=1)
    with time_machine.travel(at(5, 10), tick=False):
        c2.refresh_from_db()
        services.case_feedback(actor=admin_user, case=c2, summary="重新处理好了", method="visit")
        services.rating_record_callback(
            actor=admin_user,
            case=c2,
            resolved=True,
            satisfaction=5,
            method="phone",
            called_at=at(5, 9),
        )
    return cases


def test_the_three_rates_match_the_hand_count(district, community_a, community_b):
    # Response: case 1 in time, case 2 late, case 3 waiting since Tuesday (missed by now);
    # case 4 withdrawn first and does not count.
    assert rate("district", "0", "response_rate") == (1, 3)
    assert rate("community", community_a.pk, "response_rate") == (1, 2)
    assert rate("community", community_b.pk, "response_rate") == (0, 1)
    # Residents' own ratings: case 1 (solved, satisfied), case 2 round 1 (neither).
    assert rate("district", "0", "resolution_rate") == (1, 2)
    assert rate("district", "0", "satisfaction_rate") == (1, 2)
    # The callback is counted apart: one of three ratings.
    assert rate("district", "0", "callback_resolution_rate") == (1, 1)
    assert rate("district", "0", "callback_satisfaction_rate") == (1, 1)
    assert rate("district", "0", "callback_share") == (1, 3)
    # Handling: cases 1 and 2 (its second round) on time; case 3 is due on 11 March, not yet.
    assert rate("district", "0", "on_time_rate") == (2, 2)
    figures = selectors.combined("district", *MARCH, today=TODAY)
    assert figures.count("intake") == 4
    assert figures.count("reopened") == 1
    assert figures.count("overdue") == 0


def test_department_figures_match_the_hand_count(district, department_1, department_2):
    d1, d2 = department_1.pk, department_2.pk
    # 测试幼儿园 received two referrals as lead and returned one, a day late.
    assert rate("dept_lead", d1, "return_rate") == (1, 2)
    assert rate("dept_lead", d1, "acceptance_rate") == (1, 2)
    # It was the first lead of both cases and kept only case 1.
    assert rate("dept_lead", d1, "first_time_right") == (1, 2)
    assert rate("dept_lead", d2, "first_time_right") == (0, 0)
    assert rate("dept_lead", d2, "acceptance_rate") == (1, 1)
    # Ratings follow the lead of their round: case 1 → 幼儿园, case 2 round 1 → 物业.
    assert rate("dept_lead", d1, "satisfaction_rate") == (1, 1)
    assert rate("dept_lead", d2, "satisfaction_rate") == (0, 1)
    assert rate("dept_lead", d2, "reply_on_time_rate") == (1, 1)


def test_scores_use_the_settings_in_force(district, admin_user):
    ScoreSettings.objects.create(
        version=2,
        weight_response=30,
        weight_resolution=35,
        weight_satisfaction=35,
        min_sample=1,
        created_by=admin_user,
    )
    figures = selectors.combined("district", *MARCH, today=TODAY)
    # 30 × 1/3 + 35 × 1/2 + 35 × 1/2 = 45 points.
    assert figures.composite.shown == 45.0
    assert figures.composite.version == 2
    # Default points: satisfied 80, very dissatisfied 0 → 40.
    assert figures.satisfaction_score.shown == 40.0
    assert figures.rate("response_rate").percent == 33.3


def test_too_few_cases_are_not_a_percentage(district):
    figures = selectors.combined("district", *MARCH, today=TODAY)
    assert figures.rate("satisfaction_rate").percent is None
    assert figures.composite.value is None


def test_the_raw_queries_of_each_definition_agree(district, community_a, department_1):
    window = metrics.Window(
        start=datetime.datetime(2026, 3, 1, tzinfo=SH),
        end=datetime.datetime(2026, 4, 1, tzinfo=SH),
        today=datetime.datetime(2026, 3, 10, tzinfo=SH),
    )
    units = [
        ("district", "0", Q()),
        ("community", str(community_a.pk), Q(community_id=community_a.pk)),
        ("dept_lead", str(department_1.pk), Q(department_id=department_1.pk, role="lead")),
    ]
    checked = 0
    for dim, key, where in units:
        figures = selectors.combined(dim, *MARCH, [key], today=TODAY)
        for metric in metrics.METRICS:
            if metric.raw_numerator is None or dim not in metric.raw_dimensions:
                continue
            assert metric.raw_numerator(window, where) == figures.total(metric.numerator), (
                dim,
                metric.code,
            )
            if metric.raw_denominator:
                assert metric.raw_denominator(window, where) == figures.total(metric.denominator)
            checked += 1
    assert checked >= 12


def test_a_rebuild_gives_the_same_rollups(district):
    def table():
        return sorted(
            (r.dim, r.key, r.day, tuple(getattr(r, c) for c in ("received", "rated", "resp_late")))
            for r in DayFigures.objects.all()
            if any(getattr(r, c) for c in ("received", "rated", "resp_late"))
        )

    before = table()
    rollup.rebuild()
    assert table() == before
