"""Demo notifications for the demo accounts (in the app only: nothing is emailed). Idempotent. Built here, not in
notifications, because notifications sits below accounts and never names the demo accounts."""

from django.urls import reverse
from django.utils import timezone

from sanggar.core.roles import Role
from sanggar.notifications.constants import NotificationKind, TemplateKey
from sanggar.notifications.models import Notification
from sanggar.notifications.services import notify, notify_from_template

from .models import User


def seed_notifications(*, log, demo_users):
    created = 0
    emails = [row[0] for row in demo_users]
    users = User.objects.filter(email__in=emails).prefetch_related("roles")
    seeded = set(Notification.objects.filter(user__in=users, data__demo=True).values_list("user_id", flat=True))
    for user in users:
        if user.pk in seeded:
            continue
        welcome = notify_from_template(
            user=user,
            key=TemplateKey.WELCOME,
            kind=NotificationKind.SYSTEM,
            link=reverse("dashboard:home"),
            channels=(),
        )
        Notification.objects.filter(pk=welcome.pk).update(
            data={"template": TemplateKey.WELCOME, "demo": True}, read_at=timezone.now()
        )
        notify(
            user=user,
            kind=NotificationKind.SYSTEM,
            title="Atur kanal notifikasi Anda",
            message="Pilih notifikasi mana yang juga dikirim lewat email, WhatsApp, atau push.",
            link=reverse("accounts:profile_notifications"),
            data={"demo": True},
            channels=(),
        )
        created += 2
        if user.has_role(Role.AFFILIATE):
            notify(
                user=user,
                kind=NotificationKind.AFFILIATE,
                title="Pengajuan affiliate disetujui",
                message="Selamat! Anda sekarang affiliate. Beralih ke peran Affiliate dari menu di kanan atas.",
                link=reverse("accounts:profile_affiliate"),
                data={"demo": True},
                channels=(),
            )
            created += 1
        if user.has_role(Role.ADMIN):
            notify(
                user=user,
                kind=NotificationKind.SYSTEM,
                title="Periksa template pesan",
                message="Sesuaikan teks email dan WhatsApp untuk pengguna baru, verifikasi email, dan reset sandi.",
                link=reverse("notifications:admin_templates"),
                data={"demo": True},
                channels=(),
            )
            created += 1
    log(f"{created} demo notifications created")
