"""Input and output schemas of the courses API."""

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

PAGE_SIZE = 20


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class CourseFilters(_In):
    q: str = Field(default="", max_length=100, description="Cari di judul dan ringkasan.")
    category: str = Field(default="", max_length=120, description="Slug kategori.")
    level: str = Field(default="", max_length=10, description="pemula, menengah atau ahli.")
    page: int = Field(default=1, ge=1, le=10_000)


class PageIn(_In):
    page: int = Field(default=1, ge=1, le=10_000)


class AccessOut(Schema):
    allowed: bool
    reason: str = Field(description="Kosong bila boleh; login_required, premium_required, purchase_required, ...")
    message: str
    action_label: str = ""
    action_url: str = ""


class CourseOut(Schema):
    slug: str
    title: str
    summary: str
    level: str
    level_label: str
    category: str | None
    role_access: str
    price: int | None = Field(description="Harga jual (promo bila ada); null bila tidak dijual terpisah.")
    regular_price: int | None
    cover_url: str
    access: AccessOut
    active_discussion: bool = Field(
        default=False, description='"Diskusi Aktif": banyak komentar baru di diskusi pelajarannya.'
    )


class CoursePageOut(Schema):
    count: int
    next_page: int | None
    results: list[CourseOut]


class LessonRowOut(Schema):
    id: int
    title: str
    kind: str
    is_preview: bool
    locked: bool
    done: bool
    duration_minutes: int
    opens_at: datetime | None


class QuizRowOut(Schema):
    id: int
    title: str
    is_required: bool


class AssignmentRowOut(Schema):
    id: int
    title: str


class ModuleOut(Schema):
    id: int
    title: str
    lessons: list[LessonRowOut]
    quizzes: list[QuizRowOut]
    assignments: list[AssignmentRowOut]
    rating_average: float | None = None
    rating_count: int = 0
    my_rating: int | None = None


class SocialLinkOut(Schema):
    network: str = Field(description="website, instagram, youtube, linkedin, tiktok, facebook atau x.")
    label: str
    url: str


class InstructorOut(Schema):
    id: int
    name: str
    social_links: list[SocialLinkOut] = Field(default_factory=list)


class InstructorProfileOut(InstructorOut):
    bio: str
    avatar_url: str
    course_count: int
    rating: float
    review_count: int
    students: int
    courses: list[CourseOut]


class BonusProductOut(Schema):
    slug: str
    title: str


class StudyGroupOut(Schema):
    name: str
    url: str = Field(description="Halaman grup di komunitas (terbuka bagi yang mendapat kursus ini).")


class CourseDetailOut(CourseOut):
    bonus_products: list[BonusProductOut] = Field(
        default_factory=list, description="Produk bonus yang ikut terbuka lewat pembelian atau membership."
    )
    study_group: StudyGroupOut | None = None
    description: str
    language: str
    status: str
    instructor: InstructorOut | None
    rating: float
    review_count: int
    via_membership: bool
    progress_percent: int | None
    modules: list[ModuleOut]


class AttachmentOut(Schema):
    id: int
    title: str
    size: int
    download_url: str


class LessonOut(Schema):
    id: int
    title: str
    kind: str
    content: str
    video_url: str
    video_stream_url: str | None = Field(
        None, description="Video unggahan privat: link bertanda tangan yang kedaluwarsa, mendukung HTTP Range."
    )
    duration_minutes: int
    position_seconds: int
    done: bool
    attachments: list[AttachmentOut]
    previous_id: int | None
    next_id: int | None


class ProgressOut(Schema):
    course: str
    progress_percent: int
    completed: bool
    certificate_code: str | None


class PositionIn(_In):
    seconds: int = Field(ge=0, le=86_400)


class ResumeOut(Schema):
    lesson_id: int
    lesson_title: str
    seconds: int


class MyCourseOut(Schema):
    slug: str
    title: str
    progress_percent: int
    completed_at: datetime | None
    resume: ResumeOut | None
    access: AccessOut


class MyCoursePageOut(Schema):
    count: int
    next_page: int | None
    results: list[MyCourseOut]


class ChoiceOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    kind: str = Field(description="single, multiple, true_false, short, fill, ordering, matching, essay")
    text: str
    choices: list[ChoiceOut] = Field(
        description="Pilihan (single/multiple/true_false), item acak (ordering), item kiri (matching); kosong untuk "
        "short, fill dan essay (kunci jawaban tidak dikirim)."
    )
    match_options: list[ChoiceOut] = Field(
        default_factory=list, description="Matching: pasangan kanan (acak); kirim pairs {id kiri: id pasangan}."
    )
    blanks: int = Field(0, description="Fill: jumlah isian (___) yang dijawab berurutan di texts.")


class AttemptOut(Schema):
    id: int
    quiz_id: int
    started_at: datetime
    time_limit_minutes: int
    questions: list[QuestionOut]


class AnswerIn(_In):
    question: int
    choices: list[int] = Field(default_factory=list, max_length=10, description="single/multiple/true_false")
    text: str | None = Field(None, max_length=100_000, description="short dan essay")
    texts: list[str] = Field(default_factory=list, max_length=10, description="fill: satu jawaban per isian")
    order: list[int] = Field(default_factory=list, max_length=10, description="ordering: id item sesuai urutan")
    pairs: dict[str, int] = Field(default_factory=dict, max_length=10, description="matching: {id kiri: id kanan}")


class SubmitIn(_In):
    answers: list[AnswerIn] = Field(max_length=500)


class ResultOut(Schema):
    id: int
    score: int
    max_score: int
    score_percent: int
    passed: bool | None = Field(description="null: esai menunggu penilaian mentor")
    pending_grading: bool = False
    pass_percent: int
    attempts_left: int | None


class AssignmentOut(Schema):
    id: int
    title: str
    instructions: str
    max_points: int
    allow_file: bool
    submission: "SubmissionOut | None"


class SubmissionIn(_In):
    text: str = Field(max_length=100_000)


class SubmissionOut(Schema):
    id: int
    status: str
    text: str
    has_file: bool = False
    points: int | None
    feedback: str
    submitted_at: datetime


class CertificateOut(Schema):
    code: str
    learner_name: str
    course_title: str
    issued_at: datetime
    verify_url: str
    pdf_url: str


class CertificatePageOut(Schema):
    count: int
    next_page: int | None
    results: list[CertificateOut]


class CommentIn(_In):
    body: str = Field(max_length=100_000)
    parent: int | None = None


class ReplyOut(Schema):
    id: int
    author: str
    body: str
    is_mentor: bool
    created_at: datetime


class CommentOut(ReplyOut):
    replies: list[ReplyOut]


class CommentPageOut(Schema):
    count: int
    next_page: int | None
    results: list[CommentOut]


class ReviewIn(_In):
    rating: int = Field(ge=1, le=5)
    body: str = Field(default="", max_length=100_000)


class ReviewOut(Schema):
    rating: int
    body: str


class ModuleRatingOut(Schema):
    module_id: int
    rating: int
    body: str
    rating_average: float
    rating_count: int


class MentorCourseOut(Schema):
    slug: str
    title: str
    status: str
    status_label: str
    review_note: str
    lesson_count: int
    student_count: int


class MentorCoursePageOut(Schema):
    count: int
    next_page: int | None
    results: list[MentorCourseOut]


class ExtrasIn(_In):
    bonus_products: list[int] = Field(default_factory=list, max_length=50, description="Id produk katalog.")
    study_group: int | None = Field(default=None, description="Id resource grup (dari `study_group_choices`).")


class ExtrasChoiceOut(Schema):
    id: int
    title: str


class ExtrasOut(Schema):
    bonus_products: list[ExtrasChoiceOut]
    study_group: ExtrasChoiceOut | None
    bonus_product_choices: list[ExtrasChoiceOut]
    study_group_choices: list[ExtrasChoiceOut]


class FollowUpStepIn(_In):
    delay_days: int = Field(ge=0, le=3650, description="Jeda setelah pembayaran, dalam hari (0 = hari itu juga).")
    message: str = Field(max_length=5000, description="Teks WhatsApp; kode {name} {course} {invoice} ...")


