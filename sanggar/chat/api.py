"""Chat REST API for the mobile apps and the web page's fallback when its websocket is down: conversations (list,
open), messages (cursor pages, send idempotently by `client_id`), mark read, mute / archive, block, report.
The live side is the websocket /ws/chat/ (`?token=<JWT>`)."""

from django.contrib.auth import get_user_model
from django.http import FileResponse
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


class PersonOut(Schema):
    id: int
    name: str
    online: bool
    last_seen: str | None = None


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


class ConversationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str = Field(default="", description="Nama grup untuk obrolan grup.")
    participants: list[PersonOut]
    last_message: MessageOut | None
    unread_count: int
    muted: bool
    archived: bool


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
    results: list[PersonOut]


class OkOut(Schema):
    ok: bool = True


def _conversation_data(participant, others, online, seen) -> dict:
    conversation = participant.conversation
    last = getattr(participant, "last_message", None)
    return {
        "id": conversation.pk,
        "kind": conversation.kind,
        "kind_label": str(conversation.get_kind_display()),
        "title": conversation.title,
        "participants": [
            {"id": p.user_id, "name": p.user.full_name, "online": p.user_id in online, "last_seen": seen.get(p.user_id)}
            for p in others
        ],
        "last_message": services.message_payload(last) if last else None,
        "unread_count": participant.unread_count,
        "muted": participant.muted,
        "archived": participant.archived,
    }


@router.get(
    "/chat/conversations", response={200: ConversationPageOut, **_ERRORS}, auth=jwt_auth, summary="Daftar percakapan"
)
def conversation_list(request, q: Query[Cursor]):
    rows, next_before = selectors.inbox(user=request.auth, archived=q.archived, before=q.before)
    ids = {p.user_id for r in rows for p in r.conversation.others}
    online, seen = realtime.online_ids(ids), realtime.last_seen(ids)
    return {
        "results": [_conversation_data(r, r.conversation.others, online, seen) for r in rows],
        "next_before": next_before,
    }


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
        participant = _participant(request, conversation.pk)
        participant.last_message = None
        return Status(200, _conversation_data(participant, [], set(), {}))
    if data.user is None:
        raise ServiceError(_("Pilih pengguna yang ingin diajak chat."), errors={"user": [_("Wajib diisi.")]})
    other = _find_user(data.user)
    conversation, created = services.conversation_open(user=request.auth, other=other)
    participant = selectors.participant_for(user=request.auth, conversation_id=conversation.pk)
    participant.last_message = None
    others = [p for p in conversation.participants.select_related("user") if p.user_id != request.auth.pk]
    ids = {p.user_id for p in others}
    body = _conversation_data(participant, others, realtime.online_ids(ids), realtime.last_seen(ids))
    return Status(201 if created else 200, body)


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
    return _file_response(item)


def _file_response(item):
    inline = item.kind == "image"
    response = FileResponse(item.file.open("rb"), as_attachment=not inline, filename=item.original_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


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
