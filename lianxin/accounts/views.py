from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from lianxin.accounts.models import AccessKind
from lianxin.accounts.selectors import access_log_entries, can_read_access_log
from lianxin.core.forms import paginate


@login_required
def access_log(request):
    if not can_read_access_log(request.user):
        raise Http404
    kind = request.GET.get("kind", "")
    kind = kind if kind in AccessKind.values else ""
    page = paginate(request, access_log_entries(kind=kind), 50)
    return render(
        request,
        "accounts/access_log.html",
        {"page": page, "kinds": AccessKind.choices, "kind": kind},
    )
