from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PENDING = "pending", _("Menunggu review")
    PUBLISHED = "published", _("Terbit")
    PRIVATE = "private", _("Privat")
    ARCHIVED = "archived", _("Diarsipkan")


class CourseLevel(models.TextChoices):
    BEGINNER = "pemula", _("Pemula")
    INTERMEDIATE = "menengah", _("Menengah")
    EXPERT = "ahli", _("Ahli")


class RoleAccess(models.TextChoices):
    MEMBER = "member", _("Member")
    AFFILIATE = "affiliate", _("Affiliate")
    PUBLIC = "public", _("Umum")


class LessonKind(models.TextChoices):
    TEXT = "text", _("Teks")
    VIDEO = "video", _("Video")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Pilihan ganda (satu jawaban)")
    MULTIPLE = "multiple", _("Pilihan ganda (beberapa jawaban)")
    TRUE_FALSE = "true_false", _("Benar / Salah")
    SHORT = "short", _("Jawaban singkat")
    FILL = "fill", _("Isian (isi titik-titik)")
    ORDERING = "ordering", _("Mengurutkan")
    MATCHING = "matching", _("Menjodohkan")
    ESSAY = "essay", _("Esai (dinilai mentor)")


# Kinds whose answer is one or more of the question's options (chosen by id).
CHOICE_KINDS = ("single", "multiple", "true_false")
# The mark of a blank in a fill-in question's text.
BLANK = "___"


class EnrollmentSource(models.TextChoices):
    MEMBERSHIP = "membership", _("Membership")
    PURCHASE = "purchase", _("Pembelian")
    FREE = "free", _("Kursus gratis")
    ADMIN = "admin", _("Admin")
    ROLE = "role", _("Peran")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu keputusan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Menunggu penilaian")
    GRADED = "graded", _("Sudah dinilai")


# Activity-log actions (labels in audit.py).
class Action:
    COURSE_CREATED = "learning.course_created"
    COURSE_UPDATED = "learning.course_updated"
    COURSE_SUBMITTED = "learning.course_submitted"
    COURSE_APPROVED = "learning.course_approved"
    COURSE_REJECTED = "learning.course_rejected"
    COURSE_STATUS = "learning.course_status"
    COURSE_DELETED = "learning.course_deleted"
    LESSON_MOVED = "learning.lesson_moved"
    CERTIFICATE_ISSUED = "learning.certificate_issued"
    SUBMISSION_GRADED = "learning.submission_graded"
    COMMENT_HIDDEN = "learning.comment_hidden"
    MENTOR_APPLIED = "learning.mentor_applied"
    MENTOR_APPROVED = "learning.mentor_approved"
    MENTOR_REJECTED = "learning.mentor_rejected"
    ESSAY_GRADED = "learning.essay_graded"
    VIDEO_UPLOADED = "learning.video_uploaded"
    EXTRAS_UPDATED = "learning.extras_updated"
    FOLLOW_UPS_UPDATED = "learning.follow_ups_updated"
    REMINDER_SETTINGS = "learning.reminder_settings"
    INSTRUCTORS_UPDATED = "learning.instructors_updated"
    CURRICULUM_REORDERED = "learning.curriculum_reordered"
    CURRICULUM_DELETED = "learning.curriculum_deleted"
    VIDEO_HOST_ADDED = "learning.video_host_added"
    VIDEO_HOST_REMOVED = "learning.video_host_removed"


# Notification kinds (notifications.py).
class Notify:
    REVIEW_SUBMITTED = "learning.review_submitted"
    APPROVED = "learning.course_approved"
    REJECTED = "learning.course_rejected"
    CERTIFICATE = "learning.certificate_issued"
    GRADED = "learning.submission_graded"
    COMMENT = "learning.comment_posted"
    REPLY = "learning.comment_replied"
    REMINDER = "learning.study_reminder"
    BROADCAST = "learning.broadcast"
    MENTOR_DECIDED = "learning.mentor_decided"
    ESSAY_SUBMITTED = "learning.essay_submitted"
    QUIZ_GRADED = "learning.quiz_graded"
    MODULE_RATED = "learning.module_rated"
    COMMENT_DIGEST = "learning.comment_digest"
    STATUS_CHANGED = "learning.course_status_changed"
    DELETED = "learning.course_deleted"
    INSTRUCTOR_ADDED = "learning.instructor_added"
    THREAD = "learning.thread_activity"  # a reply in a thread one takes part in (the "Ada komentar baru" toast)
    ACTIVE_DISCUSSION = "learning.active_discussion"
    REVIEW_POSTED = "learning.review_posted"  # a learner's new (or re-rated) course review → mentors and admins
    CONTENT_UPDATED = "learning.content_updated"  # a new lesson in a published course → its students, once a day


class Rule:
    """Smart rules (PRD v7.3 part 10) this app applies; settings at /admin/settings/smart-rules."""

    INACTIVE = "learning.inactive"
    ACTIVE_DISCUSSION = "learning.active_discussion"
    MENTOR_UPDATE = "learning.mentor_update"


# The toast and in-app title of a new comment in a thread one takes part in (prd "Ada komentar baru di kelasmu!").
THREAD_TOAST = "Ada komentar baru di kelasmu!"
VIDEO_HOSTS_MAX = 100

PAGE_SIZE = 12
ADMIN_PAGE_SIZE = 25
TITLE_MAX = 200
BONUS_PRODUCTS_MAX = 10
SOURCE_KIND = "course"  # notifications' source kind of a course ("course:<id>")  # bonus products one course may give
