"""The seed's case: 牛某's two applications, started from a visit, pass every level, are paid,
and he is told by SMS at each step (issue acceptance, service level)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from lianxin.assistance import services
from lianxin.assistance.models import (
    AidApplication,
    AidEventKind,
    AidOrigin,
    AidStatus,
    PaymentMethod,
)
from lianxin.notify.models import Delivery

pytestmark = pytest.mark.django_db


def _apply(actor, scheme, resident, amount, **kw):
    return services.application_submit(
        actor=actor,
        scheme=scheme,
        resident=resident,
        amount=amount,
        reason="长年吃药，家境不富裕",
        **kw,
    )


def test_both_applications_pass_every_level_are_paid_and_niu_is_told_each_step(
    rep_a,
    worker_a,
    street_handler,
    zuzhibu_handler,
    canlian_handler,
    party_scheme,
    disability_scheme,
    niu,
    niu_visit,
):
    finals = {party_scheme.pk: zuzhibu_handler, disability_scheme.pk: canlian_handler}
    for scheme, amount in ((party_scheme, "3000"), (disability_scheme, "1999.50")):
        application = _apply(rep_a, scheme, niu, amount, visit=niu_visit)
        assert application.origin == AidOrigin.VISIT and application.visit == niu_visit
        for reviewer in (worker_a, street_handler, finals[scheme.pk]):
            services.application_review(
                actor=reviewer, application=application, decision=services.APPROVE, note="属实"
            )
        assert application.status == AidStatus.APPROVED
        services.payment_record(
            actor=finals[scheme.pk],
            application=application,
            amount=amount,
            paid_on=timezone.localdate(),
            method=PaymentMethod.BANK,
        )
        application.refresh_from_db()
        assert application.status == AidStatus.PAID
        assert list(application.events.values_list("kind", flat=True)) == [
            AidEventKind.SUBMITTED,
            AidEventKind.APPROVED,
            AidEventKind.APPROVED,
            AidEventKind.APPROVED,
            AidEventKind.PAID,
        ]
        assert [e.level_name for e in application.events.all()][:4] == [
            "社区初审",
            "社区初审",
            "街道审核",
            scheme.levels.get(position=3).name,
        ]
        sms = list(
            Delivery.objects.filter(
                resident=niu, idempotency_key__startswith=f"aid:{application.pk}:"
            )
            .order_by("pk")
            .values_list("kind", flat=True)
        )
        assert sms == [
            "aid_submitted",
            "aid_level_passed",
            "aid_level_passed",
            "aid_level_passed",
            "aid_paid",
        ]
    assert AidApplication.objects.filter(resident=niu, status=AidStatus.PAID).count() == 2
    paid_text = Delivery.objects.filter(resident=niu, kind="aid_paid").first().body
    assert "1,999.50" in paid_text or "3,000.00" in paid_text


def test_an_applicant_can_never_approve_their_own_application(
    worker_a, worker_a2, party_scheme, niu
):
    application = _apply(worker_a, party_scheme, niu, "1000")
    with pytest.raises(services.AidError) as refused:
        services.application_review(
            actor=worker_a, application=application, decision=services.APPROVE
        )
    assert "不能审批自己的申请" in refused.value.message
    application.refresh_from_db()
    assert application.level == 1 and application.status == AidStatus.REVIEWING
    services.application_review(actor=worker_a2, application=application, decision=services.APPROVE)
    assert application.level == 2


def test_an_amount_above_the_limits_is_refused_in_chinese_and_nothing_is_saved(
    rep_a, party_scheme, niu
):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        _apply(rep_a, party_scheme, niu, "3500")
    message = refused.value.message_dict["amount"][0]
    assert "3,500.00" in message and "3,000.00" in message and "每次申请" in message
    _apply(rep_a, party_scheme, niu, "3000")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        _apply(rep_a, party_scheme, niu, "2500")
    message = refused.value.message_dict["amount"][0]
    assert "每年" in message and "2,000.00" in message  # what can still be applied for
    assert AidApplication.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "words"),
    [("-100", "大于零"), ("0", "大于零"), ("100.555", "两位小数"), ("abc", "以元为单位")],
)
def test_bad_amounts_get_a_clear_message(rep_a, party_scheme, niu, amount, words):
    with pytest.raises(ValidationError) as refused:
        _apply(rep_a, party_scheme, niu, amount)
    assert words in refused.value.message_dict["amount"][0]
    assert not AidApplication.objects.exists()


def test_reject_and_send_back_need_a_reason_and_tell_the_resident(
    rep_a, worker_a, party_scheme, niu
):
    application = _apply(rep_a, party_scheme, niu, "800")
    with pytest.raises(ValidationError):
        services.application_review(
            actor=worker_a, application=application, decision=services.RETURN
        )
    services.application_review(
        actor=worker_a, application=application, decision=services.RETURN, note="请补充收入证明"
    )
    assert application.status == AidStatus.RETURNED
    services.application_resubmit(actor=rep_a, application=application, note="已补充收入证明")
    application.refresh_from_db()
    assert application.status == AidStatus.REVIEWING and application.level == 1
    services.application_review(
        actor=worker_a, application=application, decision=services.REJECT, note="收入高于标准"
    )
    assert application.status == AidStatus.REJECTED
    kinds = set(Delivery.objects.filter(resident=niu).values_list("kind", flat=True))
    assert {"aid_returned", "aid_rejected"} <= kinds
    # A rejected application no longer counts against the yearly limit.
    _apply(rep_a, party_scheme, niu, "3000")


def test_two_reviewers_racing_cannot_both_move_the_application(
    worker_a, worker_a2, rep_a, party_scheme, niu
):
    application = _apply(rep_a, party_scheme, niu, "500")
    stale = AidApplication.objects.get(pk=application.pk)
    services.application_review(actor=worker_a, application=application, decision=services.APPROVE)
    with pytest.raises(services.AidError):
        services.application_review(
            actor=worker_a2, application=stale, decision=services.REJECT, note="x"
        )
    application.refresh_from_db()
    assert application.level == 2 and application.status == AidStatus.REVIEWING


def test_payment_cannot_exceed_the_approved_amount_or_lie_in_the_future(
    rep_a, worker_a, street_handler, zuzhibu_handler, party_scheme, niu
):
    application = _apply(rep_a, party_scheme, niu, "1000")
    for reviewer in (worker_a, street_handler, zuzhibu_handler):
        services.application_review(
            actor=reviewer, application=application, decision=services.APPROVE
        )
    with pytest.raises(ValidationError):
        services.payment_record(
            actor=zuzhibu_handler,
            application=application,
            amount=Decimal("1000.01"),
            paid_on=timezone.localdate(),
            method=PaymentMethod.CASH,
        )
    with pytest.raises(ValidationError):
        services.payment_record(
            actor=zuzhibu_handler,
            application=application,
            amount=Decimal("1000"),
            paid_on=timezone.localdate() + timezone.timedelta(days=1),
            method=PaymentMethod.CASH,
        )
    application.refresh_from_db()
    assert application.status == AidStatus.APPROVED
