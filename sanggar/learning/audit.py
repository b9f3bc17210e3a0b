from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import Action

register(
    {
        Action.COURSE_CREATED: _("Kursus dibuat"),
        Action.COURSE_UPDATED: _("Kursus diubah"),
        Action.COURSE_SUBMITTED: _("Kursus diajukan untuk review"),
        Action.COURSE_APPROVED: _("Kursus disetujui dan terbit"),
        Action.COURSE_REJECTED: _("Kursus ditolak (kembali ke draf)"),
        Action.COURSE_STATUS: _("Status kursus diubah"),
        Action.COURSE_DELETED: _("Kursus dihapus"),
        Action.LESSON_MOVED: _("Pelajaran dipindahkan ke modul lain"),
        Action.CERTIFICATE_ISSUED: _("Sertifikat kursus diterbitkan"),
        Action.SUBMISSION_GRADED: _("Tugas kursus dinilai"),
        Action.COMMENT_HIDDEN: _("Komentar kursus disembunyikan"),
        Action.MENTOR_APPLIED: _("Pengajuan mentor dikirim"),
        Action.MENTOR_APPROVED: _("Pengajuan mentor disetujui"),
        Action.MENTOR_REJECTED: _("Pengajuan mentor ditolak"),
        Action.ESSAY_GRADED: _("Esai kuis dinilai"),
        Action.VIDEO_UPLOADED: _("Video pelajaran diunggah"),
        Action.REMINDER_SETTINGS: _("Pengaturan pengingat belajar diubah"),
        Action.FOLLOW_UPS_UPDATED: _("Follow-up WhatsApp kursus diubah"),
        Action.EXTRAS_UPDATED: _("Bonus produk / grup belajar kursus diubah"),
        Action.INSTRUCTORS_UPDATED: _("Instruktur pendamping kursus diubah"),
        Action.CURRICULUM_REORDERED: _("Urutan materi kursus diubah"),
        Action.CURRICULUM_DELETED: _("Materi kursus dihapus"),
        Action.VIDEO_HOST_ADDED: _("Host video diizinkan"),
        Action.VIDEO_HOST_REMOVED: _("Host video dihapus dari daftar izin"),
    }
)
