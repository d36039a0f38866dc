"""Reception days: published at least two full days ahead, shown on the public site, every
visitor's problem a case with channel "reception day"."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from lianxin.cases.models import Case, Channel
from lianxin.directory.models import PairingKind
from lianxin.notify.models import Delivery
from lianxin.outreach import selectors, services
from lianxin.outreach.models import ReceptionStatus
from lianxin.outreach.services import OutreachError, Problem
from lianxin.outreach.sweep import sweep
from lianxin.outreach.tests.conftest import at
from lianxin.testing import factories as f

MONDAY = at(2026, 6, 1, 10)

pytestmark = pytest.mark.django_db


def _schedule(actor, community, rep, *, day: int, publish=True, publish_at=None):
    return services.reception_schedule(
        actor=actor,
        community=community,
        place="社区党群服务中心一楼",
        starts_at=at(2026, 6, day, 9),
        ends_at=at(2026, 6, day, 11, 30),
        representatives=[rep],
        publish=publish,
        publish_at=publish_at,
    )


def test_a_reception_day_one_day_ahead_is_refused_with_the_reason(
    worker_a, community_a, rep_a_record
):
    with time_machine.travel(MONDAY, tick=False), pytest.raises(ValidationError) as refused:
        _schedule(worker_a, community_a, rep_a_record, day=2)
    [reason] = refused.value.message_dict["starts_at"]
    assert "2026-06-02" in reason and "2026-05-31" in reason
    assert "至少提前两整天" in reason
    assert not selectors.receptions_public(community=community_a).exists()
    assert not community_a.reception_days.exists()  # nothing half-saved


def test_a_reception_day_two_days_ahead_appears_on_the_public_site(
    worker_a, community_a, rep_a_record
):
    with time_machine.travel(MONDAY, tick=False):
        reception = _schedule(worker_a, community_a, rep_a_record, day=3)
        public = list(selectors.receptions_public(community=community_a))
        html = render_to_string("outreach/_public_receptions.html", {"receptions": public})
    assert reception.status == ReceptionStatus.PUBLISHED
    assert public == [reception]
    assert "社区党群服务中心一楼" in html and rep_a_record.name in html
    assert "2026年6月3日" in html


def test_the_public_community_page_shows_the_announced_reception_day(
    client, worker_a, community_a, rep_a_record
):
    with time_machine.travel(MONDAY, tick=False):
        _schedule(worker_a, community_a, rep_a_record, day=3)
        page = client.get(f"/c/{community_a.code}/").content.decode()
    assert "党代表接待日" in page and "社区党群服务中心一楼" in page
    assert "2026年6月3日" in page


def test_a_draft_published_too_late_is_refused_and_stays_a_draft(
    worker_a, community_a, rep_a_record
):
    with time_machine.travel(MONDAY, tick=False):
        reception = _schedule(worker_a, community_a, rep_a_record, day=3, publish=False)
    tuesday = MONDAY + datetime.timedelta(days=1)
    with time_machine.travel(tuesday, tick=False), pytest.raises(OutreachError) as refused:
        services.reception_publish(actor=worker_a, reception=reception)
    assert "2026-06-01" in refused.value.message
    reception.refresh_from_db()
    assert reception.status == ReceptionStatus.DRAFT


def test_a_later_publication_time_hides_it_until_then_and_tells_residents_then(
    worker_a, community_a, rep_a_record, paired_household
):
    with time_machine.travel(MONDAY, tick=False):
        reception = _schedule(
            worker_a, community_a, rep_a_record, day=10, publish_at=at(2026, 6, 5, 8)
        )
        assert not selectors.receptions_public().exists()
        assert not Delivery.objects.exists()
    with time_machine.travel(at(2026, 6, 5, 8, 5), tick=False):
        assert list(selectors.receptions_public()) == [reception]
        report = sweep()
        again = sweep()
    assert report.receptions_announced == 1 and again.receptions_announced == 0
    # One of the two members has a phone number.
    assert Delivery.objects.filter(kind="reception_upcoming").count() == 1


def test_publishing_tells_the_paired_residents_of_the_community_once(
    worker_a, community_a, community_b, rep_a_record, paired_household
):
    one_to_one = f.ResidentFactory(community=community_a, name="结对居民", phone="13700002222")
    member = f.ResidentFactory(community=community_a, name="党员", is_party_member=True)
    f.PairingFactory(kind=PairingKind.ONE_TO_ONE, party_member=member, resident=one_to_one)
    f.ResidentFactory(community=community_a, name="未结对", phone="13700003333")
    f.ResidentFactory(community=community_b, name="别的社区", phone="13700004444")
    with time_machine.travel(MONDAY, tick=False):
        reception = _schedule(worker_a, community_a, rep_a_record, day=6)
        sweep()
    deliveries = Delivery.objects.filter(kind="reception_upcoming")
    told = set(deliveries.values_list("resident__name", flat=True))
    assert told == {"牛某", "结对居民"}
    body = deliveries.first().body
    assert "甲社区" in body and "6月6日（周六）09:00—11:30" in body
    assert "社区党群服务中心一楼" in body
    reception.refresh_from_db()
    assert reception.announced_at is not None


def test_three_walk_ins_yield_three_cases_with_channel_reception_day(
    worker_a, rep_a, community_a, rep_a_record, resident_a
):
    with time_machine.travel(MONDAY, tick=False):
        reception = _schedule(worker_a, community_a, rep_a_record, day=3)
    with time_machine.travel(at(2026, 6, 3, 9, 20), tick=False):
        visitors = [
            services.reception_visitor_log(
                actor=rep_a,
                reception=reception,
                resident=resident_a,
                problem=Problem(title="楼道灯坏了", description="3号楼楼道灯坏了半个月。"),
            ),
            services.reception_visitor_log(
                actor=rep_a,
                reception=reception,
                name="张大爷",
                phone="13912345678",
                problem=Problem(title="想问养老补贴", description="八十岁以上老人补贴怎么领？"),
            ),
            services.reception_visitor_log(
                actor=worker_a,
                reception=reception,
                name="李阿姨",
                problem=Problem(
                    title="广场舞音响太吵",
                    description="晚上九点以后还在放音乐。",
                    resolved_on_spot=True,
                    resolution="当场与广场舞队约定九点前结束。",
                ),
            ),
        ]
    cases = Case.objects.filter(reception_visitor__reception=reception)
    assert cases.count() == 3
    assert set(cases.values_list("channel", flat=True)) == {Channel.RECEPTION}
    assert {v.case.community_id for v in visitors} == {community_a.pk}
    assert visitors[0].case.reporter_resident == resident_a
    assert visitors[1].case.reporter_phone_masked == "139****5678"
    assert visitors[2].case.status == "resolved"
    assert reception.visitors.count() == 3


def test_visitors_are_logged_only_on_the_day_and_until_the_summary(
    worker_a, community_a, rep_a_record
):
    problem = Problem(title="问题", description="内容")
    with time_machine.travel(MONDAY, tick=False):
        reception = _schedule(worker_a, community_a, rep_a_record, day=3)
        with pytest.raises(OutreachError):
            services.reception_visitor_log(
                actor=worker_a, reception=reception, name="早来的人", problem=problem
            )
        with pytest.raises(OutreachError):
            services.reception_summarise(actor=worker_a, reception=reception, summary="太早")
    with time_machine.travel(at(2026, 6, 3, 12), tick=False):
        services.reception_summarise(
            actor=worker_a, reception=reception, summary="接待群众3人，当场解决1件。"
        )
        with pytest.raises(OutreachError):
            services.reception_visitor_log(
                actor=worker_a, reception=reception, name="晚来的人", problem=problem
            )
    reception.refresh_from_db()
    assert reception.status == ReceptionStatus.HELD
    assert not Case.objects.exists()


def test_the_public_list_drops_cancelled_and_finished_reception_days(
    worker_a, community_a, rep_a_record
):
    with time_machine.travel(MONDAY, tick=False):
        kept = _schedule(worker_a, community_a, rep_a_record, day=3)
        cancelled = _schedule(worker_a, community_a, rep_a_record, day=4)
        services.reception_cancel(actor=worker_a, reception=cancelled, reason="场地维修")
        assert list(selectors.receptions_public()) == [kept]
    with time_machine.travel(at(2026, 6, 3, 12), tick=False):
        assert not selectors.receptions_public().exists()


def test_outsiders_cannot_schedule_or_run_another_communitys_reception_day(
    worker_a, worker_b, rep_b, handler_1, community_a, rep_a_record
):
    with time_machine.travel(MONDAY, tick=False):
        with pytest.raises(OutreachError):
            _schedule(worker_b, community_a, rep_a_record, day=5)
        reception = _schedule(worker_a, community_a, rep_a_record, day=5)
        for outsider in (worker_b, rep_b, handler_1):
            with pytest.raises(OutreachError):
                services.reception_cancel(actor=outsider, reception=reception, reason="越权")


def test_the_schedule_page_refuses_tomorrow_with_the_reason_and_keeps_the_input(
    client, worker_a, community_a, rep_a_record
):
    client.force_login(worker_a)

    def post(day):
        return client.post(
            "/staff/outreach/receptions/new/",
            {
                "community": community_a.pk,
                "place": "社区党群服务中心一楼",
                "starts_at": f"2026-06-{day:02d}T09:00",
                "ends_at": f"2026-06-{day:02d}T11:30",
                "representatives": [rep_a_record.pk],
                "publish": "on",
            },
        )

    with time_machine.travel(MONDAY, tick=False):
        refused = post(2)
        page = refused.content.decode()
        assert refused.status_code == 200
        assert "接待日须至少提前两整天公告" in page and "社区党群服务中心一楼" in page
        assert not community_a.reception_days.exists()
        accepted = post(3)
        assert accepted.status_code == 302
        [reception] = community_a.reception_days.all()
        assert reception.status == ReceptionStatus.PUBLISHED
        assert list(selectors.receptions_public(community=community_a)) == [reception]
