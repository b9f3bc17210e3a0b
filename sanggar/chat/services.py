"""Chat writes: open a conversation, send (idempotent by client id), mark read, mute / archive, block, report, and
the admin's audited reading of a reported conversation. Pages, the API and the websocket all call these."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, NotFound, RateLimited, ServiceError
from sanggar.core.ratelimit import window_take
from sanggar.core.site import absolute
from sanggar.notifications.services import notify_users

from . import policy, realtime
from .constants import NOTIFY_MESSAGE, Action, ReportStatus
from .models import Block, Conversation, Message, Participant, Report, SupplierRefusal

User = get_user_model()


def _limit(setting: str, key: str) -> None:
    retry = window_take(key, setting=setting)
    if retry:
        raise RateLimited(_("Terlalu banyak pesan. Coba lagi dalam %(s)s detik.") % {"s": retry}, retry_after=retry)


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


def conversation_open(*, user, other) -> tuple[Conversation, bool]:
    """The conversation between `user` and `other` (existing, or new when the rules allow). Returns (conversation,
    created)."""
    if other is None:
        raise NotFound(_("Pengguna tidak ditemukan."))
    existing = Conversation.objects.filter(pair_key=_pair_key(user.pk, other.pk)).first()
    if existing is not None:
        if policy.blocked_between(user.pk, other.pk):
            raise NotAllowed(_("Anda tidak dapat mengirim pesan ke pengguna ini."))
        Participant.objects.filter(conversation=existing, user=user, archived=True).update(archived=False)
        return existing, False
    decision = policy.start_decision(user, other)
    if not decision.allowed:
        if decision.supplier_refused:
            SupplierRefusal.objects.create(supplier=other, member=user)
        raise NotAllowed(decision.message)
    _limit("CHAT_CONVERSATION_RATE_LIMIT", f"user:{user.pk}")
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                kind=decision.kind, pair_key=_pair_key(user.pk, other.pk), created_by=user
            )
            Participant.objects.bulk_create(
                [Participant(conversation=conversation, user=user), Participant(conversation=conversation, user=other)]
            )
    except IntegrityError:  # opened at the same moment from another tab
        return Conversation.objects.get(pair_key=_pair_key(user.pk, other.pk)), False
    return conversation, True


def _participant(user, conversation_id) -> Participant:
    participant = (
        Participant.objects.select_related("conversation").filter(conversation_id=conversation_id, user=user).first()
    )
    if participant is None:  # not found and not yours look the same
        raise NotFound(_("Percakapan tidak ditemukan."))
    return participant


@dataclass(frozen=True)
class Sent:
    message: Message
    created: bool


def message_payload(message: Message) -> dict:
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "sender": {"id": message.sender_id, "name": message.sender.full_name if message.sender_id else ""},
        "body": message.body,
        "client_id": message.client_id,
        "is_system": message.is_system,
        "created_at": message.created_at.isoformat(),
    }


def _new_account(user) -> bool:
    return (timezone.now() - user.date_joined).days < settings.CHAT_NEW_ACCOUNT_DAYS


def message_send(*, user, conversation_id, body, client_id="", ip: str | None = None) -> Sent:
    """Saves a message and, after commit, publishes it to every participant and notifies offline ones (once per
    unread burst). The same `client_id` from the same sender returns the first message instead of a duplicate."""
    participant = _participant(user, conversation_id)
    if client_id is None:
        client_id = ""
    if not isinstance(client_id, str) or len(client_id) > 64 or "\x00" in client_id:
        raise ServiceError(_("client_id tidak valid (teks, maksimal 64 karakter)."), errors={"client_id": ["invalid"]})
    client_id = client_id.strip()
    if client_id:
        existing = (
            Message.objects.filter(conversation_id=conversation_id, sender=user, client_id=client_id)
            .select_related("sender")
            .first()
        )
        if existing is not None:
            return Sent(existing, False)
    body = _clean_text(body, max_length=settings.CHAT_MESSAGE_MAX_LENGTH, field="body", label=_("Pesan"))
    conversation = participant.conversation
    others = list(Participant.objects.filter(conversation=conversation).exclude(user=user).select_related("user"))
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
    now = timezone.now()
    try:
        with transaction.atomic():
            message = Message.objects.create(
                conversation=conversation, sender=user, body=body, client_id=client_id, sender_ip=ip, created_at=now
            )
            Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
            Participant.objects.filter(conversation=conversation).exclude(user=user).update(
                unread_count=F("unread_count") + 1, archived=False
            )
            Participant.objects.filter(pk=participant.pk).update(
                last_read_message_id=message.pk, unread_count=0, notified=False
            )
            online = realtime.online_ids(p.user_id for p in others)
            to_notify = [p for p in others if not p.muted and not p.notified and p.user_id not in online]
            if to_notify:
                Participant.objects.filter(pk__in=[p.pk for p in to_notify]).update(notified=True)
            payload = message_payload(message)
            recipients = [user.pk, *(p.user_id for p in others)]
            transaction.on_commit(lambda: realtime.publish(recipients, {"type": "chat.message", "message": payload}))
            transaction.on_commit(lambda: _notify_offline(user, conversation, body, to_notify))
    except IntegrityError:  # the same client id raced in from another connection
        return Sent(
            Message.objects.select_related("sender").get(conversation=conversation, sender=user, client_id=client_id),
            False,
        )
    return Sent(message, True)


def _notify_offline(sender, conversation, body, participants) -> None:
    if not participants:
        return
    link = absolute(reverse("chat:conversation", args=[conversation.pk]))
    preview = body if len(body) <= 120 else body[:117] + "…"
    notify_users(
        users=[p.user for p in participants],
        kind=NOTIFY_MESSAGE,
        link=link,
        context={"sender": sender.full_name, "preview": preview},
        data={"conversation": conversation.pk},
    )


def conversation_mark_read(*, user, conversation_id) -> Participant:
    participant = _participant(user, conversation_id)
    last_id = (
        Message.objects.filter(conversation_id=conversation_id).order_by("-id").values_list("id", flat=True).first()
        or 0
    )
    Participant.objects.filter(pk=participant.pk).update(last_read_message_id=last_id, unread_count=0, notified=False)
    participant.last_read_message_id, participant.unread_count = last_id, 0
    others = list(
        Participant.objects.filter(conversation_id=conversation_id).exclude(user=user).values_list("user_id", flat=True)
    )
    event = {"type": "chat.read", "conversation": int(conversation_id), "user": user.pk, "message": last_id}
    transaction.on_commit(lambda: realtime.publish([user.pk, *others], event))
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


def user_unblock(*, user, other) -> None:
    Block.objects.filter(blocker=user, blocked=other).delete()


def conversation_block(*, user, conversation_id) -> Block:
    participant = _participant(user, conversation_id)
    other = (
        Participant.objects.filter(conversation_id=participant.conversation_id)
        .exclude(user=user)
        .select_related("user")
        .first()
    )
    if other is None:
        raise ServiceError(_("Tidak ada pengguna lain di percakapan ini."))
    return user_block(user=user, other=other.user)


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
    return report


def report_read(*, admin, report: Report) -> None:
    """An admin opens a reported conversation: allowed only through a report, and every reading is logged."""
    if not admin.is_admin:
        raise NotAllowed(_("Hanya admin yang dapat membaca percakapan yang dilaporkan."))
    activity_record(action=Action.REPORT_READ, actor=admin, target=report, target_label=str(report))


def report_resolve(*, admin, report: Report) -> Report:
    if not admin.is_admin:
        raise NotAllowed(_("Hanya admin yang dapat menutup laporan."))
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.RESOLVED, resolved_at=timezone.now())
        report.status = ReportStatus.RESOLVED
        activity_record(action=Action.REPORT_RESOLVED, actor=admin, target=report, target_label=str(report))
    return report


def typing_recipients(*, user, conversation_id) -> list[int]:
    """Who sees the user typing (the other participants), after checking the user is one."""
    participant = _participant(user, conversation_id)
    return list(
        Participant.objects.filter(conversation_id=participant.conversation_id)
        .exclude(user=user)
        .values_list("user_id", flat=True)
    )
