from django.db import models
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    MEMBERSHIP_STARTED = "membership_started", _("Keanggotaan dimulai")
    MEMBERSHIP_EXPIRING = "membership_expiring", _("Keanggotaan berakhir dalam N hari")
    MEMBERSHIP_EXPIRED = "membership_expired", _("Keanggotaan sudah berakhir")
    ORDER_PENDING = "order_pending", _("Pesanan menunggu pembayaran")
    ORDER_PAID = "order_paid", _("Pesanan lunas")
    # The builder's triggers (issue 14): per plan, product, course or event (the sequence's target).
    AFTER_PURCHASE = "after_purchase", _("Setelah pembelian (pesanan lunas)")
    BEFORE_EXPIRY = "before_expiry", _("Sebelum masa aktif berakhir")
    AFTER_EXPIRY = "after_expiry", _("Setelah masa aktif berakhir")
    INACTIVITY = "inactivity", _("Tidak aktif selama N hari")
    ON_DATE = "on_date", _("Pada tanggal tertentu")
    BEFORE_EVENT = "before_event", _("Sebelum event dimulai")
    AFTER_EVENT = "after_event", _("Setelah event selesai (mis. kirim tautan rekaman)")
    # Digests (REM-D5): once per period per member, summarising the period that just ended.
    WEEKLY_DIGEST = "weekly_digest", _("Ringkasan mingguan (periode mulai Senin 00:00 WIB)")
    MONTHLY_DIGEST = "monthly_digest", _("Laporan bulanan (periode mulai tanggal 1, 00:00 WIB)")
    # Supplier upgrade reminders (spec Supplier §7b, §8): to free suppliers (approved, not Premium).
    SUPPLIER_APPROVED = "supplier_approved", _("Supplier Free disetujui admin (langkah 1/7/14/30 hari)")
    SUPPLIER_FIRST_PRODUCT = "supplier_first_product", _("Supplier Free mengunggah produk pertama")
    SUPPLIER_REFUSED_CHAT = (
        "supplier_refused_chat",
        _("Member mencoba menghubungi supplier Free (dilihat tanpa bisa membalas; jeda N hari, 0 = sekali)"),
    )
    SUPPLIER_PREMIUM_ENDING = "supplier_premium_ending", _("Sebelum Supplier Premium berakhir")
    SUPPLIER_PREMIUM_ENDED = "supplier_premium_ended", _("Setelah Supplier Premium berakhir")
    # To Premium suppliers: a member's inquiry (supplier chat) unread longer than the step's delay (checklist §4.3).
    SUPPLIER_UNREAD_CHAT = "supplier_unread_chat", _("Chat calon pembeli belum dibalas")


# Triggers whose steps go out *before* the trigger's moment (the delay is subtracted).
BEFORE_TRIGGERS = frozenset({Trigger.BEFORE_EXPIRY, Trigger.BEFORE_EVENT, Trigger.SUPPLIER_PREMIUM_ENDING})
# The supplier upgrade triggers: their sends count toward the promo coupon after the third reminder (`{promo}`).
SUPPLIER_UPGRADE_TRIGGERS = frozenset(
    {Trigger.SUPPLIER_APPROVED, Trigger.SUPPLIER_FIRST_PRODUCT, Trigger.SUPPLIER_REFUSED_CHAT}
)
SUPPLIER_TRIGGERS = SUPPLIER_UPGRADE_TRIGGERS | {
    Trigger.SUPPLIER_PREMIUM_ENDING,
    Trigger.SUPPLIER_PREMIUM_ENDED,
    Trigger.SUPPLIER_UNREAD_CHAT,
}


class Target(models.TextChoices):
    ANY = "", _("Semua")
    PLAN = "plan", _("Paket membership")
    PRODUCT = "product", _("Produk")
    COURSE = "course", _("Kelas / kursus")
    EVENT = "event", _("Event")
    SUPPLIER = "supplier", _("Supplier")


class DelayUnit(models.TextChoices):
    HOURS = "hours", _("Jam")
    DAYS = "days", _("Hari")
    WEEKS = "weeks", _("Minggu")


DELAY_UNIT_HOURS = {DelayUnit.HOURS: 1, DelayUnit.DAYS: 24, DelayUnit.WEEKS: 24 * 7}

# Monday = 0 … Sunday = 6 (Python's weekday()).
WEEKDAYS = (
    (0, _("Sen")),
    (1, _("Sel")),
    (2, _("Rab")),
    (3, _("Kam")),
    (4, _("Jum")),
    (5, _("Sab")),
    (6, _("Min")),
)


