"""Staff pages of proposal handling: the list, one proposal (assign, answer, rate, turn into a
practical project) and the "solved or planned" share per representative and department."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.core.forms import apply_errors, paginate
from lianxin.proposals import forms, selectors, services


@login_required
def proposal_list(request):
    return render(
        request,
        "proposals/proposal_list.html",
        {"page": paginate(request, selectors.proposal_list(request.user), 30)},
    )


def _detail(request, proposal, status=200, **given):
    handling = getattr(proposal, "handling", None)
    user = request.user
    return render(
        request,
        "proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "handling": handling,
            "assign_form": given.get("assign_form")
            or (forms.AssignForm() if handling is None and selectors.can_assign(user) else None),
            "answer_form": given.get("answer_form")
            or (forms.AnswerForm() if handling and selectors.can_answer(user, handling) else None),
            "rate_form": given.get("rate_form")
            or (forms.RateForm() if handling and selectors.can_rate(user, handling) else None),
            "projects": list(proposal.projects.all()),
            "can_start_project": user.role in ("admin", "supervisor", "worker"),
        },
        status=status,
    )


@login_required
def proposal_detail(request, pk: int):
    return _detail(request, selectors.proposal_get_for_user(request.user, pk))


def _step(request, pk, form_class, slot, action, success):
    proposal = selectors.proposal_get_for_user(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(proposal, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except services.ProposalError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, success)
            return redirect("proposals:detail", proposal.pk)
    return _detail(request, proposal, status=400, **{slot: form})


@login_required
@require_POST
def proposal_assign(request, pk: int):
    return _step(
        request,
        pk,
        forms.AssignForm,
        "assign_form",
        lambda p, d: services.proposal_assign(
            actor=request.user, proposal=p, department=d["department"]
        ),
        _("The proposal is assigned; the department is told."),
    )


def _handling(proposal):
    handling = getattr(proposal, "handling", None)
    if handling is None:
        raise Http404
    return handling


@login_required
@require_POST
def proposal_answer(request, pk: int):
    return _step(
        request,
        pk,
        forms.AnswerForm,
        "answer_form",
        lambda p, d: services.proposal_answer(actor=request.user, handling=_handling(p), **d),
        _("The answer is sent to the representative."),
    )


@login_required
@require_POST
def proposal_rate(request, pk: int):
    return _step(
        request,
        pk,
        forms.RateForm,
        "rate_form",
        lambda p, d: services.proposal_rate(actor=request.user, handling=_handling(p), **d),
        _("Your rating is recorded."),
    )


@login_required
def share_report(request):
    if request.user.role not in ("admin", "supervisor"):
        raise Http404
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    return render(
        request,
        "proposals/share.html",
        {
            "year": year,
            "by_representative": selectors.share(year=year, by="representative"),
            "by_department": selectors.share(year=year, by="department"),
            "min_sample": selectors.MIN_SAMPLE,
        },
    )
