from django.db import models
from django.utils.translation import gettext_lazy as _

SUBJECT_MAX = 200
BODY_MAX = 5000
RATING_COMMENT_MAX = 500
MAX_FILES_PER_MESSAGE = 3
ATTACHMENT_EXTENSIONS = ("png", "jpg", "jpeg", "webp", "pdf")
MEMBER_PAGE_SIZE = 15
STAFF_PAGE_SIZE = 25
API_PAGE_SIZE = 50

ACTION_OPENED = "tickets.opened"
ACTION_ASSIGNED = "tickets.assigned"
ACTION_STATUS = "tickets.status_changed"
ACTION_PRIORITY = "tickets.priority_changed"
ACTION_RATED = "tickets.rated"
ACTION_CANNED_SAVED = "tickets.canned_saved"
ACTION_CANNED_DELETED = "tickets.canned_deleted"

CANNED_TITLE_MAX = 80
CANNED_MAX = 200  # canned replies kept at most (the picker lists them all)
# Shortcodes a canned reply may use, filled from the ticket when an agent picks it.
CANNED_SHORTCODES = (
    ("{nama}", "nama member"),
    ("{nomor}", "nomor tiket"),
    ("{judul}", "judul tiket"),
    ("{agen}", "nama agen"),
)


class TicketCategory(models.TextChoices):
    ACCOUNT = "akun", _("Akun & Login")
    PAYMENT = "pembayaran", _("Pembayaran")
    MEMBERSHIP = "membership", _("Membership")
    COURSE = "kelas", _("Kelas")
    AFFILIATE = "affiliate", _("Affiliate")
    ADS = "iklan", _("Iklan & Tracking")
    TECHNICAL = "teknis", _("Bug / Teknis")
    OTHER = "lainnya", _("Lainnya")


class TicketStatus(models.TextChoices):
    OPEN = "open", _("Baru")
    IN_PROGRESS = "in_progress", _("Diproses")
    WAITING = "waiting", _("Menunggu Balasan Anda")
    RESOLVED = "resolved", _("Selesai")
    CLOSED = "closed", _("Ditutup")


class TicketPriority(models.TextChoices):
    LOW = "low", _("Rendah")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("Tinggi")
    URGENT = "urgent", _("Mendesak")


PRIORITY_ORDER = {TicketPriority.URGENT: 0, TicketPriority.HIGH: 1, TicketPriority.NORMAL: 2, TicketPriority.LOW: 3}
# The setting holding each priority's first-response target in hours (PRODUCT.md: 1 / 4 / 8 / 24).
SLA_SETTINGS = {
    TicketPriority.URGENT: "TICKET_SLA_URGENT_HOURS",
    TicketPriority.HIGH: "TICKET_SLA_HIGH_HOURS",
    TicketPriority.NORMAL: "TICKET_SLA_NORMAL_HOURS",
    TicketPriority.LOW: "TICKET_SLA_LOW_HOURS",
}
OPEN_STATUSES = (TicketStatus.OPEN, TicketStatus.IN_PROGRESS, TicketStatus.WAITING)


class MessageKind(models.TextChoices):
    MEMBER = "member", _("Member")
    STAFF = "staff", _("Support")
    NOTE = "note", _("Catatan internal")
    SYSTEM = "system", _("Sistem")
