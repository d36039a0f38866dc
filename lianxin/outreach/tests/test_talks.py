"""Talks: notes for the talker and supervisors only; follow-up reminders through notify."""

import pytest
import time_machine

from lianxin.notify.models import Notification
from lianxin.outreach import selectors, services
from lianxin.outreach.services import OutreachError
from lianxin.outreach.sweep import sweep
from lianxin.outreach.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def talk(rep_a, resident_a):
    with time_machine.travel(at(2026, 4, 1, 18), tick=False):
        return services.talk_record(
            actor=rep_a,
            resident=resident_a,
            reason="setback",
            held_at=at(2026, 4, 1, 17),
            notes="竞聘没选上，心里有些想不通。",
            follow_up_on=at(2026, 4, 8).date(),
        )


def test_only_the_talker_and_supervisors_read_the_notes(
    talk, rep_a, worker_a, supervisor, admin_user
):
    assert selectors.can_read_talk_notes(rep_a, talk)
    assert selectors.can_read_talk_notes(supervisor, talk)
    assert selectors.can_view_talk(worker_a, talk) and not selectors.can_read_talk_notes(
        worker_a, talk
    )
    assert selectors.can_view_talk(admin_user, talk) and not selectors.can_read_talk_notes(
        admin_user, talk
    )


def test_the_talk_page_hides_the_notes_from_everyone_else(client, talk, worker_a, supervisor):
    client.force_login(worker_a)
    page = client.get(f"/staff/outreach/talks/{talk.pk}/").content.decode()
    assert "竞聘没选上" not in page and "谈心记录仅谈心人本人和督办人员可以查看" in page
    client.force_login(supervisor)
    assert "竞聘没选上" in client.get(f"/staff/outreach/talks/{talk.pk}/").content.decode()


def test_the_talker_is_reminded_once_on_the_follow_up_day(talk, rep_a):
    with time_machine.travel(at(2026, 4, 8, 9), tick=False):
        assert sweep().talk_reminders == 1
        assert sweep().talk_reminders == 0
    [reminder] = Notification.objects.filter(recipient=rep_a)
    assert reminder.title == "谈心回访提醒：居民甲"
    assert "谈心" in reminder.body and "遇到挫折困惑" in reminder.body
    assert reminder.link == f"/staff/outreach/talks/{talk.pk}/"


def test_a_talk_followed_up_is_not_reminded(talk, rep_a, worker_a):
    with pytest.raises(OutreachError):
        services.talk_follow_up_done(actor=worker_a, talk=talk)
    services.talk_follow_up_done(actor=rep_a, talk=talk)
    with time_machine.travel(at(2026, 4, 9, 9), tick=False):
        assert sweep().talk_reminders == 0
