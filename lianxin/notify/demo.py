"""Demo step: a welcome message in every demo login's inbox, so the bell has something to show."""

from __future__ import annotations

from lianxin.notify.kinds import EventKind
from lianxin.notify.services import notify_users


def seed(*, rng, context) -> None:
    from lianxin.accounts.models import User

    # Every demo login, including those later steps created (e.g. departments' handlers).
    users = list(User.objects.filter(is_demo=True))
    notify_users(
        kind=EventKind.MESSAGE,
        users=users,
        context={
            "title": "欢迎使用连心",
            "body": "这里是站内消息：转办、催办、督办和群众评价都会通知到这里。"
            "点击右上角的铃铛查看，在“消息接收设置”中选择是否同时接收邮件、短信或企业微信。",
        },
        link="/staff/notify/preferences/",
        idempotency_key="demo:welcome",
    )
