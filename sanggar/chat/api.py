"""Chat REST API for the mobile apps and the web page's fallback when its websocket is down: conversations (list,
open), messages (cursor pages, send idempotently by `client_id`), mark read, mute / archive, block, report.
The live side is the websocket /ws/chat/ (`?token=<JWT>`)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import ConfigDict, StrictBool, StrictInt, StrictStr

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role

from . import realtime, registry, selectors, services, stickers
from .constants import ReportStatus
from .files import attachment_response
from .models import Report

router = Router(tags=["chat"])
API_ORDER = 80

User = get_user_model()
_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class OpenIn(_In):
    user: StrictInt | StrictStr | None = Field(
        default=None, description="Username (@username komunitas), id atau email pengguna yang diajak chat."
    )
    group: StrictStr | None = Field(default=None, max_length=80, description="Slug grup (obrolan grup).")


class SendIn(_In):
    body: StrictStr = Field(default="", description="Teks pesan; boleh kosong bila mengirim stiker saja.")
    sticker: StrictInt | None = Field(default=None, description="Id stiker aktif dari GET /stickers (opsional).")
    client_id: StrictStr = Field(
        default="", max_length=64, description="Id dari aplikasi; kirim ulang tidak menggandakan."
    )


class EditIn(_In):
    body: StrictStr


class SettingsIn(_In):
    muted: StrictBool | None = None
    archived: StrictBool | None = None


class ReportIn(_In):
    reason: StrictStr
    message: StrictInt | None = None


class Cursor(_In):
    before: int | None = Field(default=None, ge=1, le=2**62)
    archived: bool = False


class PresenceOut(Schema):
    id: int
    name: str
    online: bool
    last_seen: str | None = None


class PersonOut(PresenceOut):
    username: str | None = Field(default=None, description="@username komunitas (tanpa @), bila ada.")
    avatar_url: str | None = Field(default=None, description="URL absolut foto profil, atau null.")


class ChatAttachmentOut(Schema):
    id: int
    kind: str = Field(description="image atau pdf.")
    name: str
    size: int
    url: str = Field(description="Link bertanda tangan untuk halaman web (berlaku terbatas).")
    api_url: str = Field(description="Link bertanda tangan untuk aplikasi (dengan JWT).")


class StickerOut(Schema):
    id: int
    name: str = Field(description="Nama / keterangan stiker (teks alternatif).")
    url: str = Field(description="Alamat gambar stiker (publik, dari server ini).")


class StickerPackOut(Schema):
    id: int
    name: str
    builtin: bool = Field(description="Paket bawaan platform.")
    stickers: list[StickerOut]


class MessageOut(Schema):
    id: int
    conversation: int
    sender: dict
    body: str = Field(description="Kosong bila pesan dihapus.")
    client_id: str
    is_system: bool
    is_auto_reply: bool = Field(default=False, description="Balasan otomatis supplier premium.")
    created_at: str
    edited_at: str | None = Field(default=None, description='Diisi bila pesan diedit (tampil "diedit").')
    deleted: bool = Field(default=False, description='Pesan dihapus pengirimnya (tampil "pesan dihapus").')
    attachments: list[ChatAttachmentOut] = []
    sticker: StickerOut | None = Field(default=None, description="Stiker pesan (pesan boleh berisi stiker saja).")


class ConversationContextOut(Schema):
    kind: str = Field(description="Jenis topik, mis. supplier_product (produk supplier) atau supplier.")
    id: int | None = Field(default=None, description="Id barang yang ditanyakan (produk / supplier).")
    label: str = Field(description='Teks untuk kepala percakapan, mis. "Produk: Kopi Gayo 1 kg".')
    url: str = Field(default="", description="Link absolut ke halaman barangnya (kosong bila tidak ada).")


class ConversationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str = Field(default="", description="Nama grup untuk obrolan grup.")
    participants: list[PersonOut] = Field(
        description="Lawan bicara. Obrolan grup: kosong di daftar; di detail / buka, anggota pertama (maks. 50)."
    )
    last_message: MessageOut | None
    unread_count: int
    muted: bool
    archived: bool
    context: ConversationContextOut | None = Field(
        default=None, description='Topik percakapan (mis. produk yang ditanyakan lewat "Hubungi Supplier").'
    )


class ConversationPageOut(Schema):
    results: list[ConversationOut]
    next_before: int | None


class MessagePageOut(Schema):
    results: list[MessageOut]
    next_before: int | None
    last_read_by_others: int


class PresenceIn(_In):
    users: str = Field(max_length=2000, description="Id pengguna dipisah koma (maksimal 100).")


class PresencePageOut(Schema):
    results: list[PresenceOut]


class OkOut(Schema):
    ok: bool = True


def _avatar(request, user) -> str | None:
    return request.build_absolute_uri(user.avatar.url) if getattr(user, "avatar", None) else None


def _person(request, user, online, seen, usernames) -> dict:
    return {
        "id": user.pk,
        "name": user.full_name,
        "online": user.pk in online,
        "last_seen": seen.get(user.pk),
        "username": usernames.get(user.pk),
        "avatar_url": _avatar(request, user),
    }


def _context(request, conversation) -> dict | None:
    if not conversation.context_kind:
        return None
    url = conversation.context_url
    return {
        "kind": conversation.context_kind,
        "id": conversation.context_id,
        "label": conversation.context_label,
        "url": request.build_absolute_uri(url) if url.startswith("/") else url,
    }


def _conversations_data(request, rows) -> list[dict]:
    """Participations (each with `conversation.others` and `last_message`, as the selectors give them) in the API's
    shape; presence, usernames and avatars for all of them at once."""
    ids = {p.user_id for r in rows for p in r.conversation.others}
    online, seen, usernames = realtime.online_ids(ids), realtime.last_seen(ids), registry.usernames(ids)
    data = []
    for participant in rows:
        conversation = participant.conversation
        last = getattr(participant, "last_message", None)
        data.append(
            {
                "id": conversation.pk,
                "kind": conversation.kind,
                "kind_label": str(conversation.get_kind_display()),
                "title": conversation.title,
                "participants": [_person(request, p.user, online, seen, usernames) for p in conversation.others],
                "last_message": services.message_payload(last) if last else None,
                "unread_count": participant.unread_count,
                "muted": participant.muted,
                "archived": participant.archived,
                "context": _context(request, conversation),
            }
        )
    return data


def _conversation_one(request, conversation_id: int) -> dict:
    participant = selectors.conversation_detail(user=request.auth, conversation_id=conversation_id)
    if participant is None:
        raise NotFound(_("Percakapan tidak ditemukan."))
    return _conversations_data(request, [participant])[0]


@router.get(
    "/chat/conversations", response={200: ConversationPageOut, **_ERRORS}, auth=jwt_auth, summary="Daftar percakapan"
)
def conversation_list(request, q: Query[Cursor]):
    rows, next_before = selectors.inbox(user=request.auth, archived=q.archived, before=q.before)
    return {"results": _conversations_data(request, rows), "next_before": next_before}


@router.get(
    "/chat/conversations/{conversation_id}",
    response={200: ConversationOut, **_ERRORS},
    auth=jwt_auth,
    summary="Detail percakapan",
    description="Satu percakapan dalam bentuk yang sama dengan item daftar. Bukan peserta: 404.",
)
def conversation_get(request, conversation_id: int):
    return _conversation_one(request, conversation_id)


@router.get("/chat/presence", response={200: PresencePageOut, **_ERRORS}, auth=jwt_auth, summary="Status online")
def presence(request, q: Query[PresenceIn]):
    """Online and last seen of people the caller shares a conversation with (others are left out)."""
    parts = [p.strip() for p in q.users.split(",") if p.strip()]
    if len(parts) > 100 or not all(p.isdigit() and len(p) < 18 for p in parts):
        raise ServiceError(
            _("Daftar pengguna tidak valid."), errors={"users": [_("Id angka dipisah koma, maksimal 100.")]}
        )
    people = selectors.contacts(user=request.auth, user_ids={int(p) for p in parts})
    online, seen = realtime.online_ids(people), realtime.last_seen(people)
    return {
        "results": [
            {"id": uid, "name": name, "online": uid in online, "last_seen": seen.get(uid)}
            for uid, name in people.items()
        ]
    }


def _find_user(value):
    if isinstance(value, int):
        return User.objects.filter(pk=value, is_active=True).first()
    value = value.strip()
    if "\x00" in value or not value or len(value) > 254:
        raise ServiceError(_("Pengguna tidak valid."), errors={"user": [_("Pengguna tidak valid.")]})
    if "@" in value[1:]:  # an email address; otherwise a community @username
        return User.objects.filter(email__iexact=value, is_active=True).first()
    return registry.user_by_username(value)


@router.post(
    "/chat/conversations",
    response={200: ConversationOut, 201: ConversationOut, **_ERRORS},
    auth=jwt_auth,
    summary="Buka percakapan",
)
@idempotent
def conversation_open(request, data: OpenIn):
    if data.group is not None:
        if "\x00" in data.group:
            raise ServiceError(_("Grup tidak valid."), errors={"group": [_("Grup tidak valid.")]})
        conversation = registry.group_chat_open(request.auth, data.group.strip())
        if conversation is None:
            raise ServiceError(_("Obrolan grup belum tersedia."), errors={"group": [_("Obrolan grup belum tersedia.")]})
        return Status(200, _conversation_one(request, conversation.pk))
    if data.user is None:
        raise ServiceError(_("Pilih pengguna yang ingin diajak chat."), errors={"user": [_("Wajib diisi.")]})
    other = _find_user(data.user)
    conversation, created = services.conversation_open(user=request.auth, other=other)
    return Status(201 if created else 200, _conversation_one(request, conversation.pk))


def _participant(request, conversation_id: int):
    participant = selectors.participant_for(user=request.auth, conversation_id=conversation_id)
    if participant is None:
        raise NotFound(_("Percakapan tidak ditemukan."))
    return participant


@router.get(
    "/chat/conversations/{conversation_id}/messages",
    response={200: MessagePageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Pesan (terbaru dulu)",
)
def message_list(request, conversation_id: int, q: Query[Cursor]):
    _participant(request, conversation_id)
    rows, next_before = selectors.messages(conversation_id=conversation_id, before=q.before)
    return {
        "results": [services.message_payload(m) for m in rows],
        "next_before": next_before,
        "last_read_by_others": selectors.last_read_by_others(user=request.auth, conversation_id=conversation_id),
    }


@router.post(
    "/chat/conversations/{conversation_id}/messages",
    response={200: MessageOut, 201: MessageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Kirim pesan",
)
@idempotent
def message_send(request, conversation_id: int, data: SendIn):
    sent = services.message_send(
        user=request.auth,
        conversation_id=conversation_id,
        body=data.body,
        client_id=data.client_id,
        ip=client_ip(request),
        sticker=data.sticker,
    )
    return Status(201 if sent.created else 200, services.message_payload(sent.message))


@router.get("/stickers", response={200: list[StickerPackOut], **_ERRORS}, auth=jwt_auth, summary="Daftar stiker")
def sticker_packs(request):
    """The active sticker packs with their active stickers (for the pickers of chat, comments and posts)."""
    return [
        {
            "id": pack.pk,
            "name": pack.name,
            "builtin": pack.is_builtin,
            "stickers": [stickers.sticker_payload(s, request) for s in pack.active_stickers],
        }
        for pack in stickers.packs_active()
    ]


@router.post(
    "/chat/conversations/{conversation_id}/read",
    response={200: OkOut, **_ERRORS},
    auth=jwt_auth,
    summary="Tandai dibaca",
)
@idempotent
def mark_read(request, conversation_id: int):
    services.conversation_mark_read(user=request.auth, conversation_id=conversation_id)
    return {"ok": True}


@router.post(
    "/chat/conversations/{conversation_id}/settings",
    response={200: OkOut, **_ERRORS},
    auth=jwt_auth,
    summary="Bisukan / arsipkan",
)
@idempotent
def conversation_settings(request, conversation_id: int, data: SettingsIn):
    services.conversation_settings(
        user=request.auth, conversation_id=conversation_id, muted=data.muted, archived=data.archived
    )
    return {"ok": True}


@router.post(
    "/chat/conversations/{conversation_id}/block",
    response={200: OkOut, **_ERRORS},
    auth=jwt_auth,
    summary="Blokir lawan bicara",
)
@idempotent
def conversation_block(request, conversation_id: int):
    services.conversation_block(user=request.auth, conversation_id=conversation_id)
    return {"ok": True}


class MutedOut(Schema):
    muted: bool


@router.post(
    "/chat/conversations/{conversation_id}/mute",
    response={200: MutedOut, **_ERRORS},
    auth=jwt_auth,
    summary="Bisukan notifikasi percakapan",
    description='Tidak ada notifikasi untuk percakapan ini (pesan tetap masuk). Sama dengan /settings {"muted": true}.',
)
@idempotent
def conversation_mute(request, conversation_id: int):
    services.conversation_settings(user=request.auth, conversation_id=conversation_id, muted=True)
    return {"muted": True}


@router.delete(
    "/chat/conversations/{conversation_id}/mute",
    response={200: MutedOut, **_ERRORS},
    auth=jwt_auth,
    summary="Nyalakan notifikasi percakapan",
)
def conversation_unmute(request, conversation_id: int):
    services.conversation_settings(user=request.auth, conversation_id=conversation_id, muted=False)
    return {"muted": False}


class BlockedPersonOut(Schema):
    id: int
    name: str
    username: str | None = Field(default=None, description="@username komunitas (tanpa @), bila ada.")
    avatar_url: str | None = None
    blocked_at: str


class BlockPageOut(Schema):
    results: list[BlockedPersonOut]
    next_before: int | None = Field(description="Kirim sebagai ?before= untuk halaman berikutnya.")


class BlockCursor(_In):
    before: int | None = Field(default=None, ge=1, le=2**62)


class ChatBlockOut(Schema):
    blocked: bool


@router.get(
    "/chat/blocks",
    response={200: BlockPageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Pengguna yang saya blokir",
    description="Blokir dari chat atau dari profil komunitas (satu blokir yang sama), terbaru dulu.",
)
def block_list(request, q: Query[BlockCursor]):
    rows, next_before = selectors.blocks(user=request.auth, before=q.before)
    usernames = registry.usernames(b.blocked_id for b in rows)
    return {
        "results": [
            {
                "id": b.blocked_id,
                "name": b.blocked.full_name,
                "username": usernames.get(b.blocked_id),
                "avatar_url": _avatar(request, b.blocked),
                "blocked_at": b.created_at.isoformat(),
            }
            for b in rows
        ],
        "next_before": next_before,
    }


@router.delete(
    "/chat/blocks/{user_ref}",
    response={200: ChatBlockOut, **_ERRORS},
    auth=jwt_auth,
    summary="Buka blokir pengguna",
    description="`user_ref`: @username komunitas atau id pengguna. Membuka blokir yang dibuat di chat maupun di profil "
    "(sudah tidak diblokir: jawaban sama). Pengguna tidak ada: 404.",
)
def block_remove(request, user_ref: str):
    user_ref = user_ref.strip().removeprefix("@")[:60]
    other = None
    if user_ref.isdigit() and len(user_ref) < 18:
        other = User.objects.filter(pk=int(user_ref)).first()
    elif user_ref and "\x00" not in user_ref:
        other = registry.user_by_username(user_ref)
    if other is None:
        raise NotFound(_("Pengguna tidak ditemukan."))
    services.user_unblock(user=request.auth, other=other)  # none left: the same answer (a retry is harmless)
    return {"blocked": False}


class MemberMuteIn(_In):
    minutes: StrictInt = Field(ge=1, le=60 * 24 * 365, description="Lama bisu dalam menit.")
    reason: StrictStr = Field(default="", max_length=300)


class MemberMuteOut(Schema):
    member: int
    until: str | None


@router.post(
    "/chat/conversations/{conversation_id}/members/{member_id}/mute",
    response={200: MemberMuteOut, **_ERRORS},
    auth=jwt_auth,
    summary="Bisukan anggota chat grup",
    description="Moderator atau pemilik grup membisukan anggota di chat grup selama `minutes` menit (maksimal "
    "CHAT_MUTE_MAX_MINUTES); anggota yang dibisukan tetap membaca, tetapi tidak dapat mengirim. Bukan moderator: 403.",
)
@idempotent
def member_mute(request, conversation_id: int, member_id: int, data: MemberMuteIn):
    mute = services.group_chat_mute(
        actor=request.auth,
        conversation_id=conversation_id,
        member_id=member_id,
        minutes=data.minutes,
        reason=data.reason,
    )
    return {"member": member_id, "until": mute.until.isoformat()}


@router.delete(
    "/chat/conversations/{conversation_id}/members/{member_id}/mute",
    response={200: MemberMuteOut, **_ERRORS},
    auth=jwt_auth,
    summary="Cabut bisu anggota chat grup",
)
def member_unmute(request, conversation_id: int, member_id: int):
    services.group_chat_unmute(actor=request.auth, conversation_id=conversation_id, member_id=member_id)
    return {"member": member_id, "until": None}


@router.post(
    "/chat/conversations/{conversation_id}/report",
    response={201: OkOut, **_ERRORS},
    auth=jwt_auth,
    summary="Laporkan percakapan",
)
@idempotent
def conversation_report(request, conversation_id: int, data: ReportIn):
    services.report_create(
        user=request.auth, conversation_id=conversation_id, reason=data.reason, message_id=data.message
    )
    return Status(201, {"ok": True})


@router.post(
    "/chat/conversations/{conversation_id}/attachments",
    response={200: MessageOut, 201: MessageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Kirim lampiran (gambar atau PDF)",
)
@idempotent
def attachment_send(
    request,
    conversation_id: int,
    file: File[UploadedFile],
    body: Form[str] = "",
    client_id: Form[str] = "",
):
    sent = services.message_send(
        user=request.auth,
        conversation_id=conversation_id,
        body=body,
        client_id=client_id,
        ip=client_ip(request),
        files=[file],
    )
    return Status(
        201 if sent.created else 200, services.message_payload(sent.message, list(sent.message.attachments.all()))
    )


@router.get(
    "/chat/attachments/{token}",
    response={200: None, **_ERRORS},
    auth=jwt_auth,
    summary="Unduh lampiran (link bertanda tangan)",
)
def attachment_download(request, token: str):
    item = services.attachment_open(user=request.auth, token=token[:500])
    return attachment_response(item)


@router.patch(
    "/chat/messages/{message_id}", response={200: MessageOut, **_ERRORS}, auth=jwt_auth, summary="Edit pesan sendiri"
)
@idempotent
def message_edit(request, message_id: int, data: EditIn):
    message = services.message_edit(user=request.auth, message_id=message_id, body=data.body)
    return services.message_payload(message, list(message.attachments.all()))


@router.delete(
    "/chat/messages/{message_id}", response={200: MessageOut, **_ERRORS}, auth=jwt_auth, summary="Hapus pesan sendiri"
)
def message_delete(request, message_id: int):
    message = services.message_delete(user=request.auth, message_id=message_id)
    return services.message_payload(message)


class StatsIn(_In):
    days: int = Field(default=30, description="Periode: 7, 30 atau 90 hari.")


class StatsKindOut(Schema):
    kind: str
    label: str
    active: int
    new: int
    messages: int


class ChatStatsDayOut(Schema):
    day: str
    messages: int
    conversations: int


class StatsOut(Schema):
    days: int
    messages: int
    active_conversations: int = Field(description="Percakapan dengan pesan dalam periode.")
    new_conversations: int
    senders: int
    answer_rate: int | None = Field(description="Persen percakapan dua orang baru yang dibalas (null: belum ada).")
    open_reports: int
    new_blocks: int
    by_kind: list[StatsKindOut]
    series: list[ChatStatsDayOut]


@router.get(
    "/admin/chat/stats",
    response={200: StatsOut, **_ERRORS},
    auth=jwt_auth,
    summary="Statistik chat (admin)",
    description="Jumlah saja (pesan, percakapan aktif dan baru per jenis, per hari); isi pesan tidak pernah dikirim. "
    "Hanya admin (lainnya 403).",
)
def admin_stats(request, q: Query[StatsIn]):
    if not request.auth.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat membuka statistik chat."))
    if q.days not in selectors.STATS_DAYS:
        raise ServiceError(_("Periode tidak valid."), errors={"days": [_("Pilih 7, 30 atau 90 hari.")]})
    stats = selectors.admin_stats(days=q.days)
    return {**stats, "series": [{**row, "day": row["day"].isoformat()} for row in stats["series"]]}


# --- admin: reports and actions against offenders ----------------------------------------------------------------


def _admin(request) -> None:
    if not request.auth.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat meninjau laporan chat."))


class AdminReportCursor(_In):
    status: str = Field(default="open", description="open atau resolved.")
    before: int | None = Field(default=None, ge=1, le=2**62)


class ChatReportOut(Schema):
    id: int
    conversation: int
    kind: str
    reporter: dict | None = Field(description="{id, name} pelapor (null bila akunnya dihapus).")
    reason: str
    status: str
    message: int | None = Field(description="Id pesan yang dilaporkan, bila ada.")
    created_at: str
    resolved_at: str | None


class ChatReportPageOut(Schema):
    results: list[ChatReportOut]
    next_before: int | None


class ChatSuspensionOut(Schema):
    user: int
    until: str | None = Field(description="Akhir penangguhan; null: diblokir dari chat sampai dicabut.")
    reason: str
    report: int | None
    created_at: str


class ReportPersonOut(Schema):
    id: int
    name: str
    is_reporter: bool
    suspension: ChatSuspensionOut | None


class ChatReportDetailOut(Schema):
    report: ChatReportOut
    messages: list[MessageOut] = Field(
        description="Terbaru dulu; lampiran memakai link admin bertanda tangan (setiap pembukaan tercatat)."
    )
    next_before: int | None
    people: list[ReportPersonOut]


class SuspendIn(_In):
    user: StrictInt
    days: StrictInt | None = Field(default=None, description="1–365 hari; null: blokir dari chat sampai dicabut.")
    reason: StrictStr = Field(default="", max_length=300)
    report: StrictInt | None = Field(default=None, description="Laporan yang menjadi dasar tindakan (opsional).")


class LiftOut(Schema):
    user: int
    lifted: int


def _report_data(report) -> dict:
    return {
        "id": report.pk,
        "conversation": report.conversation_id,
        "kind": report.conversation.kind,
        "reporter": {"id": report.reporter_id, "name": report.reporter.full_name} if report.reporter_id else None,
        "reason": report.reason,
        "status": report.status,
        "message": report.message_id,
        "created_at": report.created_at.isoformat(),
        "resolved_at": report.resolved_at.isoformat() if report.resolved_at else None,
    }


def _suspension_data(suspension) -> dict | None:
    if suspension is None:
        return None
    return {
        "user": suspension.user_id,
        "until": suspension.until.isoformat() if suspension.until else None,
        "reason": suspension.reason,
        "report": suspension.report_id,
        "created_at": suspension.created_at.isoformat(),
    }


def _report(report_id: int):
    report = Report.objects.select_related("reporter", "conversation", "message").filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("Laporan tidak ditemukan."))
    return report


@router.get(
    "/admin/chat/reports",
    response={200: ChatReportPageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Laporan chat (admin)",
    description="Terbaru dulu, per status. Hanya admin (lainnya 403).",
)
def admin_report_list(request, q: Query[AdminReportCursor]):
    _admin(request)
    if q.status not in ReportStatus.values:
        raise ServiceError(_("Status tidak valid."), errors={"status": [_("Pilih open atau resolved.")]})
    qs = Report.objects.filter(status=q.status).select_related("reporter", "conversation").order_by("-id")
    if q.before is not None:
        qs = qs.filter(pk__lt=q.before)
    limit = settings.CHAT_PAGE_SIZE
    rows = list(qs[: limit + 1])
    return {
        "results": [_report_data(r) for r in rows[:limit]],
        "next_before": rows[limit - 1].pk if len(rows) > limit else None,
    }


@router.get(
    "/admin/chat/reports/{report_id}",
    response={200: ChatReportDetailOut, **_ERRORS},
    auth=jwt_auth,
    summary="Tinjau laporan chat (admin)",
    description="Percakapan yang dilaporkan (setiap pembacaan tercatat di log aktivitas), lampiran lewat link admin "
    "bertanda tangan, dan orang-orang yang dapat ditindak.",
)
def admin_report_get(request, report_id: int, q: Query[BlockCursor]):
    _admin(request)
    report = _report(report_id)
    services.report_read(admin=request.auth, report=report)
    rows, next_before = selectors.messages(conversation_id=report.conversation_id, before=q.before)
    messages = []
    for m in rows:
        data = services.message_payload(m, list(m.attachment_list))
        data["body"], data["attachments"] = m.body, []  # the review sees a deleted message's text and files
        for a in m.attachment_list:
            token = services.report_attachment_token(report, a)
            url = f"/api/v1/admin/chat/reports/{report.pk}/attachments/{token}"
            data["attachments"].append(
                {"id": a.pk, "kind": a.kind, "name": a.original_name, "size": a.size, "url": url, "api_url": url}
            )
        messages.append(data)
    people = selectors.report_people(report=report, messages=rows)
    return {
        "report": _report_data(report),
        "messages": messages,
        "next_before": next_before,
        "people": [
            {
                "id": p.user_id,
                "name": p.user.full_name,
                "is_reporter": p.user_id == report.reporter_id,
                "suspension": _suspension_data(p.suspension),
            }
            for p in people
        ],
    }


@router.get(
    "/admin/chat/reports/{report_id}/attachments/{token}",
    response={200: None, **_ERRORS},
    auth=jwt_auth,
    summary="Lampiran percakapan dilaporkan (admin)",
    description="Link bertanda tangan dari detail laporan; setiap pembukaan tercatat di log aktivitas.",
)
def admin_report_attachment(request, report_id: int, token: str):
    _admin(request)
    item = services.report_attachment_open(admin=request.auth, report=_report(report_id), token=token[:500])
    return attachment_response(item)


@router.post(
    "/admin/chat/reports/{report_id}/resolve",
    response={200: ChatReportOut, **_ERRORS},
    auth=jwt_auth,
    summary="Tutup laporan chat (admin)",
)
@idempotent
def admin_report_resolve(request, report_id: int):
    _admin(request)
    report = services.report_resolve(admin=request.auth, report=_report(report_id))
    report.refresh_from_db()
    return _report_data(report)


@router.post(
    "/admin/chat/suspensions",
    response={201: ChatSuspensionOut, **_ERRORS},
    auth=jwt_auth,
    summary="Tangguhkan chat pengguna (admin)",
    description="Pengguna tidak dapat mengirim pesan atau memulai percakapan selama `days` hari, atau diblokir dari "
    "chat sampai dicabut (`days` null). Tindakan baru menggantikan yang berjalan. Tercatat di log aktivitas.",
)
@idempotent
def admin_suspend(request, data: SuspendIn):
    _admin(request)
    report = _report(data.report) if data.report is not None else None
    user = User.objects.filter(pk=data.user).first()
    suspension = services.chat_suspend(admin=request.auth, user=user, days=data.days, reason=data.reason, report=report)
    return Status(201, _suspension_data(suspension))


@router.delete(
    "/admin/chat/suspensions/{user_id}",
    response={200: LiftOut, **_ERRORS},
    auth=jwt_auth,
    summary="Cabut penangguhan chat (admin)",
)
def admin_suspension_lift(request, user_id: int):
    _admin(request)
    user = User.objects.filter(pk=user_id).first()
    return {"user": user_id, "lifted": services.chat_suspension_lift(admin=request.auth, user=user)}
