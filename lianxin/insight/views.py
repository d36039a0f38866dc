"""Dashboards at /staff/insight/: the district overview, one page per community, department
and representative, the metric definitions, and downloads of every chart's numbers."""

from __future__ import annotations

import io
import re

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook

from lianxin.accounts import scopes
from lianxin.accounts.models import Role
from lianxin.directory.models import Community, Department, Representative, Subdistrict
from lianxin.directory.roster import safe_cell_text
from lianxin.insight import dashboards, extensions, metrics, selectors
from lianxin.insight.dashboards import Scope
from lianxin.insight.models import Dimension
from lianxin.insight.periods import PeriodForm

DISTRICT_READERS = (Role.ADMIN, Role.SUPERVISOR)
RANKABLE = [m for m in metrics.RATES if m.dimensions & metrics.PLACES]


def reads_district(user) -> bool:
    return user.role in DISTRICT_READERS


class FilterForm(PeriodForm):
    subdistrict = forms.CharField(
        required=False, max_length=12, label=pgettext_lazy("place", "Subdistrict")
    )
    community = forms.CharField(required=False, max_length=12, label=gettext_lazy("Community"))
    rank = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Rank by"),
        choices=[(m.code, m.name) for m in RANKABLE],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def _unit(self, name: str, model):
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            return None
        unit = (
            model.objects.filter(pk=int(text)).first() if re.fullmatch(r"\d{1,9}", text) else None
        )
        if unit is None:
            self.add_error(name, _("There is no such unit (“%(value)s”).") % {"value": text})
        return unit

    def clean(self):
        data = super().clean()
        community = self._unit("community", Community)
        subdistrict = self._unit("subdistrict", Subdistrict)
        if community is not None and not scopes.in_scope(self.user, community.pk):
            self.add_error("community", _("This community is outside your area."))
        data["community_obj"], data["subdistrict_obj"] = community, subdistrict
        return data


def _render(request, template, context, form, *, status=200):
    context["form"] = form
    context["definitions_url"] = reverse("insight:definitions")
    return render(request, template, context, status=status)


def _invalid(request, form, title):
    return _render(
        request, "insight/dashboard.html", {"title": title, "invalid": True}, form, status=400
    )


def _page(request, *, scope: Scope, form: FilterForm, title: str, charts, extra=None):
    period = form.value
    settings = selectors.score_settings()
    if request.GET.get("download"):
        return _download(request.GET["download"], title, period, charts, scope, settings)
    query = {k: v for k, v in request.GET.items() if v and k != "download"}
    context = {
        "title": title,
        "scope": scope,
        "period": period,
        "previous": period.previous(),
        "settings": settings,
        "cards": dashboards.cards(scope, period, settings=settings),
        "charts": charts,
        "query": urlencode(query),
        "panels": extensions.dashboard_panels(request, scope, period),
        **(extra or {}),
    }
    return _render(request, "insight/dashboard.html", context, form)


