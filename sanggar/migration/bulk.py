"""Inserting tens of thousands of rows fast: on PostgreSQL the primary keys are drawn from the table's sequence in one
query and the rows travel with COPY (no model instances, no per-row SQL parameters); elsewhere (SQLite for `make
run`) `bulk_create`. Rows are dicts of attnames; fields not given take their model defaults, `auto_now` /
`auto_now_add` fields take the value given or now. Like bulk_create: no save(), no signals."""

import time
from enum import Enum

from django.db import connection
from django.utils import timezone


class CopyMeter:
    """COPY statements and the time they took (they bypass the connection's execute wrappers)."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.statements = 0
        self.seconds = 0.0
        self.by_table: dict[str, list] = {}


COPY_METER = CopyMeter()


def _plan(model):
    """(column names, per field: (attname, default, callable default?, is auto time, converter))."""
    out = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        auto = bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
        dynamic = field.has_default() and callable(field.default)
        default = None if (auto or dynamic) else field.get_default()
        convert = None
        if field.get_internal_type() == "JSONField":

            def convert(value, field=field):
                return field.get_db_prep_save(value, connection)

        out.append((field.column, field.attname, default, dynamic and field, auto, convert))
    return out


def _value(value):
    # psycopg dumps an Enum by its name; Django's choices are stored by their value
    return value.value if isinstance(value, Enum) else value


def insert_rows(model, rows: list[dict], *, batch_size: int = 1000) -> list[int]:
    """Inserts `rows` and returns their new primary keys, in order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        given = [f for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False) and f.attname in rows[0]]
        saved = [(f, f.auto_now_add) for f in given]
        for f in given:  # bulk_create stamps auto_now_add fields with now: keep the values given (the source's dates)
            f.auto_now_add = False
        try:
            created = model.objects.bulk_create([model(**row) for row in rows], batch_size=batch_size)
        finally:
            for f, value in saved:
                f.auto_now_add = value
        return [obj.pk for obj in created]
    plan = _plan(model)
    table = model._meta.db_table
    pk = model._meta.pk.column
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), pk, len(rows)],
        )
        ids = sorted(r[0] for r in cursor.fetchall())
        records = []
        for pk_value, row in zip(ids, rows, strict=True):
            values = [pk_value]
            for _column, attname, default, dynamic, auto, convert in plan:
                if attname in row:
                    value = _value(row[attname])
                elif auto:
                    value = now
                elif dynamic:
                    value = dynamic.get_default()
                else:
                    value = default
                if convert is not None and value is not None:
                    value = convert(value)
                values.append(value)
            records.append(values)
        quoted = ", ".join(connection.ops.quote_name(c) for c in [pk, *(p[0] for p in plan)])
        started = time.perf_counter()
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for values in records:
                copy.write_row(values)
    spent = time.perf_counter() - started
    COPY_METER.statements += 1
    COPY_METER.seconds += spent
    row = COPY_METER.by_table.setdefault(table, [0, 0, 0.0])
    row[0] += 1
    row[1] += len(rows)
    row[2] += spent
    return ids
