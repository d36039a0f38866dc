"""Fast multi-row INSERT for roster imports.

Django's `bulk_create` prepares every value of every object through the field API, which costs
more than validating and sealing a roster row: it made a 10,000-row import three times slower
(see `make bench`). `insert_rows` sends the same statement Django would —
`INSERT … VALUES (…), (…) RETURNING pk`, built from the model's own fields, so a field added
later with a default is filled in here too — but prepares only the values that need it (dates
and times), once per distinct value, and hands the parameters straight to the driver.

Rows are dicts of attribute names (`community_id`, not `community`) to Python values.
"""

from __future__ import annotations

from typing import Any

from django.db import NotSupportedError, connection, models
from django.utils import timezone

# Field types whose Python values the database drivers take as they are.
_PASS_THROUGH = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.ForeignKey,
)
_MISSING = object()
_MAX_ROWS_PER_STATEMENT = 500


def insert_rows(
    model,
    rows: list[dict[str, Any]],
    *,
    returning: bool = True,
    prepared: dict | None = None,
) -> list | None:
    """Insert `rows` into `model`'s table; return the new primary keys in row order.

    `prepared` may be a dict kept by the caller across calls: database forms of repeated
    values (the same birth dates, the same timestamp) are then computed once per import."""
    if not rows:
        return [] if returning else None
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        raise NotSupportedError(
            "Roster imports need INSERT … RETURNING (PostgreSQL, or SQLite 3.35 or later)."
        )
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField))
    ]
    now = timezone.now()
    pairs = [(f.attname, _default(f, now)) for f in fields]
    required = {name for name, default in pairs if default is _MISSING}
    to_prepare = [
        (position, f, (model, f.attname))
        for position, f in enumerate(fields)
        if not isinstance(f, _PASS_THROUGH)
    ]
    cache = {} if prepared is None else prepared

    values: list = []
    for row in rows:
        if not row.keys() >= required:
            missing = ", ".join(sorted(required - row.keys()))
            raise ValueError(f"No value for {model.__name__}.{missing}")
        line = [row.get(name, default) for name, default in pairs]
        for position, field, key in to_prepare:
            value = line[position]
            if value is None:
                continue
            try:
                line[position] = cache[key, value]
            except KeyError:
                line[position] = cache[key, value] = field.get_db_prep_save(value, connection)
            except TypeError:  # an unhashable value, e.g. for a JSON field
                line[position] = field.get_db_prep_save(value, connection)
        values.extend(line)

    quote = connection.ops.quote_name
    width = len(fields)
    per_statement = max(1, min(_MAX_ROWS_PER_STATEMENT, _max_params() // width))
    mark = "?" if connection.vendor == "sqlite" else "%s"
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) VALUES "
    )
    one_row = "(" + ", ".join([mark] * width) + ")"
    tail = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
    pks: list = []
    connection.ensure_connection()
    # The driver's own cursor: Django's wrapper would rewrite every long statement's
    # placeholders with a regular expression. Errors still become Django's exceptions.
    with connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            for start in range(0, len(rows), per_statement):
                count = min(per_statement, len(rows) - start)
                sql = head + ", ".join([one_row] * count) + tail
                cursor.execute(sql, values[start * width : (start + count) * width])
                if returning:
                    # Rows come back in the order of VALUES, as Django's bulk_create relies on.
                    pks.extend(r[0] for r in cursor.fetchall())
        finally:
            cursor.close()
    return pks if returning else None


def _default(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    return _MISSING


def _max_params() -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 65535
