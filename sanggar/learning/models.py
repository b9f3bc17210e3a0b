"""Online courses: a course (with its access resource), modules, lessons, attachments, quizzes, assignments, the
learner's enrolment and progress, certificates, discussion and ratings."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from sanggar.catalog.constants import CommissionType

from .constants import (
    ApplicationStatus,
    CourseLevel,
    CourseStatus,
    EnrollmentSource,
    LessonKind,
    QuestionKind,
    RoleAccess,
    SubmissionStatus,
)

USER = settings.AUTH_USER_MODEL


class CourseCategory(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class Course(models.Model):
    resource = models.OneToOneField("access.Resource", on_delete=models.PROTECT, related_name="course")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)  # sanitised HTML
    cover = models.ImageField(upload_to="courses/covers/", blank=True)
    category = models.ForeignKey(CourseCategory, null=True, blank=True, on_delete=models.SET_NULL)
    level = models.CharField(max_length=10, choices=CourseLevel.choices, default=CourseLevel.BEGINNER)
    language = models.CharField(max_length=40, default="Bahasa Indonesia")
    mentor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentored_courses")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    # Co-instructors (mentors besides the responsible one): they edit the curriculum and see the students.
    instructors = models.ManyToManyField(USER, blank=True, related_name="co_instructed_courses")
    status = models.CharField(max_length=10, choices=CourseStatus.choices, default=CourseStatus.DRAFT)
    review_note = models.TextField(blank=True)  # the reviewer's note when sent back to draft
    role_access = models.CharField(max_length=10, choices=RoleAccess.choices, default=RoleAccess.MEMBER)
    is_public = models.BooleanField(default=True)  # "Tampilkan di Publik"
    price = models.BigIntegerField(null=True, blank=True)  # None: not sold on its own
    promo_price = models.BigIntegerField(null=True, blank=True)
    affiliate_enabled = models.BooleanField(default=False)
    affiliate_commission_percent = models.PositiveSmallIntegerField(default=0)
    # "percent" (affiliate_commission_percent of what the line paid) or "flat" (affiliate_commission_flat rupiah).
    affiliate_commission_type = models.CharField(
        max_length=10, choices=CommissionType.choices, default=CommissionType.PERCENT
    )
    affiliate_commission_flat = models.PositiveBigIntegerField(default=0)
    mentor_share_percent = models.PositiveSmallIntegerField(default=0)
    certificate_enabled = models.BooleanField(default=True)
    # The course's own tracking pixels (on top of the global ones), checked by catalog/pixels.py; admins set them.
    pixel_meta_id = models.CharField(max_length=30, blank=True, default="")
    pixel_google_id = models.CharField(max_length=30, blank=True, default="")
    pixel_tiktok_id = models.CharField(max_length=40, blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("title", "id")
        indexes = [models.Index(fields=["status", "role_access", "is_public"])]
        constraints = [
            models.CheckConstraint(condition=Q(price__isnull=True) | Q(price__gte=0), name="course_price_gte_0"),
            models.CheckConstraint(
                condition=Q(promo_price__isnull=True) | Q(promo_price__gte=0), name="course_promo_gte_0"
            ),
            models.CheckConstraint(condition=Q(mentor_share_percent__lte=100), name="course_mentor_share_lte_100"),
            models.CheckConstraint(
                condition=Q(affiliate_commission_percent__lte=100), name="course_commission_lte_100"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def sale_price(self) -> int | None:
        """What a buyer pays (promo when lower), None when the course is not sold on its own."""
        if self.price is None:
            return None
        if self.promo_price is not None and self.promo_price < self.price:
            return self.promo_price
        return self.price

    @property
    def is_free(self) -> bool:
        return not self.price


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")

    def __str__(self):
        return self.title


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=LessonKind.choices, default=LessonKind.TEXT)
    content = models.TextField(blank=True)  # sanitised HTML
    video_url = models.URLField(max_length=500, blank=True)  # the embed URL (allow-listed host)
    # A privately uploaded video (MP4 / WebM), streamed only through signed, expiring links with range requests.
    video_file = models.FileField(upload_to="private/courses/videos/", blank=True)
    video_size = models.PositiveBigIntegerField(default=0)
    video_type = models.CharField(max_length=20, blank=True)  # the content type recognised from the file's bytes
    duration_minutes = models.PositiveIntegerField(default=0)
    is_preview = models.BooleanField(default=False)
    drip_days = models.PositiveIntegerField(null=True, blank=True)  # opens N days after enrolment
    available_on = models.DateTimeField(null=True, blank=True)  # opens on this date (for everyone)
    prerequisite = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # opens once this lesson is done
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("module__position", "module_id", "position", "id")

    def __str__(self):
        return self.title


class LessonAttachment(models.Model):
    """A private file of a lesson: served only to those who may open the lesson, each download logged."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="private/courses/")
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)

    def __str__(self):
        return self.title


