"""Demo reminder sequences (the 7/3/1-day membership expiry reminders, an unpaid-order nudge), a draft and a
scheduled broadcast, built through the services; looked up by name, so running it twice changes nothing. The sequences
start switched off: the built-in reminders of memberships and orders send the same messages until an admin moves to
these."""

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import services
from .models import Broadcast, ReminderSequence

User = get_user_model()

SEQUENCES = [
    {
        "name": "Pengingat perpanjangan keanggotaan (7/3/1 hari)",
        "trigger": "membership_expiring",
        "days": 7,
        "stop_on": "renewed",
        "quiet": (time(21, 0), time(8, 0)),
        "steps": [
            (
                0,
                ["email", "whatsapp"],
                "Keanggotaan {plan} berakhir 7 hari lagi",
                "Halo {name}, keanggotaan {plan} Anda berakhir pada {ends_at}. "
                "Perpanjang sekarang agar akses kelas dan "
                "komunitas tidak terputus.",
            ),
            (
                96,
                ["email", "whatsapp"],
                "Tinggal 3 hari: keanggotaan {plan}",
                "Halo {name}, tinggal 3 hari sebelum keanggotaan {plan} berakhir ({ends_at}).",
            ),
            (
                144,
                ["email", "whatsapp", "push"],
                "Besok keanggotaan {plan} berakhir",
                "Halo {name}, besok keanggotaan {plan} Anda berakhir. "
                "Perpanjang hari ini untuk tetap belajar bersama kami.",
            ),
        ],
    },
    {
        "name": "Pengingat pembayaran pesanan",
        "trigger": "order_pending",
        "days": 0,
        "stop_on": "paid",
        "quiet": (time(21, 0), time(8, 0)),
        "steps": [
            (
                2,
                ["email"],
                "Pesanan {invoice} menunggu pembayaran",
                "Halo {name}, pesanan {invoice} sebesar {total} belum dibayar. "
                "Selesaikan pembayaran sebelum kedaluwarsa.",
            ),
        ],
    },
]


def seed(*, log):
    admin = User.objects.filter(email="admin@sanggar.test").first()
    for spec in SEQUENCES:
        if ReminderSequence.objects.filter(name=spec["name"]).exists():
            continue
        seq = services.sequence_save(
            actor=admin,
            name=spec["name"],
            trigger=spec["trigger"],
            days=spec["days"],
            stop_on=spec["stop_on"],
            quiet_start=spec["quiet"][0],
            quiet_end=spec["quiet"][1],
            # Off until an admin switches it on: the platform's built-in expiry and payment reminders
            # (memberships, orders) already send these, and a member should not get both.
            is_active=False,
        )
        for delay, channels, subject, body in spec["steps"]:
            services.step_save(
                actor=admin, sequence=seq, delay_hours=delay, channels=channels, subject=subject, body=body
            )
    title = "Undangan webinar ekspor bulan ini"
    if not Broadcast.objects.filter(title=title).exists():
        services.broadcast_save(
            actor=admin,
            title=title,
            subject="Halo {name}, ada webinar ekspor minggu ini",
            body='Webinar "Menembus Pasar Jepang" dibuka untuk anggota aktif. Daftar lewat dasbor Anda.',
            channels=["email"],
            segment_status="active",
        )
    title = "Pengingat perpanjangan untuk anggota di Jawa Timur"
    if not Broadcast.objects.filter(title=title).exists():
        broadcast = services.broadcast_save(
            actor=admin,
            title=title,
            subject="{name}, keanggotaan Anda segera berakhir",
            body="Perpanjang sekarang agar akses kelas, grup dan direktori buyer tetap terbuka.",
            channels=["email", "whatsapp"],
            segment_province="Jawa Timur",
            segment_expiring_days=14,
        )
        services.broadcast_start(actor=admin, broadcast=broadcast, send_at=timezone.now() + timedelta(days=3))
    log("Pengingat & broadcast: urutan 7/3/1 hari, pengingat pembayaran, satu draf dan satu broadcast terjadwal.")