def _download(which, title, period, charts, scope, settings):
    chosen = [c for c in charts if which in ("all", c.id)]
    if not chosen and which != "figures":
        raise Http404
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Figures")[:31])
    sheet.append([safe_cell_text(scope.title), safe_cell_text(period.label), safe_cell_text(title)])
    sheet.append([_("Metric"), _("Value"), _("Evidence"), _("Previous period"), _("Change")])
    for card in dashboards.cards(scope, period, settings=settings):
        previous = dashboards.display(card.metric, card.previous)
        sheet.append(
            [
                safe_cell_text(v)
                for v in (card.metric.name, card.text, card.evidence, previous, card.change)
            ]
        )
    for chart in chosen:
        data = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", chart.title)[:31])
        data.append([safe_cell_text(h) for h in chart.headers])
        for row in chart.rows:
            data.append([v if isinstance(v, int | float) else safe_cell_text(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    name = f"lianxin-{which}-{period.start.isoformat()}.xlsx"
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def index(request):
    user = request.user
    if reads_district(user):
        return overview(request)
    if user.role == Role.HANDLER and user.department_id:
        return redirect("insight:department", pk=user.department_id)
    if user.role == Role.REPRESENTATIVE:
        rep = Representative.objects.filter(user=user).first()
        if rep is not None:
            return redirect("insight:representative", pk=rep.pk)
    ids = scopes.community_ids(user)
    if ids:
        return redirect("insight:community", pk=min(ids))
    raise Http404


def overview(request):
    if not reads_district(request.user):
        raise Http404
    form = FilterForm(request.GET or None, user=request.user)
    title = _("District overview")
    if request.GET and not form.is_valid():
        return _invalid(request, form, title)
    if not request.GET:
        form = FilterForm({}, user=request.user)
        form.is_valid()
    community = form.cleaned_data["community_obj"]
    subdistrict = form.cleaned_data["subdistrict_obj"]
    rank = form.cleaned_data.get("rank") or "satisfaction_rate"
    if community is not None:
        scope = dashboards.communities_scope([community], community.name)
    elif subdistrict is not None:
        scope = dashboards.communities_scope(subdistrict.communities.all(), subdistrict.name)
    else:
        scope = dashboards.district_scope()
    period = form.value
    charts = [
        dashboards.intake_by_channel(scope, period),
        dashboards.rates_over_time(scope, period),
        dashboards.communities_compared(scope, period, rank),
        dashboards.departments_ranked(period, rank),
        dashboards.overdue_by_department(),
        dashboards.category_breakdown(scope, period),
        dashboards.intake_calendar(scope, period),
    ]
    extra = {
        "communities": Community.objects.select_related("subdistrict"),
        "subdistricts": Subdistrict.objects.all(),
        "show_place_filters": True,
        "report_url": reverse("insight:report") + "?" + urlencode({"month": f"{period.end:%Y-%m}"}),
    }
    return _page(request, scope=scope, form=form, title=title, charts=charts, extra=extra)


def _unit_form(request):
    form = FilterForm(request.GET or {}, user=request.user)
    return form, form.is_valid()


@login_required
def community_page(request, pk: int):
    community = get_object_or_404(Community, pk=pk)
    if not scopes.in_scope(request.user, community.pk):
        raise Http404
    form, valid = _unit_form(request)
    if not valid:
        return _invalid(request, form, community.name)
    scope = dashboards.communities_scope([community], community.name)
    period = form.value
    charts = [
        dashboards.intake_by_channel(scope, period),
        dashboards.rates_over_time(scope, period),
        dashboards.category_breakdown(scope, period),
        dashboards.intake_calendar(scope, period),
    ]
    return _page(request, scope=scope, form=form, title=community.name, charts=charts)


@login_required
def department_page(request, pk: int):
    department = get_object_or_404(Department, pk=pk)
    user = request.user
    if not (reads_district(user) or (user.role == Role.HANDLER and user.department_id == pk)):
        raise Http404
    form, valid = _unit_form(request)
    if not valid:
        return _invalid(request, form, department.name)
    period = form.value
    key = (str(pk),)
    lead = Scope(Dimension.DEPARTMENT_LEAD, key, _("%(name)s as lead") % {"name": department.name})
    assisting = Scope(
        Dimension.DEPARTMENT_ASSISTING, key, _("%(name)s as assisting") % {"name": department.name}
    )
    charts = [dashboards.rates_over_time(lead, period)]
    extra = {
        "second": {"title": assisting.title, "cards": dashboards.cards(assisting, period)},
    }
    return _page(request, scope=lead, form=form, title=department.name, charts=charts, extra=extra)


@login_required
def representative_page(request, pk: int):
    rep = get_object_or_404(Representative, pk=pk)
    user = request.user
    if not (reads_district(user) or (rep.user_id is not None and rep.user_id == user.pk)):
        raise Http404
    form, valid = _unit_form(request)
    if not valid:
        return _invalid(request, form, rep.name)
    period = form.value
    recorded = Scope(
        Dimension.REPRESENTATIVE,
        (str(rep.pk),),
        _("Cases %(name)s recorded at reception days and visits") % {"name": rep.name},
    )
    paired = list(
        Community.objects.filter(
            pairings__in=rep.pairings.active().filter(kind="contact")
        ).distinct()
    )
    charts = [dashboards.rates_over_time(recorded, period)]
    extra = {}
    if paired:
        names = "、".join(c.name for c in paired)
        paired_scope = dashboards.communities_scope(
            paired, _("Paired communities: %(names)s") % {"names": names}
        )
        extra["second"] = {
            "title": paired_scope.title,
            "cards": dashboards.cards(paired_scope, period),
        }
    return _page(request, scope=recorded, form=form, title=rep.name, charts=charts, extra=extra)


@login_required
def definitions(request):
    settings = selectors.score_settings()
    points = [(level, settings.points[str(level)]) for level in range(5, 0, -1)]
    return render(
        request,
        "insight/definitions.html",
        {"metrics": metrics.METRICS, "settings": settings, "points": points},
    )


@login_required
def report(request):
    """The monthly report as PDF (district readers)."""
    if not reads_district(request.user):
        raise Http404
    from lianxin.insight import report as monthly

    text = request.GET.get("month") or f"{timezone.localdate():%Y-%m}"
    try:
        period = monthly.month_period(text)
    except ValueError as exc:
        return render(
            request,
            "insight/message.html",
            {"title": _("Monthly report (PDF)"), "message": str(exc)},
            status=400,
        )
    response = HttpResponse(monthly.report_pdf(period), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="lianxin-report-{text}.pdf"'
    return response


@login_required
def ledger(request):
    """台账: pick a ledger, a period and a place; the .xlsx streams as it is written."""
    from lianxin.core.xlsx_stream import stream_xlsx
    from lianxin.insight.ledgers import LedgerForm

    form = LedgerForm(request.GET or None, user=request.user)
    if request.GET and form.is_valid() and request.GET.get("download"):
        chosen, rows = form.queryset()
        period = form.value
        response = StreamingHttpResponse(
            stream_xlsx(str(chosen.title), list(chosen.headers), chosen.rows(rows)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"lianxin-{chosen.code}-{period.start.isoformat()}-{period.end.isoformat()}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    status = 400 if request.GET and form.errors else 200
    return render(request, "insight/ledger.html", {"form": form}, status=status)
