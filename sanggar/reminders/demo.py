"""Demo reminder sequences of the builder (welcome after purchase, back to the course after 7 idle days, webinar
reminders, a come-back message after expiry; the 7/3/1-day expiry reminders are the data migration's default
sequence), some log and analytics from one real sweep, a draft and a scheduled broadcast, built through the services;
looked up by name, so running it twice changes nothing."""

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from sanggar.catalog.models import MembershipPlan, Product
from sanggar.events.models import Event
from sanggar.learning.models import Course

from . import services
from .models import Broadcast, ReminderSend, ReminderSequence

User = get_user_model()

SEQUENCES = [
    {
        "name": "Pengingat pembayaran pesanan",
        "trigger": "order_pending",
        "days": 0,
        "stop_on": "paid",
        "quiet": (time(21, 0), time(8, 0)),
        # On: the builder is the only engine reminding an unpaid order (orders sends its reminder only when an
        # admin presses "kirim ulang" on the order).
        "active": True,
        "steps": [
            (
                2,
                ["email"],
                "Pesanan {invoice} menunggu pembayaran",
                "Halo {name}, pesanan {invoice} sebesar {total} belum dibayar. "
                "Selesaikan pembayaran sebelum kedaluwarsa.",
                {},
            ),
        ],
    },
    {
        "name": "Sambutan member baru (hari 1 dan 3)",
        "trigger": "after_purchase",
        "target": ("plan", None),
        "stop_on": "none",
        "active": True,
        "steps": [
            (
                1,
                ["in_app", "email", "whatsapp"],
                "Selamat datang di {plan_name}, {name}!",
                "Mulai dari kelas Dasar-Dasar Ekspor, lalu kenalkan diri Anda di grup komunitas.",
                {
                    "unit": "days",
                    "time": time(9),
                    "content": {
                        "email": {
                            "subject": "Langkah pertama Anda di {plan_name}",
                            "cta_text": "Buka dasbor",
                            "cta_link": "{dashboard_link}",
                        },
                        "whatsapp": {
                            "text": "Halo {name} 👋 Selamat bergabung di *{plan_name}*. "
                            "Mulai belajar dari kelas Dasar-Dasar Ekspor hari ini ya."
                        },
                    },
                },
            ),
            (
                3,
                ["in_app", "push"],
                "Sudah coba kelas pertama, {name}?",
                "Member yang menyelesaikan satu kelas di minggu pertama 3× lebih mungkin ekspor perdana.",
                {
                    "unit": "days",
                    "time": time(19),
                    "avoid_weekends": True,
                    "content": {"push": {"title": "Yuk lanjut belajar"}},
                },
            ),
        ],
    },
    {
        "name": "Ajak kembali belajar (tidak aktif 7 hari)",
        "trigger": "inactivity",
        "days": 7,
        "target": ("course", None),
        "stop_on": "completed",
        "active": True,
        "steps": [
            (
                0,
                ["in_app", "email"],
                "{name}, kelas {course_name} menunggu Anda",
                "Sudah seminggu Anda belum membuka {course_name}. Lanjutkan dari pelajaran terakhir: {course_link}",
                {"time": time(10), "days": [0, 1, 2, 3, 4]},
            ),
        ],
    },
    {
        "name": "Pengingat webinar (H-1 dan 1 jam sebelum)",
        "trigger": "before_event",
        "target": ("event", None),
        "stop_on": "none",
        "active": True,
        "steps": [
            (
                1,
                ["in_app", "email", "whatsapp"],
                "Besok: {event_name}",
                "Halo {name}, {event_name} dimulai {event_time}. Detail dan tautan: {event_link}",
                {"unit": "days"},
            ),
            (
                1,
                ["in_app", "push", "whatsapp"],
                "1 jam lagi: {event_name}",
                "Siapkan catatan Anda, {event_name} mulai {event_time}.",
                {"unit": "hours"},
            ),
        ],
    },
    # Bound to one course and one event: they show on that course's and that event's "Pengingat" tab.
    {
        "name": "Dasar Ekspor: selesaikan modul pertama",
        "trigger": "after_purchase",
        "bind": ("course", {"title": "Dasar Ekspor"}),
        "stop_on": "completed",
        "conditions": ["courses_completed_zero"],
        "active": True,
        "steps": [
            (
                2,
                ["in_app", "whatsapp"],
                "{name}, modul pertama Dasar Ekspor tinggal sedikit lagi",
                "Halo {name}, lanjutkan Dasar Ekspor dari pelajaran terakhir Anda (sekitar 20 menit): {course_link}",
                {"unit": "days", "time": time(19), "avoid_weekends": True},
            ),
        ],
    },
    {
        "name": "Klinik Dokumen Ekspor: siapkan dokumen Anda",
        "trigger": "before_event",
        "bind": ("event", {"slug": "klinik-dokumen-ekspor"}),
        "stop_on": "none",
        "active": True,
        "steps": [
            (
                2,
                ["in_app", "email"],
                "Lusa: {event_name}, siapkan invoice dan packing list",
                "Halo {name}, bawa contoh invoice, packing list dan COO Anda ke {event_name} ({event_time}) agar "
                "bisa dibahas langsung. Detail: {event_link}",
                {"unit": "days"},
            ),
        ],
    },
    {
        "name": "Masa aktif berakhir: ajakan kembali",
        "trigger": "after_expiry",
        "target": ("plan", None),
        "stop_on": "renewed",
        "conditions": ["not_renewed"],
        "kind": "marketing",  # a win-back: unsubscribe link, skipped for unsubscribed members
        "active": True,
        "steps": [
            (
                1,
                ["in_app", "email", "whatsapp"],
                "Kami rindu Anda, {name}",
                "Membership {plan_name} Anda berakhir {expiry_date}. Aktifkan lagi untuk membuka kelas dan grup: "
                "{renewal_link}",
                {
                    "unit": "days",
                    "time": time(9),
                    "avoid_weekends": True,
                    "content": {
                        "email": {
                            "subject": "{name}, akses kelas dan grup Anda sudah berakhir",
                            # the rich-text email (REM-D1), as the builder's editor writes it
                            "body_html": (
                                "<h2>Kami rindu Anda, {name}</h2>"
                                "<p>Membership <strong>{plan_name}</strong> Anda berakhir pada {expiry_date}. "
                                "Selama aktif, Anda bisa:</p>"
                                "<ul><li>belajar di semua kelas ekspor dan mengunduh templat dokumen;</li>"
                                "<li>bertanya langsung ke mentor di grup komunitas;</li>"
                                "<li>ikut webinar bulanan beserta rekamannya.</li></ul>"
                                "<blockquote>“Order pertama saya ke Jepang datang setelah ikut kelas riset "
                                "buyer.” — Rina, eksportir kopi dari Temanggung</blockquote>"
                                '<p><a href="{renewal_link}">Aktifkan lagi membership Anda</a> dan lanjutkan '
                                "dari pelajaran terakhir.</p>"
                            ),
                            "cta_text": "Perpanjang sekarang",
                            "cta_link": "{renewal_link}",
                        }
                    },
                },
            ),
        ],
    },
]


