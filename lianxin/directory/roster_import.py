"""Roster import: residents from an .xlsx roster, every row checked before anything is saved.

`run` serves both the background job behind the import page and `lianxin import-residents`:

1. Check. The sheet is read with python-calamine (see roster_format). The header row is
   looked for among the first rows and its columns mapped (spaces trimmed, common variants
   accepted). Every row is validated; rows repeating a phone or ID number of an earlier row or
   of a saved resident are reported as duplicates. Each valid row's numbers are sealed at once
   and the row is appended to a spool file — sealed, like the database. The uploaded workbook,
   which holds the numbers in clear, is deleted as soon as this pass ends, whatever the outcome.
2. Decide. If rows failed and the uploader did not ask to import the valid rows anyway, the
   import stops as `invalid`; its valid rows wait in the spool for at most SPOOL_HOURS until
   the uploader imports them or discards them (`roster_imports_expire` discards them after).
3. Insert. The spool is read back in chunks; each chunk is checked again against residents
   saved meanwhile and inserted with its history rows in one short transaction, so even a long
   import never holds the database's write lock for long, and the progress bar moves. A crash
   part-way leaves whole chunks; importing the same file again creates only the missing rows.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import os
import random
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lianxin.accounts import scopes
from lianxin.core import privacy, synthetic
from lianxin.core.logging import redact
from lianxin.core.validators import normalise_id_number, normalise_phone
from lianxin.directory import bulk, roster_format
from lianxin.directory.models import (
    RUNNING_IMPORT_STATUSES,
    CareTag,
    Community,
    Gender,
    ImportStatus,
    Resident,
    RosterImport,
)
from lianxin.directory.roster import safe_cell_text
from lianxin.directory.roster_format import (
    ADDRESS,
    BIRTH_DATE,
    CANONICAL,
    COMMUNITY,
    GENDER,
    HEADER_SEARCH_ROWS,
    ID_NUMBER,
    NAME,
    NOTE,
    OPTIONAL_COLUMNS,
    PARTY,
    PHONE,
    REQUIRED_COLUMNS,
    TAGS,
    canonical_header,
)

logger = logging.getLogger(__name__)

TEMPLATE_COLUMNS = (NAME, GENDER, PHONE, ID_NUMBER, COMMUNITY, ADDRESS, PARTY, TAGS, NOTE)

CHUNK = 1000
PROBLEM_LIMIT = 2000
MAX_ROWS = 200_000
SPOOL_HOURS = 24
STALE_RUNNING_HOURS = 6
EXAMPLE_PREFIX = "示例"
_COMMUNITY_SEPARATORS = re.compile(r"[\s/／·・|｜—-]+")
_TAG_SEPARATORS = re.compile(r"[、,，;；/／\s]+")
_DATE_TEXT = re.compile(r"(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))")
_GENDERS = {"男": Gender.MALE, "男性": Gender.MALE, "女": Gender.FEMALE, "女性": Gender.FEMALE}
_PARTY_YES = {"是", "党员", "中共党员", "预备党员", "中共预备党员"}
_PARTY_NO = {"否", "不是", "非党员", "群众", "共青团员", "团员"}

Progress = Callable[[str, int, int], object]
CHECK, INSERT = "check", "insert"


class RosterFileError(Exception):
    """The file as a whole cannot be imported (unreadable, no header, missing columns)."""

    def __init__(self, message: str, problems: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


# --- Files ---------------------------------------------------------------------------------
def imports_dir() -> Path:
    """Uploaded rosters and spools: inside VAR_DIR, never under MEDIA_ROOT (not web-served)."""
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _private_file(suffix: str) -> tuple[Path, int]:
    path = imports_dir() / f"{uuid.uuid4().hex}{suffix}"
    return path, os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def store_upload(chunks) -> Path:
    """Write an uploaded file (an iterable of bytes) where only this application can read it."""
    path, fd = _private_file(".xlsx")
    with os.fdopen(fd, "wb") as out:
        for chunk in chunks:
            out.write(chunk)
    return path


def discard_file(path: str | os.PathLike | None) -> None:
    if path:
        Path(path).unlink(missing_ok=True)


# --- Reading -------------------------------------------------------------------------------
@dataclass
class Sheet:
    header_row: int
    columns: dict[str, int]  # our column name -> 0-based position
    letters: dict[str, str]  # our column name -> the letter Excel shows
    rows: Iterator[tuple]  # the rows after the header, streamed
    estimated_rows: int
    close: Callable[[], object]


def open_roster(path: Path) -> Sheet:
    """Find the header row, map its columns and start streaming the rows after it.

    Raises RosterFileError with a message for the uploader. Call `close()` when done."""
    messages = roster_format.stream(path)
    try:
        __, header = next(messages)
    except roster_format.Unreadable:
        raise RosterFileError(
            _(
                "The file cannot be read as an Excel workbook. Save it as .xlsx (Excel 2007 or "
                "later; old .xls files must be saved again as .xlsx) and upload it again."
            )
        ) from None
    except roster_format.NoHeader:
        raise RosterFileError(
            _(
                "No header row with the column 姓名 was found in the first %(count)s rows. "
                "Download the template to see the expected columns."
            )
            % {"count": HEADER_SEARCH_ROWS}
        ) from None
    number = header.row
    columns: dict[str, int] = {}
    letters: dict[str, str] = {}
    problems = []
    for position, value in enumerate(header.values):
        name = canonical_header(value)
        if not name:
            continue
        letter = get_column_letter(position + 1)
        if name in columns:
            if name in CANONICAL.values():
                problems.append(
                    _problem(
                        number,
                        name,
                        letter,
                        _("The column %(column)s appears twice (columns %(first)s and %(second)s).")
                        % {"column": name, "first": letters[name], "second": letter},
                    )
                )
            continue
        columns[name] = position
        letters[name] = letter
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        message = _(
            "The header row (row %(row)s) lacks the required columns %(columns)s. "
            "Download the template to see the expected columns."
        ) % {"row": number, "columns": "、".join(missing)}
        problems.insert(0, _problem(number, "、".join(missing), "", message))
    if problems:
        messages.close()
        raise RosterFileError(problems[0]["message"], problems)
    estimate = max(0, (header.max_row or 0) - number)
    return Sheet(
        header_row=number,
        columns=columns,
        letters=letters,
        rows=(values for __, batch in messages for values in batch),
        # A sheet may declare no size, or Excel's million rows when whole columns were
        # formatted: then the progress shows a count without a percentage.
        estimated_rows=estimate if estimate <= MAX_ROWS else 0,
        close=messages.close,
    )


def _problem(row: int, column: str, letter: str, message: str, kind: str = "error") -> dict:
    # Messages quote cells (a community's name, a tag); a shifted column could put a number
    # there, so whatever looks like a phone or ID number is masked before it is stored.
    return {
        "row": row,
        "column": column,
        "letter": letter,
        "message": redact(str(message)),
        "kind": kind,
    }


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


# --- Checking one row ----------------------------------------------------------------------
@dataclass(slots=True)
class Candidate:
    """A row that passed validation; numbers in clear only in memory, until sealed."""

    row: int
    community_id: int
    name: str
    gender: str
    birth_date: datetime.date | None
    address: str
    is_party_member: bool
    note: str
    phone: str
    id_number: str
    tag_ids: list[int]
    phone_index: str
    id_index: str


class _Communities:
    """Resolves the 社区 cell: a community name, or subdistrict + name where names repeat."""

    def __init__(self, actor):
        self.scope = scopes.community_ids(actor)
        self.by_key: dict[str, list[Community]] = defaultdict(list)
        for community in Community.objects.select_related("subdistrict"):
            self.by_key[self._key(community.name)].append(community)
            self.by_key[self._key(community.subdistrict.name + community.name)].append(community)
        self.cache: dict[str, tuple[int | None, str]] = {}

    @staticmethod
    def _key(text: str) -> str:
        return _COMMUNITY_SEPARATORS.sub("", text)

    def in_scope(self, community_id: int) -> bool:
        return self.scope is None or community_id in self.scope

    def resolve(self, text: str) -> tuple[int | None, str]:
        if text in self.cache:
            return self.cache[text]
        found = self.by_key.get(self._key(text), [])
        if not found:
            result = (None, _("There is no community “%(name)s”.") % {"name": text})
        elif len(found) > 1:
            example = f"{found[0].subdistrict.name} {found[0].name}"
            result = (
                None,
                _(
                    "Several communities are called “%(name)s”; write the subdistrict before "
                    "the name, e.g. “%(example)s”."
                )
                % {"name": text, "example": example},
            )
        elif not self.in_scope(found[0].pk):
            result = (None, _("“%(name)s” is not one of your communities.") % {"name": text})
        else:
            result = (found[0].pk, "")
        self.cache[text] = result
        return result


def resolve_community(actor, text: str) -> tuple[Community | None, str]:
    """A community named as in a 社区 cell, inside the actor's scope, or a message why not."""
    community_id, message = _Communities(actor).resolve(text.strip())
    if community_id is None:
        return None, message
    return Community.objects.get(pk=community_id), ""