class StopOn(models.TextChoices):
    NONE = "none", _("Tidak ada (kirim semua langkah)")
    RENEWED = "renewed", _("Berhenti bila keanggotaan diperpanjang / aktif lagi")
    PAID = "paid", _("Berhenti bila pesanan sudah dibayar / tidak menunggu lagi")
    COMPLETED = "completed", _("Berhenti bila kelas sudah diselesaikan")
    UPGRADED = "upgraded", _("Berhenti bila supplier sudah Premium")
    REPLIED = "replied", _("Berhenti bila supplier sudah membaca / membalas chat")


class Condition(models.TextChoices):
    """Checked for each member just before a step is sent; a member who does not meet it is skipped."""

    COURSES_COMPLETED_ZERO = "courses_completed_zero", _("Belum menyelesaikan kelas apa pun")
    NOT_RENEWED = "not_renewed", _("Belum memperpanjang (tidak ada membership aktif)")
    NO_PURCHASE = "no_purchase", _("Belum pernah membeli (tidak ada pesanan lunas)")
    INACTIVE = "inactive", _("Tidak login selama ambang tidak aktif")
    NO_GROUP = "no_group", _("Belum bergabung di grup komunitas mana pun")
    # the spec's userActive: false (no sign-in, lesson or community activity within the inactivity threshold)
    NO_ACTIVITY = "no_activity", _("Tidak aktif sama sekali (tanpa login, belajar, atau aktivitas komunitas)")
    # the spec's membershipUsage (Q-51, engine.usage_levels): lessons in the plan's courses and active days
    USAGE_LOW = "usage_low", _("Pemakaian membership RENDAH")
    USAGE_MEDIUM = "usage_medium", _("Pemakaian membership SEDANG")
    USAGE_HIGH = "usage_high", _("Pemakaian membership TINGGI")


USAGE_CONDITIONS = {Condition.USAGE_LOW: "LOW", Condition.USAGE_MEDIUM: "MEDIUM", Condition.USAGE_HIGH: "HIGH"}


class SequenceKind(models.TextChoices):
    """Transactional reminders (expiry, invoice, event) always go; marketing ones (win-back, upsell, digest) carry a
    one-click unsubscribe link and skip a member whose email is on the suppression list (§5.5, PDP)."""

    TRANSACTIONAL = "transactional", _("Transaksional (selalu dikirim: masa aktif, invoice, event)")
    MARKETING = "marketing", _("Pemasaran (dengan tautan berhenti berlangganan)")


class SendStatus(models.TextChoices):
    SENT = "sent", _("Terkirim")
    SKIPPED = "skipped", _("Dilewati (pengguna menonaktifkan saluran)")
    FAILED = "failed", _("Gagal")
    CONDITION = "condition", _("Dilewati (syarat tidak terpenuhi)")
    UNSUBSCRIBED = "unsub", _("Dilewati (berhenti berlangganan pemasaran)")
    # A realm's send handed to its own sender after the row was inserted (booster: the email to a lead is sent
    # after the commit that inserted the row and charged the credit), until it is marked sent or failed.
    SENDING = "sending", _("Sedang dikirim")


class BroadcastStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SCHEDULED = "scheduled", _("Terjadwal")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Selesai")


class SegmentStatus(models.TextChoices):
    ANY = "", _("Semua")
    ACTIVE = "active", _("Keanggotaan aktif")
    EXPIRED = "expired", _("Keanggotaan berakhir")
    NONE = "none", _("Belum pernah menjadi anggota")


# The builder's in-app "channel": the notification itself (always written, as the record of the send); its own
# title, text and link can be set per step.
IN_APP = "in_app"


def channel_label(code: str) -> str:
    """What a person reads for a channel code ("in_app" → "In-app", "whatsapp" → "WhatsApp")."""
    labels = {IN_APP: _("In-app"), "email": _("Email"), "whatsapp": _("WhatsApp"), "push": _("Push")}
    return str(labels.get(code, code))


# Preference group the messages go through (the user's opt-out per channel applies).
GROUP = "system"


class Action:
    SEQUENCE_SAVED = "reminders.sequence_saved"
    SEQUENCE_DUPLICATED = "reminders.sequence_duplicated"
    SEQUENCE_TOGGLED = "reminders.sequence_toggled"
    SEQUENCE_DELETED = "reminders.sequence_deleted"
    SEQUENCES_REORDERED = "reminders.sequences_reordered"
    STEP_TESTED = "reminders.step_tested"
    STEP_SAVED = "reminders.step_saved"
    STEP_DELETED = "reminders.step_deleted"
    STEP_DUPLICATED = "reminders.step_duplicated"
    STEPS_REORDERED = "reminders.steps_reordered"
    BROADCAST_SAVED = "reminders.broadcast_saved"
    BROADCAST_SENT = "reminders.broadcast_sent"
    BROADCAST_SCHEDULED = "reminders.broadcast_scheduled"
    BROADCAST_UNSCHEDULED = "reminders.broadcast_unscheduled"
    TRACKING_SETTINGS_SAVED = "reminders.tracking_settings_saved"
