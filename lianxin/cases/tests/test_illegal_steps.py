"""Illegal steps are refused with a Chinese message and change nothing."""

import pytest
from django.utils import translation

from lianxin.cases import services
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import CaseEvent, CaseStatus, Rating, RatingInvitation, Referral
from lianxin.testing import factories as f


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def snapshot(case):
    case.refresh_from_db()
    return (
        case.status,
        case.round,
        CaseEvent.objects.filter(case=case).count(),
        Rating.objects.filter(case=case).count(),
        list(Referral.objects.filter(case=case).values_list("status", flat=True)),
    )


def test_rating_a_case_that_was_never_fed_back_is_refused(worker_a, community_a):
    case = f.case(actor=worker_a, community=community_a)
    before = snapshot(case)
    with pytest.raises(CaseActionError) as refused:
        services.rating_record_callback(
            actor=worker_a,
            case=case,
            resolved=True,
            satisfaction=5,
            method="phone",
            called_at=case.received_at,
        )
    assert "不能" in refused.value.message
    assert snapshot(case) == before
    # And no resident link exists to rate it with.
    assert not RatingInvitation.objects.filter(case=case).exists()
    with pytest.raises(CaseActionError) as refused:
        services.rating_submit(token="guessed-token", resolved=True, satisfaction=5)
    assert refused.value.code == "invalid_link" and "无效" in refused.value.message
    assert snapshot(case) == before


def test_a_handler_of_another_department_cannot_reply(
    worker_a, community_a, department_1, handler_1, handler_2
):
    case = f.case(actor=worker_a, community=community_a)
    [referral] = services.case_refer(actor=worker_a, case=case, lead=department_1)
    services.referral_accept(actor=handler_1, referral=referral)
    before = snapshot(case)
    with pytest.raises(CaseActionError) as refused:
        services.referral_reply(actor=handler_2, referral=referral, reply="不是我们的事")
    assert refused.value.code == "not_your_department"
    assert "测试幼儿园" in refused.value.message
    assert snapshot(case) == before


def test_accepting_a_referral_twice_is_refused(worker_a, community_a, department_1, handler_1):
    case = f.case(actor=worker_a, community=community_a)
    [referral] = services.case_refer(actor=worker_a, case=case, lead=department_1)
    services.referral_accept(actor=handler_1, referral=referral)
    before = snapshot(case)
    with pytest.raises(CaseActionError) as refused:
        services.referral_accept(actor=handler_1, referral=referral)
    assert refused.value.message == "这件转办已经签收，不能重复签收。"
    assert snapshot(case) == before


def test_feedback_while_the_lead_department_is_still_working_is_refused(
    worker_a, community_a, department_1
):
    case = f.case(actor=worker_a, community=community_a)
    services.case_refer(actor=worker_a, case=case, lead=department_1)
    before = snapshot(case)
    with pytest.raises(CaseActionError):
        services.case_feedback(actor=worker_a, case=case, summary="已办结", method="phone")
    assert snapshot(case) == before


def test_a_used_rating_link_cannot_rate_again(worker_a, community_a):
    case = f.case(actor=worker_a, community=community_a)
    services.case_feedback(actor=worker_a, case=case, summary="已处理", method="phone")
    token = RatingInvitation.objects.get(case=case).token()
    services.rating_submit(token=token, resolved=True, satisfaction=5)
    before = snapshot(case)
    with pytest.raises(CaseActionError) as refused:
        services.rating_submit(token=token, resolved=False, satisfaction=1)
    assert refused.value.code == "already_rated"
    assert snapshot(case) == before


def test_staff_ratings_are_always_callbacks(worker_a, community_a):
    case = f.case(actor=worker_a, community=community_a)
    services.case_feedback(actor=worker_a, case=case, summary="已处理", method="phone")
    rating = services.rating_record_callback(
        actor=worker_a,
        case=case,
        resolved=True,
        satisfaction=4,
        method="phone",
        called_at=case.received_at,
    )
    assert rating.is_callback and rating.recorded_by == worker_a
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_the_database_refuses_a_staff_rating_posing_as_the_residents(worker_a, community_a):
    from django.db import IntegrityError, transaction

    case = f.case(actor=worker_a, community=community_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            case=case,
            round=1,
            resolved=True,
            satisfaction=5,
            recorded_by=worker_a,
            is_callback=False,
        )