class RowChecker:
    """Validates one data row. Messages are for the uploader and never hold a whole number."""

    def __init__(self, *, actor, sheet: Sheet, default_community: Community | None):
        self.sheet = sheet
        self.columns = sheet.columns
        self.communities = _Communities(actor)
        self.default_community_id = default_community.pk if default_community else None
        self.tags = {tag.name: tag.pk for tag in CareTag.objects.all()}
        self.tag_cache: dict[str, tuple[list[int], str]] = {}
        self.today = timezone.localdate()

    def _cell(self, values: tuple, column: str):
        position = self.columns.get(column)
        if position is None or position >= len(values):
            return None
        return values[position]

    def check(self, number: int, values: tuple) -> tuple[Candidate | None, list[dict]]:
        errors: list[tuple[str, str]] = []

        name = _text(self._cell(values, NAME))
        if not name:
            errors.append((NAME, _("Enter the name.")))
        elif name.startswith(EXAMPLE_PREFIX):
            errors.append(
                (NAME, _("This is the example row of the template; delete it before importing."))
            )
        elif len(name) > 50:
            errors.append((NAME, _("A name has at most %(count)s characters.") % {"count": 50}))

        phone = self._phone(self._cell(values, PHONE), errors)
        id_number, id_birth = self._id_number(self._cell(values, ID_NUMBER), errors)

        community_text = _text(self._cell(values, COMMUNITY))
        community_id = None
        if community_text:
            community_id, message = self.communities.resolve(community_text)
            if message:
                errors.append((COMMUNITY, message))
        elif self.default_community_id:
            community_id = self.default_community_id
        else:
            errors.append(
                (
                    COMMUNITY,
                    _("Enter the community, or choose a default community when uploading."),
                )
            )

        address = _text(self._cell(values, ADDRESS))
        if len(address) > 200:
            errors.append(
                (ADDRESS, _("An address has at most %(count)s characters.") % {"count": 200})
            )

        gender = self._gender(self._cell(values, GENDER), id_number, errors)
        birth_date = id_birth or self._birth_date(self._cell(values, BIRTH_DATE), errors)
        is_party_member = self._party(self._cell(values, PARTY), errors)
        tag_ids = self._tags(self._cell(values, TAGS), errors)
        note = _text(self._cell(values, NOTE))

        if errors:
            letters = self.sheet.letters
            return None, [_problem(number, c, letters.get(c, ""), m) for c, m in errors]
        return (
            Candidate(
                row=number,
                community_id=community_id,
                name=name,
                gender=gender,
                birth_date=birth_date,
                address=address,
                is_party_member=is_party_member,
                note=note,
                phone=phone,
                id_number=id_number,
                tag_ids=tag_ids,
                phone_index=privacy.blind_index(phone, purpose=privacy.PHONE) if phone else "",
                id_index=(
                    privacy.blind_index(id_number, purpose=privacy.ID_NUMBER) if id_number else ""
                ),
            ),
            [],
        )

    def _phone(self, value, errors) -> str:
        text = _text(value)
        if not text:
            return ""
        if "*" in text:
            errors.append(
                (PHONE, _("This number is masked (like 138****8000); the full number is needed."))
            )
            return ""
        try:
            return normalise_phone(text)
        except ValidationError as exc:
            errors.append((PHONE, exc.messages[0]))
            return ""

    def _id_number(self, value, errors) -> tuple[str, datetime.date | None]:
        if isinstance(value, float):
            errors.append(
                (
                    ID_NUMBER,
                    _(
                        "The ID card number was saved as a number, which loses its last digits. "
                        "Format the column as text and type the number again."
                    ),
                )
            )
            return "", None
        text = _text(value)
        if not text:
            return "", None
        if "*" in text:
            errors.append(
                (
                    ID_NUMBER,
                    _(
                        "This number is masked (like 1101**********123X); the full number is needed."
                    ),
                )
            )
            return "", None
        try:
            return normalise_id_number(text)
        except ValidationError as exc:
            errors.append((ID_NUMBER, exc.messages[0]))
            return "", None

    def _gender(self, value, id_number: str, errors) -> str:
        text = _text(value)
        from_id = ""
        if id_number:
            from_id = Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE
        if not text:
            return from_id
        gender = _GENDERS.get(text)
        if gender is None:
            errors.append((GENDER, _("Write 男 or 女, or leave the cell empty.")))
            return ""
        if from_id and gender != from_id:
            errors.append((GENDER, _("The gender does not match the ID card number.")))
        return gender

    def _birth_date(self, value, errors) -> datetime.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            born = value.date()
        elif isinstance(value, datetime.date):
            born = value
        else:
            match = _DATE_TEXT.fullmatch(_text(value))
            try:
                if not match:
                    raise ValueError
                year, month, day, month2, day2 = match.groups()
                born = datetime.date(int(year), int(month or month2), int(day or day2))
            except ValueError:
                errors.append((BIRTH_DATE, _("Write the birth date like 1960-05-04.")))
                return None
        if born > self.today:
            errors.append((BIRTH_DATE, _("The birth date lies in the future.")))
            return None
        return born

    def _party(self, value, errors) -> bool:
        if isinstance(value, bool):
            return value
        text = _text(value)
        if not text or text in _PARTY_NO:
            return False
        if text in _PARTY_YES:
            return True
        errors.append((PARTY, _("Write 是 or 否, or leave the cell empty.")))
        return False

    def _tags(self, value, errors) -> list[int]:
        text = _text(value)
        if not text:
            return []
        if text not in self.tag_cache:
            ids, unknown = [], []
            for name in _TAG_SEPARATORS.split(text):
                if not name:
                    continue
                if name in self.tags:
                    if self.tags[name] not in ids:
                        ids.append(self.tags[name])
                else:
                    unknown.append(name)
            message = ""
            if unknown:
                message = _("Unknown care tags: %(unknown)s. The care tags are: %(known)s.") % {
                    "unknown": "、".join(unknown),
                    "known": "、".join(self.tags),
                }
            self.tag_cache[text] = (ids, message)
        ids, message = self.tag_cache[text]
        if message:
            errors.append((TAGS, message))
        return ids


