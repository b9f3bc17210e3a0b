"""The one import machinery of the directories (buyers, forwarders): an xlsx / csv file is read and every row
validated into a preview with per-row problems and duplicates (already in the database, or twice in the file),
nothing written; `import_start` hands the batch to a task that writes the rows in chunks and moves the progress
counter; the counts and problems are the result report. A directory describes its rows with an `Importer`
(`importer_register`), so the buyer and forwarder imports differ only in their columns, rules and duplicate keys.

    from .imports import Importer, importer_register, import_upload
    FORWARDERS = importer_register(Importer(target="forwarder", model=Forwarder, headers={...}, ...))
    batch = import_upload(importer=FORWARDERS, actor=admin, upload=file, mode="skip")
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.guard import has_refused_characters
from sanggar.core.registry import Registry
from sanggar.core.roles import Role

from .constants import ImportMode, ImportStatus
from .models import BuyerImport

PREVIEW_ROWS = 20
PROBLEMS_KEPT = 1000
CHUNK = 500


@dataclass(frozen=True)
class Importer:
    target: str  # BuyerImport.target: "buyer", "forwarder"
    model: type
    headers: dict[str, str]  # column header (lower case) → field
    required_columns: tuple[str, ...]  # fields the header row must name
    columns_message: str  # the error when it does not
    clean: Callable[[dict], tuple[dict, dict]]  # row → (clean values, errors per field)
    key: Callable[[dict], str]  # clean values → duplicate key
    # (keys, emails) → ({key: id}, {email: id}) of the rows already in the database that count for duplicates
    existing: Callable[[list[str], list[str]], tuple[dict, dict]]
    build: Callable[[dict, BuyerImport], object]  # clean values → a new, unsaved row
    update: Callable[[int, dict], None]  # writes clean values over an existing row ("update" mode)
    # clean values → the preview's columns {"company": title, "country": place, "products": what, "email": ...}
    preview: Callable[[dict], dict]
    title_field: str  # the row's name in the problems list
    roles: tuple[str, ...]  # who may import
    refused: str  # the message for anyone else
    action: str  # the audit action of a finished import
    after_commit: Callable[[], None] | None = None


_importers: Registry[Importer] = Registry("directory importer")


def importer_register(importer: Importer) -> Importer:
    return _importers.register(importer.target, importer)


def importer_for(target: str) -> Importer:
    importer = _importers.get(target)
    if importer is None:
        raise LookupError(f"Unknown import target {target!r}.")
    return importer


def _require(actor, importer: Importer):
    if actor is None or not actor.is_authenticated or not set(actor.role_set) & set(importer.roles):
        raise NotAllowed(str(importer.refused))


def rows_from_file(name: str, content: bytes, importer: Importer):
    """Yields (row number, {field: value}) from a csv or xlsx file; raises ServiceError on an unreadable file."""
    extension = PurePath(name).suffix.lower()
    if extension == ".csv":
        text = None
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            raise ServiceError(_("Berkas CSV tidak bisa dibaca (gunakan UTF-8)."))
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        rows = iter(csv.reader(io.StringIO(text), delimiter=delimiter))
    elif extension == ".xlsx":
        if not content.startswith(b"PK"):
            raise ServiceError(_("Berkas bukan XLSX yang valid."))
        from openpyxl import load_workbook  # a heavy module, loaded only for an import

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
        except Exception:
            raise ServiceError(_("Berkas XLSX rusak atau tidak bisa dibaca.")) from None
        rows = (["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True))
    else:
        raise ServiceError(_("Unggah berkas .xlsx atau .csv."))
    try:
        header = next(rows)
    except StopIteration:
        raise ServiceError(_("Berkas kosong.")) from None
    columns = [importer.headers.get(str(h or "").strip().lower()) for h in header]
    if any(field not in columns for field in importer.required_columns):
        raise ServiceError(str(importer.columns_message))
    for number, row in enumerate(rows, start=2):
        if not any(str(v or "").strip() for v in row):
            continue
        yield number, {field: row[i] for i, field in enumerate(columns) if field and i < len(row)}


def validate_rows(name: str, content: bytes, importer: Importer):
    """Per-row results: (row number, raw, clean, errors, duplicate-of id or None, state), state one of valid,
    invalid, duplicate (in the database), dup_file (earlier in the same file)."""
    max_rows = settings.DIRECTORY_IMPORT_MAX_ROWS
    parsed = []
    for number, data in rows_from_file(name, content, importer):
        if len(parsed) >= max_rows:
            raise ServiceError(_("Paling banyak %(n)s baris per impor.") % {"n": max_rows})
        clean, errors = importer.clean(data)
        parsed.append((number, data, clean, errors))
    keys = {importer.key(c) for _n, _d, c, e in parsed if not e}
    emails = {c["email"] for _n, _d, c, e in parsed if not e and c.get("email")}
    existing_keys, existing_emails = importer.existing(list(keys), list(emails))
    seen_keys: set[str] = set()
    seen_emails: set[str] = set()
    results = []
    for number, data, clean, errors in parsed:
        if errors:
            results.append((number, data, clean, errors, None, "invalid"))
            continue
        key = importer.key(clean)
        email = clean.get("email") or ""
        if key in seen_keys or (email and email in seen_emails):
            results.append(
                (number, data, clean, {"_": [_("Ganda dengan baris lain di berkas ini.")]}, None, "dup_file")
            )
            continue
        seen_keys.add(key)
        if email:
            seen_emails.add(email)
        match = existing_keys.get(key) or (existing_emails.get(email) if email else None)
        results.append((number, data, clean, {}, match, "duplicate" if match else "valid"))
    return results


def shown(value) -> str:
    """A cell as the preview and report keep it: text without NUL (PostgreSQL refuses it in JSON), 100 characters."""
    return str(value or "").replace("\x00", "")[:100]


def _messages(errors: dict) -> list[str]:
    return [str(m).replace("\x00", "") for ms in errors.values() for m in ms]


def import_upload(*, importer: Importer, actor, upload, mode: str = ImportMode.SKIP) -> BuyerImport:
    """Reads and validates a file into a preview (nothing is written to the directory yet)."""
    _require(actor, importer)
    if mode not in ImportMode.values:
        raise ServiceError(_("Pilih cara menangani data ganda."))
    name = str(getattr(upload, "name", "") or "")
    if has_refused_characters(name) or PurePath(name).suffix.lower() not in (".csv", ".xlsx"):
        raise ServiceError(_("Unggah berkas .xlsx atau .csv."), errors={"file": [_("Jenis berkas tidak didukung.")]})
    if not upload.size:
        raise ServiceError(_("Berkas kosong."), errors={"file": [_("Berkas kosong.")]})
    if upload.size > settings.DIRECTORY_IMPORT_MAX_BYTES:
        message = _("Ukuran berkas maksimal %(mb)s MB.") % {"mb": settings.DIRECTORY_IMPORT_MAX_BYTES // (1024 * 1024)}
        raise ServiceError(message, errors={"file": [message]})
    content = upload.read()
    results = validate_rows(name, content, importer)
    problems, preview = [], []
    counts = {"valid": 0, "invalid": 0, "duplicate": 0}
    for number, data, clean, errors, _match, state in results:
        counts["invalid" if state == "invalid" else "duplicate" if state in ("duplicate", "dup_file") else "valid"] += 1
        if state != "valid" and len(problems) < PROBLEMS_KEPT:
            problems.append(
                {
                    "row": number,
                    "kind": state,
                    "company": shown(data.get(importer.title_field)),
                    "messages": _messages(errors) or [_("Sudah ada di database.")],
                }
            )
        if len(preview) < PREVIEW_ROWS:
            columns = importer.preview(clean)
            preview.append(
                {
                    "row": number,
                    "state": state,
                    **{k: shown(columns.get(k)) for k in ("company", "country", "products", "email")},
                    "messages": _messages(errors),
                }
            )
    with transaction.atomic():
        batch = BuyerImport(
            uploaded_by=actor,
            target=importer.target,
            original_name=PurePath(name).name[:255],
            mode=mode,
            total_rows=len(results),
            valid_rows=counts["valid"],
            invalid_rows=counts["invalid"],
            duplicate_rows=counts["duplicate"],
            problems=problems,
            preview=preview,
        )
        batch.file.save(f"impor-{importer.target}{PurePath(name).suffix.lower()}", ContentFile(content), save=False)
        batch.save()
    return batch


def _locked_batch(*, importer: Importer, actor, batch_id: int) -> BuyerImport:
    batch = BuyerImport.objects.select_for_update().filter(pk=batch_id, target=importer.target).first()
    if batch is None or (batch.uploaded_by_id != actor.pk and not actor.has_role(Role.ADMIN)):
        raise NotAllowed(_("Impor tidak ditemukan."))
    return batch


def import_start(*, importer: Importer, actor, batch_id: int) -> BuyerImport:
    """Commits a previewed import: a task writes the rows and moves the progress counter."""
    _require(actor, importer)
    with transaction.atomic():
        batch = _locked_batch(importer=importer, actor=actor, batch_id=batch_id)
        if batch.status != ImportStatus.PREVIEW:
            raise ServiceError(_("Impor ini sudah dijalankan."), code="started")
        batch.status = ImportStatus.RUNNING
        batch.save(update_fields=["status", "updated_at"])
        from .tasks import buyer_import_task  # tasks import the services that import this module

        transaction.on_commit(lambda: buyer_import_task.delay(batch.pk))
    return batch


def import_cancel(*, importer: Importer, actor, batch_id: int) -> BuyerImport:
    _require(actor, importer)
    with transaction.atomic():
        batch = _locked_batch(importer=importer, actor=actor, batch_id=batch_id)
        if batch.status != ImportStatus.PREVIEW:
            raise ServiceError(_("Impor ini sudah dijalankan."))
        batch.status = ImportStatus.CANCELLED
        batch.save(update_fields=["status", "updated_at"])
    return batch


def import_run(*, batch_id: int) -> BuyerImport:
    """Writes a running import of any target (safe to run twice: a finished batch is left alone). Rows are validated
    again against the database as it is now; the counts and problems become the result report."""
    batch = BuyerImport.objects.select_related("uploaded_by").get(pk=batch_id)
    if batch.status != ImportStatus.RUNNING:
        return batch
    importer = importer_for(batch.target)
    try:
        with batch.file.open("rb") as handle:
            content = handle.read()
        results = validate_rows(batch.original_name, content, importer)
    except ServiceError as exc:
        BuyerImport.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED, error=exc.message[:500], finished_at=timezone.now()
        )
        batch.refresh_from_db()
        return batch
    created = updated = processed = 0
    skipped = sum(1 for r in results if r[5] == "dup_file")  # duplicates inside the file
    todo = [r for r in results if r[5] in ("valid", "duplicate")]
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start : start + CHUNK]
        with transaction.atomic():
            new_rows = []
            for _number, _data, clean, _errors, match, state in chunk:
                if state == "valid":
                    new_rows.append(importer.build(clean, batch))
                elif batch.mode == ImportMode.UPDATE and match:
                    importer.update(match, clean)
                    updated += 1
                else:
                    skipped += 1
            importer.model.objects.bulk_create(new_rows, batch_size=CHUNK)
            created += len(new_rows)
            processed += len(chunk)
            BuyerImport.objects.filter(pk=batch.pk).update(
                processed_rows=processed, created_count=created, updated_count=updated, skipped_count=skipped
            )
    with transaction.atomic():
        BuyerImport.objects.filter(pk=batch.pk).update(
            status=ImportStatus.DONE,
            finished_at=timezone.now(),
            processed_rows=processed,
            created_count=created,
            updated_count=updated,
            skipped_count=skipped,
        )
        batch.refresh_from_db()
        activity_record(
            action=importer.action,
            actor=batch.uploaded_by,
            target=batch,
            target_label=batch.original_name,
            data={"created": created, "updated": updated, "skipped": skipped, "invalid": batch.invalid_rows},
        )
        if importer.after_commit is not None:
            transaction.on_commit(importer.after_commit)
    return batch
