from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from lianxin.core import workbench


def root(request):
    return redirect("staff:home" if request.user.is_authenticated else "accounts:login")


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def staff_home(request):
    return render(request, "staff/home.html", {"panels": workbench.panels_for(request.user)})


def csrf_failure(request, reason=""):
    """A form sent after its page expired: say so in the user's language, keep nothing secret."""
    return render(request, "403.html", status=403)


def favicon(request):
    return redirect(static("favicon.svg"), permanent=True)
