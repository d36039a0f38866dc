"""The aid ledger (帮扶台账) as .xlsx: applications and their payments, formulas escaped."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook

from lianxin.directory.roster import safe_cell_text

HEADERS = [
    "编号",
    "帮扶项目",
    "资金来源",
    "居民",
    "社区",
    "申请金额（元）",
    "状态",
    "当前审核",
    "申请人",
    "来源",
    "提交时间",
    "审批完成时间",
    "发放金额（元）",
    "发放日期",
    "发放方式",
    "凭证号",
]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def ledger(applications) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("帮扶台账")
    sheet.append(HEADERS)
    rows = applications.select_related("scheme__funder", "payment").prefetch_related(
        "scheme__levels"
    )
    for app in rows.iterator(chunk_size=500):
        payment = getattr(app, "payment", None) if hasattr(app, "payment") else None
        level = next((lv.name for lv in app.scheme.levels.all() if lv.position == app.level), "")
        values = [
            app.number,
            app.scheme.name,
            app.scheme.funder.name,
            app.resident.name,
            app.community.name,
            float(app.amount),
            app.get_status_display(),
            level if app.status == "reviewing" else "",
            app.applicant.full_name or app.applicant.username,
            app.get_origin_display(),
            _when(app.submitted_at),
            _when(app.decided_at),
            float(payment.amount) if payment else "",
            payment.paid_on.isoformat() if payment else "",
            payment.get_method_display() if payment else "",
            payment.reference if payment else "",
        ]
        sheet.append([v if isinstance(v, float) else safe_cell_text(v) for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
