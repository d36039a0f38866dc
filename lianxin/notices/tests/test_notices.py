"""Notices (群发): a briefing to the 低保户 of one community reaches every consenting resident
once, nobody who opted out, respects the weekly limit and the quiet hours, and counts in the
coverage report; opt-outs by reply; residents without SMS told in person."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.notices import services
from lianxin.notices.models import Audience, NoticeRecipient, Outcome, SmsConsent
from lianxin.notify.models import Delivery, DeliveryStatus
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db


def _local(hour, minute=0, days=0):
    day = timezone.localdate() - datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


@pytest.fixture
def dibao(db):
    return f.care_tag("dibao")


@pytest.fixture
def people(community_a, community_b, dibao):
    now = timezone.now()

    def resident(
        name, community=community_a, phone="", tags=(dibao,), agreed=True, opted_out=False
    ):
        person = f.ResidentFactory(
            community=community, name=name, phone=phone, care_tags=list(tags)
        )
        if agreed or opted_out:
            SmsConsent.objects.create(
                resident=person,
                agreed_at=now if agreed else None,
                agreed_how="签字",
                opted_out_at=now if opted_out else None,
            )
        return person

    return {
        "agreed1": resident("甲一", phone="13700000001"),
        "agreed2": resident("甲二", phone="13700000002"),
        "opted_out": resident("甲三", phone="13700000003", opted_out=True),
        "never_agreed": resident("甲四", phone="13700000004", agreed=False),
        "no_phone": resident("甲五"),
        "not_dibao": resident("甲六", phone="13700000006", tags=()),
        "other_community": resident("乙一", community=community_b, phone="13700000007"),
    }


def _send(actor, community, dibao, now, title="医保新政宣讲"):
    return services.notice_send(
        actor=actor,
        title=title,
        text="今年医保报销有新规定，6月8日上午9点在社区党群服务中心讲解。",
        audience=Audience.CARE_TAG,
        community=community,
        care_tag=dibao,
        now=now,
    )


def test_a_notice_to_the_dibao_of_one_community_reaches_every_consenting_resident_once(
    client, worker_a, community_a, dibao, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = _send(worker_a, community_a, dibao, _local(10))
    sms = Delivery.objects.filter(kind="notice")
    assert sorted(sms.values_list("resident__name", flat=True)) == ["甲一", "甲二"]
    assert [(d.body[-6:], d.status) for d in sms] == [("回复TD退订", DeliveryStatus.SENT)] * 2
    outcomes = dict(notice.recipients.values_list("resident__name", "outcome"))
    assert outcomes == {
        "甲一": Outcome.SMS,
        "甲二": Outcome.SMS,
        "甲三": Outcome.OPTED_OUT,
        "甲四": Outcome.NO_CONSENT,
        "甲五": Outcome.NO_PHONE,
    }
    # Catch-up dispatch and a second look never send twice.
    from lianxin.notify.services import deliveries_dispatch_due

    deliveries_dispatch_due()
    assert Delivery.objects.filter(kind="notice").count() == 2
    # The elderly resident without a phone is told in person.
    no_phone = notice.recipients.get(resident=people["no_phone"])
    client.force_login(worker_a)
    client.post(reverse("notices:told", args=[notice.pk, no_phone.pk]))
    assert NoticeRecipient.objects.get(pk=no_phone.pk).outcome == Outcome.TOLD
    # The coverage report counts it.
    day = timezone.localdate()
    page = client.get(
        reverse("outreach:coverage"),
        {
            "community": community_a.pk,
            "start": (day - datetime.timedelta(days=3)).isoformat(),
            "end": day.isoformat(),
        },
    ).content.decode()
    from lianxin.notices.selectors import coverage

    figures = coverage(community_a, day - datetime.timedelta(days=3), day)
    assert (figures["notices"], figures["sent"], figures["opted_out"], figures["told"]) == (
        1,
        2,
        1,
        1,
    )
    assert figures["residents_reached"] == 3
    section = page.split('id="coverage-notices"', 1)[1][:300]
    assert "1" in section and "3" in section
    detail = client.get(notice.get_absolute_url()).content.decode()
    assert "甲三" in detail and "已退订" in detail


def test_the_weekly_limit_and_the_quiet_hours(
    worker_a, community_a, dibao, people, django_capture_on_commit_callbacks
):
    for hour in (9, 10):
        _send(worker_a, community_a, dibao, _local(hour, days=1))
    third = _send(worker_a, community_a, dibao, _local(11))
    assert third.recipients.get(resident=people["agreed1"]).outcome == Outcome.CAPPED
    SmsConsent.objects.filter(resident=people["agreed1"]).update(opted_out_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        night = _send(
            worker_a, community_a, dibao, _local(22, 30, days=-30), title="夜间"
        )  # a month later, at night: nobody is capped, everything waits for 8:00
    waiting = Delivery.objects.filter(idempotency_key__startswith=f"notice:{night.pk}:")
    assert waiting.count() == 2
    for delivery in waiting:
        assert delivery.status == DeliveryStatus.QUEUED
        assert timezone.localtime(delivery.next_attempt_at).hour == 8


def test_a_reply_td_opts_the_resident_out(client, settings, worker_a, community_a, dibao, people):
    settings.LIANXIN_SMS_REPLY_TOKEN = "secret-token"
    url = reverse("notices_reply")
    body = {"phone": "13700000001", "text": "TD"}
    assert client.post(url, body, content_type="application/json").status_code == 401
    response = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer secret-token"
    )
    assert response.json() == {"opted_out": 1}
    notice = _send(worker_a, community_a, dibao, _local(10))
    assert notice.recipients.get(resident=people["agreed1"]).outcome == Outcome.OPTED_OUT
    assert not Delivery.objects.filter(kind="notice", resident=people["agreed1"]).exists()


def test_senders_stay_in_their_scope(worker_b, rep_a, community_a, dibao, people):
    with pytest.raises(services.NoticeError):
        _send(worker_b, community_a, dibao, _local(10))
    assert not NoticeRecipient.objects.exists()


def test_consent_is_recorded_on_the_resident_page(client, worker_a, people):
    person = people["never_agreed"]
    client.force_login(worker_a)
    page = client.get(reverse("directory:resident_detail", args=[person.pk])).content.decode()
    assert "未同意接收通知" in page
    client.post(reverse("notices:consent", args=[person.pk]), {"agreed": "1", "how": "签字同意"})
    assert SmsConsent.objects.get(resident=person).receives
