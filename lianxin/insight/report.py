"""The monthly report (民情分析报告) as a Chinese PDF: the month's figures against the month
before, charts drawn on the server as SVG (pygal: pure Python, no browser), the departments,
the most overdue cases, and the sections other rooms register (extensions.py).

`send_due_report()` mails it to the supervisors on the first working day of each month, once.
"""

from __future__ import annotations

import base64
import datetime
import re
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import DurationField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lianxin.accounts.models import Role, User
from lianxin.calendar import deadlines
from lianxin.cases.models import Case, CaseStatus, Referral, ReferralRole
from lianxin.directory.models import Department
from lianxin.insight import dashboards, extensions, metrics, selectors
from lianxin.insight.models import Dimension, MonthlyReport
from lianxin.insight.periods import Period, period_of

REPORT_CARDS = (
    "intake",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "satisfaction_score",
    "on_time_rate",
    "overdue",
    "reopened",
    "callback_share",
    "composite",
)
CJK_FONT_FAMILY = "WenQuanYi Zen Hei"


def month_period(text: str) -> Period:
    """'2026-11' → that month; ValueError with a readable message otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        raise ValueError(_("Give the month as YYYY-MM, for example 2026-11."))
    return period_of("month", datetime.date(int(match.group(1)), int(match.group(2)), 1))


@dataclass
class DepartmentRow:
    department: Department
    figures: selectors.Figures
    overdue_now: int

    def shown(self, code: str) -> str:
        metric = metrics.get(code)
        return dashboards.display(metric, self.figures.value(metric))


def _svg_data_uri(chart) -> str:
    svg = chart.render(is_unicode=True)
    svg = re.sub(r"<script.*?</script>", "", svg, flags=re.S)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _style():
    from pygal.style import Style

    return Style(
        font_family=f"'{CJK_FONT_FAMILY}', sans-serif",
        background="white",
        plot_background="white",
        colors=("#0d6efd", "#198754", "#d63384", "#fd7e14", "#6f42c1", "#20c997"),
        label_font_size=11,
        major_label_font_size=11,
        legend_font_size=11,
        value_font_size=10,
    )


def _rates_chart(months: list[Period]) -> str:
    import pygal

    chart = pygal.Line(
        style=_style(), width=720, height=300, range=(0, 100), js=[], legend_at_bottom=True
    )
    chart.x_labels = [f"{p.start:%Y-%m}" for p in months]
    district = dashboards.district_scope()
    per_month = [dashboards.figures(district, p) for p in months]
    for code in dashboards.THREE_RATES:
        chart.add(str(metrics.get(code).name), [f.rate(code).percent for f in per_month])
    return _svg_data_uri(chart)


def _channel_chart(chart_data) -> str:
    import pygal

    chart = pygal.HorizontalBar(style=_style(), width=720, height=260, js=[], show_legend=False)
    totals = [(row[0], row[-1]) for row in chart_data.rows]
    chart.x_labels = [name for name, _n in totals]
    chart.add(_("Cases"), [n for _name, n in totals])
    return _svg_data_uri(chart)


def _channels(period: Period):
    chart = dashboards.intake_by_channel(dashboards.district_scope(), period)
    # One row per channel, with its total over the month.
    names = chart.headers[1:-1]
    totals = [sum(r[i + 1] for r in chart.rows) for i in range(len(names))]
    chart.rows = [[name, total] for name, total in zip(names, totals, strict=True)]
    return chart


def most_overdue_cases(period: Period, limit: int = 10):
    """Cases whose handling fell due in the month and finished late or not at all, longest
    overdue first (this reads the cases, once a month, through the deadline index)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    now = timezone.now()
    late = ExpressionWrapper(
        Coalesce(F("resolved_at"), Value(now)) - F("handling_due_at"), output_field=DurationField()
    )
    cases = (
        Case.objects.filter(handling_due_at__gte=start, handling_due_at__lt=end)
        .filter(Q(resolved_in_time=False) | Q(resolved_at__isnull=True, handling_due_at__lt=now))
        .exclude(status__in=[CaseStatus.MERGED, CaseStatus.WITHDRAWN, CaseStatus.REJECTED])
        .annotate(late=late)
        .select_related("community", "category")
        .order_by("-late", "pk")[:limit]
    )
    cases = list(cases)
    leads = {}
    for r in (
        Referral.objects.filter(case__in=cases, role=ReferralRole.LEAD)
        .select_related("department")
        .order_by("referred_at")
    ):
        leads[r.case_id] = r.department.name
    return [
        {
            "case": c,
            "days": max(c.late.days, 0) if c.late else 0,
            "department": leads.get(c.pk, ""),
        }
        for c in cases
    ]