# The plans' and products' WhatsApp follow-ups (one engine: the builder sends them from the paid order; they used to
# be the catalog's "Follow-up WhatsApp" tab), as migration 0014 leaves them: on, origin `follow_up:<kind>:<id>`.
PLAN_FOLLOW_UPS = [
    (0, "Halo {name}, selamat bergabung di {plan_name}! Mulai dari kelas pertama di {dashboard_link}"),
    (3, "Hai {name}, sudah gabung grup komunitas {plan_name}? Kenalkan dirimu dan produk yang mau diekspor."),
    (7, "{name}, satu minggu bersama {platform_name}. Ada kendala? Balas pesan ini, tim kami siap bantu."),
]
FOLLOW_UPS = [
    *((("plan", slug), PLAN_FOLLOW_UPS) for slug in ("6-bulan", "12-bulan", "lifetime", "silver", "gold", "platinum")),
    (
        ("product", "webinar-menembus-buyer-eropa"),
        [
            (0, "Halo {name}, kursi webinar {product_name} sudah kamu amankan. Link Zoom menyusul H-1."),
            (1, "{name}, jangan lupa siapkan pertanyaan untuk sesi tanya jawab {product_name}!"),
        ],
    ),
]


def _seed_follow_ups(admin) -> int:
    """One "after purchase" WhatsApp sequence per demo plan and the webinar product (the catalog's demo made them
    before: INSTALLED_APPS order); looked up by origin."""
    made = 0
    for (kind, slug), steps in FOLLOW_UPS:
        owner = (MembershipPlan if kind == "plan" else Product).objects.filter(slug=slug).first()
        if owner is None or ReminderSequence.objects.filter(origin=f"follow_up:{kind}:{owner.pk}").exists():
            continue
        seq = services.sequence_save(
            actor=admin,
            name=f"Follow-up WhatsApp: {owner.title}"[:120],
            trigger="after_purchase",
            stop_on="none",
            is_active=True,
            target_type=kind,
            target_id=owner.pk,
        )
        ReminderSequence.objects.filter(pk=seq.pk).update(origin=f"follow_up:{kind}:{owner.pk}")
        for order, (days, text) in enumerate(steps):
            services.step_save(
                actor=admin,
                sequence=seq,
                delay_amount=days,
                delay_unit="days",
                sort_order=order,
                channels=["whatsapp"],
                subject=f"Follow-up {owner.title}"[:200],
                body=text,
                content={"whatsapp": {"text": text}},
            )
        made += 1
    return made


