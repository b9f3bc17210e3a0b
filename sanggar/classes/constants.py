from django.db import models
from django.utils.translation import gettext_lazy as _

ITEM_KIND = "kelas"  # the order line kind of a class period; the line's `ref` is the enrolment id
EXTRA_ITEM_KIND = "kelas_plus"  # extra meetings; the line's `ref` is "<enrolment id>-<meetings>"
RESOURCE_KIND = "live_class"
MAX_EXTRA_MEETINGS = 10  # per order line


class ClassType(models.TextChoices):
    SEMI_PRIVATE = "semi_private", _("Semi-privat")
    PRIVATE = "private", _("Privat")


class Level(models.TextChoices):
    ADULT = "dewasa", _("Dewasa")
    CHILD = "anak", _("Anak")


class PeriodMode(models.TextChoices):
    ROLLING = "rolling", _("30 hari sejak aktif")
    CALENDAR = "calendar", _("Bulan kalender")


class SectionStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    FULL = "full", _("Penuh")
    ARCHIVED = "archived", _("Diarsipkan")


class EnrollmentStatus(models.TextChoices):
    WAITING = "waiting", _("Menunggu review admin")
    APPROVED = "approved", _("Disetujui, menunggu pembayaran")
    ACTIVE = "active", _("Aktif")
    SUSPENDED = "suspended", _("Ditangguhkan")
    EXPIRED = "expired", _("Berakhir")
    CANCELLED = "cancelled", _("Dibatalkan")
    REJECTED = "rejected", _("Ditolak")


# States in which the enrolment holds a seat of its section.
SEAT_STATUSES = (EnrollmentStatus.APPROVED, EnrollmentStatus.ACTIVE, EnrollmentStatus.SUSPENDED)


class QuotaReason(models.TextChoices):
    PERIOD = "period", _("Kuota periode")
    CARRY = "carry", _("Sisa periode sebelumnya")
    EXTRA = "extra", _("Pertemuan tambahan")
    REFUND = "refund", _("Pengembalian pertemuan tambahan")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Terjadwal")
    COMPLETED = "completed", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Hadir")
    EXCUSED = "excused", _("Izin")
    ABSENT = "absent", _("Absen")


class Notify:
    APPROVED = "classes.approved"
    REJECTED = "classes.rejected"
    PAYMENT_EXPIRED = "classes.payment_expired"
    ACTIVATED = "classes.activated"
    MEETING_SCHEDULED = "classes.meeting_scheduled"
    EXPIRY_REMINDER = "classes.expiry_reminder"
    EXPIRED = "classes.expired"
    QUOTA_USED = "classes.quota_used"
    SECTION_NO_TUTOR = "classes.section_no_tutor"
    TUTOR_CHANGED = "classes.tutor_changed"
    EXTRA_CREDITED = "classes.extra_credited"


class Action:
    REGISTERED = "classes.registered"
    APPROVED = "classes.approved"
    REJECTED = "classes.rejected"
    SECTION_CREATED = "classes.section_created"
    TUTOR_ASSIGNED = "classes.tutor_assigned"
    MEETING_SCHEDULED = "classes.meeting_scheduled"
    ATTENDANCE_MARKED = "classes.attendance_marked"
    CANCELLED = "classes.cancelled"
    EXCUSED = "classes.excused"
