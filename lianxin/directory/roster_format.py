"""The roster file: its column names and their common variants, and its rows, streamed.

openpyxl's read-only mode streams a workbook row by row instead of holding it. Parsing the
sheet's XML is the slowest part of an import, so for larger files it runs in a helper process
that sends rows in batches through a pipe while this process checks and inserts the previous
batch (`make bench` shows the effect). The pipe holds a batch or two, so neither process ever
holds the whole file.

Nothing here uses Django: the helper process imports only this module and openpyxl.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook

NAME, PHONE, ID_NUMBER, COMMUNITY, ADDRESS = "姓名", "手机号", "身份证号", "社区", "地址"
GENDER, PARTY, TAGS, BIRTH_DATE, NOTE = "性别", "党员", "标签", "出生日期", "备注"
REQUIRED_COLUMNS = (NAME, PHONE, ID_NUMBER, COMMUNITY, ADDRESS)
OPTIONAL_COLUMNS = (GENDER, PARTY, TAGS, BIRTH_DATE, NOTE)
# Headers seen on real rosters, mapped to ours.
ALIASES = {
    NAME: ("居民姓名", "名字"),
    PHONE: ("手机", "手机号码", "联系电话", "电话", "电话号码", "联系方式"),
    ID_NUMBER: ("身份证", "身份证号码", "公民身份号码", "证件号码"),
    COMMUNITY: ("所属社区", "社区名称"),
    ADDRESS: ("住址", "家庭住址", "现住址", "居住地址"),
    GENDER: (),
    PARTY: ("是否党员", "政治面貌"),
    TAGS: ("关爱标签",),
    BIRTH_DATE: ("出生年月日", "生日"),
    NOTE: ("说明",),
}
CANONICAL = {alias: column for column, names in ALIASES.items() for alias in (column, *names)}
_HEADER_NOISE = re.compile(r"[\s*＊:：]+|[（(]必填[)）]")

HEADER_SEARCH_ROWS = 10
BATCH = 500
# Smaller files are read in this process: starting a helper would cost more than it saves.
IN_PROCESS_MAX_BYTES = 256 * 1024


def canonical_header(value) -> str:
    """A header cell as our column name: spaces, asterisks and "(必填)" dropped, variants mapped."""
    text = _HEADER_NOISE.sub("", "" if value is None else str(value))
    return CANONICAL.get(text, text)


def looks_like_header(values: tuple) -> bool:
    return any(canonical_header(v) == NAME for v in values if v is not None)


class Unreadable(Exception):
    """Not an .xlsx workbook openpyxl can open."""


class NoHeader(Exception):
    """No sheet has a row with 姓名 among its first HEADER_SEARCH_ROWS rows."""


class HelperFailed(Exception):
    """The helper process ended without finishing the file."""


@dataclass
class Header:
    sheet: str
    row: int  # as Excel numbers it
    values: tuple
    max_row: int | None  # from the sheet's declared size; may be missing or too large


def _messages(path: str) -> Iterator[tuple[str, object]]:
    """("header", (sheet, row, values, max_row)) once, then ("rows", [values, …]) batches."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise Unreadable() from None
    try:
        for worksheet in workbook.worksheets:
            rows = worksheet.iter_rows(values_only=True)
            for number in range(1, HEADER_SEARCH_ROWS + 1):
                values = next(rows, None)
                if values is None:
                    break
                if not looks_like_header(values):
                    continue
                # Plain values only: this crosses the pipe from the helper process.
                yield "header", (worksheet.title, number, values, worksheet.max_row)
                batch = []
                for values in rows:
                    batch.append(values)
                    if len(batch) == BATCH:
                        yield "rows", batch
                        batch = []
                if batch:
                    yield "rows", batch
                return
        raise NoHeader()
    finally:
        workbook.close()


def stream(path) -> Iterator[tuple[str, object]]:
    """("header", Header) once, then ("rows", [values, …]) batches of the rows after it, read
    here or, for larger files, by a helper process.

    Raises Unreadable, NoHeader or HelperFailed. Close the iterator to stop early."""
    for kind, payload in _transport(path):
        yield kind, (Header(*payload) if kind == "header" else payload)


def _transport(path) -> Iterator[tuple[str, object]]:
    if os.path.getsize(path) <= IN_PROCESS_MAX_BYTES:
        yield from _messages(str(path))
        return
    # A plain child process running this module: unlike multiprocessing's "spawn", it never
    # re-imports the parent's main script, and unlike "fork" it is safe in a threaded worker.
    # Its error output is dropped: a traceback could quote a cell, i.e. a number in clear.
    helper = subprocess.Popen(
        [sys.executable, "-m", __name__, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        bufsize=1 << 16,
    )
    try:
        while True:
            try:
                kind, payload = pickle.load(helper.stdout)
            except (EOFError, pickle.UnpicklingError):
                raise HelperFailed() from None
            if kind == "end":
                return
            if kind == "error":
                raise {"unreadable": Unreadable, "no-header": NoHeader}.get(payload, HelperFailed)()
            yield kind, payload
    finally:
        helper.stdout.close()
        if helper.poll() is None:
            helper.terminate()
        helper.wait(timeout=30)


def _helper(path: str, out) -> int:
    """Write the messages for `path` to `out`, pickled (read only by `stream`, our parent)."""
    try:
        for message in _messages(path):
            pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(("end", None), out)
    except Unreadable:
        pickle.dump(("error", "unreadable"), out)
    except NoHeader:
        pickle.dump(("error", "no-header"), out)
    except BrokenPipeError:
        return 0  # the importer stopped reading
    except Exception:
        pickle.dump(("error", "failed"), out)
        return 1
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_helper(sys.argv[1], sys.stdout.buffer))
