"""Business writes of documents: categories, documents (upload, edit, switch on/off, remove), views, download links
and downloads (each logged), the admin's verification of a log row."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.access.constants import ResourceKind
from sanggar.access.services import resource_ensure
from sanggar.audit.services import activity_record
from sanggar.core import request_context
from sanggar.core.exceptions import NotAllowed, NotFound, RateLimited, ServiceError
from sanggar.core.formatting import tanggal_jam
from sanggar.core.ratelimit import window_take

from .constants import (
    ACTION_CATEGORY_SAVED,
    ACTION_CREATED,
    ACTION_DELETED,
    ACTION_DOWNLOAD_SUSPICIOUS,
    ACTION_DOWNLOAD_VERIFIED,
    ACTION_UPDATED,
    CATEGORY_MAX,
    DESCRIPTION_MAX,
    NOTES_MAX,
    TITLE_MAX,
    DownloadStatus,
)
from .models import Document, DocumentCategory, DocumentView, DownloadLog
from .policy import document_decision, membership_level_of
from .stamping import stamp_pdf
from .tasks import document_announce_schedule, suspicious_notify_schedule
from .uploads import stored_name, validate_document_file

LINK_SALT = "sanggar.documents.download"


def _clean(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        raise ServiceError(
            _("%(label)s berisi karakter yang tidak diizinkan.") % {"label": label},
            errors={field: [_("Karakter tidak valid.")]},
        )
    if required and not text:
        raise ServiceError(_("%(label)s wajib diisi.") % {"label": label}, errors={field: [_("Wajib diisi.")]})
    if len(text) > max_length:
        message = _("Paling banyak %(max)s karakter.") % {"max": max_length}
        raise ServiceError(message, errors={field: [message]})
    return text


# ---------------------------------------------------------------------------------------------------------------
# Categories


@transaction.atomic
def category_save(
    *, actor, name: str, sort_order: int = 0, category: DocumentCategory | None = None
) -> DocumentCategory:
    name = _clean(name, field="name", label=_("Nama kategori"), max_length=CATEGORY_MAX)
    clash = DocumentCategory.objects.filter(name__iexact=name)
    if category is not None:
        clash = clash.exclude(pk=category.pk)
    if clash.exists():
        message = _("Kategori dengan nama ini sudah ada.")
        raise ServiceError(message, errors={"name": [message]})
    category = category or DocumentCategory()
    category.name = name
    category.sort_order = max(0, min(int(sort_order or 0), 10_000))
    category.save()
    activity_record(action=ACTION_CATEGORY_SAVED, actor=actor, target=category, data={"name": name})
    return category


# ---------------------------------------------------------------------------------------------------------------
# Documents


def _min_rank(value) -> int:
    try:
        rank = int(value)
    except (TypeError, ValueError):
        rank = -1
    if rank < 0 or rank > 1000:
        message = _("Pilih level akses yang tersedia.")
        raise ServiceError(message, errors={"min_rank": [message]})
    return rank


def _sync_resource(document: Document) -> None:
    resource = resource_ensure(kind=ResourceKind.DOCUMENT, key=f"dokumen-{document.pk}", title=document.title)
    active = document.is_active and document.deleted_at is None
    if resource.is_active != active:
        resource.is_active = active
        resource.save(update_fields=["is_active"])
    if document.resource_id != resource.pk:
        document.resource = resource
        document.save(update_fields=["resource"])


@transaction.atomic
def document_create(
    *, actor, title: str, description: str = "", category: DocumentCategory, min_rank: int, file, is_active: bool = True
) -> Document:
    """An admin uploads a document. Members of the levels that open it are told (in the background) when it is
    active."""
    title = _clean(title, field="title", label=_("Judul"), max_length=TITLE_MAX)
    description = _clean(
        description, field="description", label=_("Deskripsi"), max_length=DESCRIPTION_MAX, required=False
    )
    if category is None:
        raise ServiceError(_("Pilih kategori."), errors={"category": [_("Wajib diisi.")]})
    rank = _min_rank(min_rank)
    if file is None:
        raise ServiceError(_("Pilih berkas yang diunggah."), errors={"file": [_("Wajib diisi.")]})
    extension = validate_document_file(file)
    document = Document(
        title=title,
        description=description,
        category=category,
        min_rank=rank,
        is_active=bool(is_active),
        uploader=actor,
        extension=extension,
        size=int(file.size),
        original_name=str(file.name)[:255],
    )
    document.file.save(stored_name(extension), file, save=False)
    document.save()
    _sync_resource(document)
    activity_record(
        action=ACTION_CREATED, actor=actor, target=document, data={"title": title, "level": rank, "file": extension}
    )
    if document.is_active:
        _announce(document)
    return document


def _announce(document: Document) -> None:
    transaction.on_commit(lambda: document_announce_schedule(document_id=document.pk))


@transaction.atomic
def document_update(
    *, document: Document, actor, title: str, description: str, category: DocumentCategory, min_rank: int,
    is_active: bool, file=None,
) -> Document:  # fmt: skip
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.deleted_at is not None:
        raise NotFound(_("Dokumen ini sudah dihapus."))
    was_active = locked.is_active
    locked.title = _clean(title, field="title", label=_("Judul"), max_length=TITLE_MAX)
    locked.description = _clean(
        description, field="description", label=_("Deskripsi"), max_length=DESCRIPTION_MAX, required=False
    )
    if category is None:
        raise ServiceError(_("Pilih kategori."), errors={"category": [_("Wajib diisi.")]})
    locked.category = category
    locked.min_rank = _min_rank(min_rank)
    locked.is_active = bool(is_active)
    if file is not None:
        extension = validate_document_file(file)
        old = locked.file.name
        locked.file.save(stored_name(extension), file, save=False)
        locked.extension = extension
        locked.size = int(file.size)
        locked.original_name = str(file.name)[:255]
        if old:
            transaction.on_commit(lambda: locked.file.storage.delete(old))
    locked.save()
    _sync_resource(locked)
    activity_record(
        action=ACTION_UPDATED,
        actor=actor,
        target=locked,
        data={
            "title": locked.title,
            "level": locked.min_rank,
            "active": locked.is_active,
            "new_file": file is not None,
        },
    )
    if locked.is_active and not was_active and not locked.download_logs.exists():
        _announce(locked)
    return locked


@transaction.atomic
def document_set_active(*, document: Document, actor, active: bool) -> Document:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.deleted_at is not None:
        raise NotFound(_("Dokumen ini sudah dihapus."))
    locked.is_active = bool(active)
    locked.save(update_fields=["is_active", "updated_at"])
    _sync_resource(locked)
    activity_record(action=ACTION_UPDATED, actor=actor, target=locked, data={"active": locked.is_active})
    return locked


@transaction.atomic
def document_delete(*, document: Document, actor) -> Document:
    """Removes a document from every list; its download log stays (the file is deleted from storage)."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.deleted_at is not None:
        return locked
    locked.deleted_at = timezone.now()
    locked.is_active = False
    name = locked.file.name
    locked.save(update_fields=["deleted_at", "is_active", "updated_at"])
    _sync_resource(locked)
    activity_record(action=ACTION_DELETED, actor=actor, target=locked, data={"title": locked.title})
    if name:
        storage = locked.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    return locked