class FollowUpsIn(_In):
    steps: list[FollowUpStepIn] = Field(max_length=100, description="Seluruh urutan (menggantikan yang lama).")


class FollowUpStepOut(Schema):
    id: int
    delay_days: int
    message: str


class FollowUpsOut(Schema):
    steps: list[FollowUpStepOut]


class SubscriptionIn(_In):
    subscribed: bool


class SubscriptionOut(Schema):
    subscribed: bool
    source: str = Field(description="Sumber notifikasi kursus ini, untuk filter GET /notifications?source=…")


class RejectIn(_In):
    note: str = Field(max_length=100_000)


class BroadcastIn(_In):
    message: str = Field(max_length=100_000)


class BroadcastOut(Schema):
    recipients: int


class CourseBroadcastOut(Schema):
    id: int
    message: str
    recipients: int = Field(description="Murid yang dikirimi pengumuman ini.")
    sender: str = Field(description="Nama mentor / admin yang mengirim (kosong bila akunnya sudah dihapus).")
    created_at: datetime


class CourseBroadcastPageOut(Schema):
    count: int
    next_page: int | None
    results: list[CourseBroadcastOut]


class GradeIn(_In):
    points: int = Field(ge=0, le=1000)
    feedback: str = Field(default="", max_length=100_000)


class PendingSubmissionOut(Schema):
    id: int
    learner: str
    assignment: str
    course: str
    text: str
    submitted_at: datetime


class PendingSubmissionPageOut(Schema):
    count: int
    next_page: int | None
    results: list[PendingSubmissionOut]


class EssayAnswerOut(Schema):
    question: int
    text: str
    answer: str
    max_points: int
    points: int | None


class PendingEssayOut(Schema):
    id: int = Field(description="id percobaan kuis")
    learner: str
    quiz: str
    course: str
    submitted_at: datetime
    essays: list[EssayAnswerOut]


class PendingEssayPageOut(Schema):
    count: int
    next_page: int | None
    results: list[PendingEssayOut]


class EssayGradeIn(_In):
    points: dict[str, int] = Field(max_length=50, description="{id soal esai: nilai 0…poin soal}")
    feedback: str = Field(default="", max_length=5000)


AssignmentOut.model_rebuild()


class VideoHostIn(_In):
    host: str = Field(max_length=1000)


class VideoHostOut(Schema):
    id: int
    host: str
    created_at: datetime


class VideoHostListOut(Schema):
    results: list[VideoHostOut]
    configured: list[str]


class ReminderSettingsIn(_In):
    idle_days: int = Field(ge=-1_000_000, le=1_000_000)
    send_hour: int | None = Field(default=None, ge=-1_000_000, le=1_000_000, description="Jam kirim WIB, 0–23.")
    email_enabled: bool = True
    whatsapp_enabled: bool = True


class ReminderSettingsOut(Schema):
    idle_days: int
    send_hour: int
    email_enabled: bool
    whatsapp_enabled: bool


class PlaceholderOut(Schema):
    id: int
    key: str
    title: str


class PlaceholderListOut(Schema):
    results: list[PlaceholderOut]


class AdoptIn(_In):
    title: str = Field(default="", max_length=100_000, description="Kosong: nama placeholder.")
    role_access: str = Field(default="member", max_length=100)
    is_public: bool = True


class AdoptOut(Schema):
    slug: str
    title: str
    status: str
    resource_key: str


class CommissionIn(_In):
    affiliate_enabled: bool
    affiliate_commission_type: str = Field(max_length=100, description="percent atau flat")
    affiliate_commission_percent: int = Field(default=0, ge=-1_000_000, le=1_000_000)
    affiliate_commission_flat: int = Field(default=0, ge=-(10**12), le=10**12)
    mentor_share_percent: int = Field(default=0, ge=-1_000_000, le=1_000_000)


class CommissionOut(Schema):
    affiliate_enabled: bool
    affiliate_commission_type: str
    affiliate_commission_percent: int
    affiliate_commission_flat: int
    mentor_share_percent: int
