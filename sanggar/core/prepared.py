"""Querysets compiled once per process, run many times with new values.

Django compiles a queryset to SQL on every evaluation: for the short, fixed statements of a hot path (a row locked by
its key, a lookup by a reference) that compilation costs more CPU than PostgreSQL spends running the statement. A
`Prepared` query is written as an ordinary queryset whose varying values are placeholders; the first run on a
database connection alias compiles it (SQL, parameters, the columns' converters, the model and select_related
populators), every later run swaps the placeholders' positions in the parameter list and executes the same SQL
through the connection's cursor (so query logging, execute wrappers and query-count tests see it as before).

    ORDER_LOCKED = Prepared(
        lambda pk: Order.objects.select_for_update(of=("self",)).select_related("buyer").filter(pk=pk),
        pk=-1_000_001,
    )
    order = ORDER_LOCKED.get(pk=order_id)

Placeholders are values the real queries never use (a negative key, a string with a NUL character); each must
appear among the compiled parameters (checked when compiling; every position it takes gets the run's value). A
query without placeholders is a fixed statement, compiled once. Values passed at run time must be the column's own
type (a key, not a model instance): they go to the database as they are (a date or time as the backend writes it).
Model rows, `values_list()` tuples and flat `values_list()` values are supported."""

from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ObjectDoesNotExist
from django.db import DatabaseError, connections
from django.db.models import signals
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql import InsertQuery
from django.db.transaction import TransactionManagementError


