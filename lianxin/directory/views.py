"""Staff pages of the directory. Thin: selectors read, services write, outsiders get 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.models import AccessKind
from lianxin.accounts.services import access_record, client_ip
from lianxin.core import privacy
from lianxin.core.forms import apply_errors, paginate
from lianxin.core.logging import redact
from lianxin.directory import history, selectors, services
from lianxin.directory.forms import (
    CommunityForm,
    DepartmentForm,
    HistoryFilterForm,
    HouseholdForm,
    PairingEndForm,
    PairingForm,
    RepresentativeForm,
    ResidentFilterForm,
    ResidentForm,
    RevealForm,
    RosterUploadForm,
    UnmaskedExportForm,
)
from lianxin.directory.models import (
    Community,
    Department,
    Household,
    Pairing,
    PairingKind,
    Representative,
)
from lianxin.directory.roster import export_residents
from lianxin.directory.roster_import import problems_workbook, template_workbook

PAGE_SIZE = 50


def _page(request, queryset):
    return paginate(request, queryset, PAGE_SIZE)


# --- Residents -----------------------------------------------------------------------------
@login_required
def resident_list(request):
    if request.user.role not in selectors.DIRECTORY_ROLES:
        raise Http404
    form = ResidentFilterForm(request.GET or None, user=request.user)
    filters = form.selector_filters()
    phone = filters["phone"]
    phone_invalid = bool(phone) and selectors.phone_index_or_none(phone) is None
    residents = selectors.resident_list(request.user, **filters)
    context = {
        "form": form,
        "page": _page(request, residents),
        "phone_invalid": phone_invalid,
        "can_create": selectors.can_edit_resident(request.user),
        "can_export": selectors.can_edit_resident(request.user)
        or request.user.role == "supervisor",
        "can_export_unmasked": selectors.can_export_unmasked(request.user),
    }
    template = (
        "directory/_resident_table.html"
        if request.headers.get("HX-Request")
        and request.headers.get("HX-Target") == "resident-results"
        else "directory/resident_list.html"
    )
    return render(request, template, context)


@login_required
def resident_detail(request, pk: int):
    resident = selectors.resident_get_for_user(request.user, pk)
    pairings = (
        Pairing.objects.filter(Q(resident=resident) | Q(party_member=resident))
        .select_related("party_member", "resident")
        .order_by("-start_date")
    )
    return render(
        request,
        "directory/resident_detail.html",
        {
            "resident": resident,
            "history": (
                history.changes_for(resident) if history.can_read_history(request.user) else None
            ),
            "pairings": pairings,
            "can_edit": selectors.can_edit_resident(request.user, resident),
            "can_reveal_phone": selectors.can_reveal_phone(request.user, resident),
            "can_reveal_id": selectors.can_reveal_id_number(request.user, resident),
            "household_members": (
                resident.household.members.exclude(pk=resident.pk) if resident.household_id else []
            ),
        },
    )


@login_required
@require_POST
def resident_reveal(request, pk: int):
    resident = selectors.resident_get_for_user(request.user, pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        value = services.resident_reveal(
            actor=request.user,
            resident=resident,
            field=form.cleaned_data["field"],
            reason=form.cleaned_data["reason"],
            ip_address=client_ip(request),
        )
    except PermissionDenied:
        raise Http404 from None
    return render(
        request, "directory/_revealed.html", {"value": value, "field": form.cleaned_data["field"]}
    )


@login_required
def resident_create(request):
    if not selectors.can_edit_resident(request.user):
        raise Http404
    initial = {}
    if request.GET.get("household"):
        household = (
            selectors.households_visible_to(request.user)
            .filter(pk=request.GET["household"])
            .first()
        )
        if household:
            initial = {
                "household": household,
                "community": household.community,
                "address": household.address,
            }
    form = ResidentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            k: v
            for k, v in form.cleaned_data.items()
            if k
            in (
                "household",
                "gender",
                "birth_date",
                "address",
                "is_party_member",
                "care_tags",
                "note",
            )
        }
        try:
            resident = services.resident_create(
                actor=request.user,
                community=form.cleaned_data["community"],
                name=form.cleaned_data["name"],
                numbers=form.numbers,
                **data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Resident %(name)s was added.") % {"name": resident})
            return redirect("directory:resident_detail", pk=resident.pk)
    return render(
        request,
        "directory/form.html",
        {"form": form, "title": _("Add a resident"), "cancel_url": "directory:resident_list"},
    )


@login_required
def resident_edit(request, pk: int):
    resident = selectors.resident_get_for_user(request.user, pk)
    if not selectors.can_edit_resident(request.user, resident):
        raise Http404
    form = ResidentForm(request.POST or None, instance=resident, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {
            k: form.cleaned_data[k]
            for k in (
                "community",
                "household",
                "name",
                "gender",
                "birth_date",
                "address",
                "is_party_member",
                "note",
            )
        }
        try:
            services.resident_update(
                actor=request.user,
                resident=resident,
                numbers=form.numbers,
                care_tags=form.cleaned_data["care_tags"],
                **fields,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("directory:resident_detail", pk=resident.pk)
    return render(
        request,
        "directory/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": resident.name}, "object": resident},
    )


# --- Households ----------------------------------------------------------------------------
@login_required
def household_list(request):
    if request.user.role not in selectors.DIRECTORY_ROLES:
        raise Http404
    form = ResidentFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    households = selectors.household_list(
        request.user,
        query=(filters.get("q") or "").strip(),
        community_id=getattr(filters.get("community"), "pk", None),
        tag_id=getattr(filters.get("tag"), "pk", None),
    )
    return render(
        request,
        "directory/household_list.html",
        {
            "form": form,
            "page": _page(request, households),
            "can_create": selectors.can_edit_resident(request.user),
        },
    )


@login_required
def household_detail(request, pk: int):
    household = selectors.household_get_for_user(request.user, pk)
    return render(
        request,
        "directory/household_detail.html",
        {
            "household": household,
            "members": household.members.prefetch_related("care_tags").order_by("name"),
            "pairings": household.pairings.select_related("representative").order_by("-start_date"),
            "can_edit": selectors.can_edit_resident(request.user)
            and selectors.can_view_household(request.user, household),
        },
    )


@login_required
def household_edit(request, pk: int | None = None):
    household = selectors.household_get_for_user(request.user, pk) if pk else Household()
    if not selectors.can_edit_resident(request.user):
        raise Http404
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    if request.method == "POST" and form.is_valid():
        household = form.save(commit=False)
        services.household_save(
            actor=request.user, household=household, care_tags=form.cleaned_data["care_tags"]
        )
        messages.success(request, _("Changes saved."))
        return redirect("directory:household_detail", pk=household.pk)
    title = _("Edit household") if pk else _("Add a household")
    return render(
        request,
        "directory/form.html",
        {"form": form, "title": title, "object": household if pk else None},
    )


# --- Representatives, communities, departments ---------------------------------------------
@login_required
def representative_list(request):
    query = request.GET.get("q", "").strip()
    reps = selectors.representatives_visible_to(request.user).annotate(
        community_count=Count("pairings", filter=Q(pairings__kind=PairingKind.CONTACT))
    )
    if query:
        reps = reps.filter(Q(name__contains=query) | Q(unit__contains=query))
    return render(
        request,
        "directory/representative_list.html",
        {
            "page": _page(request, reps.order_by("-is_active", "name")),
            "query": query,
            "can_create": selectors.can_edit_directory_reference(request.user),
        },
    )


@login_required
def representative_detail(request, pk: int):
    rep = selectors.representative_get_for_user(request.user, pk)
    today = timezone.localdate()
    pairings = rep.pairings.select_related("community", "household__community").order_by(
        "kind", "-start_date"
    )
    return render(
        request,
        "directory/representative_detail.html",
        {
            "rep": rep,
            "pairings": pairings,
            "today": today,
            "can_edit": selectors.can_edit_directory_reference(request.user),
        },
    )


def _reference_edit(request, *, form_class, instance, title, detail_url, save=None):
    if not selectors.can_edit_directory_reference(request.user):
        raise Http404
    form = form_class(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        if save:
            save(obj)
        else:
            obj._history_user = request.user
            obj.save()
        messages.success(request, _("Changes saved."))
        return redirect(detail_url, pk=obj.pk)
    return render(
        request,
        "directory/form.html",
        {"form": form, "title": title, "object": instance if instance.pk else None},
    )


@login_required
def representative_edit(request, pk: int | None = None):
    rep = get_object_or_404(Representative, pk=pk) if pk else Representative()
    return _reference_edit(
        request,
        form_class=RepresentativeForm,
        instance=rep,
        title=_("Edit representative") if pk else _("Add a representative"),
        detail_url="directory:representative_detail",
        save=lambda obj: services.representative_save(actor=request.user, representative=obj),
    )


@login_required
def community_list(request):
    communities = (
        selectors.communities_visible_to(request.user)
        .annotate(resident_count=Count("residents", distinct=True))
        .order_by("subdistrict__name", "name")
    )
    return render(
        request,
        "directory/community_list.html",
        {
            "communities": communities,
            "in_scope": selectors.scopes.community_ids(request.user),
            "can_create": selectors.can_edit_directory_reference(request.user),
        },
    )


@login_required
def community_detail(request, pk: int):
    community = selectors.community_get_for_user(request.user, pk)
    contacts = (
        community.pairings.active()
        .filter(kind=PairingKind.CONTACT)
        .select_related("representative")
    )
    in_scope = selectors.scopes.in_scope(request.user, community.pk)
    stats = None
    if in_scope and request.user.role in selectors.DIRECTORY_ROLES:
        stats = {
            "residents": community.residents.count(),
            "households": community.households.count(),
            "party_members": community.residents.filter(is_party_member=True).count(),
        }
    return render(
        request,
        "directory/community_detail.html",
        {
            "community": community,
            "contacts": contacts,
            "stats": stats,
            "can_edit": selectors.can_edit_directory_reference(request.user),
        },
    )


@login_required
def community_edit(request, pk: int | None = None):
    community = get_object_or_404(Community, pk=pk) if pk else Community()
    return _reference_edit(
        request,
        form_class=CommunityForm,
        instance=community,
        title=_("Edit community") if pk else _("Add a community"),
        detail_url="directory:community_detail",
    )


@login_required
def department_list(request):
    departments = (
        selectors.departments_visible_to(request.user)
        .annotate(handler_count=Count("handlers"))
        .order_by("-is_active", "name")
    )
    return render(
        request,
        "directory/department_list.html",
        {
            "departments": departments,
            "can_create": selectors.can_edit_directory_reference(request.user),
        },
    )


@login_required
def department_detail(request, pk: int):
    department = get_object_or_404(selectors.departments_visible_to(request.user), pk=pk)
    return render(
        request,
        "directory/department_detail.html",
        {
            "department": department,
            "handlers": department.handlers.filter(is_active=True).order_by("full_name"),
            "can_edit": selectors.can_edit_directory_reference(request.user),
        },
    )


@login_required
def department_edit(request, pk: int | None = None):
    department = get_object_or_404(Department, pk=pk) if pk else Department()
    return _reference_edit(
        request,
        form_class=DepartmentForm,
        instance=department,
        title=_("Edit department") if pk else _("Add a department"),
        detail_url="directory:department_detail",
    )


# --- Pairings ------------------------------------------------------------------------------
@login_required
def pairing_list(request):
    if request.user.role not in selectors.DIRECTORY_ROLES:
        raise Http404
    kind = request.GET.get("kind", "")
    kind = kind if kind in PairingKind.values else ""
    active_only = request.GET.get("all") != "1"
    pairings = selectors.pairing_list(request.user, kind=kind, active_only=active_only)
    return render(
        request,
        "directory/pairing_list.html",
        {
            "page": _page(request, pairings),
            "kind": kind,
            "kinds": PairingKind.choices,
            "active_only": active_only,
            "today": timezone.localdate(),
            "can_manage": selectors.can_manage_pairings(request.user),
        },
    )


@login_required
def pairing_create(request):
    if not selectors.can_manage_pairings(request.user):
        raise Http404
    form = PairingForm(
        request.POST or None,
        user=request.user,
        initial={"kind": request.GET.get("kind", PairingKind.CONTACT)},
    )
    if request.method == "POST" and form.is_valid():
        data = {
            k: form.cleaned_data[k]
            for k in (
                "kind",
                "representative",
                "community",
                "party_member",
                "resident",
                "household",
                "start_date",
                "end_date",
                "note",
            )
        }
        try:
            services.pairing_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may only pair people inside your own communities."))
        else:
            messages.success(request, _("Pairing recorded."))
            return redirect("directory:pairing_list")
    return render(
        request,
        "directory/form.html",
        {"form": form, "title": _("Add a pairing"), "cancel_url": "directory:pairing_list"},
    )


@login_required
def pairing_end(request, pk: int):
    pairing = get_object_or_404(selectors.pairings_visible_to(request.user), pk=pk)
    if not selectors.can_manage_pairings(request.user):
        raise Http404
    form = PairingEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.pairing_end(
                actor=request.user, pairing=pairing, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The pairing ends on %(date)s.") % {"date": form.cleaned_data["end_date"]},
            )
            return redirect("directory:pairing_list")
    return render(
        request,
        "directory/form.html",
        {
            "form": form,
            "title": _("End pairing: %(pairing)s") % {"pairing": pairing},
            "cancel_url": "directory:pairing_list",
        },
    )


# --- Export --------------------------------------------------------------------------------
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _exported_residents(request, query):
    form = ResidentFilterForm(query or None, user=request.user)
    return selectors.resident_list(request.user, **form.selector_filters())


def _filter_summary(query) -> str:
    """The export's filters for the access log, never with a searched number in clear."""
    parts = []
    for key, value in query.items():
        if not value or key not in ResidentFilterForm.base_fields:
            continue
        if key == "phone":
            value = privacy.mask_phone("".join(ch for ch in value if ch.isdigit()))
        parts.append(f"{key}={redact(value)}")
    return "&".join(parts)