class AttachmentDownload(models.Model):
    attachment = models.ForeignKey(LessonAttachment, null=True, on_delete=models.SET_NULL)
    user = models.ForeignKey(USER, on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Quiz(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="quizzes")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="quizzes")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    pass_percent = models.PositiveSmallIntegerField(default=70)
    max_attempts = models.PositiveSmallIntegerField(default=0)  # 0: unlimited
    time_limit_minutes = models.PositiveSmallIntegerField(default=0)  # 0: none
    shuffle = models.BooleanField(default=False)
    show_answers = models.BooleanField(default=True)  # answer review after submitting
    is_required = models.BooleanField(default=True)  # must be passed to complete the course
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")
        constraints = [models.CheckConstraint(condition=Q(pass_percent__lte=100), name="quiz_pass_lte_100")]

    def __str__(self):
        return self.title


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=12, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text = models.TextField()
    explanation = models.TextField(blank=True)
    points = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")

    def __str__(self):
        return self.text[:60]


class Choice(models.Model):
    """An option of a question. Per kind: a choice (single/multiple/true-false); an accepted answer (short); the
    accepted answers of one blank, separated by "|" (fill, one row per blank in order); an item in its correct place
    (ordering); a left item with its pair in `match_text` (matching)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=300)
    match_text = models.CharField(max_length=300, blank=True)
    is_correct = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")

    def __str__(self):
        return self.text


class QuizAttempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="quiz_attempts")
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    question_order = models.JSONField(default=list)  # question ids as shown
    # {question id: answer}: [choice ids] (choice kinds, ordering), "text" (short, essay), ["text", ...] (fill),
    # {left choice id: right choice id} (matching)
    answers = models.JSONField(default=dict)
    question_points = models.JSONField(default=dict)  # {question id: points given}; an essay's is null until graded
    score = models.PositiveIntegerField(default=0)
    max_score = models.PositiveIntegerField(default=0)
    score_percent = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(null=True)  # null on a submitted attempt: an essay waits for the mentor
    needs_grading = models.BooleanField(default=False)
    feedback = models.TextField(blank=True)
    graded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-started_at", "-id")
        indexes = [models.Index(fields=["quiz", "user"]), models.Index(fields=["needs_grading", "submitted_at"])]


class Assignment(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="assignments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True)
    max_points = models.PositiveSmallIntegerField(default=100)
    allow_file = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")

    def __str__(self):
        return self.title


class Submission(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="assignment_submissions")
    text = models.TextField(blank=True)
    file = models.FileField(upload_to="private/submissions/", blank=True)
    status = models.CharField(max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED)
    points = models.PositiveSmallIntegerField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    graded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    graded_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ("-submitted_at", "-id")
        constraints = [models.UniqueConstraint(fields=["assignment", "user"], name="one_submission_per_user")]


class Enrollment(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    source = models.CharField(max_length=12, choices=EnrollmentSource.choices)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    last_lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_position_seconds = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the last idle reminder (one per idle stretch)

    class Meta:
        ordering = ("-last_activity_at", "-id")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_enrollment_per_course")]


class LessonProgress(models.Model):
    """Never deleted: an expired membership locks the course, the progress stays."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    position_seconds = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_lesson")]
        indexes = [models.Index(fields=["user", "course"])]


