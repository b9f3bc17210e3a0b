from django.db import models
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    MEMBERSHIP_STARTED = "membership_started", _("Keanggotaan dimulai")
    MEMBERSHIP_EXPIRING = "membership_expiring", _("Keanggotaan berakhir dalam N hari")
    MEMBERSHIP_EXPIRED = "membership_expired", _("Keanggotaan sudah berakhir")
    ORDER_PENDING = "order_pending", _("Pesanan menunggu pembayaran")
    ORDER_PAID = "order_paid", _("Pesanan lunas")


class StopOn(models.TextChoices):
    NONE = "none", _("Tidak ada (kirim semua langkah)")
    RENEWED = "renewed", _("Berhenti bila keanggotaan diperpanjang / aktif lagi")
    PAID = "paid", _("Berhenti bila pesanan sudah dibayar / tidak menunggu lagi")


class SendStatus(models.TextChoices):
    SENT = "sent", _("Terkirim")
    SKIPPED = "skipped", _("Dilewati (pengguna menonaktifkan saluran)")


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


# Preference group the messages go through (the user's opt-out per channel applies).
GROUP = "system"


class Action:
    SEQUENCE_SAVED = "reminders.sequence_saved"
    SEQUENCE_DUPLICATED = "reminders.sequence_duplicated"
    STEP_TESTED = "reminders.step_tested"
    STEP_SAVED = "reminders.step_saved"
    STEP_DELETED = "reminders.step_deleted"
    BROADCAST_SAVED = "reminders.broadcast_saved"
    BROADCAST_SENT = "reminders.broadcast_sent"
    BROADCAST_SCHEDULED = "reminders.broadcast_scheduled"
    BROADCAST_UNSCHEDULED = "reminders.broadcast_unscheduled"
