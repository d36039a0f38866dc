import pytest

from lianxin.core import demo
from lianxin.outreach import demo as outreach_demo
from lianxin.outreach.models import Activity, DutyRule, Proposal, ReceptionDay, Talk, Visit


@pytest.mark.django_db
@pytest.mark.parametrize("residents", [10, 300])
def test_the_demo_has_outreach_in_the_voice_of_the_seed(residents):
    demo.load(seed=demo.DEFAULT_SEED, residents=residents, log=lambda *a: None)
    niu_visits = Visit.objects.filter(resident__name="牛某")
    assert niu_visits.count() == 4
    assert niu_visits.filter(cases__title__contains="困难党员帮扶款").exists()
    held, upcoming = (
        ReceptionDay.objects.filter(status="held").get(),
        ReceptionDay.objects.filter(status="published").get(),
    )
    assert held.visitors.count() == 3 and held.summary
    assert upcoming.announced_at is not None
    assert Activity.objects.filter(topic="我的梦、中国梦").exists()
    assert Activity.objects.filter(kind="briefing").exists()
    assert Talk.objects.exists() and DutyRule.objects.count() == 6
    titles = set(Proposal.objects.values_list("case__title", flat=True))
    assert {title for title, _text, _code in outreach_demo.PROPOSALS} <= titles


@pytest.mark.django_db
def test_every_outreach_page_opens_on_the_demo_district(client):
    from lianxin.accounts.models import User
    from lianxin.outreach.models import Activity, ReceptionDay, Talk, Visit

    demo.load(seed=demo.DEFAULT_SEED, residents=60, log=lambda *a: None)
    rep = User.objects.get(username="rep")
    community_id = rep.representative.pairings.first().community_id
    pages = [
        "/staff/",
        "/staff/outreach/visits/",
        "/staff/outreach/receptions/",
        "/staff/outreach/check-ins/",
        "/staff/outreach/one-to-one/",
        "/staff/outreach/talks/",
        "/staff/outreach/activities/",
        f"/staff/outreach/coverage/?community={community_id}&start=2020-01-01&end=2030-12-31",
        "/staff/outreach/duties/",
        "/staff/outreach/proposals/",
        "/staff/outreach/duties/mine/",
    ]
    details = [
        *(v.get_absolute_url() for v in Visit.objects.all()[:3]),
        *(r.get_absolute_url() for r in ReceptionDay.objects.all()),
        *(a.get_absolute_url() for a in Activity.objects.all()),
        *(t.get_absolute_url() for t in Talk.objects.all()),
    ]
    for username in ("rep", "worker", "supervisor", "admin"):
        client.force_login(User.objects.get(username=username))
        for url in pages + details:
            if url.endswith("/mine/") and username != "rep":
                continue
            status = client.get(url, follow=True).status_code
            assert status in (200, 404), (username, url, status)
        assert client.get("/staff/").status_code == 200
    client.force_login(rep)
    home = client.get("/staff/").content.decode()
    assert "我今年的履职情况" in home and "近期接待日" in home
    record = client.get("/staff/outreach/duties/mine/", follow=True).content.decode()
    assert "牛某" in record and "意见建议" in record
