from django.conf import settings

from lianxin.core import navigation


def lianxin(request):
    user = getattr(request, "user", None)
    on_staff = request.path.startswith("/staff/")
    return {
        "nav_items": navigation.items_for(user, request.path) if (user and on_staff) else [],
        "PRODUCTION": settings.PRODUCTION,
    }
