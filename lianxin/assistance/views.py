"""Staff pages of assistance: thin, every decision is in services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from lianxin.assistance import documents, exports, forms, selectors, services
from lianxin.assistance.models import AidScheme, AidStatus
from lianxin.core.forms import apply_errors, paginate
from lianxin.directory import selectors as directory_selectors

PAGE_SIZE = 30


def _round_trip(request, form, action, success: str, application):
    """Run `action` for a valid form; errors go back on the form, nothing typed is lost."""
    try:
        action()
    except ValidationError as exc:
        apply_errors(form, exc)
    except services.AidError as exc:
        form.add_error(None, exc.message)
    else:
        messages.success(request, success)
        return redirect(application.get_absolute_url())
    return None


@login_required
def application_list(request):
    if request.user.role not in (*selectors.APPLYING_ROLES, "supervisor", "handler"):
        raise Http404
    status = request.GET.get("status", "")
    q = (request.GET.get("q") or "").strip()[:50]
    applications = selectors.application_list(request.user, status=status, q=q)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exports.ledger(applications),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''aid-ledger-{stamp}.xlsx"
        return response
    return render(
        request,
        "assistance/application_list.html",
        {
            "page": paginate(request, applications, PAGE_SIZE),
            "statuses": [("open", _("Open")), *AidStatus.choices],
            "status": status,
            "q": q,
        },
    )


def _origin(request):
    """(residents to choose from, visit, case, initial reason) from ?resident=, ?visit=, ?case=."""
    from lianxin.cases.permissions import can_view_case
    from lianxin.cases.selectors import case_get_for_user
    from lianxin.outreach.selectors import visit_get_for_user

    source = request.POST if request.method == "POST" else request.GET
    visit = case = None
    reason = ""
    if source.get("visit", "").isdigit():
        visit = visit_get_for_user(request.user, int(source["visit"]))
        if visit.resident_id:
            residents = [visit.resident]
        elif visit.household_id:
            residents = list(visit.household.members.select_related("community"))
        else:
            residents = []
        reason = visit.heard
    elif source.get("case"):
        case = case_get_for_user(request.user, source["case"])
        if not can_view_case(request.user, case):
            raise Http404
        residents = [case.reporter_resident] if case.reporter_resident_id else []
        reason = f"{case.title}\n{case.description}".strip()
    elif source.get("resident", "").isdigit():
        residents = [
            directory_selectors.resident_get_for_user(request.user, int(source["resident"]))
        ]
    else:
        raise Http404
    residents = [r for r in residents if selectors.can_apply_for(request.user, r)]
    return residents, visit, case, reason


@login_required
def application_create(request):
    residents, visit, case, reason = _origin(request)
    if not residents:
        messages.error(
            request,
            _(
                "Aid is applied for a resident of the roster in your communities; none was found here."
            ),
        )
        return redirect(visit.get_absolute_url() if visit else "assistance:application_list")
    form = forms.ApplicationForm(
        request.POST or None,
        request.FILES or None,
        residents=residents,
        initial={"reason": reason},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                actor=request.user,
                scheme=data["scheme"],
                resident=form.residents[data["resident"]],
                amount=data["amount"],
                reason=data["reason"],
                uploads=data["uploads"],
                visit=visit,
                case=case,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except services.AidError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Application %(number)s submitted; %(name)s is told by SMS.")
                % {"number": application.number, "name": application.resident.name},
            )
            return redirect(application.get_absolute_url())
    return render(
        request,
        "assistance/application_form.html",
        {
            "form": form,
            "residents": residents,
            "visit": visit,
            "case": case,
            "schemes": list(selectors.schemes_open().prefetch_related("levels")),
        },
    )


def _detail_context(request, application, **forms_given) -> dict:
    user = request.user
    can_review = services.review_refusal(user, application) is None
    can_manage = selectors.can_manage_application(user, application)
    return {
        "application": application,
        "events": application.events.select_related("actor"),
        "documents": application.documents.defer("sealed"),
        "levels": list(application.scheme.levels.select_related("department")),
        "payment": getattr(application, "payment", None)
        if application.status == AidStatus.PAID
        else None,
        "review_form": forms_given.get("review_form")
        or (forms.ReviewForm() if can_review else None),
        "self_review": user.pk == application.applicant_id
        and application.status == AidStatus.REVIEWING,
        "payment_form": forms_given.get("payment_form")
        or (
            forms.PaymentForm(application=application)
            if selectors.can_record_payment(user, application)
            else None
        ),
        "document_form": forms_given.get("document_form")
        or (forms.DocumentForm() if can_manage and application.is_open else None),
        "resubmit_form": forms_given.get("resubmit_form")
        or (
            forms.ResubmitForm(initial={"amount": application.amount, "reason": application.reason})
            if can_manage and application.status == AidStatus.RETURNED
            else None
        ),
        "withdraw_form": forms_given.get("withdraw_form")
        or (
            forms.WithdrawForm()
            if can_manage and application.status in (AidStatus.REVIEWING, AidStatus.RETURNED)
            else None
        ),
        "now": timezone.now(),
    }


@login_required
def application_detail(request, number: str):
    application = selectors.application_get_for_user(request.user, number)
    return render(
        request, "assistance/application_detail.html", _detail_context(request, application)
    )


# The steps POSTed from an application's page: form, the form's slot on the page, the
# service (called with the actor, the application and the cleaned data), the message.
STEPS = {
    "review": (
        forms.ReviewForm,
        "review_form",
        lambda actor, app, data: services.application_review(
            actor=actor, application=app, decision=data["decision"], note=data["note"]
        ),
        _lazy("Your review is recorded; the resident is told by SMS."),
    ),
    "pay": (
        forms.PaymentForm,
        "payment_form",
        lambda actor, app, data: services.payment_record(actor=actor, application=app, **data),
        _lazy("The payment is recorded; the resident is told by SMS."),
    ),
    "resubmit": (
        forms.ResubmitForm,
        "resubmit_form",
        lambda actor, app, data: services.application_resubmit(
            actor=actor, application=app, **data
        ),
        _lazy("The application is submitted again."),
    ),
    "withdraw": (
        forms.WithdrawForm,
        "withdraw_form",
        lambda actor, app, data: services.application_withdraw(
            actor=actor, application=app, reason=data["reason"]
        ),
        _lazy("The application is withdrawn."),
    ),
    "documents": (
        forms.DocumentForm,
        "document_form",
        lambda actor, app, data: services.document_add(
            actor=actor, application=app, upload=data["upload"]
        ),
        _lazy("The document is added."),
    ),
}


@login_required
@require_POST
def application_step(request, number: str, step: str):
    """One step on the application page; errors come back on its form, nothing is lost."""
    if step not in STEPS:
        raise Http404
    form_class, slot, action, success = STEPS[step]
    application = selectors.application_get_for_user(request.user, number)
    form = form_class(request.POST, request.FILES or None)
    if form.is_valid():
        done = _round_trip(
            request,
            form,
            lambda: action(request.user, application, form.cleaned_data),
            str(success),
            application,
        )
        if done:
            return done
    context = _detail_context(request, application, **{slot: form})
    return render(request, "assistance/application_detail.html", context, status=400)


@login_required
def document_download(request, number: str, pk: int):
    application = selectors.application_get_for_user(request.user, number)
    document = application.documents.filter(pk=pk).first()
    if document is None:
        raise Http404
    response = HttpResponse(documents.unseal(document.sealed), content_type=document.content_type)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + _quote(
        document.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
def scheme_list(request):
    if request.user.role not in (*selectors.APPLYING_ROLES, "supervisor", "handler"):
        raise Http404
    schemes = AidScheme.objects.select_related("funder").prefetch_related("levels__department")
    return render(request, "assistance/scheme_list.html", {"schemes": schemes})
