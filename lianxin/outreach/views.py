"""Staff pages of outreach, phone first. Thin: selectors read, services write, outsiders 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.models import Role
from lianxin.core.forms import apply_errors, paginate
from lianxin.directory import selectors as directory_selectors
from lianxin.outreach import exports, forms, selectors, services
from lianxin.outreach.models import DutyRule, ReceptionStatus
from lianxin.outreach.services import OutreachError

PAGE_SIZE = 30


def _page(request, queryset):
    return paginate(request, queryset, PAGE_SIZE)


def _require_role(user, roles) -> None:
    if user.role not in roles:
        raise Http404


# --- Visits --------------------------------------------------------------------------------
@login_required
def visit_list(request):
    _require_role(request.user, selectors.OUTREACH_ROLES)
    query = request.GET.get("q", "").strip()
    mine = request.GET.get("mine") == "1" or request.user.role == Role.REPRESENTATIVE
    visits = selectors.visit_list(request.user, visitor=request.user if mine else None, query=query)
    return render(
        request,
        "outreach/visit_list.html",
        {
            "page": _page(request, visits),
            "query": query,
            "mine": mine,
            "can_log": request.user.role in selectors.RECORDERS,
        },
    )


def _chosen(request, data) -> tuple:
    household = resident = None
    if data.get("household"):
        household = (
            directory_selectors.households_visible_to(request.user)
            .select_related("community")
            .prefetch_related("care_tags")
            .filter(pk=data.get("household"))
            .first()
        )
    if data.get("resident"):
        resident = (
            directory_selectors.residents_visible_to(request.user)
            .select_related("community", "household")
            .prefetch_related("care_tags")
            .filter(pk=data.get("resident"))
            .first()
        )
    if resident is not None and household is None and resident.household_id:
        household = resident.household
    return household, resident


def _answers(request, prompts) -> list[dict]:
    return [
        {
            "tag": "、".join(p["tags"]),
            "question": p["question"],
            "answer": request.POST.get(f"answer_{index}", "").strip(),
        }
        for index, p in enumerate(prompts)
    ]


@login_required
def visit_create(request):
    _require_role(request.user, selectors.RECORDERS)
    source = request.POST if request.method == "POST" else request.GET
    household, resident = _chosen(request, source)
    form = forms.VisitForm(
        request.POST or None,
        user=request.user,
        initial={"household": household, "resident": resident},
    )
    prompts = selectors.visit_prompts(household=household, resident=resident)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_log(
                actor=request.user,
                household=data["household"] or (resident.household if resident else None),
                resident=data["resident"],
                visited_at=data["visited_at"],
                met=data["met"],
                heard=data["heard"],
                answers=_answers(request, prompts),
                follow_up_on=data["follow_up_on"],
                companions=data["companions"],
                problem=form.problem() if data["record_case"] else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except OutreachError as exc:
            form.add_error(None, exc.message)
        else:
            case = visit.cases.first()
            if case is not None:
                messages.success(
                    request,
                    _("Visit logged; case %(number)s recorded. Tracking code: %(code)s")
                    % {"number": case.number, "code": case.tracking_code_display},
                )
            else:
                messages.success(request, _("Visit logged in your diary."))
            return redirect("outreach:visit_detail", pk=visit.pk)
    answers = {f"answer_{i}": request.POST.get(f"answer_{i}", "") for i in range(len(prompts))}
    return render(
        request,
        "outreach/visit_form.html",
        {
            "form": form,
            "household": household,
            "resident": resident,
            "prompts": [
                {**p, "name": f"answer_{i}", "value": answers[f"answer_{i}"]}
                for i, p in enumerate(prompts)
            ],
        },
    )


@login_required
def household_search(request):
    """htmx: households (by address, head or member name) to choose for a visit."""
    _require_role(request.user, selectors.RECORDERS)
    query = request.GET.get("q", "").strip()
    households = []
    if query:
        households = list(
            directory_selectors.households_visible_to(request.user)
            .filter(
                Q(address__contains=query)
                | Q(head_name__contains=query)
                | Q(members__name__contains=query)
            )
            .select_related("community")
            .prefetch_related("care_tags")
            .distinct()
            .order_by("community__name", "address")[:10]
        )
    return render(
        request, "outreach/_household_choices.html", {"households": households, "query": query}
    )


@login_required
def visit_prompts(request):
    """htmx: the chosen household (or resident) and the questions its care tags ask."""
    _require_role(request.user, selectors.RECORDERS)
    household, resident = _chosen(request, request.GET)
    if household is None and resident is None:
        raise Http404
    prompts = selectors.visit_prompts(household=household, resident=resident)
    return render(
        request,
        "outreach/_visit_chosen.html",
        {
            "household": household,
            "resident": resident,
            "prompts": [{**p, "name": f"answer_{i}", "value": ""} for i, p in enumerate(prompts)],
        },
    )


@login_required
def visit_detail(request, pk: int):
    visit = selectors.visit_get_for_user(request.user, pk)
    can_add = request.user.role in selectors.RECORDERS
    return render(
        request,
        "outreach/visit_detail.html",
        {
            "visit": visit,
            "case_form": forms.VisitCaseForm() if can_add else None,
            "can_follow_up": can_add
            and visit.follow_up_on is not None
            and visit.follow_up_done_at is None,
        },
    )


@login_required
def visit_case_create(request, pk: int):
    visit = selectors.visit_get_for_user(request.user, pk)
    _require_role(request.user, selectors.RECORDERS)
    form = forms.VisitCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.visit_case_record(
                actor=request.user, visit=visit, problem=form.problem()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except OutreachError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Case %(number)s recorded from this visit. Tracking code: %(code)s")
                % {"number": case.number, "code": case.tracking_code_display},
            )
            return redirect("outreach:visit_detail", pk=visit.pk)
    return render(
        request,
        "outreach/form.html",
        {
            "form": form,
            "title": _("Record a problem heard at this visit"),
            "back": visit,
        },
    )


@login_required
@require_POST
def visit_followed_up(request, pk: int):
    visit = selectors.visit_get_for_user(request.user, pk)
    try:
        services.visit_follow_up_done(actor=request.user, visit=visit)
    except OutreachError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Marked as followed up."))
    return redirect("outreach:visit_detail", pk=visit.pk)


# --- Reception days ------------------------------------------------------------------------
@login_required
def reception_list(request):
    _require_role(request.user, selectors.OUTREACH_ROLES)
    return render(
        request,
        "outreach/reception_list.html",
        {
            "upcoming": selectors.reception_list(request.user, upcoming=True)[:50],
            "page": _page(request, selectors.reception_list(request.user, upcoming=False)),
            "can_schedule": request.user.role in selectors.RECORDERS,
        },
    )


@login_required
def reception_create(request):
    _require_role(request.user, selectors.RECORDERS)
    form = forms.ReceptionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reception = services.reception_schedule(
                actor=request.user,
                community=data["community"],
                place=data["place"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                representatives=data["representatives"],
                publish=data["publish"],
                publish_at=data["publish_at"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except OutreachError as exc:
            form.add_error(None, exc.message)
        else:
            if reception.status == ReceptionStatus.PUBLISHED:
                messages.success(request, _("Reception day scheduled and published."))
            else:
                messages.success(request, _("Reception day scheduled; publish it when ready."))
            return redirect("outreach:reception_detail", pk=reception.pk)
    return render(
        request,
        "outreach/form.html",
        {
            "form": form,
            "title": _("Schedule a reception day"),
            "cancel_url": "outreach:reception_list",
        },
    )


@login_required
def reception_detail(request, pk: int):
    reception = selectors.reception_get_for_user(request.user, pk)
    can_run = selectors.can_run_reception(request.user, reception)
    is_open = services.reception_is_open(reception)
    visitors = reception.visitors.select_related(
        "resident", "case__category", "recorded_by"
    ).order_by("arrived_at", "pk")
    return render(
        request,
        "outreach/reception_detail.html",
        {
            "reception": reception,
            "visitors": visitors,
            "can_run": can_run,
            "is_open": is_open,
            "visitor_form": forms.VisitorForm(user=request.user) if can_run and is_open else None,
            "publish_form": forms.PublishForm()
            if can_run and reception.status == ReceptionStatus.DRAFT
            else None,
            "can_summarise": can_run
            and reception.status == ReceptionStatus.PUBLISHED
            and timezone.now() >= reception.starts_at,
            "can_cancel": can_run
            and reception.status in (ReceptionStatus.DRAFT, ReceptionStatus.PUBLISHED),
            "public_from": reception.publish_at,
        },
    )


@login_required
@require_POST
def reception_publish(request, pk: int):
    reception = selectors.reception_get_for_user(request.user, pk)
    form = forms.PublishForm(request.POST)
    publish_at = form.cleaned_data["publish_at"] if form.is_valid() else None
    try:
        services.reception_publish(actor=request.user, reception=reception, publish_at=publish_at)
    except OutreachError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Reception day published."))
    return redirect("outreach:reception_detail", pk=reception.pk)


@login_required
def reception_cancel(request, pk: int):
    reception = selectors.reception_get_for_user(request.user, pk)
    if not selectors.can_run_reception(request.user, reception):
        raise Http404
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reception_cancel(
                actor=request.user, reception=reception, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except OutreachError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Reception day cancelled."))
            return redirect("outreach:reception_detail", pk=reception.pk)
    return render(
        request,
        "outreach/form.html",
        {"form": form, "title": _("Cancel the reception day"), "back": reception},
    )


@login_required
def reception_visitor_create(request, pk: int):
    reception = selectors.reception_get_for_user(request.user, pk)
    if not selectors.can_run_reception(request.user, reception):
        raise Http404
    form = forms.VisitorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visitor = services.reception_visitor_log(
                actor=request.user,
                reception=reception,
                resident=data["resident"],
                name=data["name"],
                phone=data["phone"],
                problem=form.problem(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except OutreachError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s logged; case %(number)s recorded. Tracking code: %(code)s")
                % {
                    "name": visitor.display_name,
                    "number": visitor.case.number,
                    "code": visitor.case.tracking_code_display,
                },
            )
            return redirect("outreach:reception_detail", pk=reception.pk)
    chosen = None
    if form.is_bound and form.data.get("resident"):
        chosen = (
            directory_selectors.residents_visible_to(request.user)
            .filter(pk=form.data.get("resident"))
            .first()
        )
    return render(
        request,
        "outreach/visitor_form.html",
        {"form": form, "reception": reception, "chosen": chosen},
    )


@login_required
def reception_summary(request, pk: int):
    reception = selectors.reception_get_for_user(request.user, pk)
    if not selectors.can_run_reception(request.user, reception):
        raise Http404
    form = forms.SummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reception_summarise(
                actor=request.user, reception=reception, summary=form.cleaned_data["summary"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except OutreachError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Summary saved; the reception day is closed."))
            return redirect("outreach:reception_detail", pk=reception.pk)
    return render(
        request,
        "outreach/form.html",
        {"form": form, "title": _("Summary of the reception day"), "back": reception},
    )


# --- Check-ins and one-to-one pairings ------------------------------------------------------
@login_required
def check_in_list(request):
    _require_role(request.user, selectors.OUTREACH_ROLES)
    rep = selectors.representative_of(request.user)
    form = None
    if rep is not None:
        form = forms.CheckInForm(
            request.POST or None, communities=selectors.contact_communities(rep)
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.check_in_record(
                    actor=request.user,
                    community=data["community"],
                    checked_in_at=data["checked_in_at"],
                    note=data["note"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except OutreachError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Checked in at %(community)s.") % {"community": data["community"].name},
                )
                return redirect("outreach:check_in_list")
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "outreach/check_in_list.html",
        {"form": form, "page": _page(request, selectors.check_in_list(request.user))},
    )


@login_required
def one_to_one_list(request):
    _require_role(request.user, selectors.OUTREACH_ROLES)
    rows = selectors.one_to_one_list(request.user)
    page = _page(request, rows)
    return render(request, "outreach/one_to_one_list.html", {"page": page})


# --- Talks ---------------------------------------------------------------------------------
@login_required
def talk_list(request):
    _require_role(request.user, selectors.OUTREACH_ROLES)
    due_only = request.GET.get("due") == "1"
    return render(
        request,
        "outreach/talk_list.html",
        {
            "page": _page(request, selectors.talk_list(request.user, due_only=due_only)),
            "due_only": due_only,
            "can_record": request.user.role in selectors.RECORDERS,
        },
    )


@login_required
def talk_create(request):
    _require_role(request.user, selectors.RECORDERS)
    initial = {}
    if request.GET.get("resident"):
        initial["resident"] = (
            directory_selectors.residents_visible_to(request.user)
            .filter(pk=request.GET["resident"])
            .first()
        )
    form = forms.TalkForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            talk = services.talk_record(
                actor=request.user,
                resident=data["resident"],
                reason=data["reason"],
                held_at=data["held_at"],
                notes=data["notes"],
                follow_up_on=data["follow_up_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except OutreachError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Talk recorded."))
            return redirect("outreach:talk_detail", pk=talk.pk)
    chosen = initial.get("resident")
    if form.is_bound and form.data.get("resident"):
        chosen = (
            directory_selectors.residents_visible_to(request.user)
            .filter(pk=form.data.get("resident"))
            .first()
        )
    return render(request, "outreach/talk_form.html", {"form": form, "chosen": chosen})


@login_required
def talk_detail(request, pk: int):
    talk = selectors.talk_get_for_user(request.user, pk)
    return render(
        request,
        "outreach/talk_detail.html",
        {
            "talk": talk,
            "can_read_notes": selectors.can_read_talk_notes(request.user, talk),
            "can_follow_up": talk.talker_id == request.user.pk
            and talk.follow_up_on is not None
            and talk.follow_up_done_at is None,
        },
    )


@login_required
@require_POST
def talk_followed_up(request, pk: int):
    talk = selectors.talk_get_for_user(request.user, pk)
    try:
        services.talk_follow_up_done(actor=request.user, talk=talk)
    except OutreachError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Marked as followed up."))
    return redirect("outreach:talk_detail", pk=talk.pk)


# --- Activities ----------------------------------------------------------------------------
@login_required
def activity_list(request):
    _require_role(request.user, selectors.OUTREACH_ROLES)
    return render(
        request,
        "outreach/activity_list.html",
        {
            "page": _page(request, selectors.activity_list(request.user)),
            "can_create": request.user.role in selectors.RECORDERS,
        },
    )


@login_required
def activity_create(request):
    _require_role(request.user, selectors.RECORDERS)
    form = forms.ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except OutreachError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Activity created."))
            return redirect("outreach:activity_detail", pk=activity.pk)
    return render(
        request,
        "outreach/form.html",
        {
            "form": form,
            "title": _("New activity or briefing"),
            "cancel_url": "outreach:activity_list",
        },
    )


@login_required
def activity_detail(request, pk: int):
    activity = selectors.activity_get_for_user(request.user, pk)
    return render(
        request,
        "outreach/activity_detail.html",
        {
            "activity": activity,
            "attendances": selectors.attendance_list(activity),
            "can_run": selectors.can_run_activity(request.user, activity),
            "sign_in_url": exports.sign_in_url(request, activity),
            "qr_svg": exports.sign_in_qr_svg(request, activity),
        },
    )


@login_required
def activity_qr(request, pk: int):
    """The sign-in QR code as a PNG to print on the notice at the door."""
    activity = selectors.activity_get_for_user(request.user, pk)
    response = HttpResponse(exports.sign_in_qr_png(request, activity), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="sign-in-{activity.pk}.png"'
    return response


@login_required
def activity_lookup(request, pk: int):
    """htmx: residents to sign in, by name or exact phone."""
    activity = selectors.activity_get_for_user(request.user, pk)
    if not selectors.can_run_activity(request.user, activity):
        raise Http404
    query = request.GET.get("lookup", "").strip()
    residents = []
    if query:
        visible = directory_selectors.residents_visible_to(request.user)
        if query.replace(" ", "").replace("-", "").isdigit():
            index = directory_selectors.phone_index_or_none(query)
            visible = visible.filter(phone_index=index or "-")
        else:
            visible = visible.filter(name__contains=query)
        residents = list(visible.select_related("community").order_by("name")[:10])
    present = set(
        activity.attendances.filter(resident__in=residents).values_list("resident_id", flat=True)
    )
    return render(
        request,
        "outreach/_attendance_lookup.html",
        {"activity": activity, "residents": residents, "present": present, "query": query},
    )


@login_required
@require_POST
def activity_attend(request, pk: int):
    activity = selectors.activity_get_for_user(request.user, pk)
    resident = get_object_or_404(
        directory_selectors.residents_visible_to(request.user), pk=request.POST.get("resident")
    )
    try:
        added, _present = services.attendance_record(
            actor=request.user, activity=activity, residents=[resident]
        )
    except OutreachError as exc:
        messages.error(request, exc.message)
    else:
        if added:
            messages.success(request, _("%(name)s signed in.") % {"name": resident.name})
        else:
            messages.info(request, _("%(name)s was already signed in.") % {"name": resident.name})
    return redirect("outreach:activity_detail", pk=activity.pk)


# --- Coverage ------------------------------------------------------------------------------
@login_required
def coverage_report(request):
    _require_role(request.user, selectors.OUTREACH_ROLES)
    form = forms.CoverageForm(request.GET or None, user=request.user)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if not selectors.can_read_coverage(request.user, data["community"]):
            raise Http404
        result = selectors.coverage(
            community=data["community"], start=data["start"], end=data["end"]
        )
    return render(request, "outreach/coverage.html", {"form": form, "coverage": result})


# --- Duties --------------------------------------------------------------------------------
def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@login_required
def duty_progress(request):
    reps = selectors.representatives_with_duties_visible_to(request.user).order_by("name")
    if request.user.role not in (Role.ADMIN, Role.SUPERVISOR, Role.REPRESENTATIVE):
        raise Http404
    year = _year(request)
    return render(
        request,
        "outreach/duty_progress.html",
        {
            "year": year,
            "years": range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1),
            "rules": list(selectors.duty_rules_for(year)),
            "rows": selectors.duty_progress(year=year, representatives=reps),
            "can_manage": selectors.can_manage_duty_rules(request.user),
        },
    )


@login_required
def duty_rules(request):
    if not selectors.can_manage_duty_rules(request.user):
        raise Http404
    form = forms.DutyRuleForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.duty_rule_save(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Duty rule saved."))
            return redirect("outreach:duty_rules")
    return render(
        request,
        "outreach/duty_rules.html",
        {"form": form, "rules": DutyRule.objects.select_related("created_by").all()},
    )


@login_required
def duty_rule_edit(request, pk: int):
    if not selectors.can_manage_duty_rules(request.user):
        raise Http404
    rule = get_object_or_404(DutyRule, pk=pk)
    form = forms.DutyRuleForm(
        request.POST or None,
        initial={
            "year": rule.year,
            "metric": rule.metric,
            "period": rule.period,
            "minimum": rule.minimum,
            "note": rule.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.duty_rule_save(actor=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Duty rule saved."))
            return redirect("outreach:duty_rules")
    return render(
        request,
        "outreach/form.html",
        {"form": form, "title": _("Edit duty rule"), "cancel_url": "outreach:duty_rules"},
    )


@login_required
@require_POST
def duty_rule_delete(request, pk: int):
    if not selectors.can_manage_duty_rules(request.user):
        raise Http404
    rule = get_object_or_404(DutyRule, pk=pk)
    services.duty_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Duty rule removed."))
    return redirect("outreach:duty_rules")


def _record(request, pk: int, year: int):
    if not 2000 <= year <= 2100:
        raise Http404
    rep = selectors.representative_duties_get_for_user(request.user, pk)
    return selectors.duty_record(representative=rep, year=year)


@login_required
def duty_record(request, pk: int, year: int):
    record = _record(request, pk, year)
    return render(request, "outreach/duty_record.html", {"record": record})


@login_required
def duty_record_xlsx(request, pk: int, year: int):
    record = _record(request, pk, year)
    response = HttpResponse(
        exports.duty_record_xlsx(record),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = exports.attachment_header(record, "xlsx")
    return response


@login_required
def duty_record_pdf(request, pk: int, year: int):
    record = _record(request, pk, year)
    response = HttpResponse(exports.duty_record_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = exports.attachment_header(record, "pdf")
    return response


@login_required
def my_duty_record(request):
    rep = selectors.representative_of(request.user)
    if rep is None:
        raise Http404
    return redirect("outreach:duty_record", pk=rep.pk, year=_year(request))


# --- Proposals -----------------------------------------------------------------------------
@login_required
def proposal_list(request):
    if request.user.role not in (Role.ADMIN, Role.SUPERVISOR, Role.REPRESENTATIVE):
        raise Http404
    return render(
        request,
        "outreach/proposal_list.html",
        {
            "page": _page(request, selectors.proposal_list(request.user)),
            "can_propose": selectors.representative_of(request.user) is not None,
        },
    )


@login_required
def proposal_create(request):
    if selectors.representative_of(request.user) is None:
        raise Http404
    form = forms.ProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_submit(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except OutreachError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Proposal recorded as case %(number)s.") % {"number": proposal.case.number},
            )
            return redirect("outreach:proposal_list")
    return render(
        request,
        "outreach/form.html",
        {"form": form, "title": _("Make a proposal"), "cancel_url": "outreach:proposal_list"},
    )
