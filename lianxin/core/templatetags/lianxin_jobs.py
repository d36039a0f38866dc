from django import template

from lianxin.accounts.models import Role
from lianxin.core.jobs import worker_status

register = template.Library()


@register.inclusion_tag("staff/_worker_alert.html", takes_context=True)
def worker_alert(context):
    """A top-bar warning for administrators when no background worker is running."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_role(Role.ADMIN):
        return {"show": False}
    return {"show": not worker_status().running}
