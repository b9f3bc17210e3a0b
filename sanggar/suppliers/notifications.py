"""What suppliers tell people: mentors about a submitted supplier, admins about a recommendation, the supplier about
requested changes, the admin's decision, Premium starting (the upgrade and Premium-ending reminders are sequences
of the reminder engine). Texts are each kind's template defaults (editable at
/admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import SYSTEM
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

SUBMITTED = "suppliers.submitted"
RECOMMENDED = "suppliers.recommended"
CHANGES = "suppliers.changes"
DECIDED = "suppliers.decided"
PREMIUM_ACTIVE = "suppliers.premium_active"

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
    PREMIUM_ACTIVE, _("Supplier Premium aktif"), _("Kepada supplier saat paket Premium aktif."),
    "Supplier Premium aktif sampai {until}", "Paket Premium {company} aktif sampai {until}. Selamat berjualan!",
    extra=(("until", _("Tanggal berakhir")),), sample={"until": "5 Januari 2027"},
)  # fmt: skip
