"""What events tell people: a registration (with the link to the event page) and the reminders before the start."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import EVENT
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

REGISTERED = "event_registered"
REMINDER = "event_reminder"
PROMOTED = "event_promoted"
RESCHEDULED = "event_rescheduled"
CANCELLED = "event_cancelled"
RECORDING = "event_recording"

CODES = (("event", _("Judul event")), ("time", _("Waktu (WIB)")))
SAMPLE = {"event": "Webinar Buyer Eropa", "time": "Sabtu, 12 Desember 2026 19.00 WIB", "when": "1 jam lagi"}


def _kind(key, label, title, body, codes=CODES):
    register_kind(
        NotificationKind(
            key=key,
            label=label,
            group=EVENT,
            shortcodes=codes,
            sample=SAMPLE,
            defaults=MessageDefaults.standard(title, body),
        )
    )


_kind(REGISTERED, _("Terdaftar di event"), "Anda terdaftar: {event}", "Sampai jumpa di {event}, {time}.")
_kind(
    PROMOTED,
    _("Dapat kursi dari daftar tunggu"),
    "Kursi tersedia: {event}",
    "Ada kursi kosong dan Anda kini terdaftar di {event}, {time}.",
)
_kind(
    REMINDER,
    _("Pengingat event"),
    "{event} dimulai {when}",
    "Jangan lupa: {event} dimulai {time}. Tautan ada di halaman event.",
    codes=(*CODES, ("when", _("Berapa lama lagi"))),
)
_kind(
    RESCHEDULED,
    _("Jadwal event berubah"),
    "Jadwal baru: {event}",
    "{event} dipindah ke {time}. Pengingat mengikuti jadwal baru.",
)
_kind(CANCELLED, _("Event dibatalkan"), "Dibatalkan: {event}", "Mohon maaf, {event} ({time}) dibatalkan.")
_kind(
    RECORDING,
    _("Rekaman event tersedia"),
    "Rekaman {event} sudah tersedia",
    "Rekaman {event} bisa ditonton di halaman event dan arsip rekaman.",
)