def document_view_record(*, user, document: Document) -> None:
    """A member opened the document's page: one more view, and a row in their access history."""
    if not user.is_authenticated:
        return
    DocumentView.objects.create(user=user, document=document)
    Document.objects.filter(pk=document.pk).update(views=F("views") + 1)


# ---------------------------------------------------------------------------------------------------------------
# Downloads: a link is issued (pending log row with a single-use key), then opened (the policy again, the file
# stamped when it is a PDF, the row marked success). Every refusal is logged as failed.


def _request_info(ip, user_agent):
    info = request_context.current()
    return (ip if ip is not None else info.ip), str(user_agent if user_agent is not None else info.user_agent)[:300]


def _fail_log(*, user, document: Document, reason: str, ip, device) -> DownloadLog:
    return DownloadLog.objects.create(
        user=user,
        document=document,
        document_title=document.title[:TITLE_MAX],
        membership_level=membership_level_of(user=user)[:200],
        status=DownloadStatus.FAILED,
        reason=reason[:300],
        ip=ip,
        device=device,
        completed_at=timezone.now(),
    )


def _rate_check(*, user, ip) -> None:
    waits = [window_take(f"user:{user.pk}", setting="DOCUMENT_LINK_RATE_LIMIT")]
    if ip:
        waits.append(window_take(f"ip:{ip}", setting="DOCUMENT_LINK_IP_RATE_LIMIT"))
    wait = max(waits)
    if wait:
        raise RateLimited(
            _("Terlalu banyak unduhan dalam waktu singkat. Coba lagi dalam %(minutes)s menit.")
            % {"minutes": max(1, (wait + 59) // 60)},
            retry_after=wait,
        )


@dataclass(frozen=True)
class DownloadLink:
    path: str  # /dokumen/unduh/<token>
    expires_in: int  # seconds


def download_link_issue(
    *, user, document: Document, ip: str | None = None, user_agent: str | None = None
) -> DownloadLink:
    """A signed, single-use path to download `document`, bound to `user` and valid for
    settings.PRIVATE_LINK_TTL_SECONDS. Denied access raises NotAllowed with the policy's message (and is logged as
    a failed attempt); too many links per user or address raise RateLimited."""
    ip, device = _request_info(ip, user_agent)
    if not user.is_authenticated:
        raise NotAllowed(_("Masuk terlebih dahulu untuk mengunduh dokumen."), code="login_required")
    if document.deleted_at is not None:
        raise NotFound(_("Dokumen ini sudah tidak tersedia."))
    decision = document_decision(user=user, document=document)
    if not decision.allowed:
        _fail_log(user=user, document=document, reason=decision.message, ip=ip, device=device)
        raise NotAllowed(decision.message, code=decision.reason)
    _rate_check(user=user, ip=ip)
    nonce = secrets.token_urlsafe(18)
    DownloadLog.objects.create(
        user=user,
        document=document,
        document_title=document.title[:TITLE_MAX],
        membership_level=membership_level_of(user=user)[:200],
        status=DownloadStatus.PENDING,
        nonce=nonce,
        ip=ip,
        device=device,
    )
    token = signing.dumps({"u": user.pk, "d": document.pk, "n": nonce}, salt=LINK_SALT)
    return DownloadLink(path=reverse("documents:serve", args=[token]), expires_in=settings.PRIVATE_LINK_TTL_SECONDS)


@dataclass(frozen=True)
class DocumentFile:
    document: Document
    content: object  # bytes (a stamped PDF) or an open binary file
    filename: str
    content_type: str


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip",
}


def _filename(document: Document) -> str:
    safe = "".join(ch if ch.isalnum() or ch in " -_." else "_" for ch in document.title).strip() or "dokumen"
    return f"{safe[:120]}.{document.extension}"


def stamp_text(*, user, when: datetime) -> str:
    name = user.full_name or user.email
    return _("Diunduh oleh %(name)s (%(email)s) pada %(date)s WIB — untuk penggunaan pribadi, jangan disebarkan.") % {
        "name": name,
        "email": user.email,
        "date": tanggal_jam(when),
    }


def download_open(*, user, token: str, ip: str | None = None, user_agent: str | None = None) -> DocumentFile:
    """Opens a link issued by `download_link_issue`: checks its signature, age, user and single use, the policy
    again (access may have ended since), and the file; stamps a PDF with the member's name, email and date; marks
    the log row success. A refusal marks it failed (NotAllowed / NotFound)."""
    ip, device = _request_info(ip, user_agent)
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=settings.PRIVATE_LINK_TTL_SECONDS)
    except signing.SignatureExpired:
        payload = signing.loads(token, salt=LINK_SALT)  # genuine but old: mark its row failed
        _pending_fail(payload, user=user, reason=_("Link kedaluwarsa."))
        raise NotAllowed(
            _("Link unduhan sudah kedaluwarsa. Buka lagi dari halaman Dokumen."), code="link_expired"
        ) from None
    except signing.BadSignature:
        raise NotAllowed(_("Link unduhan tidak valid."), code="link_invalid") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("n"), str):
        raise NotAllowed(_("Link unduhan tidak valid."), code="link_invalid")
    if not user.is_authenticated or payload.get("u") != user.pk:
        raise NotAllowed(_("Link unduhan ini dibuat untuk akun lain."), code="link_other_user")
    with transaction.atomic():
        # A refusal is recorded and committed first, then raised (raising inside would roll the record back).
        refusal, opened = _open_locked(user=user, nonce=payload["n"], ip=ip, device=device)
    if refusal is not None:
        raise refusal
    return opened


