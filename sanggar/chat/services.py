"""Chat writes: open a conversation, send (idempotent by client id), mark read, mute / archive, block, report, and
the admin's audited reading of a reported conversation. Pages, the API and the websocket all call these."""

import secrets
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.accounts.selectors import users_with_role
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, NotFound, RateLimited, ServiceError
from sanggar.core.ratelimit import window_take
from sanggar.core.roles import Role
from sanggar.core.site import absolute
from sanggar.notifications.services import notify_users

from . import policy, realtime, registry, stickers
from .constants import NOTIFY_GROUP_MESSAGE, NOTIFY_MESSAGE, NOTIFY_REPORT, Action, AttachmentKind, Kind, ReportStatus
from .models import (
    Attachment,
    Block,
    Conversation,
    GroupChatMute,
    Message,
    Participant,
    Report,
    SupplierRefusal,
    Suspension,
)

User = get_user_model()


def _limit(setting: str, key: str, message=None) -> None:
    retry = window_take(key, setting=setting)
    if retry:
        text = message or _("Terlalu banyak pesan. Coba lagi dalam %(s)s detik.")
        raise RateLimited(text % {"s": retry}, retry_after=retry)


def _clean_text(value, *, max_length: int, field: str, label: str) -> str:
    if not isinstance(value, str):
        raise ServiceError(_("%(f)s harus berupa teks.") % {"f": label}, errors={field: [_("Harus berupa teks.")]})
    if "\x00" in value:
        raise ServiceError(
            _("%(f)s berisi karakter yang tidak diizinkan.") % {"f": label},
            errors={field: [_("Karakter NUL tidak diizinkan.")]},
        )
    value = value.strip()
    if not value:
        raise ServiceError(_("%(f)s tidak boleh kosong.") % {"f": label}, errors={field: [_("Wajib diisi.")]})
    if len(value) > max_length:
        raise ServiceError(
            _("%(f)s terlalu panjang (maksimal %(n)s karakter).") % {"f": label, "n": max_length},
            errors={field: [_("Maksimal %(n)s karakter.") % {"n": max_length}]},
        )
    return value


def _pair_key(a: int, b: int) -> str:
    return f"{min(a, b)}:{max(a, b)}"


@dataclass(frozen=True)
class Context:
    """What a conversation is about (RTC-D1), given by the app that opens it: e.g. ("supplier_product", its id,
    "Produk: Kopi Gayo", "/supplier/cv-rempah/kopi-gayo")."""

    kind: str
    object_id: int | None = None
    label: str = ""
    url: str = ""


def _context_apply(conversation: Conversation, context: Context | None) -> None:
    if context is None or not context.kind:
        return
    values = {
        "context_kind": str(context.kind)[:30],
        "context_id": context.object_id,
        "context_label": str(context.label).replace("\x00", "")[:200],
        "context_url": str(context.url)[:300] if str(context.url).startswith("/") else "",
    }
    Conversation.objects.filter(pk=conversation.pk).update(**values)
    for field, value in values.items():
        setattr(conversation, field, value)


def conversation_open(*, user, other, context: Context | None = None) -> tuple[Conversation, bool]:
    """The conversation between `user` and `other` (existing, or new when the rules allow). Returns (conversation,
    created). `context`: what the user asks about (the latest inquiry wins), shown in the conversation's header."""
    if other is None:
        raise NotFound(_("Pengguna tidak ditemukan."))
    existing = Conversation.objects.filter(pair_key=_pair_key(user.pk, other.pk)).first()
    if existing is not None:
        if policy.blocked_between(user.pk, other.pk):
            raise NotAllowed(_("Anda tidak dapat mengirim pesan ke pengguna ini."))
        Participant.objects.filter(conversation=existing, user=user, archived=True).update(archived=False)
        _context_apply(existing, context)
        return existing, False
    decision = policy.start_decision(user, other)
    if not decision.allowed:
        if decision.supplier_refused:
            SupplierRefusal.objects.create(supplier=other, member=user)
        raise NotAllowed(decision.message)
    too_many = _("Terlalu banyak percakapan baru. Coba lagi dalam %(s)s detik.")
    if _new_account(user):  # a young account also takes from the tighter window (spam accounts start many chats)
        _limit("CHAT_NEW_ACCOUNT_CONVERSATION_RATE_LIMIT", f"user:{user.pk}", too_many)
    _limit("CHAT_CONVERSATION_RATE_LIMIT", f"user:{user.pk}", too_many)
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                kind=decision.kind, pair_key=_pair_key(user.pk, other.pk), created_by=user
            )
            Participant.objects.bulk_create(
                [Participant(conversation=conversation, user=user), Participant(conversation=conversation, user=other)]
            )
            if conversation.kind == Kind.SUPPLIER:  # the supplier's weekly allowance of active chats
                refusal = registry.supplier_chat_gate(other, conversation.pk, by_supplier=False)
                if refusal:
                    raise NotAllowed(refusal)  # rolls the new conversation back
    except IntegrityError:  # opened at the same moment from another tab
        return Conversation.objects.get(pair_key=_pair_key(user.pk, other.pk)), False
    _context_apply(conversation, context)
    if conversation.kind == Kind.SUPPLIER:
        _supplier_auto_reply(conversation, supplier=other, member=user)
    return conversation, True


