import pytest

from lianxin.core import demo
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
    assert Talk.objects.exists() and DutyRule.objects.count() == 5
    assert Proposal.objects.count() == 2
