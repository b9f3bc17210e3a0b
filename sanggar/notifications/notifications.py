"""The preference groups every user sets channels for. Apps add their kinds (and, when they need one, a group) from
their own `notifications.py`."""

from django.utils.translation import gettext_lazy as _

from .registry import MessageDefaults, NotificationKind, PreferenceGroup, register_group, register_kind

CHAT = "chat"
COURSE = "course"
GROUP = "group"
EVENT = "event"
TRANSACTION = "transaction"
AFFILIATE = "affiliate"
SUPPORT = "support"
SYSTEM = "system"

for order, group in enumerate(
    (
        PreferenceGroup(CHAT, _("Chat"), icon="message-circle"),
        PreferenceGroup(COURSE, _("Kursus"), icon="graduation-cap"),
        PreferenceGroup(GROUP, _("Grup"), icon="users"),
        PreferenceGroup(EVENT, _("Event"), icon="calendar-days"),
        PreferenceGroup(TRANSACTION, _("Transaksi"), icon="receipt", whatsapp_default=True),
        PreferenceGroup(AFFILIATE, _("Affiliate"), icon="megaphone", whatsapp_default=True),
        PreferenceGroup(SUPPORT, _("Support"), icon="life-buoy"),
        PreferenceGroup(SYSTEM, _("Sistem"), icon="info", whatsapp_default=True),
    )
):
    register_group(PreferenceGroup(**{**group.__dict__, "order": order}))

# Tips the platform gives new people in the app (the demo data shows them too).
CHANNELS_TIP = "notifications.channels_tip"
TEMPLATES_TIP = "notifications.templates_tip"

register_kind(
    NotificationKind(
        key=CHANNELS_TIP,
        label=_("Tips: atur kanal notifikasi"),
        group=SYSTEM,
        channels=(),
        description=_("Hanya di aplikasi."),
        defaults=MessageDefaults(
            inapp_title="Atur kanal notifikasi Anda",
            inapp_body="Pilih notifikasi mana yang juga dikirim lewat email, WhatsApp, atau push.",
        ),
    )
)

register_kind(
    NotificationKind(
        key=TEMPLATES_TIP,
        label=_("Tips admin: periksa template pesan"),
        group=SYSTEM,
        channels=(),
        description=_("Hanya di aplikasi, untuk admin."),
        defaults=MessageDefaults(
            inapp_title="Periksa template pesan",
            inapp_body="Sesuaikan teks email, WhatsApp, push dan notifikasi untuk setiap pesan yang dikirim platform.",
        ),
    )
)