def _supplier_auto_reply(conversation: Conversation, *, supplier, member) -> Message | None:
    """A premium supplier's auto-reply (set in the supplier app, told through the registry) as their first message."""
    text = registry.supplier_auto_reply(supplier)
    if not text:
        return None
    text = text.replace("\x00", "")[: settings.CHAT_MESSAGE_MAX_LENGTH]
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
            conversation=conversation, sender=supplier, body=text, is_auto_reply=True, created_at=now
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        Participant.objects.filter(conversation=conversation, user=member).update(unread_count=F("unread_count") + 1)
        Participant.objects.filter(conversation=conversation, user=supplier).update(last_read_message_id=message.pk)
        payload = message_payload(message, [])
        transaction.on_commit(
            lambda: realtime.publish([member.pk, supplier.pk], {"type": "chat.message", "message": payload})
        )
    return message


def _participant(user, conversation_id) -> Participant:
    participant = (
        Participant.objects.select_related("conversation")
        .filter(conversation_id=conversation_id, user=user, left_at__isnull=True)
        .first()
    )
    if participant is None:  # not found and not yours look the same
        raise NotFound(_("Percakapan tidak ditemukan."))
    conversation = participant.conversation
    if conversation.kind == Kind.GROUP and not registry.group_member(user, conversation.group_key):
        # the member's access to the group lapsed (expiry, ban): they leave the group chat, its history stays
        Participant.objects.filter(pk=participant.pk).update(left_at=timezone.now(), unread_count=0)
        _left_live([user.pk], conversation.pk)
        raise NotFound(_("Percakapan tidak ditemukan."))
    return participant


def _publish_to(conversation: Conversation, user_ids, event: dict) -> None:
    """A group chat's event goes once to its conversation group (its members' sockets joined it), whatever its
    size; a two-person chat's to each participant."""
    if conversation.kind == Kind.GROUP:
        realtime.publish_conversation(conversation.pk, event)
    else:
        realtime.publish(user_ids, event)


def _left_live(user_ids, conversation_id: int) -> None:
    """The users' open sockets stop following a group chat they left (internal `chat.leave`, one send each)."""
    realtime.publish(user_ids, {"type": "chat.leave", "conversation": conversation_id})


@dataclass(frozen=True)
class Sent:
    message: Message
    created: bool


def attachment_token(attachment: Attachment, conversation_id: int) -> str:
    """A signed, expiring token for one attachment; the page and the API also check the caller is a participant."""
    return signing.dumps({"a": attachment.pk, "c": conversation_id}, salt=ATTACHMENT_SALT)


def attachment_payload(attachment: Attachment, conversation_id: int) -> dict:
    token = attachment_token(attachment, conversation_id)
    return {
        "id": attachment.pk,
        "kind": attachment.kind,
        "name": attachment.original_name,
        "size": attachment.size,
        "url": reverse("chat:attachment", args=[token]),
        "api_url": f"/api/v1/chat/attachments/{token}",
    }


def message_payload(message: Message, attachments=None) -> dict:
    """What clients get of a message. A deleted one keeps its place but not its text or files ("pesan dihapus")."""
    deleted = message.deleted_at is not None
    if attachments is None:
        attachments = [] if deleted else list(getattr(message, "attachment_list", None) or [])
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "sender": {"id": message.sender_id, "name": message.sender.full_name if message.sender_id else ""},
        "body": "" if deleted else message.body,
        "client_id": message.client_id,
        "is_system": message.is_system,
        "is_auto_reply": message.is_auto_reply,
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": deleted,
        "attachments": [] if deleted else [attachment_payload(a, message.conversation_id) for a in attachments],
        "sticker": None if deleted else stickers.sticker_payload(message.sticker if message.sticker_id else None),
    }


def _new_account(user) -> bool:
    return (timezone.now() - user.date_joined).days < settings.CHAT_NEW_ACCOUNT_DAYS


