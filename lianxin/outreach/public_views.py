"""The one public page of outreach: signing in to an activity by scanning its QR code.

No login: a resident gives a name and a phone number. The phone is matched to the directory
by its blind index and never stored in clear. Sign-ins are limited per address (see
SIGN_IN_LIMIT) so the page cannot be used to probe which numbers the directory knows."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lianxin.accounts.services import client_ip
from lianxin.outreach import forms, selectors, services
from lianxin.outreach.services import OutreachError

# At most this many sign-in attempts per client address in SIGN_IN_WINDOW seconds.
SIGN_IN_LIMIT = 10
SIGN_IN_WINDOW = 600


def _over_limit(request) -> bool:
    key = f"outreach:sign-in:{client_ip(request) or 'unknown'}"
    if cache.add(key, 1, SIGN_IN_WINDOW):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, SIGN_IN_WINDOW)
        return False
    return count > SIGN_IN_LIMIT


@never_cache
def sign_in(request, token: str):
    activity = selectors.activity_by_token(token)
    if activity is None:
        raise Http404
    form = forms.SignInForm(request.POST or None)
    done = None
    status = 200
    if request.method == "POST":
        if _over_limit(request):
            form.add_error(None, _("Too many sign-ins from this device; please wait ten minutes."))
            status = 429
        elif form.is_valid():
            try:
                _attendance, created = services.attendance_sign_in(
                    activity=activity,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            except OutreachError as exc:
                form.add_error(None, exc.message)
            else:
                done = {"name": form.cleaned_data["name"], "created": created}
    return render(
        request,
        "outreach/sign_in.html",
        {"activity": activity, "form": form, "done": done},
        status=status,
    )
