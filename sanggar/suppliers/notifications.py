"""What suppliers tell people: mentors about a submitted supplier, admins about a recommendation, the supplier about
requested changes, the admin's decision, upgrade reminders, Premium starting and ending. Texts are each kind's
template defaults (editable at /admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import SYSTEM
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

SUBMITTED = "suppliers.submitted"
RECOMMENDED = "suppliers.recommended"
CHANGES = "suppliers.changes"
DECIDED = "suppliers.decided"
UPGRADE = "suppliers.upgrade"
PREMIUM_ACTIVE = "suppliers.premium_active"
PREMIUM_ENDING = "suppliers.premium_ending"

CODES = (("company", _("Nama perusahaan supplier")),)
SAMPLE = {"company": "CV Rempah Nusantara"}


def _kind(key, label, description, title, body, *, extra=(), sample=None):
    register_kind(
        NotificationKind(
            key=key,
            label=label,
            group=SYSTEM,
            description=description,
            shortcodes=(*CODES, *extra),
            sample={**SAMPLE, **(sample or {})},
            defaults=MessageDefaults.standard(title, body, push=True),
        )
    )


_kind(
    SUBMITTED, _("Supplier menunggu review"), _("Kepada mentor saat supplier mengirim onboarding untuk direview."),
    "Supplier baru menunggu review", "{company} sudah melengkapi profil dan asesmen. Silakan review.",
)  # fmt: skip
_kind(
    RECOMMENDED, _("Supplier direkomendasikan mentor"), _("Kepada admin saat mentor merekomendasikan supplier."),
    "{company} direkomendasikan mentor", "Mentor {mentor} merekomendasikan {company}. Tentukan status akhirnya.",
    extra=(("mentor", _("Nama mentor")),), sample={"mentor": "Rina Mentor"},
)  # fmt: skip
_kind(
    CHANGES, _("Perbaikan data supplier diminta"), _("Kepada supplier saat mentor meminta perbaikan data."),
    "Mentor meminta perbaikan profil supplier", "Catatan mentor: {note}",
    extra=(("note", _("Catatan mentor")),), sample={"note": "Lengkapi foto tempat produksi."},
)  # fmt: skip
_kind(
    DECIDED, _("Keputusan verifikasi supplier"), _("Kepada supplier saat admin menetapkan status akhirnya."),
    "Status supplier Anda: {status}", "{company} kini berstatus {status}. {reason}",
    extra=(("status", _("Status")), ("reason", _("Alasan admin"))),
    sample={"status": "Terverifikasi", "reason": "Data lengkap dan legalitas sesuai."},
)  # fmt: skip
_kind(
    UPGRADE, _("Pengingat upgrade Supplier Premium"), _("Kepada supplier Free: setelah disetujui, produk pertama, "
    "member yang tidak bisa menghubungi, dan 1/7/14/30 hari tanpa upgrade (jadwal diatur admin); setelah "
    "pengingat ke-3 membawa kupon promo."),
    "Aktifkan fitur Premium", "{reason} Dengan Supplier Premium Anda bisa membalas chat member, menambah produk tanpa "
    "batas dan tampil di urutan teratas direktori. {promo}",
    extra=(("reason", _("Alasan pengingat")), ("promo", _("Kalimat kupon promo (setelah pengingat ke-3)"))),
    sample={"reason": "3 member mencoba menghubungi Anda minggu ini.",
            "promo": "Pakai kupon SUPPLIER-1A2B3C saat membeli Supplier Premium untuk potongan khusus, berlaku "
                     "sampai 19 Desember 2026."},
)  # fmt: skip
_kind(
    PREMIUM_ACTIVE, _("Supplier Premium aktif"), _("Kepada supplier saat paket Premium aktif."),
    "Supplier Premium aktif sampai {until}", "Paket Premium {company} aktif sampai {until}. Selamat berjualan!",
    extra=(("until", _("Tanggal berakhir")),), sample={"until": "5 Januari 2027"},
)  # fmt: skip
_kind(
    PREMIUM_ENDING, _("Supplier Premium akan berakhir"), _("Kepada supplier 7 hari dan 1 hari sebelum Premium "
    "berakhir, dan saat berakhir."),
    "Supplier Premium berakhir {until}", "Paket Premium {company} berakhir {until}. Perpanjang agar tetap bisa "
    "membalas chat dan tampil di urutan teratas.",
    extra=(("until", _("Tanggal berakhir")),), sample={"until": "5 Januari 2027"},
)  # fmt: skip
