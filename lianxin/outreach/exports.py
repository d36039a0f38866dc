"""Duty records (履职档案) as .xlsx and PDF, and the QR codes of activity sign-in.

The PDF is rendered by WeasyPrint from an HTML template whose stylesheet names the CJK font
"WenQuanYi Zen Hei" (Debian's fonts-wqy-zenhei, installed by `make run` and `make test`); when
the font file is elsewhere, fontconfig finds it by name."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from lianxin.outreach.selectors import DutyRecord

CJK_FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
CJK_FONT_FAMILY = "WenQuanYi Zen Hei"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell_text(value):
    """Numbers as numbers; text that a spreadsheet would run as a formula is quoted."""
    if isinstance(value, int | float):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _when(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def attachment_header(record: DutyRecord, extension: str) -> str:
    name = f"履职档案-{record.representative.name}-{record.year}.{extension}"
    ascii_name = f"duty-record-{record.representative.pk}-{record.year}.{extension}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def _status_label(progress) -> str:
    return {"met": "已完成", "behind": "未完成", "pending": "进行中"}[progress.status]


def _cell(value):
    if isinstance(value, datetime.datetime):
        return _when(value)
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m-%d}"
    return value if isinstance(value, int | float) else str(value)


def duty_record_xlsx(record: DutyRecord) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "履职情况"
    rep = record.representative
    summary.append([f"{rep.name} {record.year}年度履职档案"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["工作单位", safe_cell_text(f"{rep.unit} {rep.position}".strip())])
    summary.append(["联系社区", "、".join(p.community.name for p in record.contact_communities)])
    summary.append([])
    summary.append(["履职要求", "周期", "要求", "完成", "分期", "状态"])
    for row in record.progress.rules:
        rule = row.rule
        summary.append(
            [
                str(rule.get_metric_display()),
                str(rule.get_period_display()),
                f"≥{rule.minimum}",
                row.value,
                "；".join(f"{p.label}：{p.value}" for p in row.periods),
                _status_label(row),
            ]
        )
    sheets = [
        (
            "走访",
            ["走访时间", "社区", "走访对象", "见到", "民情记录", "转为诉求"],
            [
                [
                    _when(v.visited_at),
                    v.community.name,
                    v.whom,
                    v.met,
                    v.heard,
                    "、".join(c.number for c in v.cases.all()),
                ]
                for v in record.visits
            ],
        ),
        (
            "接待日",
            ["时间", "社区", "地点", "来访人数", "小结"],
            [
                [_when(r.starts_at), r.community.name, r.place, r.visitor_count, r.summary]
                for r in record.receptions
            ],
        ),
        (
            "报到",
            ["时间", "社区", "事项"],
            [[_when(c.checked_in_at), c.community.name, c.note] for c in record.check_ins],
        ),
        (
            "意见建议",
            ["编号", "提出时间", "标题", "分类", "状态"],
            [
                [
                    p.case.number,
                    _when(p.case.received_at),
                    p.case.title,
                    str(p.case.category or ""),
                    p.case.get_status_display(),
                ]
                for p in record.proposals
            ],
        ),
        (
            "结对帮扶",
            ["社区", "户", "人数", "起始日期"],
            [
                [
                    p.household.community.name,
                    str(p.household),
                    p.member_count,
                    f"{p.start_date:%Y-%m-%d}",
                ]
                for p in record.paired_households
            ],
        ),
        (
            "谈心",
            ["谈心缘由", "次数"],
            [[str(t["label"]), t["n"]] for t in record.talks_by_reason],
        ),
    ]
    # The connected record: what came of the contacts (outreach.record).
    if record.connected:
        summary.append([])
        summary.append(["连心链条"])
        for section in record.connected:
            summary.append(
                [
                    str(section.title),
                    "，".join(f"{label} {value}" for label, value in section.outcomes),
                ]
            )
    sheets += [
        (
            str(section.title)[:31],
            [str(h) for h in section.headers],
            [[_cell(v) for v in row] for row in section.rows],
        )
        for section in record.connected
    ]
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell_text(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def font_face_css() -> str:
    src = f'url("{CJK_FONT_FILE.as_uri()}"), ' if CJK_FONT_FILE.exists() else ""
    return (
        f'@font-face {{ font-family: "{CJK_FONT_FAMILY}"; src: {src}local("{CJK_FONT_FAMILY}"); }}'
    )


def duty_record_pdf(record: DutyRecord) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "outreach/duty_record_pdf.html",
        {
            "record": record,
            "font_face": font_face_css(),
            "font_family": CJK_FONT_FAMILY,
            "generated": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()


# --- Sign-in QR codes ----------------------------------------------------------------------
def sign_in_url(request, activity) -> str:
    """The public address residents reach by scanning (SITE_URL, as in messages to them)."""
    return settings.SITE_URL + reverse("outreach_public:sign_in", args=[activity.sign_in_token])


def _qr(request, activity):
    import segno

    return segno.make(sign_in_url(request, activity), error="m")


def sign_in_qr_svg(request, activity) -> str:
    return _qr(request, activity).svg_inline(scale=5, title="签到二维码")


def sign_in_qr_png(request, activity) -> bytes:
    buffer = io.BytesIO()
    _qr(request, activity).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()