def seed(*, log):
    admin = User.objects.filter(email="admin@sanggar.test").first()
    made = _seed_follow_ups(admin)
    if made:
        log(f"{made} WhatsApp follow-up sequences (builder)")
    for spec in SEQUENCES:
        if ReminderSequence.objects.filter(name=spec["name"]).exists():
            continue
        target_type, target_id = spec.get("target", ("", None))
        if "bind" in spec:  # one demo course / event (their demo ran before: INSTALLED_APPS order)
            target_type, lookup = spec["bind"]
            target = (Course if target_type == "course" else Event).objects.filter(**lookup).first()
            if target is None:
                continue
            target_id = target.pk
        quiet = spec.get("quiet", (None, None))
        seq = services.sequence_save(
            actor=admin,
            name=spec["name"],
            trigger=spec["trigger"],
            days=spec.get("days", 0),
            stop_on=spec["stop_on"],
            quiet_start=quiet[0],
            quiet_end=quiet[1],
            is_active=spec["active"],
            target_type=target_type,
            target_id=target_id,
            conditions=spec.get("conditions", []),
            kind=spec.get("kind", "transactional"),
        )
        for order, (delay, channels, subject, body, extra) in enumerate(spec["steps"]):
            services.step_save(
                actor=admin,
                sequence=seq,
                delay_amount=delay,
                delay_unit=extra.get("unit", "hours"),
                sort_order=order,
                channels=channels,
                subject=subject,
                body=body,
                preferred_time=extra.get("time"),
                days_of_week=extra.get("days", []),
                avoid_weekends=extra.get("avoid_weekends", False),
                content=extra.get("content", {}),
            )
    _demo_activity()
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
    log(
        "Pengingat & broadcast: urutan bawaan 7/3/1 hari, sambutan, ajakan belajar, webinar, satu kelas dan satu "
        "event dengan pengingatnya sendiri, ajakan kembali, "
        "log dan analitik, satu draf dan satu broadcast terjadwal."
    )


def _demo_activity():
    """Runs the real sweep once (the due steps of the demo members go out) and lets a few of them open and click
    their reminder, so the log and analytics pages have content. Once: skipped when the log has rows."""
    if ReminderSend.objects.exists():
        return
    services.reminders_send_due()
    for index, send in enumerate(ReminderSend.objects.filter(status="sent").order_by("id")[:12]):
        if index % 2 == 0:
            services.reminder_opened(send_id=send.pk)
        if index % 3 == 0:
            services.reminder_clicked(send_id=send.pk, channel="email")