def report_context(period: Period) -> dict:
    settings = selectors.score_settings()
    district = dashboards.district_scope()
    cards = [
        c
        for c in dashboards.cards(district, period, settings=settings)
        if c.metric.code in REPORT_CARDS
    ]
    months = []
    start = period.start
    for _i in range(12):
        months.insert(0, period_of("month", start))
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    units = selectors.by_unit(
        Dimension.DEPARTMENT_LEAD, period.start, period.end, settings=settings
    )
    overdue_now = selectors.open_work_overdue(Dimension.DEPARTMENT_LEAD)
    departments = {str(d.pk): d for d in Department.objects.all()}
    ranked, apart = selectors.ranking(units, "satisfaction_rate")
    rows = [
        DepartmentRow(departments[r.key], r.figures, overdue_now.get(r.key, 0))
        for r in [*ranked, *apart]
        if r.key in departments
    ]
    most_overdue_departments = sorted(
        ((departments[k].name, n) for k, n in overdue_now.items() if k in departments),
        key=lambda kv: -kv[1],
    )[:10]
    communities = dashboards.communities_compared(district, period, settings=settings)
    channels = _channels(period)
    return {
        "period": period,
        "previous": period.previous(),
        "district_name": getattr(django_settings, "LIANXIN_DISTRICT_NAME", "") or "",
        "cards": cards,
        "settings": settings,
        "rates_chart": _rates_chart(months),
        "channel_chart": _channel_chart(channels),
        "channels": channels,
        "departments": rows,
        "most_overdue_departments": most_overdue_departments,
        "most_overdue_cases": most_overdue_cases(period),
        "communities": communities,
        "sections": extensions.report_sections(period),
        "generated": timezone.localtime(),
        "insufficient": dashboards.INSUFFICIENT,
    }


def report_pdf(period: Period) -> bytes:
    from weasyprint import CSS, HTML

    from lianxin.outreach.exports import font_face_css

    with translation.override("zh-hans"):
        html = render_to_string("insight/report_pdf.html", report_context(period))
    stylesheet = open(finders.find("insight/report.css"), encoding="utf-8").read()  # noqa: SIM115
    css = CSS(string=font_face_css() + stylesheet.replace("FONT_FAMILY", CJK_FONT_FAMILY))
    return HTML(string=html).write_pdf(stylesheets=[css])


def first_working_day(month: datetime.date) -> datetime.date:
    day = month.replace(day=1)
    while not deadlines.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def send_due_report(*, today: datetime.date | None = None) -> MonthlyReport | None:
    """On the first working day of a month, mail last month's report to every supervisor with
    an email address, once (a second call, or a second worker, sends nothing)."""
    today = today or timezone.localdate()
    try:
        if today != first_working_day(today):
            return None
    except deadlines.CalendarMissing:
        return None
    period = period_of("month", (today.replace(day=1) - datetime.timedelta(days=1)))
    recipients = list(
        User.objects.filter(role=Role.SUPERVISOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    try:
        with transaction.atomic():
            record = MonthlyReport.objects.create(month=period.start, recipients=len(recipients))
            if recipients:
                pdf = report_pdf(period)
                with translation.override("zh-hans"):
                    subject = _("Monthly report %(month)s") % {"month": period.label}
                    body = _(
                        "The monthly report of %(month)s is attached: the three rates, the "
                        "departments and the most overdue cases."
                    ) % {"month": period.label}
                message = EmailMessage(subject, body, to=recipients)
                message.attach(f"lianxin-report-{period.start:%Y-%m}.pdf", pdf, "application/pdf")
                message.send()
    except IntegrityError:
        return None
    return record
