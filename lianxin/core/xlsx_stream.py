"""A one-sheet .xlsx written as it is sent: rows are turned into SpreadsheetML and zipped on
the fly (stream-zip), so a million-row ledger needs no more memory than one chunk of rows.

`stream_xlsx(title, headers, rows)` returns an iterator of bytes for a StreamingHttpResponse.
Text is written as inline strings (no shared-string table to hold in memory); numbers as
numbers; text that a spreadsheet could take for a formula is prefixed with an apostrophe."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from stream_zip import ZIP_32, ZIP_64, stream_zip

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold at all.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
PERMISSIONS = 0o600

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Style 1 is bold, for the header row.
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    "</styleSheet>"
)


def _workbook(title: str) -> str:
    name = escape(re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet1", {'"': "&quot;"})
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _cell(value, style: str = "") -> str:
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"<c{style}><v>{value}</v></c>"
    if isinstance(value, datetime.datetime | datetime.date):
        value = (
            value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
        )
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    text = escape(_ILLEGAL.sub("", text))
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet(headers: list[str], rows: Iterable[Iterable], batch: int) -> Iterator[bytes]:
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
        "<row>" + "".join(_cell(h, ' s="1"') for h in headers) + "</row>"
    ).encode()
    buffer = []
    for row in rows:
        buffer.append("<row>" + "".join(_cell(v) for v in row) + "</row>")
        if len(buffer) >= batch:
            yield "".join(buffer).encode()
            buffer = []
    yield ("".join(buffer) + "</sheetData></worksheet>").encode()


def stream_xlsx(title: str, headers: list[str], rows: Iterable[Iterable], *, batch: int = 500):
    """The bytes of an .xlsx file with one sheet, produced while `rows` is read."""
    now = datetime.datetime.now(tz=datetime.UTC)

    def part(name: str, text: str):
        return (name, now, PERMISSIONS, ZIP_32, (text.encode(),))

    files = (
        part("[Content_Types].xml", CONTENT_TYPES),
        part("_rels/.rels", ROOT_RELS),
        part("xl/workbook.xml", _workbook(title)),
        part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        part("xl/styles.xml", STYLES),
        ("xl/worksheets/sheet1.xml", now, PERMISSIONS, ZIP_64, _sheet(headers, rows, batch)),
    )
    return stream_zip(files)
