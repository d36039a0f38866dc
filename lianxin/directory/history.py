"""Change history of the directory, read from simple-history's tables (selectors).

The sealed and indexed number columns are not in the history tables at all (see
models._PROTECTED_COLUMNS); only their masked copies are, so nothing here can show a whole
number. A page of changes costs a fixed number of queries, however many rows it shows.

Changes across models are ordered by (time, model, history id), newest first; a page ends at a
cursor of those three values, so "older changes" never skips or repeats an entry even when an
import gave thousands of rows the same time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import chain

from django.apps import apps
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from lianxin.accounts.models import Role
from lianxin.directory.models import (
    CareTag,
    Community,
    Department,
    Household,
    Pairing,
    Representative,
    Resident,
    Subdistrict,
)

MODELS = [Resident, Household, Pairing, Representative, Community, Department, Subdistrict]
_BY_KEY = {m._meta.model_name: m for m in MODELS}
_DETAIL_URLS = {
    Resident: "directory:resident_detail",
    Household: "directory:household_detail",
    Representative: "directory:representative_detail",
    Community: "directory:community_detail",
    Department: "directory:department_detail",
}
_TYPES = {
    "+": pgettext_lazy("history", "Created"),
    "~": gettext_lazy("Changed"),
    "-": gettext_lazy("Deleted"),
}
_LONG = 80


def can_read_history(user) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


def model_choices() -> list[tuple[str, str]]:
    return [(key, model._meta.verbose_name_plural) for key, model in _BY_KEY.items()]


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    key: str
    model_label: str
    object_id: int
    history_id: int
    date: datetime.datetime
    user: object
    kind: str
    kind_label: str
    label: str
    url: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def cursor(self) -> str:
        return f"{self.date.isoformat()}|{self.key}|{self.history_id}"


def parse_cursor(text: str) -> tuple[datetime.datetime, str, int] | None:
    try:
        date, key, history_id = text.split("|")
        parsed = datetime.datetime.fromisoformat(date)
        return (parsed, key, int(history_id)) if parsed.tzinfo and key in _BY_KEY else None
    except ValueError:
        return None


def recent_changes(
    *, model_key: str = "", before: str = "", limit: int = 50
) -> tuple[list[Change], str]:
    """The newest changes (of one model, or all), older than the cursor `before`.

    Returns the changes and the cursor of the next page ("" when there is none)."""
    cursor = parse_cursor(before) if before else None
    keys = [model_key] if model_key in _BY_KEY else list(_BY_KEY)
    fetched = []
    for key in keys:
        history = _BY_KEY[key].history.model
        rows = history.objects.filter(_after(key, cursor)).order_by("-history_date", "-history_id")
        fetched.extend((key, row) for row in rows.select_related("history_user")[: limit + 1])
    fetched.sort(key=lambda kr: (kr[1].history_date, kr[0], kr[1].history_id), reverse=True)
    page = fetched[:limit]
    changes = _describe(page)
    return changes, (changes[-1].cursor if len(fetched) > limit and changes else "")


def changes_for(obj, *, limit: int = 20) -> list[Change]:
    """The newest changes of one record."""
    key = obj._meta.model_name
    rows = (
        type(obj)
        .history.model.objects.filter(id=obj.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    return _describe([(key, row) for row in rows])


def _after(key: str, cursor) -> Q:
    """Rows that come after the cursor in the order (time, model, id), newest first."""
    if cursor is None:
        return Q()
    date, cursor_key, history_id = cursor
    if key < cursor_key:
        return Q(history_date__lte=date)
    if key > cursor_key:
        return Q(history_date__lt=date)
    return Q(history_date__lt=date) | Q(history_date=date, history_id__lt=history_id)


def _describe(page: list[tuple[str, models.Model]]) -> list[Change]:
    """Turn historical rows into changes: each compared with the record's previous version."""
    by_key: dict[str, list] = {}
    for key, row in page:
        by_key.setdefault(key, []).append(row)
    previous: dict[tuple[str, int], models.Model] = {}
    tag_sets: dict[tuple[str, int], frozenset[int]] = {}
    for key, rows in by_key.items():
        model = _BY_KEY[key]
        history = model.history.model
        earlier = history.objects.filter(id=OuterRef("id")).filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        prev_ids = dict(
            history.objects.filter(history_id__in=[r.history_id for r in rows])
            .annotate(
                prev_id=Subquery(
                    earlier.order_by("-history_date", "-history_id").values("history_id")[:1]
                )
            )
            .values_list("history_id", "prev_id")
        )
        prevs = history.objects.in_bulk([p for p in prev_ids.values() if p])
        for row in rows:
            prev = prevs.get(prev_ids.get(row.history_id))
            if prev is not None:
                previous[(key, row.history_id)] = prev
        if any(f.name == "care_tags" for f in model._meta.many_to_many):
            through = apps.get_model("directory", f"Historical{model.__name__}_care_tags")
            wanted = [r.history_id for r in rows] + [p.history_id for p in prevs.values()]
            sets: dict[int, set[int]] = {h: set() for h in wanted}
            for history_id, tag_id in through.objects.filter(history_id__in=wanted).values_list(
                "history_id", "caretag_id"
            ):
                sets[history_id].add(tag_id)
            for history_id, tags in sets.items():
                tag_sets[(key, history_id)] = frozenset(tags)
    names = _related_names(page, previous, tag_sets)

    changes = []
    for key, row in page:
        model = _BY_KEY[key]
        prev = previous.get((key, row.history_id))
        changes.append(
            Change(
                key=key,
                model_label=str(model._meta.verbose_name),
                object_id=row.id,
                history_id=row.history_id,
                date=row.history_date,
                user=row.history_user,
                kind=row.history_type,
                kind_label=str(_TYPES.get(row.history_type, row.history_type)),
                label=_label(model, row),
                url=(
                    reverse(_DETAIL_URLS[model], args=[row.id])
                    if model in _DETAIL_URLS and row.history_type != "-"
                    else ""
                ),
                reason=row.history_change_reason or "",
                changes=_field_changes(key, model, row, prev, names, tag_sets),
            )
        )
    return changes


