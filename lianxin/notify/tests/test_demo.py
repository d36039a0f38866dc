import pytest

from lianxin.core import demo
from lianxin.notify.models import Notification


@pytest.mark.django_db
def test_the_demo_greets_every_demo_login_in_the_inbox():
    demo.load(seed=demo.DEFAULT_SEED, residents=10, log=lambda *a: None)
    greeted = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"admin", "worker", "rep", "handler", "supervisor"} <= greeted
    assert Notification.objects.filter(title="欢迎使用连心").count() == len(greeted)