def message_send(*, user, conversation_id, body, client_id="", ip: str | None = None, files=None, sticker=None) -> Sent:
    """Saves a message and, after commit, publishes it to every participant and notifies offline ones (once per
    unread burst). The same `client_id` from the same sender returns the first message instead of a duplicate.
    `files`: images (PNG, JPG, WebP) or PDFs, checked by their content, stored privately. `sticker`: the id of an
    active sticker; a message may be a sticker alone."""
    participant = _participant(user, conversation_id)
    if client_id is None:
        client_id = ""
    if not isinstance(client_id, str) or len(client_id) > 64 or "\x00" in client_id:
        raise ServiceError(_("client_id tidak valid (teks, maksimal 64 karakter)."), errors={"client_id": ["invalid"]})
    client_id = client_id.strip()
    if client_id:
        existing = (
            Message.objects.filter(conversation_id=conversation_id, sender=user, client_id=client_id)
            .select_related("sender", "sticker")
            .first()
        )
        if existing is not None:
            return Sent(existing, False)
    uploads = _check_files(files)
    picked = stickers.sticker_for_use(sticker)
    if uploads and not (isinstance(body, str) and body.strip()):
        body = "📎"
    if picked is not None and (body is None or (isinstance(body, str) and not body.strip())):
        body = ""  # a sticker alone
    else:
        body = _clean_text(body, max_length=settings.CHAT_MESSAGE_MAX_LENGTH, field="body", label=_("Pesan"))
    conversation = participant.conversation
    is_group = conversation.kind == Kind.GROUP
    if is_group:
        # A group chat may hold thousands: its message goes once to the group's channel, and only the members a
        # notification may go to are read (unmuted, not yet told of their unread burst), as (participant, user) keys.
        others = []
        candidates = list(
            Participant.objects.filter(conversation=conversation, left_at__isnull=True, muted=False, notified=False)
            .exclude(user=user)
            .values_list("pk", "user_id")
        )
    else:
        others = list(
            Participant.objects.filter(conversation=conversation, left_at__isnull=True)
            .exclude(user=user)
            .select_related("user")
        )
        candidates = [(p.pk, p.user_id) for p in others if not p.muted and not p.notified]
    decision = policy.send_decision(user, conversation, [p.user for p in others])
    if not decision.allowed:
        if decision.supplier_refused:
            SupplierRefusal.objects.create(supplier=user, member=conversation.created_by)
        raise NotAllowed(decision.message)
    _limit(
        "CHAT_NEW_ACCOUNT_MESSAGE_RATE_LIMIT" if _new_account(user) else "CHAT_MESSAGE_RATE_LIMIT", f"user:{user.pk}"
    )
    if ip:
        _limit("CHAT_MESSAGE_IP_RATE_LIMIT", f"ip:{ip}")
    if uploads:
        _limit("CHAT_ATTACHMENT_RATE_LIMIT", f"attach:{user.pk}")
    now = timezone.now()
    supplier_side = (
        conversation.kind == Kind.SUPPLIER and Role.SUPPLIER in user.role_set and conversation.created_by_id != user.pk
    )
    try:
        with transaction.atomic():
            if supplier_side:  # a reply counts the conversation once in the supplier's week
                refusal = registry.supplier_chat_gate(user, conversation.pk, by_supplier=True)
                if refusal:
                    raise NotAllowed(refusal)
            message = Message.objects.create(
                conversation=conversation,
                sender=user,
                body=body,
                client_id=client_id,
                sender_ip=ip,
                created_at=now,
                sticker=picked,
            )
            stored = _store_files(message, uploads)
            Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
            Participant.objects.filter(conversation=conversation, left_at__isnull=True).exclude(user=user).update(
                unread_count=F("unread_count") + 1, archived=False
            )
            Participant.objects.filter(pk=participant.pk).update(
                last_read_message_id=message.pk, unread_count=0, notified=False
            )
            online = realtime.in_chat_ids(user_id for _pk, user_id in candidates)
            # one notification per unread burst for each unmuted recipient without the chat open (group chats too)
            ids = [pk for pk, user_id in candidates if user_id not in online]
            if ids:
                Participant.objects.filter(pk__in=ids).update(notified=True)
            payload = message_payload(message, stored)
            recipients = [user.pk, *(p.user_id for p in others)]
            transaction.on_commit(
                lambda: _publish_to(conversation, recipients, {"type": "chat.message", "message": payload})
            )
            if is_group:
                if ids:
                    transaction.on_commit(lambda: _enqueue_group_notify(message.pk, ids), robust=True)
            else:
                chosen = set(ids)
                to_notify = [p for p in others if p.pk in chosen]
                preview = body or _("Stiker: %(name)s") % {"name": picked.name}
                transaction.on_commit(lambda: _notify_offline(user, conversation, preview, to_notify))
    except IntegrityError:  # the same client id raced in from another connection
        return Sent(
            Message.objects.select_related("sender", "sticker").get(
                conversation=conversation, sender=user, client_id=client_id
            ),
            False,
        )
    return Sent(message, True)


def _notify_offline(sender, conversation, body, participants) -> None:
    if not participants:
        return
    link = absolute(reverse("chat:conversation", args=[conversation.pk]))
    notify_users(
        users=[p.user for p in participants],
        kind=NOTIFY_MESSAGE,
        link=link,
        context={"sender": sender.full_name, "preview": _preview(body)},
        data={"conversation": conversation.pk},
    )


def _enqueue_group_notify(message_id: int, participant_ids: list[int]) -> None:
    from .tasks import chat_group_notify_task

    for start in range(0, len(participant_ids), GROUP_NOTIFY_BATCH):
        chat_group_notify_task.delay(message_id, participant_ids[start : start + GROUP_NOTIFY_BATCH])