def _tracked(model) -> list[models.Field]:
    return [
        f
        for f in model.history.model.tracked_fields
        if f.name != "id"
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def _related_names(page, previous, tag_sets) -> dict:
    """Names of the records foreign keys point at, fetched once per related model."""
    wanted: dict[type, set] = {}
    rows = chain(((k, r) for k, r in page), ((k, p) for (k, _), p in previous.items()))
    for key, row in rows:
        for f in _tracked(_BY_KEY[key]):
            if f.is_relation:
                value = getattr(row, f.attname)
                if value is not None:
                    wanted.setdefault(f.related_model, set()).add(value)
    names = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}
    all_tags = set().union(*tag_sets.values()) if tag_sets else set()
    names[CareTag] = CareTag.objects.in_bulk(all_tags) if all_tags else {}
    return names


def _label(model, row) -> str:
    if model is Household:
        return row.address
    if model is Pairing:
        return (
            f"{dict(Pairing._meta.get_field('kind').flatchoices).get(row.kind, row.kind)} #{row.id}"
        )
    return getattr(row, "name", "") or f"#{row.id}"


def _show(f: models.Field, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation:
        related = names.get(f.related_model, {}).get(value)
        return str(related) if related is not None else f"#{value}"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= _LONG else text[: _LONG - 1] + "…"


def _field_changes(key, model, row, prev, names, tag_sets) -> list[FieldChange]:
    if row.history_type == "-":
        return []
    changes = []
    for f in _tracked(model):
        new = getattr(row, f.attname)
        old = getattr(prev, f.attname) if prev is not None else None
        if prev is None and (new is None or new == "" or new is False):
            continue
        if prev is not None and old == new:
            continue
        changes.append(
            FieldChange(
                str(f.verbose_name), _show(f, old, names) if prev else "—", _show(f, new, names)
            )
        )
    if (key, row.history_id) in tag_sets:
        new_tags = tag_sets[(key, row.history_id)]
        old_tags = tag_sets.get((key, prev.history_id), frozenset()) if prev else frozenset()
        if new_tags != old_tags:
            tags = names[CareTag]

            def listed(ids):
                return "、".join(sorted(str(tags[i]) for i in ids if i in tags)) or "—"

            changes.append(FieldChange(str(_("care tags")), listed(old_tags), listed(new_tags)))
    return changes
