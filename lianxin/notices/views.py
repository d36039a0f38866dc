"""Pages of notices: the list, sending one, its recipients (with "told in person"), the
consent of a resident, and the reply endpoint of the SMS gateway (opt-outs)."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lianxin.core import privacy
from lianxin.core.forms import apply_errors, paginate
from lianxin.core.validators import normalise_phone
from lianxin.directory import selectors as directory_selectors
from lianxin.notices import forms, selectors, services
from lianxin.notices.models import Outcome


@login_required
def notice_list(request):
    if request.user.role not in selectors.READERS:
        raise Http404
    notices = selectors.notices_visible_to(request.user).select_related("community", "sent_by")
    return render(
        request,
        "notices/notice_list.html",
        {"page": paginate(request, notices, 30), "can_send": request.user.role in services.SENDERS},
    )


@login_required
def notice_create(request):
    if request.user.role not in services.SENDERS:
        raise Http404
    form = forms.NoticeForm(
        request.POST or None, communities=directory_selectors.communities_in_scope(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_send(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except services.NoticeError as exc:
            form.add_error(None, exc.message)
        else:
            figures = selectors.counts(notice.recipients.all())
            messages.success(
                request,
                _(
                    "The notice went to %(sms)s residents by SMS; %(left)s are left to tell in person."
                )
                % {
                    "sms": figures["sent"] + figures["waiting"],
                    "left": figures["no_phone"] + figures["no_consent"],
                },
            )
            return redirect(notice.get_absolute_url())
    return render(request, "notices/notice_form.html", {"form": form})


@login_required
def notice_detail(request, pk: int):
    notice = selectors.notice_get_for_user(request.user, pk)
    recipients = notice.recipients.select_related("resident", "delivery", "told_by").order_by(
        "outcome", "resident__name"
    )
    if request.GET.get("outcome"):
        recipients = recipients.filter(outcome=request.GET["outcome"])
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "counts": selectors.counts(notice.recipients.all()),
            "page": paginate(request, recipients, 100),
            "can_tell": request.user.role in services.SENDERS,
            "tellable": {Outcome.NO_PHONE, Outcome.NO_CONSENT, Outcome.OPTED_OUT, Outcome.CAPPED},
        },
    )


@login_required
@require_POST
def recipient_told(request, pk: int, recipient_pk: int):
    notice = selectors.notice_get_for_user(request.user, pk)
    recipient = notice.recipients.filter(pk=recipient_pk).first()
    if recipient is None:
        raise Http404
    try:
        services.recipient_mark_told(actor=request.user, recipient=recipient)
    except services.NoticeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Recorded as told in person."))
    return redirect(notice.get_absolute_url())


@login_required
def consent_edit(request, resident_pk: int):
    resident = directory_selectors.resident_get_for_user(request.user, resident_pk)
    form = forms.ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=request.user, resident=resident, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except services.NoticeError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The resident's notice setting is saved."))
            return redirect("directory:resident_detail", resident.pk)
    return render(request, "notices/consent_form.html", {"form": form, "resident": resident})


@csrf_exempt
@require_POST
def sms_reply(request):
    """The SMS gateway forwards replies here: JSON {"phone": "...", "text": "TD"} with
    `Authorization: Bearer <LIANXIN_SMS_REPLY_TOKEN>`. Off (404) when no token is set."""
    token = settings.LIANXIN_SMS_REPLY_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return HttpResponse(status=401)
    try:
        body = json.loads(request.body or b"{}")
        number = normalise_phone(str(body.get("phone", "")))
    except (ValueError, ValidationError):
        return JsonResponse({"code": "bad_request"}, status=400)
    if not number:
        return JsonResponse({"code": "bad_request"}, status=400)
    count = services.opt_out_by_reply(
        phone_index=privacy.blind_index(number, purpose=privacy.PHONE),
        text=str(body.get("text", "")),
    )
    return JsonResponse({"opted_out": count})
