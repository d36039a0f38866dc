"""Staff pages for casework. Every step goes through a service; the buttons on a case page
are exactly the workflow table's steps for the reader (lianxin.cases.workflow)."""

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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lianxin.accounts.models import AccessKind, Role
from lianxin.accounts.services import access_record, client_ip
from lianxin.cases import forms, permissions, selectors, services, workflow
from lianxin.cases.errors import CaseActionError
from lianxin.cases.exports import export_cases
from lianxin.cases.models import Attachment, Referral, ReferralStatus
from lianxin.cases.todo import todo_query
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
        response_overdue=bool(data.get("response_overdue")),
        sort=data.get("sort") or "-received",
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
        "can_create": permissions.can_record_cases(request.user),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "case-results":
        return render(request, "cases/_case_table.html", context)
    return render(request, "cases/case_list.html", context)


TODO_SHOWS = [
    ("all", gettext_lazy("Everything")),
    ("overdue", gettext_lazy("Overdue")),
    ("today", gettext_lazy("Due by tonight")),
]


@login_required
def todo(request):
    """The whole to-do, paged; the workbench shows its first rows."""
    show = request.GET.get("show", "all")
    show = show if show in dict(TODO_SHOWS) else "all"
    now = timezone.now()
    query, make = todo_query(request.user, show=show, now=now)
    page = paginate(request, query, PAGE_SIZE)
    return render(
        request,
        "cases/todo.html",
        {
            "page": page,
            "rows": [make(item) for item in page],
            "now": now,
            "show": show,
            "shows": TODO_SHOWS,
        },
    )


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
    if not permissions.can_record_cases(request.user):
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
    every = list(case.referrals.all())
    whole = permissions.reads_whole_case(request.user, case, every)
    referrals = permissions.referrals_for_reader(request.user, case, every)
    steps = workflow.case_steps(request.user, case, referrals=every)
    referral_rows = [
        {"referral": r, "steps": workflow.referral_steps(request.user, r, case=case)}
        for r in referrals
    ]
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "whole": whole,
            "action_forms": [
                (step.name, step.label, step.form(case=case, user=request.user)) for step in steps
            ],
            "referral_rows": referral_rows,
            "timeline": selectors.case_timeline(case, reader=request.user, whole=whole),
            "merged": selectors.merged_cases(case) if whole else [],
            "now": timezone.now(),
            "can_reveal_phone": whole and permissions.can_reveal_reporter_phone(request.user, case),
            "ratings": list(case.ratings.all()) if whole else [],
        },
    )


def _step_page(request, step, *, case, target, referral=None):
    """GET: the step's form on its own page. POST: do it (see _run_step)."""
    if request.method == "POST":
        form = step.form(request.POST, request.FILES, case=case, user=request.user)
        done = _run_step(request, step, case=case, target=target, form=form)
        if done is not None:
            return done
    else:
        form = step.form(case=case, user=request.user)
    return render(
        request,
        "cases/action.html",
        {
            "case": case,
            "form": form,
            "action": step.name,
            "referral": referral,
            "title": step.label,
        },
    )


def _run_step(request, step, *, case, target, form):
    """The staff form round trip of one step: service, then errors back on the form, or a
    message and back to the case (the survivor, after a merge). None: show the form again."""
    if not form.is_valid():
        return None
    try:
        step.call(actor=request.user, target=target, data=form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    except CaseActionError as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", number=case.number)
    messages.success(request, step.done)
    case.refresh_from_db(fields=["merged_into", "status"])
    target_case = case.merged_into.number if case.merged_into_id else case.number
    return redirect("cases:detail", number=target_case)


@login_required
def case_action(request, number: str, action: str):
    """GET: the step's form on its own page. POST: do it, then back to the case."""
    case = selectors.case_get_for_user(request.user, number)
    step = workflow.CASE_STEPS.get(action)
    if step is None:
        raise Http404
    if action not in workflow.case_step_names(request.user, case):
        messages.error(request, _("This step is not possible on this case now."))
        return redirect("cases:detail", number=case.number)
    return _step_page(request, step, case=case, target=case)


@login_required
def referral_action(request, pk: int, action: str):
    referral = get_object_or_404(Referral.objects.select_related("case", "department"), pk=pk)
    case = referral.case
    if not permissions.can_view_case(request.user, case):
        raise Http404
    step = workflow.REFERRAL_STEPS.get(action)
    if step is None:
        raise Http404
    if action not in workflow.referral_step_names(request.user, referral, case=case):
        messages.error(request, _("This step is not possible on this referral now."))
        return redirect("cases:detail", number=case.number)
    return _step_page(request, step, case=case, target=referral, referral=referral)


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
    attachment = get_object_or_404(
        Attachment.objects.select_related("event__case", "event__referral"), pk=pk
    )
    case, event = attachment.event.case, attachment.event
    if not permissions.can_view_case(request.user, case):
        raise Http404
    if not permissions.reads_whole_case(request.user, case) and (
        event.referral is None or event.referral.department_id != request.user.department_id
    ):
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
