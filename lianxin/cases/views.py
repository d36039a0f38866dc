"""Staff pages for casework. Every action goes through a service; the buttons on a case page
are exactly permissions.case_actions()."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from lianxin.accounts.models import AccessKind, Role
from lianxin.accounts.services import access_record, client_ip
from lianxin.cases import forms, permissions, selectors, services
from lianxin.cases.errors import CaseActionError
from lianxin.cases.exports import export_cases
from lianxin.cases.models import Attachment, Case, Referral, ReferralStatus
from lianxin.core.forms import apply_errors, paginate
from lianxin.core.privacy import unseal
from lianxin.directory import selectors as directory_selectors

PAGE_SIZE = 30


def _filters(form) -> selectors.CaseFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.CaseFilters(
        status=data.get("status") or "",
        category_id=getattr(data.get("category"), "pk", None),
        community_id=getattr(data.get("community"), "pk", None),
        department_id=getattr(data.get("department"), "pk", None),
        overdue=bool(data.get("overdue")),
        mine=bool(data.get("mine")),
        received_from=data.get("received_from"),
        received_to=data.get("received_to"),
        text=(data.get("q") or "").strip(),
    )


@login_required
def case_list(request):
    form = forms.CaseFilterForm(request.GET or None, user=request.user)
    cases = selectors.case_list(request.user, _filters(form))
    page = paginate(request, cases, PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "now": timezone.now(),
        "can_create": request.user.role in (Role.ADMIN, Role.WORKER, Role.REPRESENTATIVE),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "case-results":
        return render(request, "cases/_case_table.html", context)
    return render(request, "cases/case_list.html", context)


@login_required
def case_export(request):
    """The filtered cases as an .xlsx ledger (台账). Reporter phones stay masked."""
    form = forms.CaseFilterForm(request.GET or None, user=request.user)
    cases = selectors.case_list(request.user, _filters(form))
    content = export_cases(cases)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.xlsx"'
    return response


@login_required
def case_create(request):
    if request.user.role not in services.intake.INTAKE_ROLES:
        raise Http404
    form = forms.IntakeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind = data["reporter_kind"]
        try:
            case = services.case_intake(
                actor=request.user,
                title=data["title"],
                description=data["description"],
                channel=data["channel"],
                category=data["category"],
                appeal_type=data["appeal_type"],
                urgency=data["urgency"],
                community=data["community"],
                address=data["address"],
                reporter_resident=data["reporter_resident"] if kind == "resident" else None,
                reporter_name=data["reporter_name"] if kind == "other" else "",
                reporter_phone=data["reporter_phone"] if kind == "other" else "",
                is_anonymous=kind == "anonymous",
                consented=True,
                resolved_on_spot=data["resolved_on_spot"],
                resolution=data["resolution"],
                resolution_method="in_person",
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except CaseActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Case %(number)s recorded. Tracking code for the resident: %(code)s")
                % {"number": case.number, "code": case.tracking_code_display},
            )
            return redirect("cases:detail", number=case.number)
    chosen = None
    if form.is_bound and form.data.get("reporter_resident"):
        chosen = (
            directory_selectors.residents_visible_to(request.user)
            .filter(pk=form.data.get("reporter_resident"))
            .first()
        )
    return render(request, "cases/intake.html", {"form": form, "chosen": chosen})


@login_required
def resident_lookup(request):
    """htmx: residents matching a name or an exact phone number, for the intake form."""
    query = request.GET.get("lookup", "").strip()
    residents = []
    if len(query) >= 1:
        visible = directory_selectors.residents_visible_to(request.user)
        if query.replace(" ", "").replace("-", "").isdigit():
            index = directory_selectors.phone_index_or_none(query)
            residents = list(
                visible.filter(phone_index=index or "-").select_related("community")[:10]
            )
        else:
            residents = list(
                visible.filter(name__contains=query)
                .select_related("community")
                .order_by("name")[:10]
            )
    return render(request, "cases/_resident_lookup.html", {"residents": residents, "query": query})


@login_required
def case_detail(request, number: str):
    case = selectors.case_get_for_user(request.user, number)
    referrals = list(case.referrals.all())
    open_referrals = [r for r in referrals if r.is_open]
    actions = permissions.case_actions(request.user, case, open_referrals=open_referrals)
    referral_rows = [
        {"referral": r, "actions": permissions.referral_actions(request.user, r)} for r in referrals
    ]
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "actions": actions,
            "action_forms": _action_forms(case, actions),
            "referral_rows": referral_rows,
            "timeline": selectors.case_timeline(case),
            "merged": selectors.merged_cases(case),
            "now": timezone.now(),
            "can_reveal_phone": permissions.can_reveal_reporter_phone(request.user, case),
            "ratings": list(case.ratings.all()),
        },
    )


def _action_forms(case, actions) -> list[tuple]:
    """(action, label, unbound form) for the actions shown on the case page, in order."""
    return [
        (action, label, _action_form(action, case))
        for action, label in ACTION_LABELS.items()
        if action in actions and action in ACTION_FORMS
    ]


def _action_form(action: str, case, *args):
    kwargs = {"case": case} if action in NEEDS_CASE else {}
    return ACTION_FORMS[action](*args, **kwargs)


def _run_case_action(request, case: Case, action: str, form) -> None:
    data = form.cleaned_data
    actor = request.user
    if action == permissions.NOTE:
        services.case_note(
            actor=actor,
            case=case,
            note=data["note"],
            public=data["public"],
            attachments=data["attachments"],
        )
    elif action == permissions.CONTACT:
        services.case_contact(actor=actor, case=case, note=data["note"])
    elif action == permissions.ASSIGN:
        services.case_assign(actor=actor, case=case, assignee=data["assignee"])
    elif action == permissions.REFER:
        services.case_refer(
            actor=actor,
            case=case,
            lead=data["lead"],
            assisting=list(data["assisting"]),
            instructions=data["instructions"],
            due_at=data["due_at"],
        )
    elif action == permissions.URGE:
        services.case_urge(actor=actor, case=case, note=data["note"])
    elif action == permissions.SUPERVISE:
        services.case_supervise(actor=actor, case=case, note=data["note"])
    elif action == permissions.FEEDBACK:
        services.case_feedback(
            actor=actor, case=case, summary=data["summary"], method=data["method"]
        )
    elif action == permissions.CALLBACK:
        services.rating_record_callback(
            actor=actor,
            case=case,
            resolved=data["resolved"],
            satisfaction=data["satisfaction"],
            comment=data["comment"],
            method=data["method"],
            called_at=data["called_at"],
        )
    elif action == permissions.MERGE:
        into = selectors.cases_visible_to(actor).filter(number=data["into"].strip().upper()).first()
        if into is None:
            raise ValidationError({"into": [_("No case with that number is visible to you.")]})
        services.case_merge(actor=actor, duplicate=case, into=into)
    elif action == permissions.REJECT:
        services.case_reject(actor=actor, case=case, reason=data["reason"])
    elif action == permissions.WITHDRAW:
        services.case_withdraw(actor=actor, case=case, reason=data["reason"])


ACTION_FORMS = {
    permissions.NOTE: forms.NoteForm,
    permissions.CONTACT: forms.ContactForm,
    permissions.ASSIGN: forms.AssignForm,
    permissions.REFER: forms.ReferForm,
    permissions.URGE: forms.UrgeForm,
    permissions.SUPERVISE: forms.UrgeForm,
    permissions.FEEDBACK: forms.FeedbackForm,
    permissions.CALLBACK: forms.CallbackForm,
    permissions.MERGE: forms.MergeForm,
    permissions.REJECT: forms.ReasonForm,
    permissions.WITHDRAW: forms.ReasonForm,
}
NEEDS_CASE = {permissions.ASSIGN, permissions.REFER}
DONE_MESSAGES = {
    permissions.NOTE: _lazy("Note added."),
    permissions.CONTACT: _lazy("Contact with the resident recorded."),
    permissions.ASSIGN: _lazy("Responsible person set."),
    permissions.REFER: _lazy("Referred."),
    permissions.URGE: _lazy("Urged."),
    permissions.SUPERVISE: _lazy("The case is under supervision."),
    permissions.FEEDBACK: _lazy("Feedback recorded; the resident is asked to rate it."),
    permissions.CALLBACK: _lazy("Callback rating recorded."),
    permissions.MERGE: _lazy("Merged."),
    permissions.REJECT: _lazy("The case is not accepted."),
    permissions.WITHDRAW: _lazy("The case is withdrawn."),
}


@login_required
def case_action(request, number: str, action: str):
    """GET: the action's form on its own page. POST: do it, then back to the case."""
    case = selectors.case_get_for_user(request.user, number)
    if action not in ACTION_FORMS:
        raise Http404
    form = _action_form(action, case, request.POST or None, request.FILES or None)
    allowed = action in permissions.case_actions(request.user, case)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            _run_case_action(request, case, action, form)
        except ValidationError as exc:
            apply_errors(form, exc)
        except CaseActionError as exc:
            messages.error(request, exc.message)
            return redirect("cases:detail", number=case.number)
        else:
            messages.success(request, DONE_MESSAGES[action])
            target = case.merged_into.number if case.merged_into_id else case.number
            return redirect("cases:detail", number=target)
    if not allowed:
        messages.error(request, _("This step is not possible on this case now."))
        return redirect("cases:detail", number=case.number)
    return render(
        request,
        "cases/action.html",
        {
            "case": case,
            "form": form,
            "action": action,
            "title": ACTION_LABELS[action],
        },
    )


