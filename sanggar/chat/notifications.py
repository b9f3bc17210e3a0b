"""A new chat message, for a recipient who is not online (one per unread burst; see services.message_send)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import CHAT
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

from .constants import NOTIFY_MESSAGE

register_kind(
    NotificationKind(
        key=NOTIFY_MESSAGE,
        label=_("Pesan chat baru"),
        group=CHAT,
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
