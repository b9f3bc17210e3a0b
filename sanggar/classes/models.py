from django.conf import settings
from django.db import models
from django.db.models import Q

from .constants import (
    AttendanceStatus,
    ClassType,
    EnrollmentStatus,
    Level,
    MeetingStatus,
    PeriodMode,
    QuotaReason,
    SectionStatus,
)


class ClassTemplate(models.Model):
    """A live-class program ("Semi-Private Grammar"): what a period costs and holds; sections are its groups."""

    name = models.CharField("nama", max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    subject = models.CharField("mata pelajaran", max_length=120)
    description = models.TextField("deskripsi", blank=True)
    class_type = models.CharField("tipe", max_length=20, choices=ClassType.choices, default=ClassType.SEMI_PRIVATE)
    level = models.CharField("jenjang", max_length=10, choices=Level.choices, default=Level.ADULT)
    max_students = models.PositiveSmallIntegerField("maksimal siswa per section", default=10)
    meetings_per_period = models.PositiveSmallIntegerField("pertemuan per periode", default=8)
    price = models.PositiveIntegerField("harga per periode")
    period_mode = models.CharField(
        "mode periode", max_length=10, choices=PeriodMode.choices, default=PeriodMode.ROLLING
    )
    carry_over = models.BooleanField("sisa pertemuan dibawa ke periode berikutnya", default=False)
    extra_meetings_allowed = models.BooleanField("boleh beli pertemuan tambahan", default=False)
    extra_meeting_fee = models.PositiveIntegerField("biaya pertemuan tambahan", default=0)
    excused_notice_hours = models.PositiveSmallIntegerField("pemberitahuan izin (jam)", default=24)
    excused_consumes = models.BooleanField("izin memakai kuota", default=True)
    auto_create_section = models.BooleanField("buat section otomatis saat penuh", default=False)
    affiliate_commission_percent = models.PositiveSmallIntegerField("komisi afiliasi (%)", default=0)
    tutor_share_percent = models.PositiveSmallIntegerField("bagian tutor (%)", default=0)
    is_published = models.BooleanField("tampil", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "program kelas live"
        verbose_name_plural = "program kelas live"

    def __str__(self):
        return self.name


class TutorAvailability(models.Model):
    tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_availability")
    weekday = models.PositiveSmallIntegerField("hari")  # 0 = Senin
    start_time = models.TimeField("mulai")
    end_time = models.TimeField("selesai")

    class Meta:
        ordering = ["tutor_id", "weekday", "start_time"]
        verbose_name = "jadwal tutor"
        verbose_name_plural = "jadwal tutor"

    def __str__(self):
        return f"{self.tutor} {self.weekday} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class ClassSection(models.Model):
    template = models.ForeignKey(ClassTemplate, on_delete=models.CASCADE, related_name="sections")
    index = models.PositiveIntegerField()  # 1 = A, 26 = Z, 27 = AA: sorted by number, never by label text
    label = models.CharField(max_length=8)
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="class_sections"
    )
    status = models.CharField(max_length=10, choices=SectionStatus.choices, default=SectionStatus.ACTIVE)
    seats_taken = models.PositiveIntegerField(default=0)  # approved (payment window), active and suspended
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template_id", "index"]
        constraints = [models.UniqueConstraint(fields=["template", "index"], name="classes_section_index_unique")]
        verbose_name = "section"
        verbose_name_plural = "section"

    def __str__(self):
        return f"{self.template.name} - Section {self.label}"


class Enrollment(models.Model):
    """A request on the waiting list, then (approved) a seat with a payment deadline, then a paid period."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_enrollments")
    template = models.ForeignKey(ClassTemplate, on_delete=models.CASCADE, related_name="enrollments")
    section = models.ForeignKey(
        ClassSection, null=True, blank=True, on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(max_length=10, choices=EnrollmentStatus.choices, default=EnrollmentStatus.WAITING)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    pay_before = models.DateTimeField(null=True, blank=True)
    order_invoice = models.CharField(max_length=30, blank=True)
    # Set when the period came with the student's plan or product instead of an order: "membership:<id>" or the
    # grant's source ("order:<invoice>", "admin:<id>").
    included_by = models.CharField(max_length=60, blank=True)
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    meetings_quota = models.PositiveSmallIntegerField(default=0)
    meetings_carried = models.PositiveSmallIntegerField(default=0)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewal")
    reminded_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "template"],
                condition=Q(status="waiting"),
                name="classes_one_waiting_request",
            )
        ]
        indexes = [models.Index(fields=["status", "pay_before"]), models.Index(fields=["status", "period_end"])]
        verbose_name = "pendaftaran kelas"
        verbose_name_plural = "pendaftaran kelas"

    def __str__(self):
        return f"{self.student} - {self.template.name}"


class Meeting(models.Model):
    section = models.ForeignKey(ClassSection, on_delete=models.CASCADE, related_name="meetings")
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="class_meetings"
    )
    starts_at = models.DateTimeField("waktu")
    duration_minutes = models.PositiveSmallIntegerField("durasi (menit)", default=60)
    url = models.URLField("link meeting", max_length=500)
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["tutor", "starts_at"])]
        verbose_name = "pertemuan"
        verbose_name_plural = "pertemuan"

    def __str__(self):
        return f"{self.section} {self.starts_at:%d-%m-%Y %H:%M}"


class Attendance(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendances")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    consumes = models.BooleanField(default=True)
    marked_at = models.DateTimeField()
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrollment", "meeting"], name="classes_attendance_unique")]
        verbose_name = "kehadiran"
        verbose_name_plural = "kehadiran"

    def __str__(self):
        return f"{self.enrollment} {self.get_status_display()}"


class QuotaEntry(models.Model):
    """The meeting quota ledger of an enrolment (append-only): the period's meetings, carried-over ones, extra meetings
    bought and their refunds. `Enrollment.meetings_quota` is its running total."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="quota_entries")
    meetings = models.SmallIntegerField("pertemuan")
    reason = models.CharField(max_length=10, choices=QuotaReason.choices)
    invoice = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "invoice", "reason"],
                condition=~Q(invoice=""),
                name="classes_quota_entry_once_per_invoice",
            )
        ]
        verbose_name = "kuota pertemuan"
        verbose_name_plural = "kuota pertemuan"

    def __str__(self):
        return f"{self.enrollment_id} {self.meetings:+d} {self.reason}"


class ExcuseNotice(models.Model):
    """A student's "izin" for an upcoming meeting, with a reason. `in_time`: told at least the template's notice
    hours before the start; only then the tutor's sheet pre-fills izin and an izin mark stands (else it is absen)."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="excuses")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="excuses")
    reason = models.CharField("alasan", max_length=300)
    reported_at = models.DateTimeField()
    in_time = models.BooleanField(default=False)

    class Meta:
        ordering = ["reported_at", "id"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "meeting"], name="classes_excuse_unique")]
        verbose_name = "izin pertemuan"
        verbose_name_plural = "izin pertemuan"

    def __str__(self):
        return f"{self.enrollment} izin {self.meeting_id}"
