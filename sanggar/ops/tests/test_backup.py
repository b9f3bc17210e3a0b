"""Backups and restore: a seeded platform is backed up, restored into an EMPTY database and an empty file store, and
every order, ledger entry and file is found again (by id, by content), on the engine the tests run on."""

from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from sanggar.finance.models import LedgerEntry
from sanggar.ops import backup
from sanggar.orders.models import Order


@pytest.fixture
def places(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    return tmp_path


def _restore_target(tmp_path: Path):
    """An empty database of the same engine as the tests': its URL, a reader and a clean-up."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def rows(sql):
            import sqlite3

            conn = sqlite3.connect(path)
            try:
                return conn.execute(sql).fetchall()
            finally:
                conn.close()

        return f"sqlite:///{path}", rows, lambda: None
    db = connection.settings_dict
    name = f"{db['NAME']}_restore"[:63]
    admin = {"dbname": "postgres", "host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"]}
    if db.get("PASSWORD"):
        admin["password"] = db["PASSWORD"]
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"

    def rows(sql):
        with psycopg.connect(url) as conn:
            return conn.execute(sql).fetchall()

    def drop():
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, rows, drop


@pytest.mark.django_db(transaction=True)
def test_backup_of_a_seeded_platform_restores_every_order_ledger_entry_and_file(places, settings):
    call_command("seed_demo")
    default_storage.save("private/documents/kontrak-mitra.pdf", ContentFile(b"%PDF-1.4 kontrak mitra"))
    default_storage.save("avatars/siti.png", ContentFile(b"\x89PNG foto siti"))
    orders = sorted(Order.objects.values_list("id", "invoice_number", "total", "status"))
    entries = sorted(LedgerEntry.objects.values_list("id", "amount"))
    files = {name: default_storage.open(name).read() for name in backup.storage_files()}
    assert orders and entries and len(files) >= 2

    made = backup.backup_create(keep=3)
    assert (made.path / "manifest.json").is_file() and made.files == len(files)

    url, rows, drop = _restore_target(places)
    settings.MEDIA_ROOT = places / "media-restored"  # an empty file store
    try:
        result = backup.backup_restore(source="latest", database_url=url)
        assert result.ok, result.mismatches
        assert sorted(rows("SELECT id, invoice_number, total, status FROM orders_order")) == [tuple(o) for o in orders]
        assert sorted(rows("SELECT id, amount FROM finance_ledgerentry")) == [tuple(e) for e in entries]
        for name, content in files.items():
            assert (places / "media-restored" / name).read_bytes() == content
        # A second restore into the now filled database is refused, never merged.
        with pytest.raises(backup.BackupError, match="tidak kosong"):
            backup.backup_restore(source=made.path, database_url=url)
    finally:
        drop()


@pytest.mark.django_db
def test_verification_notices_a_missing_or_changed_file_and_a_missing_row(places):
    import json

    default_storage.save("private/tickets/bukti.txt", ContentFile(b"bukti"))
    default_storage.save("avatars/a.png", ContentFile(b"foto"))
    made = backup.backup_create()
    manifest = json.loads((made.path / "manifest.json").read_text())
    db = dict(connection.settings_dict)
    default_storage.delete("private/tickets/bukti.txt")
    default_storage.delete("avatars/a.png")
    default_storage.save("avatars/a.png", ContentFile(b"foto lain"))
    manifest["tables"]["orders_order"] += 1
    if connection.vendor == "sqlite":
        manifest["tables"] = {"orders_order": manifest["tables"]["orders_order"]}  # in-memory: nothing to reopen
        db = {"ENGINE": "sqlite3", "NAME": str(made.path / "db.sqlite3")}
    mismatches = backup.backup_verify(manifest=manifest, db=db, storage=default_storage)
    assert any("bukti.txt tidak ada" in line for line in mismatches)
    assert any("a.png berbeda" in line for line in mismatches)
    assert any(line.startswith("tabel orders_order") for line in mismatches)
    with pytest.raises(backup.BackupError, match="bukan folder cadangan"):
        backup.backup_restore(source=places / "tidak-ada")


@pytest.mark.django_db
def test_backups_are_timestamped_and_only_the_newest_are_kept(places):
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 1, 1, tzinfo=UTC)
    for day in range(4):
        backup.backup_create(keep=2, now=start + timedelta(days=day))
    kept = [path.name for path in backup.backups_list()]
    assert kept == ["sanggar-20260103T000000000000Z", "sanggar-20260104T000000000000Z"]
    # An interrupted backup never looks complete: only folders with a manifest count.
    (places / "backups" / ".partial-sanggar-x").mkdir()
    assert len(backup.backups_list()) == 2
    assert backup.resolve_source("latest").name.endswith("20260104T000000000000Z")


def test_backup_and_restore_commands(places, monkeypatch):
    seen = {}
    monkeypatch.setattr(
        "sanggar.ops.management.commands.backup.backup_create",
        lambda **kw: seen.setdefault("backup", kw) and None or backup.BackupResult(Path("x"), 1, 2, 3),
    )
    call_command("backup", keep=5)
    assert seen["backup"]["keep"] == 5
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Belum ada cadangan"):
        call_command("restore")