# --- The import ----------------------------------------------------------------------------
@dataclass
class _Tally:
    processed: int = 0
    valid: int = 0
    duplicates: int = 0
    errors: int = 0
    created: int = 0
    problem_total: int = 0
    problems: list[dict] = field(default_factory=list)

    def add(self, problems: list[dict]) -> None:
        self.problem_total += len(problems)
        room = PROBLEM_LIMIT - len(self.problems)
        if room > 0:
            self.problems.extend(problems[:room])


def _existing(phone_indexes, id_indexes) -> dict[tuple[str, str], tuple[int, str, str]]:
    """Saved residents holding any of these numbers: (kind, index) -> (community, name…)."""
    found: dict[tuple[str, str], tuple[int, str, str]] = {}
    for kind, column, indexes in (
        (PHONE, "phone_index", phone_indexes),
        (ID_NUMBER, "id_index", id_indexes),
    ):
        indexes = [i for i in indexes if i]
        if not indexes:
            continue
        for index, community_id, name, community_name in Resident.objects.filter(
            **{f"{column}__in": indexes}
        ).values_list(column, "community_id", "name", "community__name"):
            found[(kind, index)] = (community_id, name, community_name)
    return found


def _duplicate_messages(
    *, row: int, phone_masked: str, id_masked: str, existing: dict, keys, communities, letters
) -> list[dict]:
    problems = []
    for kind, index, masked in keys:
        owner = existing.get((kind, index))
        if owner is None:
            continue
        community_id, name, community_name = owner
        values = {"masked": masked, "name": name, "community": community_name}
        if kind == PHONE:
            message = (
                _(
                    "%(name)s of %(community)s already has this phone number (%(masked)s); not created again."
                )
                if communities.in_scope(community_id)
                else _(
                    "A resident of another community already has this phone number (%(masked)s); "
                    "not created again."
                )
            )
        else:
            message = (
                _(
                    "%(name)s of %(community)s already has this ID card number (%(masked)s); "
                    "not created again."
                )
                if communities.in_scope(community_id)
                else _(
                    "A resident of another community already has this ID card number "
                    "(%(masked)s); not created again."
                )
            )
        problems.append(_problem(row, kind, letters.get(kind, ""), message % values, "duplicate"))
    return problems


