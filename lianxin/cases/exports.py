"""The case ledger (台账) as .xlsx, streamed; reporter phones masked, formulas escaped."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook

from lianxin.directory.roster import safe_cell_text

HEADERS = [
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
    "响应时限",
    "办理时限",
    "是否超期",
    "办结时间",
    "重办次数",
]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_cases(cases) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("诉求台账")
    sheet.append(HEADERS)
    now = timezone.now()
    for case in cases.select_related("reporter_resident").iterator(chunk_size=1000):
        overdue = bool(case.is_open and case.handling_due_at and case.handling_due_at < now)
        phone = case.reporter_phone_shown
        sheet.append(
            [
                safe_cell_text(v)
                for v in (
                    case.number,
                    _when(case.received_at),
                    case.get_status_display(),
                    case.get_appeal_type_display(),
                    str(case.category or ""),
                    case.title,
                    case.community.name if case.community_id else "",
                    case.address,
                    case.get_channel_display(),
                    case.reporter_display,
                    phone,
                    case.get_urgency_display(),
                    _when(case.response_due_at),
                    _when(case.handling_due_at),
                    "是" if overdue else "否",
                    _when(case.resolved_at),
                    case.reopen_count,
                )
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
