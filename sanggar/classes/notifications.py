"""What live classes tell people; texts are each kind's editable template (/admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import COURSE, TRANSACTION
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

from .constants import Notify

PROGRAM = (("program", _("Nama program")),)


def _kind(key, label, group, title, body, *, codes=(), sample=None):
    register_kind(
        NotificationKind(
            key=key,
            label=label,
            group=group,
            shortcodes=(*PROGRAM, *codes),
            sample={"program": "Semi-Private Grammar", **(sample or {})},
            defaults=MessageDefaults.standard(title, body),
        )
    )


_kind(
    Notify.APPROVED,
    _("Kelas live disetujui"),
    TRANSACTION,
    "Approved! Pendaftaran {program} disetujui",
    "Anda masuk Section {section}. Bayar Sekarang sebelum {deadline} agar kursi Anda tidak dilepas.",
    codes=(("section", _("Section")), ("deadline", _("Batas pembayaran"))),
    sample={"section": "A", "deadline": "Senin, 16 Desember 2025 19:00 WIB"},
)
_kind(
    Notify.REJECTED,
    _("Kelas live ditolak"),
    TRANSACTION,
    "Pendaftaran {program} ditolak",
    "Maaf, pendaftaran Anda belum bisa kami terima. Alasan: {reason}",
    codes=(("reason", _("Alasan")),),
    sample={"reason": "Kuota program penuh bulan ini."},
)
_kind(
    Notify.PAYMENT_EXPIRED,
    _("Batas bayar kelas live lewat"),
    TRANSACTION,
    "Pendaftaran {program} dibatalkan",
    "Batas pembayaran 24 jam sudah lewat, jadi kursi Anda dilepas. Silakan daftar lagi bila masih berminat.",
)
_kind(
    Notify.ACTIVATED,
    _("Kelas live aktif"),
    TRANSACTION,
    "Kelas {program} aktif",
    "Pembayaran diterima. Kelas Anda aktif dan berlaku hingga {until}.",
    codes=(("until", _("Berlaku hingga")),),
    sample={"until": "9 Januari 2026 19:00 WIB"},
)
_kind(
    Notify.MEETING_SCHEDULED,
    _("Jadwal pertemuan baru"),
    COURSE,
    "Jadwal baru {program} - Section {section}",
    "Pertemuan berikutnya: {when}. Link meeting tampil di halaman Kelas Saya menjelang waktunya.",
    codes=(("section", _("Section")), ("when", _("Waktu"))),
    sample={"section": "A", "when": "Senin, 16 Desember 2025 19:00 WIB"},
)
_kind(
    Notify.EXPIRY_REMINDER,
    _("Kelas live segera berakhir"),
    COURSE,
    "Kelas {program} berakhir {until}",
    "Masa kelas Anda tinggal 3 hari. Klik Perpanjang Kelas agar tetap di section yang sama.",
    codes=(("until", _("Berlaku hingga")),),
    sample={"until": "9 Januari 2026 19:00 WIB"},
)
_kind(
    Notify.EXPIRED,
    _("Kelas live berakhir"),
    COURSE,
    "Kelas {program} sudah berakhir",
    "Masa kelas Anda sudah berakhir. Riwayat dan kehadiran tetap bisa dilihat. Daftar lagi untuk melanjutkan.",
)
_kind(
    Notify.QUOTA_USED,
    _("Kuota pertemuan habis"),
    COURSE,
    "Kuota Habis untuk Bulan Ini",
    "Semua pertemuan {program} periode ini sudah terpakai.",
)
_kind(
    Notify.SECTION_NO_TUTOR,
    _("Section baru tanpa tutor"),
    COURSE,
    "Section {section} {program} dibuat otomatis",
    "Section ini belum punya tutor (Tutor belum ditentukan). Tetapkan tutornya.",
    codes=(("section", _("Section")),),
    sample={"section": "C"},
)
_kind(
    Notify.TUTOR_CHANGED,
    _("Tutor section berganti"),
    COURSE,
    "Tutor {program} - Section {section}",
    "Tutor section ini sekarang {tutor}.",
    codes=(("section", _("Section")), ("tutor", _("Nama tutor"))),
    sample={"section": "A", "tutor": "Dr. Ahmad"},
)
_kind(
    Notify.EXTRA_CREDITED,
    _("Pertemuan tambahan kelas live"),
    TRANSACTION,
    "Pertemuan tambahan {program} aktif",
    "{meetings} pertemuan tambahan sudah masuk ke kuota Anda. Kuota periode ini sekarang {quota} pertemuan.",
    codes=(("meetings", _("Jumlah pertemuan")), ("quota", _("Kuota sekarang"))),
    sample={"meetings": "2", "quota": "10"},
)
