import pytest

from lianxin.assistance.models import AidApplication, AidScheme, AidStatus
from lianxin.core import demo


@pytest.mark.django_db
def test_the_demo_has_the_seed_schemes_and_niu_applications_and_every_aid_page_opens(client):
    from lianxin.accounts.models import User

    demo.load(seed=demo.DEFAULT_SEED, residents=60, log=lambda *a: None)
    assert set(AidScheme.objects.values_list("name", flat=True)) >= {
        "困难党员帮扶款",
        "残疾人困难补助",
        "临时救助",
    }
    party, disability = AidApplication.objects.filter(resident__name="牛某").order_by("pk")
    assert party.status == AidStatus.PAID and party.case is not None and party.visit is not None
    assert disability.status == AidStatus.REVIEWING and disability.level == 2
    for username, visible in (
        ("rep", True),
        ("worker", True),
        ("street", True),
        ("canlian", False),
        ("worker2", False),
    ):
        client.force_login(User.objects.get(username=username))
        for url in ("/staff/aid/", "/staff/aid/schemes/", "/staff/"):
            assert client.get(url).status_code == 200, (username, url)
        assert client.get(disability.get_absolute_url()).status_code == (200 if visible else 404)
