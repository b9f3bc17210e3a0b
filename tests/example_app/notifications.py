"""What the example app tells people: a reminder the day before the event (its texts are template defaults admins
can edit at /admin/settings/notification-templates)."""

from sanggar.notifications.notifications import TRANSACTION
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

REMINDER = "example.ticket_reminder"

register_kind(
    NotificationKind(
        key=REMINDER,
        label="Pengingat acara",
        group=TRANSACTION,
        defaults=MessageDefaults(
            inapp_title="Acara {event} besok",
            email_subject="Acara {event} besok",
            email_body="Halo {name},\n\nSampai jumpa di {event} besok.\n\nTim {platform_name}",
        ),
        shortcodes=(("event", "Nama acara"),),
        sample={"event": "Ekspor Day"},
    )
)
