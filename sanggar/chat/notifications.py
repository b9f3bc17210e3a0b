"""A new chat message, for a recipient who is not online (one per unread burst; see services.message_send)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import CHAT
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

from .constants import NOTIFY_GROUP_MESSAGE, NOTIFY_MESSAGE, NOTIFY_REPORT

register_kind(
    NotificationKind(
        key=NOTIFY_MESSAGE,
        label=_("Pesan chat baru"),
        group=CHAT,
        private=True,  # the preview is a member's private message: hidden in the delivery log
        description=_(
            "Untuk penerima yang sedang tidak online; satu notifikasi untuk rentetan pesan yang belum dibaca."
        ),
        shortcodes=(("sender", _("Nama pengirim")), ("preview", _("Cuplikan pesan"))),
        sample={"sender": "Andi Mentor", "preview": "Halo, sudah sampai modul 3?"},
        defaults=MessageDefaults(
            inapp_title="{sender} mengirim pesan baru",
            inapp_body="{preview}",
            email_subject="{sender} mengirim pesan baru",
            email_body=(
                "Halo {name},\n\n{sender} mengirim pesan baru:\n\n{preview}\n\nBalas di {link}\n\nTim {platform_name}"
            ),
            whatsapp="*{sender} mengirim pesan baru*\n\n{preview}\n\n{link}",
            push="{sender}: {preview}",
        ),
    )
)

register_kind(
    NotificationKind(
        key=NOTIFY_GROUP_MESSAGE,
        label=_("Pesan baru di obrolan grup"),
        group=CHAT,
        private=True,  # the preview is a member's private message: hidden in the delivery log
        description=_(
            "Untuk anggota grup yang sedang tidak online dan tidak membisukan obrolannya; satu notifikasi untuk "
            "rentetan pesan yang belum dibaca."
        ),
        shortcodes=(("sender", _("Nama pengirim")), ("group", _("Nama grup")), ("preview", _("Cuplikan pesan"))),
        sample={"sender": "Andi Mentor", "group": "UKM Ekspor", "preview": "Ada yang sudah kirim sampel ke Jepang?"},
        defaults=MessageDefaults(
            inapp_title="{sender} di {group}",
            inapp_body="{preview}",
            email_subject="Pesan baru di obrolan {group}",
            email_body=(
                "Halo {name},\n\n{sender} menulis di obrolan grup {group}:\n\n{preview}\n\nBalas di {link}\n\n"
                "Tim {platform_name}"
            ),
            whatsapp="*{sender} di {group}*\n\n{preview}\n\n{link}",
            push="{sender} di {group}: {preview}",
        ),
    )
)

register_kind(
    NotificationKind(
        key=NOTIFY_REPORT,
        label=_("Laporan chat baru (admin)"),
        group=CHAT,
        description=_("Untuk admin: sebuah percakapan dilaporkan dan menunggu ditinjau. Isi pesan tidak disertakan."),
        channels=(),
        shortcodes=(("reporter", _("Nama pelapor")), ("kind", _("Jenis percakapan"))),
        sample={"reporter": "Siti Murid", "kind": "Pesan langsung"},
        defaults=MessageDefaults(
            inapp_title="Laporan chat baru dari {reporter}",
            inapp_body="{kind} dilaporkan dan menunggu ditinjau.",
            email_subject="Laporan chat baru",
            email_body=(
                "Halo {name},\n\n{reporter} melaporkan percakapan ({kind}). Tinjau di {link}\n\nTim {platform_name}"
            ),
            whatsapp="*Laporan chat baru* dari {reporter} ({kind}).\n\n{link}",
            push="Laporan chat baru dari {reporter}",
        ),
    )
)
