"""What banners tell people: a sponsor that their banner was approved (and runs) or rejected (with the reason).
Texts are each kind's template defaults (editable at /admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import SYSTEM, TRANSACTION
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

APPROVED = "banners.sponsor_approved"
REJECTED = "banners.sponsor_rejected"
ANNOUNCEMENT = "banners.announcement"

CODES = (("title", _("Judul banner")), ("note", _("Catatan admin")))
SAMPLE = {"title": "Jasa Freight Forwarding ke Jepang", "note": "Gambar kurang jelas, mohon unggah ulang."}


def _kind(key, label, description, title, body):
    register_kind(
        NotificationKind(
            key=key,
            label=label,
            group=TRANSACTION,
            description=description,
            shortcodes=CODES,
            sample=SAMPLE,
            defaults=MessageDefaults.standard(title, body, push=True),
        )
    )


_kind(
    APPROVED, _("Banner sponsor disetujui"), _("Kepada sponsor saat admin menyetujui banner yang dikirimnya."),
    "Banner sponsor Anda tayang", "“{title}” disetujui dan mulai tayang hari ini.",
)  # fmt: skip
_kind(
    REJECTED, _("Banner sponsor ditolak"), _("Kepada sponsor saat admin menolak banner yang dikirimnya."),
    "Banner sponsor perlu diperbaiki", "“{title}” belum dapat tayang. Catatan admin: {note}",
)  # fmt: skip

register_kind(
    NotificationKind(
        key=ANNOUNCEMENT,
        label=_("Pengumuman banner"),
        group=SYSTEM,
        description=_("Kepada semua yang ditargetkan banner, saat admin mengumumkannya (pemeliharaan, event, promo)."),
        shortcodes=(("title", _("Judul banner")), ("description", _("Deskripsi banner"))),
        sample={"title": "Webinar: Menembus Pasar Jepang 2027", "description": "Sabtu pukul 19.00 WIB."},
        defaults=MessageDefaults(
            inapp_title="{title}",
            inapp_body="{description}",
            email_subject="{title}",
            email_body="Halo {name},\n\n{title}\n{description}\n\n{link}\n\nTim {platform_name}",
            whatsapp="*{title}*\n\n{description}\n\n{link}",
            push="{title}",
        ),
    )
)
