"""Demo events (after the community's demo): the placeholder event resources the demo plans and products include
become real events (`webinar-vip`, `webinar-buyer-eropa-live`), plus a free online clinic in the public group with
the demo member registered. Built through the services; running it twice changes nothing."""

from datetime import timedelta

from django.utils import timezone

from sanggar.accounts.models import User
from sanggar.community.demo import demo_image
from sanggar.community.models import Group

from . import services
from .models import Event

EVENTS = [
    (
        "webinar-buyer-eropa-live",
        "Webinar Buyer Eropa (Live)",
        7,
        19,
        "Bertemu langsung dengan buyer dari Belanda dan Jerman: standar mutu, sertifikasi dan penawaran.",
        "https://zoom.us/j/5550001111",
        300,
        None,
    ),
    (
        "webinar-vip",
        "Webinar VIP Bulanan: Strategi Harga Ekspor",
        14,
        20,
        "Sesi bulanan khusus member VIP: menghitung harga FOB dan CIF, margin, dan negosiasi termin pembayaran.",
        "https://meet.google.com/abc-defg-hij",
        100,
        None,
    ),
    (
        "klinik-dokumen-ekspor",
        "Klinik Dokumen Ekspor Gratis",
        3,
        10,
        "Tanya jawab langsung soal invoice, packing list, COO dan PEB bersama mentor. Untuk anggota grup.",
        "https://zoom.us/j/5550002222",
        50,
        "ukm-ekspor-indonesia",
    ),
]

# the covers' gradients (the demo has no photos of its own; uploaded through the same service as a real one)
COVER_COLOURS = [((32, 71, 252), (12, 28, 110)), ((255, 195, 13), (196, 86, 18)), ((22, 163, 74), (8, 74, 46))]


def seed(*, log):
    admin = User.objects.filter(email="admin@sanggar.test").first()
    if admin is None:
        return
    today = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    made = 0
    for index, (slug, title, days, hour, description, url, capacity, group_slug) in enumerate(EVENTS):
        if Event.objects.filter(slug=slug).exists():
            continue
        top, bottom = COVER_COLOURS[index % len(COVER_COLOURS)]
        starts = (today + timedelta(days=days)).replace(hour=hour)
        group = Group.objects.filter(slug=group_slug).first() if group_slug else None
        services.event_create(
            actor=admin,
            data={
                "title": title,
                "slug": slug,
                "description": description,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "location_kind": "online",
                "meeting_url": url,
                # the provider by the link's host; Zoom rooms have a passcode (shown to registrants only)
                "meeting_provider": "zoom" if "zoom.us" in url else "meet",
                "meeting_passcode": f"EKSPOR{index + 1}{days}" if "zoom.us" in url else "",
                "capacity": capacity,
            },
            cover=demo_image((1200, 630), top, bottom),
            group=group,
            announce=group is not None,  # a group's event is announced in its feed
        )
        made += 1
    member = User.objects.filter(email="member@sanggar.test").first()
    clinic = Event.objects.filter(slug="klinik-dokumen-ekspor").first()
    if member is not None and clinic is not None and services.may_register(member, clinic)[0]:
        services.register(user=member, event=clinic)
    log(f"events: {made} new events")