# Every action's name, in the order the case page offers them. Lazy: translated per request.
ACTION_LABELS = {
    permissions.CONTACT: _lazy("Record contact with the resident"),
    permissions.REFER: _lazy("Refer to departments"),
    permissions.FEEDBACK: _lazy("Feed back to the resident"),
    permissions.CALLBACK: _lazy("Record a callback rating"),
    permissions.NOTE: _lazy("Add a note"),
    permissions.ASSIGN: _lazy("Set the responsible person"),
    permissions.URGE: _lazy("Urge"),
    permissions.SUPERVISE: _lazy("Supervise"),
    permissions.MERGE: _lazy("Merge into another case"),
    permissions.REJECT: _lazy("Do not accept"),
    permissions.WITHDRAW: _lazy("Withdraw"),
    permissions.ACCEPT: _lazy("Accept"),
    permissions.RETURN: _lazy("Return"),
    permissions.REPLY: _lazy("Reply"),
}


REFERRAL_FORMS = {
    permissions.RETURN: forms.ReasonForm,
    permissions.REPLY: forms.ReplyForm,
}


@login_required
def referral_action(request, pk: int, action: str):
    referral = get_object_or_404(Referral.objects.select_related("case", "department"), pk=pk)
    if not permissions.can_view_case(request.user, referral.case):
        raise Http404
    if action not in (permissions.ACCEPT, permissions.RETURN, permissions.REPLY):
        raise Http404
    form_class = REFERRAL_FORMS.get(action)
    form = form_class(request.POST or None, request.FILES or None) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if action == permissions.ACCEPT:
                services.referral_accept(actor=request.user, referral=referral)
                done = _("Accepted. Reply within the deadline.")
            elif action == permissions.RETURN:
                services.referral_return(
                    actor=request.user, referral=referral, reason=form.cleaned_data["reason"]
                )
                done = _("Returned to the dispatcher.")
            else:
                services.referral_reply(
                    actor=request.user,
                    referral=referral,
                    reply=form.cleaned_data["reply"],
                    attachments=form.cleaned_data["attachments"],
                )
                done = _("Reply sent.")
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect("cases:detail", number=referral.case.number)
            apply_errors(form, exc)
        except CaseActionError as exc:
            messages.error(request, exc.message)
            return redirect("cases:detail", number=referral.case.number)
        else:
            messages.success(request, done)
            return redirect("cases:detail", number=referral.case.number)
    if action not in permissions.referral_actions(request.user, referral):
        messages.error(request, _("This step is not possible on this referral now."))
        return redirect("cases:detail", number=referral.case.number)
    if form is None:
        return redirect("cases:detail", number=referral.case.number)
    return render(
        request,
        "cases/action.html",
        {
            "case": referral.case,
            "form": form,
            "action": action,
            "referral": referral,
            "title": ACTION_LABELS[action],
        },
    )


