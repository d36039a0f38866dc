from django.utils.translation import gettext_lazy as _

from lianxin.cases.todo import todo_for
from lianxin.core.workbench import Panel

PANEL_ROWS = 8


def inbox_panel(user):
    """The to-do (待办): what waits on this user's step, nearest deadline first."""
    todo = todo_for(user, limit=PANEL_ROWS)
    return Panel(
        title=_("To do"),
        template="cases/_todo_panel.html",
        context={"todo": todo, "now": todo.now, "wide": True},
        order=10,
    )
