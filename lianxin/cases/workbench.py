from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.cases.selectors import inbox_for
from lianxin.core.workbench import Panel


def inbox_panel(user):
    """The to-do inbox: what is due today or overdue and what waits for this user's step."""
    inbox = inbox_for(user)
    sections = [
        (_("Overdue"), inbox.overdue, user.role == "handler"),
        (_("Due today"), inbox.due_today, user.role == "handler"),
        (_("Awaiting my acceptance"), inbox.awaiting_acceptance, True),
        (_("Awaiting our reply"), inbox.awaiting_reply, True),
        (_("Returned by a department: refer again"), inbox.returned, False),
        (_("Replied: feed back to the resident"), inbox.awaiting_feedback, False),
        (_("Awaiting the resident's rating"), inbox.awaiting_rating, False),
    ]
    return Panel(
        title=_("To do"),
        template="cases/_inbox_panel.html",
        context={"inbox": inbox, "sections": sections, "now": timezone.now(), "wide": True},
        order=10,
    )
