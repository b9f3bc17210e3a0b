"""What documents tell people: members of the levels a new document opens for, a weekly reminder of the week's
documents a member has not opened, and admins when a member downloads suspiciously often. Texts are each kind's
template defaults (editable at /admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import SYSTEM
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

NEW_DOCUMENT = "documents.new"
WEEKLY_REMINDER = "documents.weekly_reminder"
SUSPICIOUS = "documents.suspicious_downloads"

register_kind(
    NotificationKind(
        key=NEW_DOCUMENT,
        label=_("Dokumen baru"),
        group=SYSTEM,
        description=_("Kepada member yang levelnya membuka dokumen baru."),
        shortcodes=(("title", _("Judul dokumen")), ("level", _("Level akses")), ("category", _("Kategori"))),
        sample={"title": "Panduan Ekspor ke Timur Tengah", "level": "Gold", "category": "Panduan"},
        defaults=MessageDefaults(
            inapp_title="📘 Dokumen baru ditambahkan: {title}",
            inapp_body="Dokumen baru telah ditambahkan untuk member {level} ke atas ({category}).",
            email_subject="Dokumen baru: {title}",
            email_body="Halo {name},\n\nDokumen baru telah ditambahkan untuk member {level} ke atas: {title}.\n"
            "Buka dan unduh di sini:\n{link}\n\nTim {platform_name}",
            whatsapp="*Dokumen baru: {title}*\n\nDitambahkan untuk member {level} ke atas.\n\n{link}",
            push="📘 Dokumen baru ditambahkan: {title}",
        ),
    )
)

register_kind(
    NotificationKind(
        key=WEEKLY_REMINDER,
        label=_("Pengingat dokumen mingguan"),
        group=SYSTEM,
        description=_("Sekali seminggu, kepada member yang belum membuka dokumen terbaru."),
        shortcodes=(("count", _("Jumlah dokumen baru")), ("titles", _("Judul dokumen"))),
        sample={"count": "2", "titles": "Template Invoice, Panduan HS Code"},
        defaults=MessageDefaults(
            inapp_title="Kamu belum akses dokumen terbaru minggu ini",
            inapp_body="{count} dokumen baru menunggu: {titles}.",
            email_subject="Kamu belum akses dokumen terbaru minggu ini",
            email_body="Halo {name},\n\n{count} dokumen baru minggu ini belum kamu buka: {titles}.\n{link}\n\n"
            "Tim {platform_name}",
            whatsapp="*Kamu belum akses dokumen terbaru minggu ini*\n\n{count} dokumen baru: {titles}.\n\n{link}",
        ),
    )
)

register_kind(
    NotificationKind(
        key=SUSPICIOUS,
        label=_("Unduhan dokumen mencurigakan"),
        group=SYSTEM,
        description=_("Kepada admin, saat seorang member mengunduh terlalu banyak dalam waktu singkat."),
        shortcodes=(("member", _("Nama member")), ("email", _("Email member")), ("count", _("Jumlah unduhan"))),
        sample={"member": "Budi Santoso", "email": "budi@example.com", "count": "25"},
        defaults=MessageDefaults(
            inapp_title="Unduhan mencurigakan: {member}",
            inapp_body="{member} ({email}) mengunduh {count} dokumen dalam waktu singkat. Periksa log aktivitas.",
            email_subject="Unduhan dokumen mencurigakan: {member}",
            email_body="{member} ({email}) mengunduh {count} dokumen dalam waktu singkat.\nPeriksa log: {link}",
            whatsapp="*Unduhan mencurigakan*\n\n{member} ({email}) mengunduh {count} dokumen dalam waktu "
            "singkat.\n{link}",
        ),
    )
)