GROUP_NOTIFY_BATCH = 1000


def group_message_notify(*, message_id: int, participant_ids) -> int:
    """The offline members of a group chat hear of a new message (the background half of `message_send`): once
    per unread burst, by their chat preferences, never when they muted the chat, read it meanwhile, left the group
    or lost access to it (the group's app answers through the registry). Returns how many were notified."""
    message = (
        Message.objects.select_related("conversation", "sender")
        .filter(pk=message_id, deleted_at__isnull=True, conversation__kind=Kind.GROUP)
        .first()
    )
    if message is None:
        return 0
    conversation = message.conversation
    participants = [
        p
        for p in Participant.objects.select_related("user").filter(
            pk__in=list(participant_ids)[:GROUP_NOTIFY_BATCH],
            conversation=conversation,
            left_at__isnull=True,
            muted=False,
            notified=True,
            last_read_message_id__lt=message.pk,
            user__is_active=True,
        )
        if registry.group_member(p.user, conversation.group_key)
    ]
    if not participants:
        return 0
    link = absolute(reverse("chat:conversation", args=[conversation.pk]))
    notify_users(
        users=[p.user for p in participants],
        kind=NOTIFY_GROUP_MESSAGE,
        link=link,
        context={
            "sender": message.sender.full_name if message.sender_id else "",
            "group": conversation.title,
            "preview": _preview(message.body or _("Stiker: %(name)s") % {"name": getattr(message.sticker, "name", "")}),
        },
        data={"conversation": conversation.pk},
    )
    return len(participants)


def _preview(body: str) -> str:
    return body if len(body) <= 120 else body[:117] + "…"


def conversation_mark_read(*, user, conversation_id) -> Participant:
    participant = _participant(user, conversation_id)
    last_id = (
        Message.objects.filter(conversation_id=conversation_id).order_by("-id").values_list("id", flat=True).first()
        or 0
    )
    Participant.objects.filter(pk=participant.pk).update(last_read_message_id=last_id, unread_count=0, notified=False)
    participant.last_read_message_id, participant.unread_count = last_id, 0
    others = list(
        Participant.objects.filter(conversation_id=conversation_id, left_at__isnull=True)
        .exclude(user=user)
        .values_list("user_id", flat=True)
    )
    event = {"type": "chat.read", "conversation": int(conversation_id), "user": user.pk, "message": last_id}
    # a group chat shows no read receipts: only the reader's own tabs and apps hear it (their unread count)
    readers = [user.pk] if participant.conversation.kind == Kind.GROUP else [user.pk, *others]
    transaction.on_commit(lambda: realtime.publish(readers, event))
    return participant


def conversation_settings(*, user, conversation_id, muted: bool | None = None, archived: bool | None = None):
    participant = _participant(user, conversation_id)
    fields = {}
    if muted is not None:
        fields["muted"] = bool(muted)
    if archived is not None:
        fields["archived"] = bool(archived)
    if fields:
        Participant.objects.filter(pk=participant.pk).update(**fields)
        for key, value in fields.items():
            setattr(participant, key, value)
    return participant


def user_block(*, user, other) -> Block:
    if other is None or other.pk == user.pk:
        raise ServiceError(_("Pengguna tidak dapat diblokir."))
    block, created = Block.objects.get_or_create(blocker=user, blocked=other)
    if created:
        activity_record(action=Action.BLOCKED, actor=user, target=other, target_label=other.full_name)
    return block


def user_unblock(*, user, other) -> bool:
    """Lifts the user's block of `other` (made in chat or on a community profile: one block). False when there
    was none."""
    if other is None:
        raise NotFound(_("Pengguna tidak ditemukan."))
    deleted, _rows = Block.objects.filter(blocker=user, blocked=other).delete()
    if deleted:
        activity_record(action=Action.UNBLOCKED, actor=user, target=other, target_label=other.full_name)
    return bool(deleted)


def conversation_block(*, user, conversation_id) -> Block:
    participant = _participant(user, conversation_id)
    if participant.conversation.kind == Kind.GROUP:
        raise ServiceError(_("Obrolan grup tidak dapat diblokir. Bisukan atau laporkan saja."))
    other = (
        Participant.objects.filter(conversation_id=participant.conversation_id)
        .exclude(user=user)
        .select_related("user")
        .first()
    )
    if other is None:
        raise ServiceError(_("Tidak ada pengguna lain di percakapan ini."))
    return user_block(user=user, other=other.user)


def conversation_unblock(*, user, conversation_id) -> bool:
    """Lifts the user's block of the other person in a two-person conversation (the page's "Buka blokir")."""
    participant = _participant(user, conversation_id)
    other = (
        Participant.objects.filter(conversation_id=participant.conversation_id)
        .exclude(user=user)
        .select_related("user")
        .first()
    )
    if participant.conversation.kind == Kind.GROUP or other is None:
        raise ServiceError(_("Tidak ada blokir di percakapan ini."))
    return user_unblock(user=user, other=other.user)