def _open_locked(*, user, nonce: str, ip, device) -> tuple[ServiceError | None, DocumentFile | None]:
    log = (
        DownloadLog.objects.select_for_update(of=("self",))
        .select_related("document", "document__resource")
        .filter(nonce=nonce, user=user)
        .first()
    )
    if log is None:
        return NotAllowed(_("Link unduhan tidak valid."), code="link_invalid"), None
    if log.status != DownloadStatus.PENDING:
        _fail_log(user=user, document=log.document, reason=_("Link dipakai ulang."), ip=ip, device=device)
        message = _("Link unduhan ini sudah dipakai. Buka lagi dari halaman Dokumen untuk mengunduh ulang.")
        return NotAllowed(message, code="link_used"), None
    document = log.document
    decision = document_decision(user=user, document=document)
    if not decision.allowed:
        _mark(log, DownloadStatus.FAILED, decision.message)
        return NotAllowed(decision.message, code=decision.reason), None
    field_file = document.file
    if not field_file or not field_file.storage.exists(field_file.name):
        _mark(log, DownloadStatus.FAILED, _("Berkas tidak ditemukan."))
        return NotFound(_("Berkas ini sudah tidak tersedia.")), None
    now = timezone.now()
    if document.extension == "pdf":
        try:
            with field_file.open("rb") as source:
                content = stamp_pdf(source, stamp_text(user=user, when=now))
        except Exception:  # a PDF that passed the upload check but cannot be stamped now
            _mark(log, DownloadStatus.FAILED, _("PDF tidak bisa diberi tanda pengunduh."))
            return ServiceError(_("Berkas ini tidak bisa disiapkan. Hubungi admin."), code="stamp_failed"), None
    else:
        content = field_file.open("rb")
    first = not DownloadLog.objects.filter(user=user, document=document, status=DownloadStatus.SUCCESS).exists()
    log.ip = ip or log.ip
    log.device = device or log.device
    _mark(log, DownloadStatus.SUCCESS, "")
    Document.objects.filter(pk=document.pk).update(
        download_total=F("download_total") + 1, downloads=F("downloads") + (1 if first else 0)
    )
    _suspicion_check(user=user, log=log, now=now)
    return None, DocumentFile(
        document=document, content=content, filename=_filename(document), content_type=CONTENT_TYPES[document.extension]
    )


