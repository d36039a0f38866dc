"""QR sign-in: a resident scans the activity's code and signs in with name and phone."""

import pytest
import time_machine
from django.core.cache import cache

from lianxin.outreach import services
from lianxin.outreach.models import Attendance
from lianxin.outreach.public_views import SIGN_IN_LIMIT
from lianxin.outreach.tests.conftest import at

pytestmark = pytest.mark.django_db

DURING = at(2026, 5, 12, 14, 30)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def briefing(worker_a, community_a):
    return services.activity_create(
        actor=worker_a,
        kind="briefing",
        topic="医保政策宣讲",
        starts_at=at(2026, 5, 12, 14),
        ends_at=at(2026, 5, 12, 16),
        place="社区活动室",
        communities=[community_a],
    )


def _url(activity):
    return f"/outreach/sign-in/{activity.sign_in_token}/"


def test_a_known_phone_signs_in_the_resident_of_the_directory(client, briefing, resident_a):
    with time_machine.travel(DURING, tick=False):
        page = client.get(_url(briefing)).content.decode()
        assert "医保政策宣讲" in page
        response = client.post(_url(briefing), {"name": "居民甲", "phone": "138 0013 8000"})
    assert "签到成功" in response.content.decode()
    [attendance] = briefing.attendances.all()
    assert attendance.resident == resident_a and attendance.method == "qr"
    assert attendance.phone_index == "" and attendance.name == ""


def test_an_unknown_phone_is_kept_only_as_its_index_and_masked_form(client, briefing):
    with time_machine.travel(DURING, tick=False):
        client.post(_url(briefing), {"name": "过路群众", "phone": "13912345678"})
        again = client.post(_url(briefing), {"name": "过路群众", "phone": "13912345678"})
    assert "已经签过到了" in again.content.decode()
    [attendance] = Attendance.objects.all()
    assert attendance.resident is None and attendance.name == "过路群众"
    assert attendance.phone_masked == "139****5678" and len(attendance.phone_index) == 64
    stored = " ".join(str(v) for v in Attendance.objects.values().first().values())
    assert "13912345678" not in stored


def test_a_bad_phone_is_refused_in_chinese_and_nothing_is_recorded(client, briefing):
    with time_machine.travel(DURING, tick=False):
        response = client.post(_url(briefing), {"name": "张三", "phone": "12345"})
    assert response.status_code == 200
    assert not Attendance.objects.exists()
    assert "手机" in response.content.decode() or "号码" in response.content.decode()


def test_sign_in_is_open_only_around_the_activity(client, briefing):
    with time_machine.travel(at(2026, 5, 13, 9), tick=False):
        response = client.post(_url(briefing), {"name": "张三", "phone": "13912345678"})
    assert "签到时间为2026-05-12 12:00至2026-05-12 18:00" in response.content.decode()
    assert not Attendance.objects.exists()


def test_too_many_sign_ins_from_one_address_are_refused(client, briefing):
    with time_machine.travel(DURING, tick=False):
        for i in range(SIGN_IN_LIMIT):
            client.post(_url(briefing), {"name": f"群众{i}", "phone": f"1391234{i:04d}"})
        response = client.post(_url(briefing), {"name": "再来", "phone": "13955556666"})
    assert response.status_code == 429
    assert Attendance.objects.count() == SIGN_IN_LIMIT


def test_an_unknown_token_is_404(client):
    assert client.get("/outreach/sign-in/nope/").status_code == 404


def test_the_activity_page_shows_a_qr_code_made_by_the_app(client, worker_a, briefing):
    client.force_login(worker_a)
    page = client.get(f"/staff/outreach/activities/{briefing.pk}/").content.decode()
    assert "<svg" in page and briefing.sign_in_token in page
    png = client.get(f"/staff/outreach/activities/{briefing.pk}/qr.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
