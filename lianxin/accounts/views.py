from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from lianxin.accounts.models import AccessKind
from lianxin.accounts.selectors import access_log_entries, can_read_access_log


@login_required
def access_log(request):
    if not can_read_access_log(request.user):
        raise Http404
    kind = request.GET.get("kind", "")
    kind = kind if kind in AccessKind.values else ""
    page = Paginator(access_log_entries(kind=kind), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/access_log.html",
        {"page": page, "kinds": AccessKind.choices, "kind": kind},
    )