class _Run:
    """One run of an import; see the module docstring for the three steps."""

    def __init__(self, roster_import: RosterImport, *, on_progress: Progress | None):
        self.imp = roster_import
        self.actor = roster_import.created_by
        self.on_progress = on_progress or (lambda step, done, total: None)
        self.tally = _Tally(
            processed=0,
            valid=roster_import.valid_count,
            duplicates=roster_import.duplicate_count,
            errors=roster_import.error_count,
            created=roster_import.created_count,
            problem_total=roster_import.problem_total,
            problems=list(roster_import.problems),
        )
        self.communities = _Communities(self.actor)
        self.letters: dict[str, str] = {}
        self.prepared: dict = {}

    def _save(self, **extra) -> None:
        t = self.tally
        RosterImport.objects.filter(pk=self.imp.pk).update(
            processed_rows=t.processed,
            valid_count=t.valid,
            duplicate_count=t.duplicates,
            error_count=t.errors,
            created_count=t.created,
            **extra,
        )

    # Step 1 -------------------------------------------------------------------------------
    def check(self, path: Path) -> None:
        sheet = open_roster(path)
        self.letters = sheet.letters
        try:
            self._check_rows(sheet)
        except roster_format.ReadFailed:
            raise RosterFileError(
                _("The file could not be read to the end; it may be damaged. Save it again.")
            ) from None
        finally:
            sheet.close()

    def _check_rows(self, sheet: Sheet) -> None:
        checker = RowChecker(
            actor=self.actor, sheet=sheet, default_community=self.imp.default_community
        )
        t = self.tally
        t.processed = t.valid = t.duplicates = t.errors = 0
        estimate = sheet.estimated_rows
        self._save(total_rows=estimate)
        self.on_progress(CHECK, 0, estimate)
        seen_phone: dict[str, int] = {}
        seen_id: dict[str, int] = {}
        pending: list[Candidate] = []
        spool_path, fd = _private_file(".spool")
        RosterImport.objects.filter(pk=self.imp.pk).update(spool_path=str(spool_path))
        self.imp.spool_path = str(spool_path)
        letters = sheet.letters
        with os.fdopen(fd, "w", encoding="utf-8") as spool:
            # First line: what the insert step needs to word its messages.
            spool.write(json.dumps({"letters": letters}, ensure_ascii=False) + "\n")
            number = sheet.header_row
            for values in sheet.rows:
                number += 1
                if not any(v is not None and v != "" for v in values):
                    continue
                t.processed += 1
                if t.processed > MAX_ROWS:
                    raise RosterFileError(
                        _("The file has more than %(count)s rows; split it into smaller files.")
                        % {"count": MAX_ROWS}
                    )
                candidate, problems = checker.check(number, values)
                if candidate is None:
                    t.errors += 1
                    t.add(problems)
                else:
                    repeats = []
                    for kind, index, seen in (
                        (PHONE, candidate.phone_index, seen_phone),
                        (ID_NUMBER, candidate.id_index, seen_id),
                    ):
                        if index and index in seen:
                            repeats.append((kind, seen[index]))
                    if repeats:
                        t.duplicates += 1
                        t.add([self._repeat_problem(candidate, k, r) for k, r in repeats])
                    else:
                        if candidate.phone_index:
                            seen_phone[candidate.phone_index] = number
                        if candidate.id_index:
                            seen_id[candidate.id_index] = number
                        pending.append(candidate)
                if t.processed % CHUNK == 0:
                    self._flush(pending, spool, letters)
                    pending = []
                    self._save(total_rows=max(estimate, t.processed))
                    self.on_progress(CHECK, t.processed, max(estimate, t.processed))
            self._flush(pending, spool, letters)
        if not t.processed:
            raise RosterFileError(_("The file holds a header row but no residents."))
        self._save(total_rows=t.processed, problems=t.problems, problem_total=t.problem_total)
        self.on_progress(CHECK, t.processed, t.processed)

    def _repeat_problem(self, candidate: Candidate, kind: str, first_row: int) -> dict:
        if kind == PHONE:
            message = _("Same phone number (%(masked)s) as row %(row)s; this row is skipped.") % {
                "masked": privacy.mask_phone(candidate.phone),
                "row": first_row,
            }
        else:
            message = _("Same ID card number (%(masked)s) as row %(row)s; this row is skipped.") % {
                "masked": privacy.mask_id_number(candidate.id_number),
                "row": first_row,
            }
        return _problem(candidate.row, kind, self.letters.get(kind, ""), message, "duplicate")

    def _flush(self, pending: list[Candidate], spool, letters) -> None:
        """Check a chunk against saved residents; seal the rest and append them to the spool."""
        if not pending:
            return
        t = self.tally
        existing = _existing([c.phone_index for c in pending], [c.id_index for c in pending])
        records = []
        for c in pending:
            phone_masked = privacy.mask_phone(c.phone) if c.phone else ""
            id_masked = privacy.mask_id_number(c.id_number) if c.id_number else ""
            if existing:
                problems = _duplicate_messages(
                    row=c.row,
                    phone_masked=phone_masked,
                    id_masked=id_masked,
                    existing=existing,
                    keys=((PHONE, c.phone_index, phone_masked), (ID_NUMBER, c.id_index, id_masked)),
                    communities=self.communities,
                    letters=letters,
                )
                if problems:
                    t.duplicates += 1
                    t.add(problems)
                    continue
            records.append(
                [
                    c.row,
                    c.community_id,
                    c.name,
                    c.gender,
                    c.birth_date.isoformat() if c.birth_date else None,
                    c.address,
                    c.is_party_member,
                    c.note,
                    privacy.seal(c.phone) if c.phone else "",
                    c.phone_index,
                    phone_masked,
                    privacy.seal(c.id_number) if c.id_number else "",
                    c.id_index,
                    id_masked,
                    c.tag_ids,
                ]
            )
        t.valid += len(records)
        if records:
            spool.write(json.dumps(records, ensure_ascii=False) + "\n")

    # Step 3 -------------------------------------------------------------------------------
    def insert(self) -> None:
        t = self.tally
        t.processed = 0
        self._save()
        self.on_progress(INSERT, 0, t.valid)
        reason = _("Roster import #%(id)s: %(file)s") % {
            "id": self.imp.pk,
            "file": redact(self.imp.file_name),
        }
        history_model = Resident.history.model
        tracked = [f.attname for f in history_model.tracked_fields]
        m2m_history_model = apps.get_model("directory", "HistoricalResident_care_tags")
        through = Resident.care_tags.through
        tag_ids = set(CareTag.objects.values_list("pk", flat=True))
        with open(self.imp.spool_path, encoding="utf-8") as spool:
            letters = json.loads(spool.readline())["letters"]
            for line in spool:
                records = json.loads(line)
                for attempt in (1, 2):
                    before = (t.duplicates, t.errors, t.problem_total, len(t.problems))
                    try:
                        with transaction.atomic():
                            created = self._insert_chunk(
                                records,
                                reason=reason,
                                tracked=tracked,
                                history_model=history_model,
                                through=through,
                                m2m_history_model=m2m_history_model,
                                tag_ids=tag_ids,
                                letters=letters,
                            )
                            t.processed += len(records)
                            t.created += created
                            self._save()
                        break
                    except IntegrityError:
                        # A resident with one of these numbers was saved between our check and
                        # our insert: check the chunk again, once.
                        if attempt == 2:
                            raise
                        t.duplicates, t.errors, t.problem_total, kept = before
                        del t.problems[kept:]
                self.on_progress(INSERT, t.processed, t.valid)

    def _insert_chunk(
        self,
        records,
        *,
        reason,
        tracked,
        history_model,
        through,
        m2m_history_model,
        tag_ids,
        letters,
    ) -> int:
        t = self.tally
        existing = _existing([r[9] for r in records], [r[12] for r in records])
        now = timezone.now()
        rows, tags_of = [], []
        for r in records:
            (number, community_id, name, gender, birth, address, party, note) = r[:8]
            (p_cipher, p_index, p_masked, i_cipher, i_index, i_masked, tags) = r[8:]
            if existing:
                problems = _duplicate_messages(
                    row=number,
                    phone_masked=p_masked,
                    id_masked=i_masked,
                    existing=existing,
                    keys=((PHONE, p_index, p_masked), (ID_NUMBER, i_index, i_masked)),
                    communities=self.communities,
                    letters=letters,
                )
                if problems:
                    t.duplicates += 1
                    t.add(problems)
                    continue
            if not self.communities.in_scope(community_id) or not set(tags) <= tag_ids:
                t.errors += 1
                t.add(
                    [
                        _problem(
                            number,
                            COMMUNITY,
                            "",
                            _(
                                "This row's community is no longer one of yours, or one of its "
                                "care tags was removed; it was not imported."
                            ),
                        )
                    ]
                )
                continue
            rows.append(
                {
                    "community_id": community_id,
                    "household_id": None,
                    "name": name,
                    "gender": gender,
                    "birth_date": datetime.date.fromisoformat(birth) if birth else None,
                    "address": address,
                    "is_party_member": party,
                    "note": note,
                    "phone_cipher": p_cipher,
                    "phone_index": p_index,
                    "phone_masked": p_masked,
                    "id_cipher": i_cipher,
                    "id_index": i_index,
                    "id_masked": i_masked,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            tags_of.append(tags)
        if not rows:
            return 0
        pks = bulk.insert_rows(Resident, rows, prepared=self.prepared)
        history = []
        for pk, row in zip(pks, rows, strict=True):
            row["id"] = pk
            entry = {name: row.get(name) for name in tracked}
            entry.update(
                history_date=now,
                history_type="+",
                history_change_reason=reason,
                history_user_id=self.actor.pk,
            )
            history.append(entry)
        history_ids = bulk.insert_rows(history_model, history, prepared=self.prepared)
        links, link_owner = [], []
        for pk, history_id, tags in zip(pks, history_ids, tags_of, strict=True):
            for tag in tags:
                links.append({"resident_id": pk, "caretag_id": tag})
                link_owner.append(history_id)
        if links:
            link_ids = bulk.insert_rows(through, links)
            bulk.insert_rows(
                m2m_history_model,
                [
                    {
                        "id": link_id,
                        "resident_id": link["resident_id"],
                        "caretag_id": link["caretag_id"],
                        "history_id": history_id,
                    }
                    for link_id, link, history_id in zip(link_ids, links, link_owner, strict=True)
                ],
                returning=False,
            )
        return len(rows)


def _move(pk: int, source, target: str, **fields) -> bool:
    """A conditional status change: True if this caller made it."""
    sources = source if isinstance(source, tuple | list) else (source,)
    return bool(
        RosterImport.objects.filter(pk=pk, status__in=sources).update(status=target, **fields)
    )


def run(
    import_id: int, *, keep_for_decision: bool = True, on_progress: Progress | None = None
) -> RosterImport:
    """Check, decide and insert one queued import. Safe to call twice: the second does nothing."""
    roster_import = RosterImport.objects.select_related("created_by", "default_community").get(
        pk=import_id
    )
    if roster_import.status != ImportStatus.QUEUED:
        return roster_import
    with translation.override(roster_import.language or settings.LANGUAGE_CODE):
        return _run(roster_import, keep_for_decision=keep_for_decision, on_progress=on_progress)


def _run(roster_import: RosterImport, *, keep_for_decision: bool, on_progress) -> RosterImport:
    pk = roster_import.pk
    upload = roster_import.stored_path
    needs_check = bool(upload)
    first = ImportStatus.VALIDATING if needs_check else ImportStatus.IMPORTING
    if not _move(pk, ImportStatus.QUEUED, first):
        return roster_import
    job = _Run(roster_import, on_progress=on_progress)
    keep_spool = False
    try:
        if needs_check:
            try:
                job.check(Path(upload))
            finally:
                discard_file(upload)
                RosterImport.objects.filter(pk=pk).update(stored_path="")
            t = job.tally
            if t.errors and not roster_import.import_valid_rows:
                keep_spool = keep_for_decision and t.valid > 0
                _move(
                    pk,
                    ImportStatus.VALIDATING,
                    ImportStatus.INVALID,
                    finished_at=timezone.now(),
                    **({} if keep_spool else {"spool_path": ""}),
                )
                return RosterImport.objects.get(pk=pk)
            if not _move(pk, ImportStatus.VALIDATING, ImportStatus.IMPORTING):
                return RosterImport.objects.get(pk=pk)
        job.insert()
        t = job.tally
        _move(
            pk,
            ImportStatus.IMPORTING,
            ImportStatus.DONE,
            finished_at=timezone.now(),
            spool_path="",
            problems=t.problems,
            problem_total=t.problem_total,
            duplicate_count=t.duplicates,
            error_count=t.errors,
        )
    except RosterFileError as exc:
        RosterImport.objects.filter(pk=pk).update(
            status=ImportStatus.FAILED,
            failure=exc.message,
            problems=exc.problems,
            problem_total=len(exc.problems),
            finished_at=timezone.now(),
            spool_path="",
        )
    except Exception:
        logger.exception("Roster import %s stopped", pk)
        RosterImport.objects.filter(pk=pk).update(
            status=ImportStatus.FAILED,
            failure=_(
                "The import stopped because of an internal error; %(count)s residents had been "
                "imported. Importing the same file again adds only the missing residents."
            )
            % {"count": job.tally.created},
            problems=job.tally.problems,
            problem_total=job.tally.problem_total,
            finished_at=timezone.now(),
            spool_path="",
        )
    finally:
        if not keep_spool:
            discard_file(job.imp.spool_path)
    return RosterImport.objects.get(pk=pk)


def expire(*, now: datetime.datetime | None = None) -> int:
    """Discard valid rows left waiting too long, fail jobs whose worker vanished, and delete
    files no import refers to. Returns how many imports and files it dealt with."""
    now = now or timezone.now()
    count = 0
    waiting = RosterImport.objects.filter(
        status=ImportStatus.INVALID,
        finished_at__lt=now - datetime.timedelta(hours=SPOOL_HOURS),
    ).exclude(spool_path="")
    for roster_import in waiting:
        if _move(roster_import.pk, ImportStatus.INVALID, ImportStatus.DISCARDED, spool_path=""):
            discard_file(roster_import.spool_path)
            count += 1
    stale = RosterImport.objects.filter(
        status__in=RUNNING_IMPORT_STATUSES,
        created_at__lt=now - datetime.timedelta(hours=STALE_RUNNING_HOURS),
    )
    for roster_import in stale:
        with translation.override(roster_import.language or settings.LANGUAGE_CODE):
            failure = _("The background job stopped before finishing. Upload the file again.")
        if _move(
            roster_import.pk,
            RUNNING_IMPORT_STATUSES,
            ImportStatus.FAILED,
            stored_path="",
            spool_path="",
            failure=failure,
            finished_at=now,
        ):
            discard_file(roster_import.stored_path)
            discard_file(roster_import.spool_path)
            count += 1
    # Files no import refers to any more (an upload whose transaction was rolled back).
    referenced = set()
    for stored, spool in RosterImport.objects.exclude(stored_path="", spool_path="").values_list(
        "stored_path", "spool_path"
    ):
        referenced |= {stored, spool}
    cutoff = (now - datetime.timedelta(hours=STALE_RUNNING_HOURS)).timestamp()
    for path in imports_dir().iterdir():
        if str(path) not in referenced and path.stat().st_mtime < cutoff:
            discard_file(path)
            count += 1
    return count


# --- Workbooks for the uploader ------------------------------------------------------------
def template_workbook(communities: list[Community]) -> bytes:
    """The roster template: our headers, one invented example row, and instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "居民名册"
    sheet.append(list(TEMPLATE_COLUMNS))
    rng = random.Random(1956)
    born = datetime.date(1956, 3, 8)
    example = {
        NAME: f"{EXAMPLE_PREFIX}：{synthetic.name(rng)}",
        GENDER: "女",
        PHONE: synthetic.mobile(rng),
        ID_NUMBER: synthetic.id_number(rng, birth_date=born, female=True),
        COMMUNITY: communities[0].name if communities else "青禾一社区",
        ADDRESS: "青禾路3号楼2单元101",
        PARTY: "否",
        TAGS: "独居老人、老党员",
        NOTE: "",
    }
    sheet.append([example[c] for c in TEMPLATE_COLUMNS])
    bold, required_fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    widths = {NAME: 14, GENDER: 6, PHONE: 16, ID_NUMBER: 22, COMMUNITY: 16, ADDRESS: 30}
    for position, column in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position)
        cell.font = bold
        if column in REQUIRED_COLUMNS:
            cell.fill = required_fill
        sheet.column_dimensions[letter].width = widths.get(column, 12)
        if column in (PHONE, ID_NUMBER):
            # A text column: Excel would otherwise round an 18-digit ID number typed into it.
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=2, column=position).number_format = "@"
    for column, choices in ((GENDER, "男,女"), (PARTY, "是,否")):
        letter = get_column_letter(TEMPLATE_COLUMNS.index(column) + 1)
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}10000")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("Instructions"))
    lines = [
        _("How to fill in the roster"),
        _("Required columns: %(columns)s. Optional columns: %(optional)s.")
        % {"columns": "、".join(REQUIRED_COLUMNS), "optional": "、".join(OPTIONAL_COLUMNS)},
        _("Row 2 is an invented example; delete it before importing."),
        _("姓名 must be filled in. 手机号: an 11-digit mobile or a landline with its area code."),
        _(
            "身份证号: 18 characters, typed as text; the birth date and gender are taken from it. "
            "Phone or ID card numbers already in the directory are reported and not added twice."
        ),
        _(
            "社区: the community's name; when it is left empty, the default community chosen on "
            "upload is used."
        ),
        _("性别: 男 or 女. 党员: 是 or 否. 标签: care tags separated by 、 or commas."),
        _("出生日期 (optional, used when there is no ID card number): like 1960-05-04."),
        "",
        _("Care tags: %(tags)s")
        % {"tags": "、".join(CareTag.objects.values_list("name", flat=True))},
        _("Your communities: %(communities)s")
        % {"communities": "、".join(c.name for c in communities)},
    ]
    for line in lines:
        notes.append([safe_cell_text(line)])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems_workbook(roster_import: RosterImport) -> bytes:
    """The problems of an import as .xlsx: row, column, message, kind."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Problems"))
    sheet.append([_("Row"), _("Column"), _("Problem"), _("Kind")])
    kinds = {"error": _("Error"), "duplicate": _("Duplicate")}
    for problem in roster_import.problems:
        column = problem.get("column", "")
        if problem.get("letter"):
            column = _("%(column)s (column %(letter)s)") % {
                "column": column,
                "letter": problem["letter"],
            }
        sheet.append(
            [
                problem.get("row"),
                safe_cell_text(column),
                safe_cell_text(problem.get("message", "")),
                kinds.get(problem.get("kind"), ""),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
