"""Ledgers (台账) of cases, visits, reception days and activities, for any period and place,
streamed as .xlsx in bounded memory (core.xlsx_stream): rows are read in chunks with
`values_list(...).iterator()`, never as model objects, and written as they come.

Each ledger is one entry of LEDGERS: its title, columns and a function that yields the rows of
a queryset already narrowed to what the reader may see. Phone numbers appear only masked."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django import forms
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.accounts import scopes
from lianxin.cases.models import (
    AppealType,
    CaseStatus,
    Category,
    Channel,
    Referral,
    ReferralRole,
    Urgency,
)
from lianxin.cases.permissions import cases_visible_to
from lianxin.directory.models import Community, Department
from lianxin.insight.periods import PeriodForm
from lianxin.outreach.models import ActivityKind, ReceptionStatus
from lianxin.outreach.selectors import (
    activities_visible_to,
    receptions_visible_to,
    visits_visible_to,
)

CHUNK = 2000


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _yes_no(value) -> str:
    if value is None:
        return ""
    return "是" if value else "否"


@dataclass(frozen=True)
class Ledger:
    code: str
    title: object
    headers: tuple
    rows: Callable[[QuerySet], Iterator[list]]
    visible: Callable  # user -> queryset
    date_field: str
    community_field: str


def _case_rows(cases: QuerySet) -> Iterator[list]:
    lead = Referral.objects.filter(case=OuterRef("pk"), role=ReferralRole.LEAD).order_by(
        "-referred_at"
    )
    status = dict(CaseStatus.choices)
    appeal = dict(AppealType.choices)
    channel = dict(Channel.choices)
    urgency = dict(Urgency.choices)
    columns = (
        "number",
        "received_at",
        "status",
        "appeal_type",
        "category__parent__name",
        "category__name",
        "title",
        "community__name",
        "address",
        "channel",
        "is_anonymous",
        "reporter_name",
        "reporter_phone_masked",
        "urgency",
        "lead_department",
        "response_due_at",
        "first_responded_at",
        "responded_in_time",
        "handling_due_at",
        "resolved_at",
        "resolved_in_time",
        "reopen_count",
    )
    rows = cases.annotate(lead_department=Subquery(lead.values("department__name")[:1]))
    for r in rows.order_by("received_at", "pk").values_list(*columns).iterator(chunk_size=CHUNK):
        r = dict(zip(columns, r, strict=True))
        category = " / ".join(n for n in (r["category__parent__name"], r["category__name"]) if n)
        yield [
            r["number"],
            _when(r["received_at"]),
            str(status.get(r["status"], r["status"])),
            str(appeal.get(r["appeal_type"], r["appeal_type"])),
            category,
            r["title"],
            r["community__name"] or "",
            r["address"],
            str(channel.get(r["channel"], r["channel"])),
            "匿名" if r["is_anonymous"] else r["reporter_name"],
            r["reporter_phone_masked"],
            str(urgency.get(r["urgency"], r["urgency"])),
            r["lead_department"] or "",
            _when(r["response_due_at"]),
            _when(r["first_responded_at"]),
            _yes_no(r["responded_in_time"]),
            _when(r["handling_due_at"]),
            _when(r["resolved_at"]),
            _yes_no(r["resolved_in_time"]),
            r["reopen_count"],
        ]


def _visit_rows(visits: QuerySet) -> Iterator[list]:
    columns = (
        "visited_at",
        "community__name",
        "household__address",
        "resident__name",
        "met",
        "heard",
        "recorded_by__first_name",
        "recorded_by__username",
        "follow_up_on",
        "follow_up_done_at",
        "case_count",
    )
    rows = visits.annotate(case_count=Count("cases", distinct=True)).order_by("visited_at", "pk")
    for r in rows.values_list(*columns).iterator(chunk_size=CHUNK):
        r = dict(zip(columns, r, strict=True))
        yield [
            _when(r["visited_at"]),
            r["community__name"] or "",
            r["household__address"] or "",
            r["resident__name"] or "",
            r["met"],
            r["heard"],
            r["recorded_by__first_name"] or r["recorded_by__username"],
            r["follow_up_on"].isoformat() if r["follow_up_on"] else "",
            _when(r["follow_up_done_at"]),
            r["case_count"],
        ]


def _reception_rows(receptions: QuerySet) -> Iterator[list]:
    status = dict(ReceptionStatus.choices)
    columns = ("pk", "starts_at", "ends_at", "community__name", "place", "status", "visitor_count")
    rows = receptions.annotate(visitor_count=Count("visitors", distinct=True)).order_by(
        "starts_at", "pk"
    )
    for chunk in _chunks(rows.values_list(*columns).iterator(chunk_size=CHUNK)):
        ids = [r[0] for r in chunk]
        through = receptions.model.representatives.through.objects.filter(receptionday_id__in=ids)
        names: dict[int, list[str]] = {}
        for reception_id, name in through.values_list("receptionday_id", "representative__name"):
            names.setdefault(reception_id, []).append(name)
        for pk, starts, ends, community, place, state, visitors in chunk:
            yield [
                _when(starts),
                _when(ends),
                community or "",
                place,
                str(status.get(state, state)),
                "、".join(sorted(names.get(pk, []))),
                visitors,
            ]


def _activity_rows(activities: QuerySet) -> Iterator[list]:
    kinds = dict(ActivityKind.choices)
    columns = (
        "pk",
        "kind",
        "topic",
        "starts_at",
        "place",
        "organiser__first_name",
        "organiser__username",
        "attendance_count",
    )
    rows = activities.annotate(attendance_count=Count("attendances", distinct=True)).order_by(
        "starts_at", "pk"
    )
    for chunk in _chunks(rows.values_list(*columns).iterator(chunk_size=CHUNK)):
        ids = [r[0] for r in chunk]
        through = activities.model.communities.through.objects.filter(activity_id__in=ids)
        names: dict[int, list[str]] = {}
        for activity_id, name in through.values_list("activity_id", "community__name"):
            names.setdefault(activity_id, []).append(name)
        for pk, kind, topic, starts, place, first_name, username, attendance in chunk:
            yield [
                str(kinds.get(kind, kind)),
                topic,
                _when(starts),
                place,
                "、".join(sorted(names.get(pk, []))),
                first_name or username,
                attendance,
            ]


def _chunks(iterator, size: int = CHUNK):
    chunk = []
    for item in iterator:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


LEDGERS = {
    ledger.code: ledger
    for ledger in (
        Ledger(
            "cases",
            _("Case ledger"),
            (
                "编号",
                "受理时间",
                "状态",
                "诉求类型",
                "分类",
                "标题",
                "社区",
                "地址",
                "来源渠道",
                "反映人",
                "联系电话",
                "紧急程度",
                "主办单位",
                "响应时限",
                "首次响应",
                "是否及时响应",
                "办理时限",
                "办结时间",
                "是否按时办结",
                "重办次数",
            ),
            _case_rows,
            cases_visible_to,
            "received_at",
            "community_id",
        ),
        Ledger(
            "visits",
            _("Visit ledger"),
            (
                "走访时间",
                "社区",
                "户",
                "居民",
                "见到",
                "民情",
                "记录人",
                "跟进日期",
                "已跟进",
                "诉求数",
            ),
            _visit_rows,
            visits_visible_to,
            "visited_at",
            "community_id",
        ),
        Ledger(
            "receptions",
            _("Reception day ledger"),
            ("开始", "结束", "社区", "地点", "状态", "接待代表", "来访人数"),
            _reception_rows,
            receptions_visible_to,
            "starts_at",
            "community_id",
        ),
        Ledger(
            "activities",
            _("Activity ledger"),
            ("类型", "主题", "时间", "地点", "社区", "组织者", "签到人数"),
            _activity_rows,
            activities_visible_to,
            "starts_at",
            "communities",
        ),
    )
}


class LedgerForm(PeriodForm):
    kind = forms.ChoiceField(
        label=_("Ledger"), choices=[(code, ledger.title) for code, ledger in LEDGERS.items()]
    )
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.all(), required=False
    )
    status = forms.ChoiceField(
        label=_("Case status"), choices=[("", "—"), *CaseStatus.choices], required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("Lead department"), queryset=Department.objects.all(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        ids = scopes.community_ids(user)
        if ids is not None:
            self.fields["community"].queryset = Community.objects.filter(pk__in=ids)

    def queryset(self) -> tuple[Ledger, QuerySet]:
        data = self.cleaned_data
        ledger = LEDGERS[data["kind"]]
        period = self.value
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(
            period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        rows = ledger.visible(self.user).filter(
            **{f"{ledger.date_field}__gte": start, f"{ledger.date_field}__lt": end}
        )
        if data.get("community"):
            rows = rows.filter(**{ledger.community_field: data["community"].pk}).distinct()
        if ledger.code == "cases":
            if data.get("status"):
                rows = rows.filter(status=data["status"])
            if data.get("category"):
                category = data["category"]
                rows = rows.filter(Q(category=category) | Q(category__parent=category))
            if data.get("department"):
                rows = rows.filter(
                    referrals__department=data["department"], referrals__role=ReferralRole.LEAD
                ).distinct()
        return ledger, rows