def _adapter(connection, value):
    """How the backend writes a date or time parameter (SQLite: as text), applied to the run's value too."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value
    return None


class _Compiled:
    __slots__ = (
        "adapters",
        "sql",
        "params",
        "slots",
        "kind",
        "converters",
        "model",
        "init_list",
        "start",
        "end",
        "populators",
        "annotations",
        "locks",
    )


def first_row(queryset):
    """The queryset `.first()` would run (ordered by its key when it has no order), for a prepared query."""
    return (queryset if queryset.ordered else queryset.order_by("pk"))[:1]


class Prepared:
    def __init__(self, build, **placeholders):
        """`build(**placeholders)` returns the queryset. Without placeholders the statement is fixed (a list's first
        page without filters): compiled once, run as it is."""
        self._build = build
        self._placeholders = placeholders
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self.model = None

    def _compile(self, using: str) -> _Compiled:
        queryset = self._build(**self._placeholders)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        params = list(params)
        compiled = _Compiled()
        compiled.slots = {}
        compiled.adapters = {}
        for name, value in self._placeholders.items():
            adapt = _adapter(compiler.connection, value)
            wanted = adapt(value) if adapt else value
            # The backend may wrap a value in a subclass of its type (psycopg's Int4 in an expression): kept.
            positions = [i for i, p in enumerate(params) if isinstance(p, type(wanted)) and p == wanted]
            if not positions:
                raise ImproperlyConfigured(f"placeholder {name}={value!r} is not among the compiled parameters")
            compiled.slots[name] = tuple(
                (i, None if type(params[i]) is type(wanted) else type(params[i])) for i in positions
            )
            if adapt:
                compiled.adapters[name] = adapt
        compiled.sql, compiled.params = sql, tuple(params)
        compiled.locks = bool(queryset.query.select_for_update)
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        compiled.converters = [
            (pos, converters, expression) for pos, (converters, expression) in compiler.get_converters(fields).items()
        ]
        iterable = queryset._iterable_class
        if iterable is ModelIterable:
            compiled.kind = "model"
            klass_info = compiler.klass_info
            compiled.model = klass_info["model"]
            select_fields = klass_info["select_fields"]
            compiled.start, compiled.end = select_fields[0], select_fields[-1] + 1
            compiled.init_list = [f[0].target.attname for f in compiler.select[compiled.start : compiled.end]]
            compiled.populators = get_related_populators(klass_info, compiler.select, using)
            compiled.annotations = tuple(compiler.annotation_col_map.items())
            if queryset._known_related_objects or queryset._prefetch_related_lookups:
                raise ImproperlyConfigured("a prepared query takes no prefetch_related or known related objects")
        elif iterable is FlatValuesListIterable:
            compiled.kind = "flat"
        elif iterable is ValuesListIterable:
            compiled.kind = "tuples"
        else:
            raise ImproperlyConfigured(f"a prepared query cannot return {iterable.__name__}")
        self.model = queryset.model
        return compiled

    def all(self, *, using: str = "default", **values) -> list:
        connection = connections[using]
        key = (using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using)
        if compiled.locks and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        params = list(compiled.params)
        for name, value in values.items():
            if name in compiled.adapters:
                value = compiled.adapters[name](value)
            for position, wrap in compiled.slots[name]:
                params[position] = value if wrap is None else wrap(value)
        if len(values) != len(compiled.slots):
            missing = set(compiled.slots) - set(values)
            raise TypeError(f"missing values for {sorted(missing)}")
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for pos, converters, expression in compiled.converters:
                    value = row[pos]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[pos] = value
        if compiled.kind == "flat":
            return [row[0] for row in rows]
        if compiled.kind == "tuples":
            return [tuple(row) for row in rows]
        objects = []
        model, init_list, start, end = compiled.model, compiled.init_list, compiled.start, compiled.end
        for row in rows:
            obj = model.from_db(using, init_list, row[start:end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for attr_name, col_pos in compiled.annotations:
                setattr(obj, attr_name, row[col_pos])
            objects.append(obj)
        return objects

    def first(self, **values):
        """The first row (the queryset's own order), or None."""
        rows = self.all(**values)
        return rows[0] if rows else None

    def get(self, **values):
        """The one row; the model's DoesNotExist when there is none (more than one is the caller's bug: the first)."""
        rows = self.all(**values)
        if not rows:
            model = self.model
            raise model.DoesNotExist if model is not None else ObjectDoesNotExist
        return rows[0]


class _Insert:
    __slots__ = ("sql", "fields", "returning", "converters")


_inserts: dict[tuple, _Insert] = {}


def _insert_compile(model, obj, connection, using: str) -> _Insert | None:
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
    returning = list(meta.db_returning_fields)
    query = InsertQuery(model)
    query.insert_values(fields, [obj], raw=False)
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = returning
    statements = compiler.as_sql()
    if len(statements) != 1:
        return None
    entry = _Insert()
    entry.sql, entry.fields, entry.returning = statements[0][0], fields, returning
    columns = [f.get_col(meta.db_table) for f in returning]
    entry.converters = [
        (pos, converters, expression) for pos, (converters, expression) in compiler.get_converters(columns).items()
    ]
    return entry


def insert(obj, *, using: str = "default"):
    """`obj.save()` of a new row, with its INSERT compiled once per model and process: the same statement (every
    column, RETURNING the key), the fields' own `pre_save` (auto_now_add) and database preparation of each value.
    A model with save signal receivers, a parent model, a key already set or a value that is an expression is
    saved by `obj.save()` instead. Returns `obj`."""
    model = type(obj)
    meta = model._meta
    connection = connections[using]
    if (
        meta.parents
        or obj._is_pk_set()
        or not connection.features.can_return_columns_from_insert
        or signals.pre_save.has_listeners(model)
        or signals.post_save.has_listeners(model)
    ):
        obj.save(force_insert=True, using=using)
        return obj
    obj._prepare_related_fields_for_save(operation_name="save")
    key = (model, using, connection.vendor)
    entry = _inserts.get(key)
    if entry is None:
        entry = _inserts[key] = _insert_compile(model, obj, connection, using)
    params = []
    for field in entry.fields if entry else ():
        value = field.pre_save(obj, True)
        if hasattr(value, "resolve_expression"):
            entry = None
            break
        params.append(field.get_db_prep_save(value, connection=connection))
    if entry is None:
        obj.save(force_insert=True, using=using)
        return obj
    with connection.cursor() as cursor:
        cursor.execute(entry.sql, params)
        row = list(cursor.fetchone())
    for pos, converters, expression in entry.converters:
        for converter in converters:
            row[pos] = converter(row[pos], expression, connection)
    for field, value in zip(entry.returning, row, strict=True):
        setattr(obj, field.attname, value)
    obj._state.adding = False
    obj._state.db = using
    return obj


def create(model, **values):
    """`model.objects.create(**values)` through `insert` (the INSERT compiled once per process)."""
    return insert(model(**values))


class _Update:
    __slots__ = ("sql", "fields")


_updates: dict[tuple, _Update | None] = {}


def _update_compile(model, names: tuple, connection) -> _Update | None:
    """`UPDATE <table> SET <column> = %s, ... WHERE <key> = %s` for the named fields, or None when one of them is not
    a plain column of the model's own table (the ORM's save() explains why)."""
    meta = model._meta
    fields = []
    for name in names:
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:  # save() raises the ORM's own error
            return None
        if (
            not field.concrete
            or field.primary_key
            or field.generated
            or field.model is not model
            or hasattr(field, "get_placeholder")
        ):
            return None
        fields.append(field)
    qn = connection.ops.quote_name
    entry = _Update()
    entry.fields = fields
    entry.sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 (names from the model's metadata)
        qn(meta.db_table), ", ".join(f"{qn(f.column)} = %s" for f in fields), qn(meta.pk.column)
    )
    return entry


def update(obj, fields, *, using: str | None = None):
    """`obj.save(update_fields=fields)` with its UPDATE compiled once per model, fields and process: the same
    columns (each field's `pre_save`, so `auto_now` stamps as save() does, and its database preparation), the row
    by its key, and the same error when no row was updated. A model with save signal receivers or a parent model, or
    a value that is an expression, is saved by `obj.save(update_fields=...)` instead. Returns `obj`."""
    model = type(obj)
    meta = model._meta
    using = using or obj._state.db or "default"
    connection = connections[using]
    names = tuple(fields)
    if (
        not names
        or meta.parents
        or not obj._is_pk_set()
        or signals.pre_save.has_listeners(model)
        or signals.post_save.has_listeners(model)
    ):
        obj.save(update_fields=names, using=using)
        return obj
    key = (model, names, using, connection.vendor)
    try:
        entry = _updates[key]
    except KeyError:
        entry = _updates[key] = _update_compile(model, names, connection)
    params = []
    if entry is not None:
        obj._prepare_related_fields_for_save(operation_name="save", fields=entry.fields)
        for field in entry.fields:
            value = field.pre_save(obj, False)
            if hasattr(value, "resolve_expression"):
                entry = None
                break
            params.append(field.get_db_prep_save(value, connection=connection))
    if entry is None:
        obj.save(update_fields=names, using=using)
        return obj
    params.append(meta.pk.get_db_prep_value(obj.pk, connection))
    with connection.cursor() as cursor:
        cursor.execute(entry.sql, params)
        updated = cursor.rowcount
    if not updated:
        raise DatabaseError("Save with update_fields did not affect any rows.")
    obj._state.db = using
    obj._state.adding = False
    return obj


class _Rows:
    __slots__ = ("sql", "fields", "returning", "converters")


_row_inserts: dict[tuple, _Rows | None] = {}


def _rows_compile(model, connection) -> _Rows | None:
    """PostgreSQL's bulk insert as the ORM writes it for several rows (`INSERT ... SELECT * FROM UNNEST(%s::type[],
    ...) RETURNING <key>`: one array parameter per column), or None when a column cannot go through UNNEST."""
    meta = model._meta
    if connection.vendor != "postgresql" or not connection.features.can_return_rows_from_bulk_insert:
        return None
    fields = [f for f in meta.concrete_fields if not f.generated and f is not meta.auto_field]
    types = []
    for field in fields:
        if hasattr(field, "get_placeholder"):
            return None
        internal = (field.target_field if field.is_relation else field).get_internal_type()
        if internal not in connection.data_types:
            return None
        types.append(field.db_type(connection).split("(")[0])
    qn = connection.ops.quote_name
    returning = list(meta.db_returning_fields)
    entry = _Rows()
    entry.fields, entry.returning = fields, returning
    entry.sql = "INSERT INTO {} ({}) SELECT * FROM UNNEST({}) RETURNING {}".format(  # noqa: S608 (model metadata)
        qn(meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(f"(%s)::{db_type}[]" for db_type in types),
        ", ".join(f"{qn(meta.db_table)}.{qn(f.column)}" for f in returning),
    )
    compiler = InsertQuery(model).get_compiler(connection=connection)
    columns = [f.get_col(meta.db_table) for f in returning]
    entry.converters = [
        (pos, converters, expression) for pos, (converters, expression) in compiler.get_converters(columns).items()
    ]
    return entry


def _columns(objs, fields, connection, *, related=None) -> list[list] | None:
    """The values of `fields` over `objs`, column by column, prepared as bulk_create prepares them (related objects
    checked, `pre_save`, database preparation); None when a value is an expression (the caller leaves it to the
    ORM). `related`: the fields whose related objects are checked (None: all)."""
    columns = [[] for _field in fields]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create", fields=related)
        for column, field in zip(columns, fields, strict=True):
            value = field.pre_save(obj, True)
            if hasattr(value, "resolve_expression"):
                return None
            column.append(field.get_db_prep_save(value, connection=connection))
    return columns


def insert_many(objs: list, *, using: str = "default") -> list:
    """`Model.objects.bulk_create(objs)` of new rows of one model in ONE statement compiled once per model and
    process (PostgreSQL: the ORM's own UNNEST form, every column, RETURNING the keys, set on the objects): each
    field's `pre_save` and database preparation as bulk_create does, no signals (as bulk_create). Rows with a key
    already set, a parent model, a value that is an expression, or another database go through bulk_create."""
    if not objs:
        return objs
    model = type(objs[0])
    meta = model._meta
    connection = connections[using]
    key = (model, using, connection.vendor)
    try:
        entry = _row_inserts[key]
    except KeyError:
        entry = _row_inserts[key] = None if meta.parents else _rows_compile(model, connection)
    columns = None
    if entry is not None and all(type(obj) is model and not obj._is_pk_set() for obj in objs):
        columns = _columns(objs, entry.fields, connection)
    if columns is None:
        return model._default_manager.using(using).bulk_create(objs)
    with connection.cursor() as cursor:
        cursor.execute(entry.sql, columns)
        rows = cursor.fetchall()
    for obj, row in zip(objs, rows, strict=True):
        row = list(row)
        for pos, converters, expression in entry.converters:
            for converter in converters:
                row[pos] = converter(row[pos], expression, connection)
        for field, value in zip(entry.returning, row, strict=True):
            setattr(obj, field.attname, value)
        obj._state.adding = False
        obj._state.db = using
    return objs


class _ParentRows:
    __slots__ = ("sql", "parent", "fields", "link", "returning", "converters")


_parent_row_inserts: dict[tuple, _ParentRows | None] = {}


def _parent_rows_compile(parent, child_model, link: str, connection, using: str) -> _ParentRows | None:
    parent_entry = _insert_compile(type(parent), parent, connection, using)
    rows_entry = _rows_compile(child_model, connection)
    if parent_entry is None or rows_entry is None or len(parent_entry.returning) != 1:
        return None
    link_field = child_model._meta.get_field(link)
    if link_field.related_model is not type(parent) or link_field.target_field is not type(parent)._meta.pk:
        return None
    qn = connection.ops.quote_name
    fields = [f for f in rows_entry.fields if f is not link_field]
    types = [f.db_type(connection).split("(")[0] for f in fields]
    aliases = [f"c{n}" for n in range(len(fields))]
    columns = [link_field, *fields]
    child_table = qn(child_model._meta.db_table)
    entry = _ParentRows()
    entry.parent, entry.fields, entry.link = parent_entry, fields, link_field
    entry.returning, entry.converters = rows_entry.returning, rows_entry.converters
    entry.sql = (
        f"WITH p AS ({parent_entry.sql}) INSERT INTO {child_table} ({', '.join(qn(f.column) for f in columns)})"  # noqa: S608 (model metadata)
        f" SELECT p.{qn(type(parent)._meta.pk.column)}, {', '.join(f'e.{a}' for a in aliases)} FROM p,"
        f" UNNEST({', '.join(f'(%s)::{t}[]' for t in types)}) AS e({', '.join(aliases)})"
        f" RETURNING {', '.join(f'{child_table}.{qn(f.column)}' for f in rows_entry.returning)},"
        f" {child_table}.{qn(link_field.column)}"
    )
    return entry


def insert_with_rows(parent, rows: list, *, link: str, using: str = "default"):
    """A new row and new rows of another model that point to it (`link`: their foreign key), in ONE statement on
    PostgreSQL (`WITH p AS (INSERT <parent> RETURNING key) INSERT <rows> SELECT p.key, ... FROM p, UNNEST(...)`),
    compiled once per pair of models and process: what `insert(parent)` then `insert_many(rows)` write, one round
    trip fewer. Both keys are set on the objects. Anything `insert` or `insert_many` would hand to the ORM (and other
    databases) goes through them instead. Returns `parent`."""
    if not rows:
        return insert(parent, using=using)
    connection = connections[using]
    child_model = type(rows[0])
    key = (type(parent), child_model, link, using, connection.vendor)
    meta = type(parent)._meta
    usable = not (
        meta.parents
        or parent._is_pk_set()
        or any(signal.has_listeners(model) for signal in (signals.pre_save, signals.post_save) for model in key[:2])
    )
    entry = None
    if usable:
        try:
            entry = _parent_row_inserts[key]
        except KeyError:
            entry = _parent_row_inserts[key] = (
                _parent_rows_compile(parent, child_model, link, connection, using)
                if connection.vendor == "postgresql" and not child_model._meta.parents
                else None
            )
    params = None
    if entry is not None and all(type(obj) is child_model and not obj._is_pk_set() for obj in rows):
        parent._prepare_related_fields_for_save(operation_name="save")
        params = []
        for field in entry.parent.fields:
            value = field.pre_save(parent, True)
            if hasattr(value, "resolve_expression"):
                params = None
                break
            params.append(field.get_db_prep_save(value, connection=connection))
        columns = _columns(rows, entry.fields, connection, related=entry.fields) if params is not None else None
        params = None if columns is None else [*params, *columns]
    if params is None:
        insert(parent, using=using)
        for obj in rows:
            setattr(obj, link, parent)
        insert_many(rows, using=using)
        return parent
    with connection.cursor() as cursor:
        cursor.execute(entry.sql, params)
        returned = cursor.fetchall()
    setattr(parent, meta.pk.attname, returned[0][-1])
    parent._state.adding = False
    parent._state.db = using
    for obj, row in zip(rows, returned, strict=True):
        row = list(row[:-1])
        for pos, converters, expression in entry.converters:
            for converter in converters:
                row[pos] = converter(row[pos], expression, connection)
        for field, value in zip(entry.returning, row, strict=True):
            setattr(obj, field.attname, value)
        setattr(obj, link, parent)
        obj._state.adding = False
        obj._state.db = using
    return parent