def report_create(*, user, conversation_id, reason, message_id=None) -> Report:
    participant = _participant(user, conversation_id)
    reason = _clean_text(reason, max_length=1000, field="reason", label=_("Alasan"))
    message = None
    if message_id is not None:
        if not isinstance(message_id, int) or isinstance(message_id, bool):
            raise ServiceError(_("Pesan yang dilaporkan tidak valid."), errors={"message": ["invalid"]})
        message = Message.objects.filter(pk=message_id, conversation_id=participant.conversation_id).first()
        if message is None:
            raise NotFound(_("Pesan tidak ditemukan."))
    _limit("CHAT_REPORT_RATE_LIMIT", f"user:{user.pk}")
    with transaction.atomic():
        report = Report.objects.create(
            conversation=participant.conversation, message=message, reporter=user, reason=reason
        )
        activity_record(action=Action.REPORTED, actor=user, target=report, target_label=str(report))
        _notify_admins_of_report(report, reporter=user)
    return report


def _notify_admins_of_report(report: Report, *, reporter) -> None:
    """Every active admin hears of a new report in the app (one insert for all of them); never the text."""
    admins = list(users_with_role(role=Role.ADMIN).exclude(pk=reporter.pk))
    if admins:
        notify_users(
            users=admins,
            kind=NOTIFY_REPORT,
            link=absolute(reverse("chat:admin_report", args=[report.pk])),
            context={"reporter": reporter.full_name, "kind": str(report.conversation.get_kind_display())},
            data={"report": report.pk},
        )


def report_read(*, admin, report: Report) -> None:
    """An admin opens a reported conversation: allowed only through a report, and every reading is logged."""
    if not admin.is_admin:
        raise NotAllowed(_("Hanya admin yang dapat membaca percakapan yang dilaporkan."))
    activity_record(action=Action.REPORT_READ, actor=admin, target=report, target_label=str(report))


REPORT_ATTACHMENT_SALT = "chat.report_attachment"


def report_attachment_token(report: Report, attachment: Attachment) -> str:
    """A signed, expiring link for an admin to one attachment of a reported conversation."""
    return signing.dumps({"a": attachment.pk, "r": report.pk}, salt=REPORT_ATTACHMENT_SALT)


def report_attachment_open(*, admin, report: Report, token: str) -> Attachment:
    """An admin opens one attachment of a reported conversation (also of a message its sender deleted: the review
    keeps the evidence) through its signed link; every opening is in the audit log, like the reading."""
    if not admin.is_admin:
        raise NotAllowed(_("Hanya admin yang dapat membuka lampiran percakapan yang dilaporkan."))
    payload = _link_payload(
        token, REPORT_ATTACHMENT_SALT, _("Link lampiran sudah kedaluwarsa. Buka lagi dari laporannya.")
    )
    if payload.get("r") != report.pk:
        raise NotFound(_("Lampiran tidak ditemukan."))
    attachment = (
        Attachment.objects.select_related("message")
        .filter(pk=payload.get("a"), message__conversation_id=report.conversation_id)
        .first()
    )
    if attachment is None or not attachment.file or not attachment.file.storage.exists(attachment.file.name):
        raise NotFound(_("Lampiran tidak ditemukan."))
    activity_record(
        action=Action.REPORT_ATTACHMENT_READ,
        actor=admin,
        target=report,
        target_label=str(report),
        data={"attachment": attachment.pk, "message": attachment.message_id},
    )
    return attachment


def _suspension_target(admin, user):
    if not admin.is_admin:
        raise NotAllowed(_("Hanya admin yang dapat menangguhkan chat pengguna."))
    if user is None:
        raise NotFound(_("Pengguna tidak ditemukan."))
    if user.pk == admin.pk or user.is_admin:
        raise NotAllowed(_("Chat admin tidak dapat ditangguhkan."))
    return user


@transaction.atomic
def chat_suspend(*, admin, user, days, reason: str = "", report: Report | None = None) -> Suspension:
    """An admin acts against an offender: no sending and no new conversations for `days` days (1 … 365), or until
    lifted (`days=None`: blocked from chat). A new action replaces a running one. Audited."""
    user = _suspension_target(admin, user)
    if days is not None:
        if isinstance(days, bool) or not isinstance(days, int | str):
            days = 0
        try:
            days = int(days)
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= 365:
            raise ServiceError(_("Lama penangguhan 1 sampai 365 hari."), errors={"days": [_("Angka 1 sampai 365.")]})
    reason = _clean_text(reason or "-", max_length=300, field="reason", label=_("Alasan"))
    reason = "" if reason == "-" else reason
    now = timezone.now()
    Suspension.objects.filter(user=user, lifted_at__isnull=True).update(lifted_at=now, lifted_by=admin)
    suspension = Suspension.objects.create(
        user=user,
        until=now + timezone.timedelta(days=days) if days else None,
        reason=reason,
        report=report,
        created_by=admin,
        created_at=now,
    )
    activity_record(
        action=Action.SUSPENDED,
        actor=admin,
        target=user,
        target_label=user.full_name,
        data={"days": days, "reason": reason, "report": report.pk if report else None},
    )
    return suspension


