"""The package's weekly allowance of active chats (spec Supplier §7a "jumlah chat aktif per minggu"; issue 16 "Free vs
Premium limits set by admins (... chats per week ...)"). A conversation is counted once in the supplier's week (WIB,
Monday to Sunday) when a member opens it with the supplier or the supplier replies in it; replies within a counted
conversation are unlimited (§5 "unlimited chat" = unlimited replies). Admins set Free and Premium at
/admin/supplier/paket: Free 0 = Free suppliers do not chat at all (§5, the default), Premium 0 = no cap.
`gate` is registered with chat (`chat.registry.supplier_chat_gate_register`) and runs inside chat's transaction,
with the supplier row locked, so two requests cannot both take the last unit."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ChatWeekUse, Supplier
from .services import is_premium, settings_get


def week_start(now: datetime | None = None) -> date:
    today = timezone.localdate(now) if now else timezone.localdate()
    return today - timedelta(days=today.weekday())


@dataclass(frozen=True)
class ChatWeek:
    limit: int | None  # None = no cap; 0 = no chat in this package
    used: int
    week: date
    premium: bool

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)

    @property
    def resets_on(self) -> date:
        return self.week + timedelta(days=7)


def weekly_limit(*, premium: bool, settings_row=None) -> int | None:
    s = settings_row or settings_get()
    if premium:
        return s.premium_chats_week or None
    return s.free_chats_week


def chat_week(supplier: Supplier, now: datetime | None = None) -> ChatWeek:
    """The supplier's allowance this week (shown on its dashboard, chat page and in the API)."""
    premium = is_premium(supplier, now)
    week = week_start(now)
    used = ChatWeekUse.objects.filter(supplier=supplier, week=week).count()
    return ChatWeek(limit=weekly_limit(premium=premium), used=used, week=week, premium=premium)


def gate(supplier_user, conversation_id: int, *, by_supplier: bool) -> str:
    """Registered with chat; runs inside chat's transaction. "" = allowed (the conversation is counted in this week
    if it was not yet), else the refusal for whoever is writing."""
    supplier = Supplier.objects.select_for_update().filter(user_id=supplier_user.pk).first()
    if supplier is None:
        return ""
    week = week_start()
    if ChatWeekUse.objects.filter(supplier=supplier, week=week, conversation_id=conversation_id).exists():
        return ""
    premium = is_premium(supplier)
    limit = weekly_limit(premium=premium)
    if limit is not None and ChatWeekUse.objects.filter(supplier=supplier, week=week).count() >= limit:
        if not by_supplier:
            return _("Supplier ini sudah mencapai batas chat minggu ini. Coba lagi minggu depan.")
        message = _("Batas %(n)s chat aktif per minggu untuk paket Anda sudah tercapai; chat baru bisa dibalas lagi "
                    "mulai Senin.") % {"n": limit}  # fmt: skip
        if not premium:
            message = f"{message} {_('Tambah batas ini dengan Supplier Premium.')}"
        return message
    ChatWeekUse.objects.create(supplier=supplier, week=week, conversation_id=conversation_id)
    return ""