def _mark(log: DownloadLog, status: str, reason: str) -> None:
    log.status = status
    log.reason = str(reason)[:300]
    log.completed_at = timezone.now()
    log.save(update_fields=["status", "reason", "completed_at", "ip", "device"])


def _pending_fail(payload, *, user, reason: str) -> None:
    if isinstance(payload, dict) and isinstance(payload.get("n"), str) and user.is_authenticated:
        DownloadLog.objects.filter(nonce=payload["n"], user=user, status=DownloadStatus.PENDING).update(
            status=DownloadStatus.FAILED, reason=str(reason)[:300], completed_at=timezone.now()
        )


def _suspicion_check(*, user, log: DownloadLog, now: datetime) -> None:
    """More than DOCUMENT_SUSPICIOUS_DOWNLOADS successful downloads within DOCUMENT_SUSPICIOUS_MINUTES: the rows of
    that burst are flagged, and the first flag of a burst is written to the activity log (in red for admins)."""
    since = now - timedelta(minutes=settings.DOCUMENT_SUSPICIOUS_MINUTES)
    recent = DownloadLog.objects.filter(user=user, status=DownloadStatus.SUCCESS, created_at__gte=since)
    count = recent.count()
    if count <= settings.DOCUMENT_SUSPICIOUS_DOWNLOADS:
        return
    already = recent.filter(flagged=True).exists()
    recent.update(flagged=True)
    log.flagged = True
    if not already:
        activity_record(
            action=ACTION_DOWNLOAD_SUSPICIOUS,
            actor=user,
            target=user,
            data={"downloads": count, "minutes": settings.DOCUMENT_SUSPICIOUS_MINUTES, "document": log.document_title},
        )
        transaction.on_commit(lambda: suspicious_notify_schedule(user_id=user.pk, count=count))


@transaction.atomic
def download_verify(*, log: DownloadLog, actor, notes: str = "", verified: bool = True) -> DownloadLog:
    """An admin ticks a log row as verified (the member confirmed by WhatsApp or email), with a note."""
    notes = _clean(notes, field="notes", label=_("Catatan"), max_length=NOTES_MAX, required=False)
    locked = DownloadLog.objects.select_for_update().get(pk=log.pk)
    locked.admin_verified = bool(verified)
    locked.verified_by = actor if verified else None
    locked.verified_at = timezone.now() if verified else None
    locked.notes = notes
    locked.save(update_fields=["admin_verified", "verified_by", "verified_at", "notes"])
    activity_record(
        action=ACTION_DOWNLOAD_VERIFIED,
        actor=actor,
        target=locked.user,
        data={"document": locked.document_title, "verified": locked.admin_verified, "notes": notes},
    )
    return locked
