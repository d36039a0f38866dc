"""Who is told what as a case moves: residents by SMS, staff in their inbox."""

import datetime

import time_machine

from lianxin.cases import services
from lianxin.cases.models import RatingInvitation
from lianxin.cases.sweep import sweep
from lianxin.notify.kinds import EventKind
from lianxin.notify.models import Delivery, Notification
from lianxin.testing import factories as f

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
MONDAY = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)


def sms_to_reporter(kind):
    return list(Delivery.objects.filter(kind=kind, channel="sms"))


def test_the_reporter_gets_the_tracking_code_the_referral_and_a_rating_link(
    worker_a, community_a, department_1, handler_1, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = f.case(actor=worker_a, community=community_a, reporter_phone="13700137000")
    [received] = sms_to_reporter(EventKind.CASE_RECEIVED)
    assert case.tracking_code_display in received.body
    assert f"/t/{case.tracking_code}" in received.body
    assert received.address_masked == "137****7000" and "13700137000" not in received.body

    with django_capture_on_commit_callbacks(execute=True):
        [referral] = services.case_refer(actor=worker_a, case=case, lead=department_1)
    assert len(sms_to_reporter(EventKind.CASE_REFERRED)) == 1
    assert (
        Notification.objects.filter(recipient=handler_1, kind=EventKind.REFERRAL_ASSIGNED).count()
        == 1
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.referral_accept(actor=handler_1, referral=referral)
        services.referral_reply(actor=handler_1, referral=referral, reply="已整改")
        services.case_feedback(actor=worker_a, case=case, summary="幼儿园已整改", method="phone")
    [feedback] = sms_to_reporter(EventKind.CASE_FEEDBACK)
    token = RatingInvitation.objects.get(case=case).token()
    assert f"/r/{token}" in feedback.body

    with django_capture_on_commit_callbacks(execute=True):
        services.rating_submit(token=token, resolved=False, satisfaction=2)
    rated = Notification.objects.get(recipient=worker_a, kind=EventKind.CASE_RATED)
    assert "重办" in rated.body


def test_a_returned_referral_tells_the_dispatcher(worker_a, community_a, department_1, handler_1):
    case = f.case(actor=worker_a, community=community_a)
    [referral] = services.case_refer(actor=worker_a, case=case, lead=department_1)
    services.referral_return(actor=handler_1, referral=referral, reason="不归我们管")
    note = Notification.objects.get(recipient=worker_a, kind=EventKind.REFERRAL_RETURNED)
    assert "不归我们管" in note.body


def test_the_sweep_urges_the_holder_in_their_inbox_once(worker_a, community_a, supervisor):
    with time_machine.travel(MONDAY, tick=False):
        case = f.case(actor=worker_a, community=community_a)
    with time_machine.travel(MONDAY + datetime.timedelta(days=2), tick=False):
        sweep()
        sweep()
    urged = Notification.objects.filter(recipient=worker_a, kind=EventKind.CASE_OVERDUE_URGED)
    assert urged.count() == 1 and case.title in urged.get().title
    with time_machine.travel(MONDAY + datetime.timedelta(days=20), tick=False):
        sweep()
    assert (
        Notification.objects.filter(recipient=supervisor, kind=EventKind.CASE_SUPERVISED).count()
        == 1
    )