@login_required
def resident_export(request):
    """The filtered roster as .xlsx with masked numbers (see resident_export_unmasked)."""
    if request.user.role not in selectors.DIRECTORY_ROLES:
        raise Http404
    residents = _exported_residents(request, request.GET)
    access_record(
        actor=request.user,
        kind=AccessKind.EXPORT_MASKED,
        subject=None,
        reason=_filter_summary(request.GET)[:200],
        ip_address=client_ip(request),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _xlsx_response(export_residents(residents, unmasked=False), f"residents-{stamp}.xlsx")


@login_required
def resident_export_unmasked(request):
    """The filtered roster with full numbers: asked for explicitly, with a reason, audited."""
    if not selectors.can_export_unmasked(request.user):
        raise Http404
    query = request.POST if request.method == "POST" else request.GET
    filters = {k: v for k, v in query.items() if k in ResidentFilterForm.base_fields and v}
    residents = _exported_residents(request, filters)
    form = UnmaskedExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = residents.count()
        reason = form.cleaned_data["reason"].strip()
        summary = _("%(count)s residents") % {"count": count}
        if filters:
            summary += "; " + _filter_summary(filters)
        access_record(
            actor=request.user,
            kind=AccessKind.EXPORT_UNMASKED,
            subject=None,
            reason=f"{reason} ({summary})"[:200],
            ip_address=client_ip(request),
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return _xlsx_response(
            export_residents(residents, unmasked=True), f"residents-full-{stamp}.xlsx"
        )
    return render(
        request,
        "directory/export_unmasked.html",
        {"form": form, "filters": filters, "count": residents.count()},
    )


# --- Roster import -------------------------------------------------------------------------
@login_required
def roster_import_list(request):
    if not selectors.can_import_roster(request.user):
        raise Http404
    imports = selectors.roster_imports_visible_to(request.user).order_by("-created_at", "-pk")
    return render(request, "directory/import_list.html", {"page": _page(request, imports)})


@login_required
def roster_import_create(request):
    if not selectors.can_import_roster(request.user):
        raise Http404
    form = RosterUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        created = services.roster_import_start(
            actor=request.user,
            file_name=upload.name,
            chunks=upload.chunks(),
            default_community=form.cleaned_data["default_community"],
            import_valid_rows=form.cleaned_data["import_valid_rows"],
            language=translation.get_language() or "",
        )
        return redirect("directory:roster_import_detail", pk=created.pk)
    return render(
        request,
        "directory/import_form.html",
        {"form": form, "title": _("Import residents from a roster")},
    )


def _import_context(request, roster_import) -> dict:
    problems = paginate(request, roster_import.problems, PAGE_SIZE)
    return {"imp": roster_import, "problems": problems}


@login_required
def roster_import_detail(request, pk: int):
    roster_import = selectors.roster_import_get_for_user(request.user, pk)
    if request.headers.get("HX-Request"):
        return render(
            request, "directory/_import_status.html", _import_context(request, roster_import)
        )
    return render(request, "directory/import_detail.html", _import_context(request, roster_import))


@login_required
def roster_import_problems(request, pk: int):
    roster_import = selectors.roster_import_get_for_user(request.user, pk)
    return _xlsx_response(problems_workbook(roster_import), f"import-{pk}-problems.xlsx")


@login_required
@require_POST
def roster_import_confirm(request, pk: int):
    roster_import = selectors.roster_import_get_for_user(request.user, pk)
    try:
        services.roster_import_confirm(actor=request.user, roster_import=roster_import)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("directory:roster_import_detail", pk=pk)


@login_required
@require_POST
def roster_import_discard(request, pk: int):
    roster_import = selectors.roster_import_get_for_user(request.user, pk)
    try:
        services.roster_import_discard(actor=request.user, roster_import=roster_import)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The checked rows were discarded; nothing was imported."))
    return redirect("directory:roster_import_detail", pk=pk)


@login_required
def roster_import_template(request):
    if not selectors.can_import_roster(request.user):
        raise Http404
    communities = list(selectors.communities_in_scope(request.user)[:100])
    return _xlsx_response(template_workbook(communities), "roster-template.xlsx")


# --- Change history ------------------------------------------------------------------------
@login_required
def change_history(request):
    if not history.can_read_history(request.user):
        raise Http404
    form = HistoryFilterForm(request.GET or None, choices=history.model_choices())
    model_key = form.cleaned_data["model"] if form.is_valid() else ""
    changes, next_cursor = history.recent_changes(
        model_key=model_key, before=request.GET.get("before", "")
    )
    return render(
        request,
        "directory/history.html",
        {
            "form": form,
            "changes": changes,
            "model_key": model_key,
            "next_cursor": next_cursor,
            "first_page": not request.GET.get("before"),
        },
    )
