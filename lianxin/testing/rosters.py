"""Invented rosters (.xlsx) for tests and `make bench`, written in streaming mode.

Every person is synthetic (core.synthetic); phone and ID numbers are unique within a file."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from pathlib import Path

from openpyxl import Workbook

from lianxin.core import synthetic

HEADERS = ["姓名", "性别", "手机号", "身份证号", "社区", "地址", "党员", "标签"]


def people(rng: random.Random, count: int, *, communities: list[str]) -> Iterable[dict]:
    """`count` invented residents as dicts keyed by the roster's column names."""
    phones: set[str] = set()
    ids: set[str] = set()
    made = 0
    while made < count:
        female = rng.random() < 0.52
        born = synthetic.birth_date(rng)
        phone = synthetic.mobile(rng)
        id_number = synthetic.id_number(rng, birth_date=born, female=female)
        if phone in phones or id_number in ids:
            continue
        phones.add(phone)
        ids.add(id_number)
        made += 1
        yield {
            "姓名": synthetic.name(rng),
            "性别": "女" if female else "男",
            "手机号": phone,
            "身份证号": id_number,
            "社区": communities[made % len(communities)],
            "地址": f"青禾路{rng.randrange(1, 40)}号楼{rng.randrange(1, 7)}单元"
            f"{rng.randrange(1, 19)}0{rng.randrange(1, 5)}",
            "党员": "是" if rng.random() < 0.12 else "否",
            "标签": rng.choice(["", "", "", "", "", "独居老人", "老党员、独居老人", "低保户"]),
        }


def write_roster(
    path: Path,
    rows: Iterable[dict],
    *,
    headers: list[str] = HEADERS,
    change: Callable[[int, dict], dict] | None = None,
) -> Path:
    """Write rows (dicts by column name) under `headers`; `change(row_number, row)` may alter
    a row on its way (row numbers as Excel shows them: the first data row is 2)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("居民名册")
    sheet.append(headers)
    for number, row in enumerate(rows, start=2):
        if change is not None:
            row = change(number, dict(row))
        sheet.append([row.get(h, "") for h in headers])
    workbook.save(path)
    return path


def synthetic_roster(
    path: Path,
    count: int,
    *,
    communities: list[str],
    seed: int = 2026,
    change: Callable[[int, dict], dict] | None = None,
) -> Path:
    return write_roster(
        path, people(random.Random(seed), count, communities=communities), change=change
    )