class Certificate(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(max_length=20, unique=True)
    learner_name = models.CharField(max_length=150)  # as printed
    course_title = models.CharField(max_length=200)
    mentor_name = models.CharField(max_length=150, blank=True)
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ("-issued_at", "-id")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_certificate_per_course")]

    def __str__(self):
        return self.code


class Comment(models.Model):
    """A question or answer in a discussion (replies one level deep). The thread is a lesson's (`lesson` set), a
    module's (`module` set, no lesson) or the course's own (neither)."""

    lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    module = models.ForeignKey(Module, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField()
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("created_at", "id")
        indexes = [
            models.Index(fields=["lesson", "parent", "created_at"]),
            models.Index(fields=["course", "created_at"]),  # "Diskusi Aktif" and the mentor's daily digest
            models.Index(fields=["course", "module", "lesson", "parent", "created_at"], name="learning_comment_thread"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lesson__isnull=True) | Q(module__isnull=True), name="comment_one_thread_scope"
            )
        ]


class CommentDigest(models.Model):
    """One day's summary of new discussion comments of a course, sent to its mentor. The row is written before the
    notification (unique per course and day), so a second run of the sweep the same day sends nothing; `until` is
    where the next digest starts counting."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    day = models.DateField()  # local (WIB) date of the sweep
    comments = models.PositiveIntegerField()
    since = models.DateTimeField()
    until = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-day", "-id")
        constraints = [models.UniqueConstraint(fields=["course", "day"], name="uniq_comment_digest_course_day")]


class Review(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField()
    body = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="one_review_per_course"),
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="review_rating_1_5"),
        ]


class ModuleRating(models.Model):
    """A learner's rating (1–5) of one module, with optional feedback for the mentor; sent again it replaces theirs."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="ratings")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField()
    body = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ("-updated_at", "-id")
        indexes = [models.Index(fields=["course", "module"])]
        constraints = [
            models.UniqueConstraint(fields=["module", "user"], name="one_rating_per_module"),
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="module_rating_1_5"),
        ]


class CourseBroadcast(models.Model):
    """One announcement a mentor (or admin) sent to the course's students (services.course_broadcast): who, what,
    when and to how many, listed on the page it is sent from and in the mentor API."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="broadcasts")
    mentor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField()
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["course", "-created_at"], name="course_broadcast_recent_idx")]

    def __str__(self):
        return f"{self.course_id}: {self.message[:40]}"


class MentorApplication(models.Model):
    """A member asks to become a mentor (like affiliates apply); an admin approves (the mentor role is granted)
    or rejects with a note."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="mentor_applications")
    status = models.CharField(max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING)
    expertise = models.CharField(max_length=200)
    motivation = models.TextField()
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="one_pending_mentor_application"
            )
        ]


class ReminderSettings(models.Model):
    """The admin's learning-reminder settings (one row, `SINGLETON_ID`): after how many idle days a learner is
    reminded and on which channels besides in-app. The text is the "Pengingat belajar" notification template,
    edited from the same page. Before an admin saves, `services.reminder_settings()` answers with the defaults
    (the idle days live in the smart rule "learning.inactive"; email and WhatsApp on)."""

    SINGLETON_ID = 1

    idle_days = models.PositiveSmallIntegerField()
    send_hour = models.PositiveSmallIntegerField(default=9)  # local (WIB) hour the daily sweep sends at, 0–23
    email_enabled = models.BooleanField(default=True)
    whatsapp_enabled = models.BooleanField(default=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(idle_days__gte=1, idle_days__lte=90), name="learning_reminder_days"),
            models.CheckConstraint(condition=Q(send_hour__lte=23), name="learning_reminder_send_hour"),
        ]


class VideoHost(models.Model):
    """An iframe host an admin allowed for video lessons (besides YouTube, Vimeo and LEARNING_VIDEO_HOSTS)."""

    host = models.CharField(max_length=200, unique=True)  # lower-case host name, e.g. "video.example.com"
    added_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("host",)

    def __str__(self):
        return self.host
