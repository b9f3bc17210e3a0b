# ruff: noqa: S608  (table names come from a validated prefix; every value is a parameter)
"""The WordPress (Sejoli + Tutor LMS) database, read-only through PyMySQL."""

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext as _

from sanggar.core.exceptions import ServiceError

PREFIX_RE = re.compile(r"^[A-Za-z0-9_]{0,20}$")
ZERO_DATES = ("0000-00-00", "0000-00-00 00:00:00")


@dataclass(frozen=True)
class SourceUrl:
    user: str
    password: str
    host: str
    port: int
    database: str

    @property
    def label(self) -> str:
        """The URL without its password (what runs and reports show)."""
        return f"mysql://{self.user}@{self.host}:{self.port}/{self.database}"


def source_parse(url: str) -> SourceUrl:
    parsed = urlparse((url or "").strip())
    database = (parsed.path or "").lstrip("/")
    if parsed.scheme not in ("mysql", "mariadb") or not parsed.hostname or not database or "/" in database:
        raise ServiceError(_("Sumber harus berbentuk mysql://USER:PASS@HOST:PORT/DB."))
    try:
        port = parsed.port or 3306
    except ValueError:
        raise ServiceError(_("Port sumber tidak valid.")) from None
    return SourceUrl(
        user=unquote(parsed.username or ""),
        password=unquote(parsed.password or ""),
        host=parsed.hostname,
        port=port,
        database=unquote(database),
    )


def prefix_clean(prefix: str) -> str:
    prefix = prefix if prefix is not None else "wp_"
    if not PREFIX_RE.match(prefix):
        raise ServiceError(_("Prefix tabel hanya boleh huruf, angka dan garis bawah (contoh: wp_)."))
    return prefix


def connect(url: SourceUrl, *, database: bool = True):
    import pymysql
    import pymysql.cursors

    try:
        conn = pymysql.connect(
            host=url.host,
            port=url.port,
            user=url.user,
            password=url.password,
            database=url.database if database else None,
            charset="utf8mb4",
            cursorclass=pymysql.cursors.DictCursor,
            connect_timeout=10,
            autocommit=True,
        )
    except pymysql.MySQLError as exc:
        raise ServiceError(_("Tidak bisa terhubung ke database sumber: %(error)s") % {"error": exc}) from None
    return conn


class SourceMeter:
    """Queries sent to the source and the time spent waiting for them (the bench reports them apart from CPU)."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.queries = 0
        self.seconds = 0.0


SOURCE_METER = SourceMeter()


class Source:
    """Reads the tables of one WordPress database. Every session is READ ONLY: the import never writes there."""

    def __init__(self, url: SourceUrl, prefix: str = "wp_"):
        self.url = url
        self.prefix = prefix_clean(prefix)
        self.conn = connect(url)
        with self.conn.cursor() as cur:
            cur.execute("SET SESSION TRANSACTION READ ONLY")
            cur.execute("SET SESSION sql_mode = ''")  # zero dates come back as they are

    def close(self) -> None:
        self.conn.close()

    def t(self, name: str) -> str:
        return f"`{self.prefix}{name}`"

    def has_table(self, name: str) -> bool:
        with self.conn.cursor() as cur:
            cur.execute("SHOW TABLES LIKE %s", [f"{self.prefix}{name}"])
            return cur.fetchone() is not None

    def rows(self, sql: str, params=None) -> list[dict]:
        started = time.perf_counter()
        with self.conn.cursor() as cur:
            cur.execute(sql, params or [])
            out = list(cur.fetchall())
        SOURCE_METER.queries += 1
        SOURCE_METER.seconds += time.perf_counter() - started
        return out

    def scalar(self, sql: str, params=None):
        rows = self.rows(sql, params)
        return next(iter(rows[0].values())) if rows else None

    def batches(self, table: str, *, columns: str = "*", where: str = "1=1", key: str = "ID", size: int = 1000):
        """Rows of `table` in key order, `size` at a time (keyset pagination: resumable, bounded memory)."""
        last = None
        while True:
            cond = where if last is None else f"({where}) AND `{key}` > %s"
            params = [] if last is None else [last]
            sql = f"SELECT {columns} FROM {self.t(table)} WHERE {cond} ORDER BY `{key}` LIMIT {int(size)}"
            chunk = self.rows(sql, params)
            if not chunk:
                return
            yield chunk
            last = chunk[-1][key]


def php_unserialize(value):
    """PHP-serialised meta (`a:2:{…}`) → Python (dicts, lists for 0..n-1 keys, str); other text as it is."""
    import phpserialize

    if value is None:
        return None
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    if raw[:2] not in (b"a:", b"s:", b"i:", b"b:", b"d:", b"N;", b"O:"):
        return value if isinstance(value, str) else raw.decode("utf-8", "replace")
    try:
        data = phpserialize.loads(raw, decode_strings=True, object_hook=phpserialize.phpobject)
    except (ValueError, TypeError, EOFError):
        return value if isinstance(value, str) else raw.decode("utf-8", "replace")
    return _listify(data)


def _listify(data):
    if isinstance(data, dict):
        converted = {(k.decode() if isinstance(k, bytes) else k): _listify(v) for k, v in data.items()}
        if converted and list(converted) == list(range(len(converted))):
            return [converted[i] for i in range(len(converted))]
        return converted
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return data


def wp_datetime(value) -> datetime | None:
    """A WordPress DATETIME (stored in UTC for Sejoli's created_at, GMT columns) → aware; zero dates → None."""
    if value in (None, "") or str(value).startswith("0000-00-00"):
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def money(value) -> int:
    """float(12,2) rupiah → whole rupiah (rounded half up: 150000.50 → 150001)."""
    if value in (None, ""):
        return 0
    from decimal import ROUND_HALF_UP, Decimal

    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
