from sanggar.notifications.notifications import EVENT
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

register_kind(
    NotificationKind(
        key="example.ticket_ready",
        label="Tiket siap",
        group=EVENT,
        shortcodes=(("code", "Kode tiket"),),
        sample={"code": "VIP"},
        defaults=MessageDefaults(
            inapp_title="Tiket {code} Anda siap",
            inapp_body="Tunjukkan tiket {code} di pintu masuk.",
            email_subject="Tiket {code} Anda siap",
            email_body="Halo {name},\n\nTunjukkan tiket {code} di pintu masuk: {link}",
        ),
    )
)