@transaction.atomic
def chat_suspension_lift(*, admin, user) -> int:
    """Lifts the user's running suspension (or block from chat). Returns how many were lifted. Audited."""
    user = _suspension_target(admin, user)
    lifted = Suspension.objects.filter(user=user, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=admin
    )
    if lifted:
        activity_record(action=Action.SUSPENSION_LIFTED, actor=admin, target=user, target_label=user.full_name)
    return lifted


def report_resolve(*, admin, report: Report) -> Report:
    if not admin.is_admin:
        raise NotAllowed(_("Hanya admin yang dapat menutup laporan."))
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.RESOLVED, resolved_at=timezone.now())
        report.status = ReportStatus.RESOLVED
        activity_record(action=Action.REPORT_RESOLVED, actor=admin, target=report, target_label=str(report))
    return report


def typing_target(*, user, conversation_id) -> tuple[bool, list[int]]:
    """(a group chat?, the other participants to tell one by one): a group chat's typing goes once to the group."""
    participant = _participant(user, conversation_id)
    if participant.conversation.kind == Kind.GROUP:
        return True, []
    return False, typing_recipients(user=user, conversation_id=conversation_id)


def typing_recipients(*, user, conversation_id) -> list[int]:
    """Who sees the user typing (the other participants), after checking the user is one."""
    participant = _participant(user, conversation_id)
    return list(
        Participant.objects.filter(conversation_id=participant.conversation_id, left_at__isnull=True)
        .exclude(user=user)
        .values_list("user_id", flat=True)
    )


# --- attachments ----------------------------------------------------------------------------------------------------

