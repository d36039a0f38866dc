"""The public site: find your representative, raise a problem, follow it, judge it.

No login anywhere. What a page shows is public by design or reached with a secret the
resident holds (the tracking code, the rating link). Abuse protection is local: counters per
address and per phone (lianxin.portal.throttle), a field robots fill in, and a simple question
when a limit comes near (lianxin.portal.challenge)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lianxin.cases import links
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import CaseStatus
from lianxin.cases.services import rating_submit
from lianxin.cases.services._common import normalise_tracking_code
from lianxin.portal import contact, forms, selectors, services, throttle, words
from lianxin.portal.sections import community_sections
from lianxin.portal.templatetags.portal import LARGE_TEXT_COOKIE

RECEIPT_SESSION_KEY = "portal_receipt"
RECEIPT_SECONDS = 30 * 60


# --- Finding your representative -----------------------------------------------------------
def home(request):
    query = (request.GET.get("q") or "").strip()[:50]
    context = {"query": query}
    if query:
        context["results"] = list(selectors.community_search(query)[:50])
    else:
        context["subdistricts"] = selectors.subdistricts_with_communities()
    return render(request, "portal/home.html", context)


def community(request, code: str):
    place = selectors.community_public_get(code)
    representatives = selectors.community_representatives(place)
    for representative in representatives:
        representative.qr = contact.qr_svg(
            contact.vcard(representative, community_name=place.name),
            label=_("QR code to save %(name)s's contact details") % {"name": representative.name},
        )
    return render(
        request,
        "portal/community.html",
        {
            "community": place,
            "representatives": representatives,
            "sections": community_sections(request, place),
        },
    )


def contact_card(request, code: str, pk: int):
    """The representative's contact as a .vcf file, for saving on the phone showing the page."""
    place = selectors.community_public_get(code)
    representative = selectors.community_representative_get(place, pk)
    response = HttpResponse(
        contact.vcard(representative, community_name=place.name),
        content_type="text/vcard; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{representative.name}.vcf"
    )
    return response


# --- Raising a problem ---------------------------------------------------------------------
def _throttled(request, form, *, limit: throttle.Limit, by_phone: bool = False):
    if by_phone:
        message = _(
            "This phone number has raised many problems today. To keep the service fair, no "
            "more can be taken from it for now. What you wrote is still here; please try "
            "again tomorrow, or call your community office."
        )
    else:
        minutes = limit.minutes_left()
        message = ngettext(
            "Too many problems have been sent from this network just now. To stop abuse, "
            "please wait %(minutes)d minute and send again. What you wrote is still here.",
            "Too many problems have been sent from this network just now. To stop abuse, "
            "please wait %(minutes)d minutes and send again. What you wrote is still here.",
            minutes,
        ) % {"minutes": minutes}
    response = _render_form(request, form, throttled=message, status=429)
    response["Retry-After"] = str(limit.minutes_left() * 60)
    return response


def _render_form(request, form, *, status: int = 200, throttled: str = ""):
    return render(
        request,
        "portal/report.html",
        {
            "form": form,
            "throttled": throttled,
            "photos_dropped": bool(request.FILES.getlist("photos")) and request.method == "POST",
        },
        status=status,
    )


def _challenge_due(ip: str, phone: str = "") -> bool:
    after = settings.LIANXIN_PORTAL_CHALLENGE_AFTER
    if throttle.submissions_per_address().used(ip) >= after:
        return True
    if throttle.attempts_per_address().used(ip) > 2 * after + 1:
        return True
    return (
        bool(phone)
        and throttle.submissions_per_phone().used(throttle.phone_subject(phone)) >= after
    )


