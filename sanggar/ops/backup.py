"""Backups and restore (`make backup`, `make restore`; `manage.py backup` / `manage.py restore`).

A backup is one folder `BACKUP_DIR/sanggar-<UTC timestamp>/` holding:

- `db.dump` (PostgreSQL: `pg_dump --format=custom`) or `db.sqlite3` (SQLite: the online backup API);
- `media.tar.gz`: every uploaded file of the configured storage (local disk or S3-compatible bucket);
- `manifest.json`: when, which engine, the row count of every table and the name, size and SHA-256 of every file,
  so a restore proves it brought everything back.

The folder is written under a temporary name and renamed when complete: a crash never leaves a half backup that
looks whole. After each backup only the newest BACKUP_KEEP are kept.

A restore loads a backup into an EMPTY database (the one of DATABASE_URL, or `--database-url`), puts the files back
into the storage, and compares every table's row count and every file with the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

PREFIX = "sanggar-"
PARTIAL = ".partial-"


class BackupError(Exception):
    pass


# --- what is in the platform ---------------------------------------------------------------------------------------


def table_names() -> list[str]:
    names = {model._meta.db_table for model in apps.get_models(include_auto_created=True) if model._meta.managed}
    return sorted(names)


def storage_files(storage=None) -> list[str]:
    """Every file name in the storage (recursive)."""
    storage = storage or default_storage
    found: list[str] = []

    def walk(prefix: str) -> None:
        try:
            dirs, files = storage.listdir(prefix)
        except FileNotFoundError:
            return
        for name in files:
            found.append(f"{prefix}{name}")
        for sub in dirs:
            walk(f"{prefix}{sub}/")

    walk("")
    return sorted(found)


# --- PostgreSQL / SQLite helpers -------------------------------------------------------------------------------------


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def parse_database_url(url: str) -> dict:
    import dj_database_url

    return dj_database_url.parse(url)


def _run(cmd: list[str], env: dict) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed tools
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} gagal: {result.stderr.strip()[:2000]}")


def _count_rows(db: dict, tables: list[str]) -> dict[str, int]:
    """Row counts per table in the database `db` (a Django DATABASES entry), read with a connection of its own."""
    counts: dict[str, int] = {}
    if db["ENGINE"].endswith("sqlite3"):
        conn = sqlite3.connect(db["NAME"])
        try:
            existing = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            for table in tables:
                counts[table] = (
                    conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608 - a name from the catalog
                    if table in existing
                    else -1
                )
        finally:
            conn.close()
        return counts
    import psycopg

    conn = psycopg.connect(**_pg_kwargs(db))
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            existing = {row[0] for row in cursor.fetchall()}
            for table in tables:
                if table in existing:
                    cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - a name from the catalog
                    counts[table] = cursor.fetchone()[0]
                else:
                    counts[table] = -1
    finally:
        conn.close()
    return counts


def _pg_kwargs(db: dict) -> dict:
    kwargs = {"dbname": db["NAME"], "connect_timeout": 10}
    for key, name in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if db.get(key):
            kwargs[name] = db[key]
    return kwargs


def _pg_is_empty(db: dict) -> bool:
    import psycopg

    with psycopg.connect(**_pg_kwargs(db)) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0] == 0


# --- backup -----------------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int
    removed: list[Path] = field(default_factory=list)


def backup_create(
    *, target_dir: Path | None = None, keep: int | None = None, now: datetime | None = None
) -> BackupResult:
    root = Path(target_dir or settings.BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    final = root / f"{PREFIX}{stamp}"
    work = root / f"{PARTIAL}{PREFIX}{stamp}"
    if final.exists():
        raise BackupError(f"Cadangan {final} sudah ada.")
    work.mkdir()
    try:
        db = connection.settings_dict
        engine = "postgresql" if connection.vendor == "postgresql" else connection.vendor
        if connection.vendor == "postgresql":
            args, env = _pg_args(db)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(work / "db.dump"),
                    *args,
                    db["NAME"],
                ],
                env,
            )
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(work / "db.sqlite3")
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            raise BackupError(f"Database {connection.vendor} tidak didukung.")

        tables = table_names()
        if connection.vendor == "sqlite":
            counts = _count_rows({"ENGINE": "sqlite3", "NAME": str(work / "db.sqlite3")}, tables)
        else:
            counts = _count_rows(db, tables)

        files = []
        with tarfile.open(work / "media.tar.gz", "w:gz") as archive:
            for name in storage_files():
                with default_storage.open(name, "rb") as handle:
                    data = handle.read()
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mtime = int((now or datetime.now(UTC)).timestamp())
                archive.addfile(info, io.BytesIO(data))
                files.append({"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})

        manifest = {
            "format": 1,
            "created_at": (now or datetime.now(UTC)).isoformat(),
            "engine": engine,
            "tables": counts,
            "files": files,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    removed = backup_prune(root=root, keep=settings.BACKUP_KEEP if keep is None else keep)
    return BackupResult(final, len(counts), sum(v for v in counts.values() if v > 0), len(files), removed)


def backups_list(root: Path | None = None) -> list[Path]:
    root = Path(root or settings.BACKUP_DIR)
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.iterdir() if p.is_dir() and p.name.startswith(PREFIX) and (p / "manifest.json").exists()
    )


def backup_prune(*, root: Path, keep: int) -> list[Path]:
    """Keeps the newest `keep` complete backups (at least one); removes older ones and abandoned partial folders."""
    keep = max(1, keep)
    complete = backups_list(root)
    removed = complete[:-keep] if len(complete) > keep else []
    for path in removed:
        shutil.rmtree(path)
    for path in Path(root).iterdir():
        if path.is_dir() and path.name.startswith(PARTIAL):
            age = datetime.now(UTC).timestamp() - path.stat().st_mtime
            if age > 24 * 3600:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


# --- restore ----------------------------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    source: Path
    tables: int
    rows: int
    files: int
    mismatches: list[str]

    @property
    def ok(self) -> bool:
        return not self.mismatches


def resolve_source(source: str | Path | None, root: Path | None = None) -> Path:
    if source in (None, "", "latest"):
        found = backups_list(root)
        if not found:
            raise BackupError("Belum ada cadangan.")
        return found[-1]
    path = Path(source)
    if not (path / "manifest.json").is_file():
        raise BackupError(f"{path} bukan folder cadangan (manifest.json tidak ada).")
    return path


def backup_restore(
    *, source: str | Path | None = None, database_url: str | None = None, force: bool = False, storage=None
) -> RestoreResult:
    """Restores a backup into an empty database and the storage, then checks both against the manifest."""
    path = resolve_source(source)
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    db = parse_database_url(database_url) if database_url else dict(connection.settings_dict)
    storage = storage or default_storage
    is_sqlite = db["ENGINE"].endswith("sqlite3")
    if manifest["engine"] == "postgresql" and not is_sqlite:
        if not _pg_is_empty(db) and not force:
            raise BackupError("Database tujuan tidak kosong; pulihkan ke database kosong (atau pakai --force).")
        args, env = _pg_args(db)
        extra = ["--clean", "--if-exists"] if force else []
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                *extra,
                *args,
                "--dbname",
                db["NAME"],
                str(path / "db.dump"),
            ],
            env,
        )
    elif manifest["engine"] == "sqlite" and is_sqlite:
        target = Path(db["NAME"])
        if target.exists() and target.stat().st_size > 0 and not force:
            raise BackupError("Database tujuan tidak kosong; pulihkan ke database kosong (atau pakai --force).")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path / "db.sqlite3", target)
    else:
        raise BackupError(f"Cadangan {manifest['engine']} tidak bisa dipulihkan ke database {db['ENGINE']}.")

    with tarfile.open(path / "media.tar.gz", "r:gz") as archive:
        for member in archive.getmembers():
            if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
                continue
            data = archive.extractfile(member).read()
            if storage.exists(member.name):
                if not force:
                    continue
                storage.delete(member.name)
            saved = storage.save(member.name, ContentFile(data))
            if saved != member.name:
                raise BackupError(f"Berkas {member.name} tersimpan sebagai {saved}.")

    mismatches = backup_verify(manifest=manifest, db=db, storage=storage)
    rows = sum(v for v in manifest["tables"].values() if v > 0)
    return RestoreResult(path, len(manifest["tables"]), rows, len(manifest["files"]), mismatches)


def backup_verify(*, manifest: dict, db: dict, storage) -> list[str]:
    """What differs between a backup's manifest and a database plus a storage: every table's row count, every
    file's presence and content. Empty: everything is there."""
    mismatches: list[str] = []
    counts = _count_rows(db, list(manifest["tables"]))
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            mismatches.append(f"tabel {table}: {counts.get(table)} baris, cadangan {expected}")
    for item in manifest["files"]:
        if not storage.exists(item["name"]):
            mismatches.append(f"berkas {item['name']} tidak ada")
            continue
        with storage.open(item["name"], "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        if digest != item["sha256"]:
            mismatches.append(f"berkas {item['name']} berbeda")
    return mismatches
