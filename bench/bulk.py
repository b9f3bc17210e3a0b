"""Set-based inserts for the bench's large tables: `INSERT … SELECT … FROM generate_series(…)` in PostgreSQL (a
million rows in seconds, no Python object per row).

`insert_select(Model, {"column": "SQL expression", …}, "FROM …", params)` names the columns it sets; every other
concrete column gets its model default (a literal, or now() for `auto_now(_add)`), so a column another engineer adds
with a default does not break the bench. A new NOT NULL column without a default does: it is named in the error."""

from django.db import connection
from django.db.models import NOT_PROVIDED


class BulkError(RuntimeError):
    pass


def _default_sql(field, params: list) -> str:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return "now()"
    if field.has_default():
        params.append(field.get_db_prep_save(field.get_default(), connection))
        return "%s"
    if field.null:
        return "NULL"
    if field.blank and field.get_internal_type() in ("CharField", "TextField", "SlugField", "URLField", "EmailField"):
        params.append("")
        return "%s"
    if field.get_internal_type() in ("FileField", "ImageField"):
        params.append("")
        return "%s"
    raise BulkError(f"{field.model.__name__}.{field.name}: no value and no default for the bench's bulk insert")


def insert_select(model, values: dict[str, str], source: str, params=()) -> int:
    """Inserts the rows `SELECT <values> <source>` yields into `model`'s table; returns the number inserted.
    `values` maps column names to SQL expressions (over `source`); the others take their defaults."""
    columns, expressions, default_params = [], [], []
    for field in model._meta.concrete_fields:
        if field.column not in values and (
            field.primary_key or getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED
        ):
            continue  # the database fills it
        columns.append(connection.ops.quote_name(field.column))
        if field.column in values:
            expressions.append(values[field.column])
        else:
            expressions.append(_default_sql(field, default_params))
    unknown = set(values) - {f.column for f in model._meta.concrete_fields}
    if unknown:
        raise BulkError(f"{model.__name__}: no such columns {sorted(unknown)}")
    table = connection.ops.quote_name(model._meta.db_table)
    # The defaults' placeholders sit in the SELECT list (in column order), the source's after it; expressions in
    # `values` take no parameters (a modulo is written %%).
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*default_params, *params])
        return cursor.rowcount
