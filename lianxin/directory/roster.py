"""Roster export to .xlsx (and, beside it, import: see `roster_import`).

Exports stream through openpyxl's write-only mode. ID numbers are written as text cells so
Excel neither rounds them nor drops the final X; any cell that starts with = + - @ is
prefixed with an apostrophe so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from lianxin.directory.models import Resident

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell_text(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_headers() -> list[str]:
    return ["姓名", "性别", "出生日期", "手机号", "身份证号", "社区", "地址", "户", "党员", "标签"]


def export_residents(residents, *, unmasked: bool) -> bytes:
    """Write residents to an .xlsx file in memory. `residents` should prefetch care_tags."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Residents"))
    sheet.append(export_headers())
    for resident in residents.iterator(chunk_size=2000):
        sheet.append(_row(sheet, resident, unmasked=unmasked))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=safe_cell_text(value))
    cell.number_format = "@"
    return cell


def _row(sheet, resident: Resident, *, unmasked: bool) -> list:
    phone = resident.unsealed_phone() if unmasked else resident.phone_masked
    id_number = resident.unsealed_id_number() if unmasked else resident.id_masked
    return [
        _text(sheet, resident.name),
        _text(sheet, resident.get_gender_display() if resident.gender else ""),
        _text(sheet, resident.birth_date.isoformat() if resident.birth_date else ""),
        _text(sheet, phone),
        _text(sheet, id_number),
        _text(sheet, resident.community.name),
        _text(sheet, resident.address),
        _text(sheet, resident.household.address if resident.household_id else ""),
        _text(sheet, "是" if resident.is_party_member else "否"),
        _text(sheet, "、".join(tag.name for tag in resident.care_tags.all())),
    ]