ATTACHMENT_SALT = "chat.attachment"
ATTACHMENTS_PER_MESSAGE = 4
_MAGIC = {
    "png": (AttachmentKind.IMAGE, (b"\x89PNG\r\n\x1a\n",)),
    "jpg": (AttachmentKind.IMAGE, (b"\xff\xd8\xff",)),
    "jpeg": (AttachmentKind.IMAGE, (b"\xff\xd8\xff",)),
    "webp": (AttachmentKind.IMAGE, (b"RIFF",)),
    "pdf": (AttachmentKind.PDF, (b"%PDF-",)),
}


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _check_files(files) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > ATTACHMENTS_PER_MESSAGE:
        message = _("Paling banyak %(n)s lampiran per pesan.") % {"n": ATTACHMENTS_PER_MESSAGE}
        raise ServiceError(message, errors={"attachments": [message]})
    for upload in files:
        name = str(getattr(upload, "name", "") or "")
        extension = _extension(name)
        if "\x00" in name or extension not in _MAGIC:
            message = _("Lampiran harus berupa gambar (PNG, JPG, WebP) atau PDF.")
            raise ServiceError(message, errors={"attachments": [message]})
        if not upload.size:
            raise ServiceError(_("Lampiran kosong."), errors={"attachments": [_("Lampiran kosong.")]})
        if upload.size > settings.CHAT_ATTACHMENT_MAX_BYTES:
            message = _("Ukuran lampiran maksimal %(mb)s MB.") % {
                "mb": max(1, settings.CHAT_ATTACHMENT_MAX_BYTES // (1024 * 1024))
            }
            raise ServiceError(message, errors={"attachments": [message]})
        upload.seek(0)
        head = upload.read(12)
        upload.seek(0)
        magic = _MAGIC[extension][1]
        if not head.startswith(magic) or (extension == "webp" and head[8:12] != b"WEBP"):
            message = _("Isi lampiran “%(name)s” tidak sesuai dengan jenisnya.") % {"name": name[:80]}
            raise ServiceError(message, errors={"attachments": [message]})
    return files


def _store_files(message: Message, files) -> list:
    stored = []
    for upload in files:
        extension = _extension(upload.name)
        attachment = Attachment(
            message=message, kind=_MAGIC[extension][0], original_name=str(upload.name)[:255], size=upload.size
        )
        attachment.file.save(f"{secrets.token_hex(16)}.{extension}", upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _link_payload(token: str, salt: str, expired_message) -> dict:
    """The dict inside a signed attachment link (expired: NotAllowed with `expired_message`; forged: NotFound)."""
    try:
        payload = signing.loads(token, salt=salt, max_age=settings.CHAT_ATTACHMENT_LINK_TTL_SECONDS)
    except signing.SignatureExpired:
        raise NotAllowed(expired_message) from None
    except signing.BadSignature:
        raise NotFound(_("Lampiran tidak ditemukan.")) from None
    if not isinstance(payload, dict):
        raise NotFound(_("Lampiran tidak ditemukan."))
    return payload


def attachment_open(*, user, token: str) -> Attachment:
    """The attachment behind a signed link, for a current participant of its conversation; an expired, forged or
    someone else's link, or a deleted message, is refused."""
    payload = _link_payload(token, ATTACHMENT_SALT, _("Link lampiran sudah kedaluwarsa. Buka lagi dari percakapannya."))
    attachment = (
        Attachment.objects.select_related("message")
        .filter(pk=payload.get("a"), message__conversation_id=payload.get("c"), message__deleted_at__isnull=True)
        .first()
    )
    if attachment is None:
        raise NotFound(_("Lampiran tidak ditemukan."))
    _participant(user, attachment.message.conversation_id)
    if not attachment.file or not attachment.file.storage.exists(attachment.file.name):
        raise NotFound(_("Lampiran tidak ditemukan."))
    return attachment


# --- edit and delete own messages ------------------------------------------------------------------------------------


def _own_message(user, message_id, window: int, verb: str) -> Message:
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise ServiceError(_("Pesan tidak valid."), errors={"message": ["invalid"]})
    message = Message.objects.select_related("conversation", "sender").filter(pk=message_id).first()
    if message is None or message.sender_id != user.pk:
        raise NotFound(_("Pesan tidak ditemukan."))
    _participant(user, message.conversation_id)
    if message.deleted_at is not None:
        raise ServiceError(_("Pesan ini sudah dihapus."))
    if (timezone.now() - message.created_at).total_seconds() > window:
        raise ServiceError(
            _("Pesan hanya dapat %(verb)s dalam %(m)s menit setelah dikirim.")
            % {"verb": verb, "m": max(1, window // 60)}
        )
    return message


def _publish_update(message: Message) -> None:
    recipients = (
        []  # a group chat's update goes once to the group
        if message.conversation.kind == Kind.GROUP
        else list(
            Participant.objects.filter(conversation_id=message.conversation_id, left_at__isnull=True).values_list(
                "user_id", flat=True
            )
        )
    )
    payload = message_payload(message, None if message.deleted_at else list(message.attachments.all()))
    event = {"type": "chat.message_updated", "message": payload}
    transaction.on_commit(lambda: _publish_to(message.conversation, recipients, event))


@transaction.atomic
def message_edit(*, user, message_id, body) -> Message:
    """The sender edits their message within `CHAT_EDIT_WINDOW_SECONDS` (shown as "diedit"). Not while they may not
    write in the conversation (an admin's suspension, a mute): an edit puts new words before the others as a new
    message does. Deleting stays open to them (`message_delete`): it adds nothing, and the text is kept for review."""
    message = _own_message(user, message_id, settings.CHAT_EDIT_WINDOW_SECONDS, _("diubah"))
    restriction = policy.send_restriction(user, message.conversation)
    if restriction:
        raise NotAllowed(restriction)
    body = _clean_text(body, max_length=settings.CHAT_MESSAGE_MAX_LENGTH, field="body", label=_("Pesan"))
    if body != message.body:
        message.body, message.edited_at = body, timezone.now()
        message.save(update_fields=["body", "edited_at"])
        _publish_update(message)
    return message


@transaction.atomic
def message_delete(*, user, message_id) -> Message:
    """The sender deletes their message within `CHAT_DELETE_WINDOW_SECONDS`: it stays in place as "pesan dihapus"
    (its text is kept only for a report's review; its files are no longer served)."""
    message = _own_message(user, message_id, settings.CHAT_DELETE_WINDOW_SECONDS, _("dihapus"))
    message.deleted_at = timezone.now()
    message.save(update_fields=["deleted_at"])
    _publish_update(message)
    return message


# --- group chat (the owning app keeps the members in line through these) ----------------------------------------------


def group_conversation(group_key: str) -> Conversation | None:
    return Conversation.objects.filter(group_key=group_key).first() if group_key else None


def group_conversation_ensure(*, group_key: str, title: str, created_by=None, user_ids=()) -> Conversation:
    """The group chat of `group_key` (created once), its title kept current, and `user_ids` in it (in bulk)."""
    if not group_key:
        raise ServiceError(_("Grup tidak valid."))
    title = str(title or "")[:150]
    conversation = Conversation.objects.filter(group_key=group_key).first()
    if conversation is None:
        try:
            with transaction.atomic():
                conversation = Conversation.objects.create(
                    kind=Kind.GROUP, group_key=group_key, title=title, created_by=created_by
                )
        except IntegrityError:
            conversation = Conversation.objects.get(group_key=group_key)
    elif conversation.title != title:
        Conversation.objects.filter(pk=conversation.pk).update(title=title)
        conversation.title = title
    group_participants_add(conversation=conversation, user_ids=user_ids)
    return conversation


def group_participants_add(*, conversation: Conversation, user_ids) -> int:
    """Adds (or brings back) members to a group chat, 1,000 per statement. Returns how many joined."""
    ids = sorted({int(i) for i in user_ids})
    joined = 0
    joined_ids: list[int] = []
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        have = set(
            Participant.objects.filter(conversation=conversation, user_id__in=chunk).values_list("user_id", flat=True)
        )
        Participant.objects.bulk_create(
            [Participant(conversation=conversation, user_id=i) for i in chunk if i not in have], ignore_conflicts=True
        )
        # a returning member starts from the newest message (what was said while away stays readable as history)
        newest = Message.objects.filter(conversation=conversation).order_by("-id").values_list("id", flat=True).first()
        returning = Participant.objects.filter(conversation=conversation, user_id__in=chunk, left_at__isnull=False)
        back_ids = list(returning.values_list("user_id", flat=True))
        returning.update(left_at=None, joined_at=timezone.now(), last_read_message_id=newest or 0, unread_count=0)
        joined_ids += [i for i in chunk if i not in have] + back_ids
        joined += len([i for i in chunk if i not in have]) + len(back_ids)
    if 0 < len(joined_ids) <= LIVE_JOIN_MAX:  # open sockets follow the chat at once (a bulk sync: on reconnect)
        event = {"type": "chat.join", "conversation": conversation.pk}
        transaction.on_commit(lambda: realtime.publish(joined_ids, event))
    return joined


LIVE_JOIN_MAX = 100


def group_participant_remove(*, group_key: str, user_id: int) -> bool:
    """A member left the group (left, banned, removed): they leave its chat; the history stays."""
    conversation = group_conversation(group_key)
    if conversation is None:
        return False
    left = bool(
        Participant.objects.filter(conversation=conversation, user_id=user_id, left_at__isnull=True).update(
            left_at=timezone.now(), unread_count=0
        )
    )
    if left:
        transaction.on_commit(lambda: _left_live([user_id], conversation.pk))
    return left


# --- group chat moderation -------------------------------------------------------------------------------------


def _group_target(actor, conversation_id, member_id) -> tuple[Conversation, Participant]:
    participant = _participant(actor, conversation_id)
    conversation = participant.conversation
    if conversation.kind != Kind.GROUP or not registry.group_moderator(actor, conversation.group_key):
        raise NotAllowed(_("Hanya moderator atau pemilik grup yang dapat membisukan anggota di chat grup."))
    try:
        member_id = int(member_id)
    except (TypeError, ValueError):
        raise NotFound(_("Anggota tidak ditemukan di chat grup ini.")) from None
    target = (
        Participant.objects.select_related("user")
        .filter(conversation=conversation, user_id=member_id, left_at__isnull=True)
        .first()
    )
    if target is None:
        raise NotFound(_("Anggota tidak ditemukan di chat grup ini."))
    return conversation, target


@transaction.atomic
def group_chat_mute(*, actor, conversation_id, member_id, minutes, reason: str = "") -> GroupChatMute:
    """A group's moderator or owner silences a member in the group chat for `minutes` (1 … CHAT_MUTE_MAX_MINUTES);
    muting again replaces the time. Moderators cannot be muted. Recorded in the activity log."""
    conversation, target = _group_target(actor, conversation_id, member_id)
    if target.user_id == actor.pk or registry.group_moderator(target.user, conversation.group_key):
        raise NotAllowed(_("Moderator atau pemilik grup tidak dapat dibisukan."))
    if isinstance(minutes, bool) or not isinstance(minutes, int | str):
        minutes = None
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not 1 <= minutes <= settings.CHAT_MUTE_MAX_MINUTES:
        raise ServiceError(
            _("Lama bisu harus 1 sampai %(n)s menit.") % {"n": settings.CHAT_MUTE_MAX_MINUTES},
            errors={"minutes": ["invalid"]},
        )
    reason = _clean_text(reason or "-", max_length=300, field="reason", label=_("Alasan"))
    until = timezone.now() + timezone.timedelta(minutes=minutes)
    mute, _created = GroupChatMute.objects.update_or_create(
        conversation=conversation,
        user=target.user,
        defaults={"until": until, "reason": "" if reason == "-" else reason, "muted_by": actor},
    )
    activity_record(
        action=Action.MEMBER_MUTED,
        actor=actor,
        target=conversation,
        target_label=target.user.full_name,
        data={"member": target.user_id, "minutes": minutes, "reason": mute.reason},
    )
    return mute


@transaction.atomic
def group_chat_unmute(*, actor, conversation_id, member_id) -> bool:
    """Lifts a member's mute in the group chat (moderators and owners); False when there was none."""
    conversation, target = _group_target(actor, conversation_id, member_id)
    deleted, _rows = GroupChatMute.objects.filter(conversation=conversation, user=target.user).delete()
    if deleted:
        activity_record(
            action=Action.MEMBER_UNMUTED,
            actor=actor,
            target=conversation,
            target_label=target.user.full_name,
            data={"member": target.user_id},
        )
    return bool(deleted)
