"""What courses tell people: the review outcome (to the mentor), a course waiting for review (to admins), a
certificate issued, a graded assignment, a new question (to the mentor), a reply (to the question's author) and a
module rated by a learner (to the mentor).
Texts are each kind's template defaults (editable at /admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import COURSE
from sanggar.notifications.registry import (
    MessageDefaults,
    NotificationKind,
    SourceKind,
    register_kind,
    source_kind_register,
)
from sanggar.notifications.smart_rules import RuleDef, Unit, register_rule

from .constants import SOURCE_KIND, THREAD_TOAST, Notify, Rule
from .models import Course, Enrollment

COURSE_CODE = (("course", _("Judul kursus")),)


def _kind(key, label, title, body, *, codes=(), sample=None, description="", popup=False, defaults=None):
    register_kind(
        NotificationKind(
            key=key,
            label=label,
            group=COURSE,
            description=description,
            popup=popup,
            shortcodes=(*COURSE_CODE, *codes),
            sample={"course": "Dasar Ekspor", **(sample or {})},
            defaults=defaults or MessageDefaults.standard(title, body),
        )
    )


_kind(
    Notify.REVIEW_SUBMITTED,
    _("Kursus menunggu review"),
    "Kursus {course} menunggu review",
    "Seorang mentor mengajukan kursus {course}. Periksa lalu setujui atau tolak dengan catatan.",
    description=_("Untuk admin, saat mentor mengajukan kursus."),
)
_kind(
    Notify.APPROVED,
    _("Kursus disetujui"),
    "Kursus {course} sudah terbit",
    "Selamat! Kursus {course} disetujui admin dan sekarang bisa dipelajari member.",
)
_kind(
    Notify.REJECTED,
    _("Kursus perlu perbaikan"),
    "Kursus {course} perlu perbaikan",
    "Admin mengembalikan kursus {course} ke draf dengan catatan: {note}",
    codes=(("note", _("Catatan reviewer")),),
    sample={"note": "Tambahkan kuis di modul 2."},
)
_kind(
    Notify.STATUS_CHANGED,
    _("Status kursus diubah"),
    "Status kursus {course}: {status}",
    "Admin mengubah status kursus {course} dari {before} menjadi {status}.",
    codes=(("before", _("Status sebelumnya")), ("status", _("Status baru"))),
    sample={"before": "Terbit", "status": "Diarsipkan"},
    description=_("Untuk mentor kursus, setiap kali admin mengubah status kursusnya."),
)
_kind(
    Notify.DELETED,
    _("Kursus dihapus"),
    "Kursus {course} dihapus",
    "Admin menghapus kursus {course} beserta materinya. Kursus ini belum punya murid, pesanan maupun sertifikat.",
    description=_("Untuk mentor kursus, saat admin menghapus kursusnya."),
)
_kind(
    Notify.INSTRUCTOR_ADDED,
    _("Ditambahkan sebagai instruktur"),
    "Anda instruktur kursus {course}",
    "Anda ditambahkan sebagai instruktur pendamping kursus {course}. Anda bisa menyusun materi dan melihat murid.",
)
_kind(
    Notify.CERTIFICATE,
    _("Sertifikat kursus terbit"),
    "Sertifikat {course} sudah terbit",
    "Selamat, Anda menyelesaikan kursus {course}. Kode sertifikat Anda: {code}.",
    codes=(("code", _("Kode sertifikat")),),
    sample={"code": "SKP-AB12CD34EF"},
)
_kind(
    Notify.GRADED,
    _("Tugas dinilai"),
    "Tugas {assignment} sudah dinilai",
    "Mentor menilai tugas {assignment} di kursus {course}: nilai {points}.",
    codes=(("assignment", _("Judul tugas")), ("points", _("Nilai"))),
    sample={"assignment": "Riset HS Code", "points": "90"},
)
_kind(
    Notify.COMMENT,
    _("Pertanyaan baru di kursus"),
    "Pertanyaan baru di {course}",
    "{author} bertanya di pelajaran {lesson}.",
    codes=(("lesson", _("Judul pelajaran")), ("author", _("Nama penanya"))),
    sample={"lesson": "Mengenal Incoterms", "author": "Rahmat"},
)
_kind(
    Notify.REPLY,
    _("Balasan di diskusi kursus"),
    "{author} menanggapi komentarmu",
    '{author} menanggapi komentarmu di kelas "{course}" (pelajaran {lesson}).',
    codes=(("lesson", _("Judul pelajaran")), ("author", _("Nama yang membalas"))),
    sample={"lesson": "Mengenal Incoterms", "author": "Riko"},
)
_kind(
    Notify.REMINDER,
    _("Pengingat belajar"),
    "Hai {name}, kamu belum lanjut kelas minggu ini!",
    "Kursus {course} menunggumu. Lanjutkan dari pelajaran {lesson}.",
    codes=(("lesson", _("Pelajaran terakhir")),),
    sample={"lesson": "Mengenal Incoterms"},
    description=_("Untuk member yang tidak belajar selama beberapa hari (aturan otomatis: Belum belajar di kelas)."),
)
_kind(
    Notify.BROADCAST,
    _("Pengumuman mentor kursus"),
    "Pengumuman kursus {course}",
    "{message}",
    codes=(("message", _("Isi pengumuman")),),
    sample={"message": "Sesi tanya jawab Kamis pukul 19.00 WIB."},
)
_kind(
    Notify.MENTOR_DECIDED,
    _("Keputusan pengajuan mentor"),
    "Pengajuan mentor Anda: {decision}",
    "Admin memutuskan pengajuan mentor Anda: {decision}. {note}",
    codes=(("decision", _("Keputusan")), ("note", _("Catatan admin"))),
    sample={"decision": "disetujui", "note": "Selamat bergabung."},
)
_kind(
    Notify.ESSAY_SUBMITTED,
    _("Esai kuis menunggu penilaian"),
    "Esai baru di kuis {quiz}",
    "Seorang member mengumpulkan jawaban esai di kuis {quiz} (kursus {course}). Beri nilai di halaman penilaian.",
    codes=(("quiz", _("Judul kuis")),),
    sample={"quiz": "Kuis Incoterms"},
    description=_("Untuk mentor kursus, saat kuis berisi esai dikumpulkan."),
)
_kind(
    Notify.QUIZ_GRADED,
    _("Kuis dinilai mentor"),
    "Kuis {quiz} sudah dinilai",
    "Mentor menilai esai Anda di kuis {quiz} (kursus {course}): skor akhir {score}%.",
    codes=(("quiz", _("Judul kuis")), ("score", _("Skor akhir (%)"))),
    sample={"quiz": "Kuis Incoterms", "score": "85"},
)
_kind(
    Notify.MODULE_RATED,
    _("Rating modul dari murid"),
    "Rating baru untuk modul {module}",
    "{author} memberi rating {rating}/5 untuk modul {module} di kursus {course}. {feedback}",
    codes=(
        ("module", _("Judul modul")),
        ("author", _("Nama murid")),
        ("rating", _("Rating (1–5)")),
        ("feedback", _("Masukan murid")),
    ),
    sample={"module": "Modul 3: Dokumen Ekspor", "author": "Rahmat", "rating": "4", "feedback": "Contohnya jelas."},
    description=_("Untuk mentor kursus, saat seorang murid menilai modul."),
)
_kind(
    Notify.REVIEW_POSTED,
    _("Ulasan kursus baru"),
    "Ulasan baru untuk kursus {course}",
    "{author} memberi rating {rating}/5 untuk kursus {course}. {review}",
    codes=(("author", _("Nama murid")), ("rating", _("Rating (1–5)")), ("review", _("Isi ulasan"))),
    sample={"author": "Rahmat", "rating": "5", "review": "Materinya runtut dan praktis."},
    description=_("Untuk mentor kursus dan admin, saat murid menulis ulasan baru atau mengubah ratingnya."),
)
_kind(
    Notify.CONTENT_UPDATED,
    _("Materi baru di kursus"),
    "Materi baru di kursus {course}",
    "Ada materi baru di kursus {course}: {lesson}. Yuk lanjutkan belajar!",
    codes=(("lesson", _("Judul pelajaran baru")),),
    sample={"lesson": "Modul 4: Negosiasi Harga FOB"},
    description=_(
        "Untuk murid kursus yang terbit, saat mentor atau admin menambah pelajaran: paling banyak sekali sehari per "
        "kursus (pelajaran berikutnya di hari yang sama tidak dikabarkan lagi). Murid bisa berhenti mengikuti kursus."
    ),
)
_kind(
    Notify.COMMENT_DIGEST,
    _("Ringkasan diskusi harian (mentor)"),
    "Ada {count} komentar baru di kelas {course}",
    "💡 Ada {count} komentar baru di kelas '{course}' — yuk ikut diskusi sekarang!",
    codes=(("count", _("Jumlah komentar baru")),),
    sample={"count": "3"},
    description=_("Sekali sehari untuk mentor: komentar baru di diskusi pelajaran kursusnya."),
)

_kind(
    Notify.THREAD,
    _("Komentar baru di diskusi yang Anda ikuti"),
    THREAD_TOAST,
    '{author} menulis komentar di {lesson} (kelas "{course}").',
    codes=(("lesson", _("Tempat diskusi (pelajaran, modul atau kursus)")), ("author", _("Nama penulis"))),
    sample={"lesson": "Modul 3", "author": "Rahmat"},
    description=_("Untuk peserta diskusi dan mentor kursus, saat ada balasan baru di utas yang mereka ikuti."),
    popup=True,  # important: shown as a popup on the open page (or the next page load)
)


_kind(
    Notify.ACTIVE_DISCUSSION,
    _("Kelas jadi Diskusi Aktif"),
    "Kelas {course} kini Diskusi Aktif",
    "💡 Sudah lebih dari {count} komentar di kelas '{course}' — yuk ikut diskusi sekarang!",
    codes=(("count", _("Ambang komentar")),),
    sample={"count": "10"},
    description=_("Aturan otomatis: sekali per kelas, untuk mentor dan murid kelas itu; tampil sebagai popup."),
    popup=True,
)

register_rule(
    RuleDef(
        key=Rule.INACTIVE,
        label=_("Belum belajar di kelas"),
        description=_(
            "Murid yang tidak membuka kelasnya selama N hari mendapat pengingat belajar (sekali per masa tidak aktif)."
        ),
        unit=Unit.DAYS,
        # PRODUCT.md "Reminders": the inactivity threshold defaults to 7 days (v7.3's "3 hari" example is overruled)
        default=7,
        order=10,
    )
)
register_rule(
    RuleDef(
        key=Rule.ACTIVE_DISCUSSION,
        label=_("Diskusi Aktif"),
        description=_(
            'Kelas dengan lebih dari N komentar dalam 30 hari mendapat lencana "Diskusi Aktif"; '
            "mentor dan murid diberi tahu sekali per kelas."
        ),
        unit=Unit.COUNT,
        default=10,
        order=20,
    )
)
register_rule(
    RuleDef(
        key=Rule.MENTOR_UPDATE,
        label=_("Kabar mentor ke murid"),
        description=_(
            "Pengumuman mentor di halaman kelas dikirim ke semua murid kelas itu (pesan yang sama sekali sehari)."
        ),
        order=30,
    )
)


def _course_titles(keys) -> dict[str, str]:
    ids = [int(k) for k in keys if str(k).isdigit()]
    return {str(pk): title for pk, title in Course.objects.filter(pk__in=ids).values_list("pk", "title")}


# The notification centre's "Kelas" filter and the course page's follow switch.
def _may_follow(user, key) -> bool:
    """A learner of the course (enrolled) or its mentor / an admin."""
    from .services import can_edit  # same app: services import this module's kinds' keys at start-up

    if not str(key).isdigit():
        return False
    course = Course.objects.filter(pk=int(key)).first()
    if course is None:
        return False
    return Enrollment.objects.filter(user=user, course=course).exists() or can_edit(user, course)


source_kind_register(SourceKind(kind=SOURCE_KIND, label=_("Kelas"), describe=_course_titles, may_follow=_may_follow))