@never_cache
def report(request):
    ip = throttle.client_ip(request)
    categories = selectors.public_categories()
    if request.method != "POST":
        initial = {}
        code = request.GET.get("community")
        if code:
            place = selectors.community_by_code(code)
            if place is not None:
                initial["community"] = place.pk
        form = forms.ReportForm(
            initial=initial, categories=categories, challenge_due=_challenge_due(ip)
        )
        return _render_form(request, form)

    attempts = throttle.attempts_per_address()
    per_address = throttle.submissions_per_address()
    attempts.hit(ip)
    if attempts.used(ip) > attempts.count or per_address.exceeded(ip):
        # Photos are not even opened: a refused flood costs as little as possible.
        form = forms.ReportForm(request.POST, categories=categories, challenge_due=True)
        form.is_valid()  # show the fields as typed, with their own remarks
        return _throttled(request, form, limit=per_address)
    form = forms.ReportForm(
        request.POST, request.FILES, categories=categories, challenge_due=_challenge_due(ip)
    )
    if not form.is_valid():
        return _render_form(request, form, status=400)
    data = form.cleaned_data
    phone = data["phone"]
    per_phone = throttle.submissions_per_phone()
    if phone and per_phone.exceeded(throttle.phone_subject(phone)):
        return _throttled(request, form, limit=per_phone, by_phone=True)
    if not form.challenge_due and _challenge_due(ip, phone):
        form.ask_question()  # the phone, not the address, is near its limit
    if not form.check_challenge():
        return _render_form(request, form, status=400)
    # Count this one before filing it, so that parallel requests cannot all slip under the limit.
    if per_address.hit(ip) > per_address.count:
        return _throttled(request, form, limit=per_address)
    if phone and per_phone.hit(throttle.phone_subject(phone)) > per_phone.count:
        return _throttled(request, form, limit=per_phone, by_phone=True)
    try:
        case = services.report_submit(
            description=data["description"],
            address=data["address"],
            community=data["community"],
            category=data["category"],
            appeal_type=data["appeal_type"],
            name=data["name"],
            phone=phone,
            is_anonymous=data["anonymous"],
            photos=data["photos"],
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            target = {"reporter_phone": "phone", "attachments": "photos"}.get(field, field)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
        return _render_form(request, form, status=400)
    request.session[RECEIPT_SESSION_KEY] = [case.pk, int(time.time())]
    return redirect("portal:received")


@never_cache
def received(request):
    # Shown for a short while only: the next person at a shared computer should not see it.
    case_pk, filed_at = request.session.get(RECEIPT_SESSION_KEY) or (None, 0)
    fresh = time.time() - filed_at < RECEIPT_SECONDS
    case = selectors.case_by_pk(case_pk) if fresh else None
    if case is None:
        return redirect("portal:home")
    return render(
        request,
        "portal/received.html",
        {"case": case, "track_path": settings.SITE_URL + links.tracking_path(case.tracking_code)},
    )


# --- Following a case ----------------------------------------------------------------------
def _lookup_refused(request):
    return render(
        request,
        "portal/too_many.html",
        {"minutes": throttle.lookups_per_address().minutes_left()},
        status=429,
    )


def track_form(request):
    code = normalise_tracking_code(request.GET.get("code", ""))
    if not code:
        return redirect(reverse("portal:home") + "#track")
    return redirect("portal:track", code=code)


@never_cache
def track(request, code: str):
    ip = throttle.client_ip(request)
    lookups = throttle.lookups_per_address()
    if lookups.exceeded(ip):
        return _lookup_refused(request)
    normalised = normalise_tracking_code(code)
    if normalised and normalised != code:
        return redirect("portal:track", code=normalised)
    case = selectors.case_for_tracking(normalised)
    if case is None:
        lookups.hit(ip)
        return render(request, "portal/track_unknown.html", {"code": code[:40]}, status=404)
    current = selectors.surviving_case(case)
    invitation = selectors.open_rating_invitation(current, reporter_case=case)
    open_case = current.status in (
        CaseStatus.RECEIVED,
        CaseStatus.RESPONDING,
        CaseStatus.REFERRED,
        CaseStatus.REPLIED,
    )
    return render(
        request,
        "portal/track.html",
        {
            "case": case,
            "current": current,
            "merged": current.pk != case.pk,
            "heading": words.status_heading(current.status),
            "sentence": words.status_sentence(current.status),
            "steps": _steps(case, current),
            "open_case": open_case,
            "response_due": current.response_due_at
            if open_case and current.first_responded_at is None
            else None,
            "handling_due": current.handling_due_at if open_case else None,
            "rating_link": reverse("portal:rate", args=[invitation.token()]) if invitation else "",
        },
    )


def _steps(case, current) -> list:
    """The reporter's own steps; after a merge, the joint case's steps from then on."""
    steps = selectors.public_steps(case, reporter_case=case)
    if current.pk != case.pk:
        steps += selectors.public_steps(current, reporter_case=case, since=case.status_changed_at)
    return steps


# --- Judging it ----------------------------------------------------------------------------
def _rating_page(request, template: str, context: dict, status: int = 200):
    return render(request, f"portal/{template}", context, status=status)


@never_cache
def rate(request, token: str):
    ip = throttle.client_ip(request)
    lookups = throttle.lookups_per_address()
    if lookups.exceeded(ip):
        return _lookup_refused(request)
    invitation = selectors.rating_invitation_for_token(token)
    if invitation is None:
        lookups.hit(ip)
        return _rating_page(request, "rate_refused.html", {"reason": "invalid_link"}, 404)
    case, source = invitation.case, invitation.source_case
    context = {"invitation": invitation, "case": case, "source": source}
    refusal = _rating_refusal(invitation)
    if refusal:
        return _rating_page(request, "rate_refused.html", {**context, "reason": refusal}, 410)
    form = forms.RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating_submit(
                token=token,
                resolved=form.cleaned_data["resolved"],
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        except CaseActionError as exc:
            return _rating_page(request, "rate_refused.html", {**context, "reason": exc.code}, 410)
        else:
            return redirect("portal:rated", token=token)
    context.update({"form": form, "feedback": selectors.latest_feedback(case)})
    return _rating_page(request, "rate.html", context, 400 if form.errors else 200)


def _rating_refusal(invitation) -> str:
    from django.utils import timezone

    if invitation.used_at is not None:
        return "already_rated"
    if invitation.expires_at < timezone.now():
        return "expired"
    if invitation.case.status != CaseStatus.RESOLVED or invitation.round != invitation.case.round:
        return "not_awaiting_rating"
    return ""


@never_cache
def rated(request, token: str):
    invitation = selectors.rating_invitation_for_token(token)
    if invitation is None:
        raise Http404
    if invitation.used_at is None:
        return redirect("portal:rate", token=token)
    return render(request, "portal/rated.html", {"source": invitation.source_case})


# --- For everyone --------------------------------------------------------------------------
def privacy(request):
    return render(
        request,
        "portal/privacy.html",
        {
            "retention_years": settings.LIANXIN_RETENTION_YEARS,
            "privacy_contact": settings.LIANXIN_PRIVACY_CONTACT,
        },
    )


@require_POST
def display(request):
    """Switch large text (适老化) on or off; remembered for a year in a cookie so that every
    page is drawn large from the server, with no flash of small text."""
    target = request.POST.get("next") or reverse("portal:home")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("portal:home")
    response = redirect(target)
    if request.POST.get("large") == "1":
        response.set_cookie(
            LARGE_TEXT_COOKIE,
            "1",
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response
