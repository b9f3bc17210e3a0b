"""What events tell people: a registration (with the link to the event page) and the reminders before the start."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import EVENT
from sanggar.notifications.registry import (
    MessageDefaults,
    NotificationKind,
    SourceKind,
    register_kind,
    source_kind_register,
)
from sanggar.notifications.smart_rules import RuleDef, Unit, register_rule

from .models import Event, Registration, RegistrationStatus

REGISTERED = "event_registered"
REMINDER = "event_reminder"
PROMOTED = "event_promoted"
RESCHEDULED = "event_rescheduled"
CANCELLED = "event_cancelled"
RECORDING = "event_recording"

RULE_REMINDERS = "events.reminders"  # smart rule: reminders before an event starts
SOURCE_KIND = "event"  # notifications' source kind of an event ("event:<id>")

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

register_rule(
    RuleDef(
        key=RULE_REMINDERS,
        label=_("Pengingat event"),
        description=_(
            "Pendaftar event diingatkan sebelum acara dimulai (sekali untuk setiap waktu pengingat). "
            "Event yang punya waktu pengingat sendiri memakai waktunya sendiri."
        ),
        unit=Unit.MINUTES,
        default=(1440, 60, 15),
        order=50,
    )
)


def _event_titles(keys) -> dict[str, str]:
    ids = [int(k) for k in keys if str(k).isdigit()]
    return {str(pk): title for pk, title in Event.objects.filter(pk__in=ids).values_list("pk", "title")}


def _may_follow(user, key) -> bool:
    """A registrant (going or on the waiting list) or the event's host."""
    if not str(key).isdigit():
        return False
    if Event.objects.filter(pk=int(key), host=user).exists():
        return True
    return Registration.objects.filter(
        event_id=int(key), user=user, status__in=(RegistrationStatus.GOING, RegistrationStatus.WAITLIST)
    ).exists()


source_kind_register(SourceKind(kind=SOURCE_KIND, label=_("Event"), describe=_event_titles, may_follow=_may_follow))
