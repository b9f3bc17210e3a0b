"""Input and output schemas of the authoring and review API (mentors and admins)."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from .schemas import _In

# A row id (PostgreSQL integer).
RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]


class CourseIn(_In):
    """The fields of the editor's tabs (Informasi Kelas, Pengaturan Akses, Pengaturan Harga, Status & Publikasi).
    On PATCH only the fields sent change. Commissions, shares, pixels, the responsible mentor and the status are
    the admin's: a mentor's values for them are ignored."""

    title: str | None = Field(default=None, max_length=100_000)
    summary: str | None = Field(default=None, max_length=100_000)
    description: str | None = Field(default=None, max_length=200_000, description="HTML (disaring server).")
    category: RowId | None = Field(default=None, description="Id kategori; null menghapus.")
    level: str | None = Field(default=None, max_length=20, description="pemula, menengah atau ahli.")
    language: str | None = Field(default=None, max_length=1000)
    mentor: RowId | None = Field(default=None, description="Id mentor penanggung jawab (admin).")
    role_access: str | None = Field(default=None, max_length=20, description="member, affiliate atau public.")
    is_public: bool | None = None
    price: int | None = Field(default=None, ge=0, le=1_000_000_000, description="Null: tidak dijual sendiri.")
    promo_price: int | None = Field(default=None, ge=0, le=1_000_000_000)
    affiliate_enabled: bool | None = None
    affiliate_commission_percent: int | None = Field(default=None, ge=0, le=100)
    mentor_share_percent: int | None = Field(default=None, ge=0, le=100)
    certificate_enabled: bool | None = None
    pixel_meta_id: str | None = Field(default=None, max_length=1000)
    pixel_google_id: str | None = Field(default=None, max_length=1000)
    pixel_tiktok_id: str | None = Field(default=None, max_length=1000)
    status: str | None = Field(default=None, max_length=20, description="Saat admin membuat: status awal.")


class IdOut(Schema):
    id: int
    title: str


class AuthorAttachmentOut(Schema):
    id: int
    title: str
    size: int


class LessonIn(_In):
    title: str = Field(max_length=100_000)
    kind: str = Field(default="text", max_length=20, description="text atau video.")
    content: str = Field(default="", max_length=200_000, description="HTML (disaring server).")
    video_url: str = Field(default="", max_length=2000, description="YouTube, Vimeo atau host yang diizinkan.")
    duration_minutes: int = Field(default=0, ge=0, le=6000)
    is_preview: bool = False
    drip_days: int | None = Field(default=None, ge=0, le=3650, description="Terbuka N hari setelah mendaftar.")
    available_on: date | None = Field(default=None, description="Terbuka pada tanggal ini.")
    prerequisite: RowId | None = Field(default=None, description="Id pelajaran prasyarat di kursus ini.")


class LessonAuthorOut(Schema):
    id: int
    module_id: int
    title: str
    kind: str
    content: str
    video_url: str
    has_video_file: bool
    duration_minutes: int
    is_preview: bool
    drip_days: int | None
    available_on: datetime | None
    prerequisite: int | None
    position: int
    attachments: list[AuthorAttachmentOut]


class ChoiceIn(_In):
    text: str = Field(default="", max_length=10_000)
    is_correct: bool = False
    match_text: str = Field(default="", max_length=10_000, description="Pasangan kanan (menjodohkan).")


class QuestionIn(_In):
    kind: str = Field(max_length=20)
    text: str = Field(max_length=100_000)
    explanation: str = Field(default="", max_length=100_000)
    points: int = Field(default=1, ge=1, le=100)
    choices: list[ChoiceIn] = Field(
        default_factory=list,
        max_length=20,
        description=(
            "single/multiple: pilihan + is_correct; true_false: satu baris, is_correct = jawabannya 'Benar'; "
            "short: jawaban diterima; fill: per isian (___) jawaban dipisah '|'; ordering: item dalam urutan "
            "benar; matching: text + match_text; essay: kosong."
        ),
    )


class AuthorChoiceOut(Schema):
    id: int
    text: str
    match_text: str
    is_correct: bool


class AuthorQuestionOut(Schema):
    id: int
    kind: str
    text: str
    explanation: str
    points: int
    choices: list[AuthorChoiceOut]


class QuizIn(_In):
    title: str = Field(max_length=100_000)
    description: str = Field(default="", max_length=100_000)
    pass_percent: int = Field(default=70, ge=0, le=100)
    max_attempts: int = Field(default=0, ge=0, le=100, description="0: tanpa batas.")
    time_limit_minutes: int = Field(default=0, ge=0, le=600, description="0: tanpa batas waktu.")
    shuffle: bool = False
    show_answers: bool = True
    is_required: bool = True


class QuizAuthorOut(Schema):
    id: int
    module_id: int
    title: str
    description: str
    pass_percent: int
    max_attempts: int
    time_limit_minutes: int
    shuffle: bool
    show_answers: bool
    is_required: bool
    position: int
    questions: list[AuthorQuestionOut]


class AssignmentIn(_In):
    title: str = Field(max_length=100_000)
    instructions: str = Field(default="", max_length=100_000)
    max_points: int = Field(default=100, ge=1, le=1000)
    allow_file: bool = True


class AssignmentAuthorOut(Schema):
    id: int
    module_id: int
    title: str
    instructions: str
    max_points: int
    allow_file: bool
    position: int


class ModuleIn(_In):
    title: str = Field(max_length=100_000)


class LessonMoveIn(_In):
    module_id: RowId = Field(description="Modul tujuan (dari kursus yang sama).")
    position: int = Field(ge=1, le=10_000, description="Posisi di modul tujuan: 1 = pertama; lewat akhir = terakhir.")


class ModuleAuthorOut(Schema):
    id: int
    title: str
    position: int
    lessons: list[LessonAuthorOut]
    quizzes: list[QuizAuthorOut]
    assignments: list[AssignmentAuthorOut]


class AuthorInstructorOut(Schema):
    id: int
    name: str


class CourseAuthorOut(Schema):
    slug: str
    title: str
    summary: str
    description: str
    category: int | None
    level: str
    language: str
    cover_url: str
    mentor: AuthorInstructorOut | None
    instructors: list[AuthorInstructorOut]
    role_access: str
    is_public: bool
    price: int | None
    promo_price: int | None
    affiliate_enabled: bool
    affiliate_commission_percent: int
    mentor_share_percent: int
    certificate_enabled: bool
    pixel_meta_id: str
    pixel_google_id: str
    pixel_tiktok_id: str
    status: str
    status_label: str
    review_note: str
    editable: bool = Field(description="Apakah pemanggil boleh mengubah kursus pada status ini.")
    can_set_instructors: bool
    modules: list[ModuleAuthorOut]


class InstructorsIn(_In):
    instructors: list[RowId] = Field(default_factory=list, max_length=50, description="Id pengguna bermentor.")


class AuthorOrderIn(_In):
    kind: Literal["modules", "lessons", "quizzes", "assignments"]
    ids: list[RowId] = Field(max_length=500, description="Id dalam urutan baru.")


class AuthorOkOut(Schema):
    ok: bool


class StatusIn(_In):
    status: str = Field(max_length=20, description="draft, published, private atau archived.")


class AuthorStudentOut(Schema):
    id: int
    name: str
    email: str
    source: str
    enrolled_at: datetime
    progress_percent: int
    completed_at: datetime | None
    last_activity_at: datetime | None
    last_lesson: IdOut | None


class StudentPageOut(Schema):
    count: int
    next_page: int | None
    results: list[AuthorStudentOut]


class ReviewFilters(_In):
    status: Literal["pending", "rejected", "published", "all"] = "pending"
    page: int = Field(default=1, ge=1, le=10_000)


class ReviewCourseOut(Schema):
    slug: str
    title: str
    status: str
    status_label: str
    review_note: str
    mentor: AuthorInstructorOut | None
    lesson_count: int
    updated_at: datetime


class ReviewPageOut(Schema):
    count: int
    next_page: int | None
    counts: dict[str, int]
    results: list[ReviewCourseOut]
