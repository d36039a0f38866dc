from django import template

from lianxin.notify.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notify/_inbox_badge.html", takes_context=True)
def inbox_badge(context):
    """The bell in the top bar with the number of unread notifications (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": unread_count(user)}