@login_required
def referral_list(request):
    if request.user.role != Role.HANDLER:
        raise Http404
    status = request.GET.get("status", "open")
    valid = {"open", "", *ReferralStatus.values}
    status = status if status in valid else "open"
    overdue = request.GET.get("overdue") == "1"
    referrals = selectors.referrals_for_department(request.user, status=status, overdue=overdue)
    page = paginate(request, referrals, PAGE_SIZE)
    return render(
        request,
        "cases/referral_list.html",
        {
            "page": page,
            "status": status,
            "overdue": overdue,
            "now": timezone.now(),
            "statuses": ReferralStatus.choices,
        },
    )


@login_required
@require_POST
def reveal_reporter_phone(request, number: str):
    case = selectors.case_get_for_user(request.user, number)
    if not permissions.can_reveal_reporter_phone(request.user, case):
        raise Http404
    if case.reporter_phone_cipher:
        value = unseal(case.reporter_phone_cipher)
    else:
        value = case.reporter_resident.unsealed_phone()
    access_record(
        actor=request.user,
        kind=AccessKind.REVEAL_PHONE,
        subject=case,
        reason=_("Reporter of the case"),
        ip_address=client_ip(request),
    )
    return render(request, "directory/_revealed.html", {"value": value, "field": "phone"})


@login_required
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("event__case"), pk=pk)
    if not permissions.can_view_case(request.user, attachment.event.case):
        raise Http404
    content_type = attachment.content_type or mimetypes.guess_type(attachment.original_name)[0]
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=content_type or "application/octet-stream",
    )


@login_required
def case_jump(request):
    """Go straight to a case by its number (the search box in the case list)."""
    number = request.GET.get("number", "").strip().upper()
    case = (
        selectors.cases_visible_to(request.user)
        .filter(
            Q(number=number) | Q(number__endswith=number.zfill(6))
            if number.isdigit()
            else Q(number=number)
        )
        .first()
    )
    if case is None:
        messages.error(request, _("No case with that number is visible to you."))
        return redirect(reverse("cases:list"))
    return redirect("cases:detail", number=case.number)
