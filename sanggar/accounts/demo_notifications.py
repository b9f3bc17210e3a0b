"""Demo notifications for the demo accounts (in the app only: nothing is emailed). Idempotent. Built here, not in
notifications, because notifications sits below accounts and never names the demo accounts."""

from django.urls import reverse
from django.utils import timezone

from sanggar.core.roles import Role
from sanggar.notifications.models import Notification
from sanggar.notifications.notifications import CHANNELS_TIP, TEMPLATES_TIP
from sanggar.notifications.services import notify

from .models import User
from .notifications import AFFILIATE_APPROVED, WELCOME


def seed_notifications(*, log, demo_users):
    created = 0
    emails = [row[0] for row in demo_users]
    users = User.objects.filter(email__in=emails).prefetch_related("roles")
    seeded = set(Notification.objects.filter(user__in=users, data__demo=True).values_list("user_id", flat=True))
    for user in users:
        if user.pk in seeded:
            continue
        welcome = notify(user=user, kind=WELCOME, link=reverse("dashboard:home"), channels=())
        Notification.objects.filter(pk=getattr(welcome, "pk", None)).update(
            data={"template": WELCOME, "demo": True}, read_at=timezone.now()
        )
        notify(
            user=user,
            kind=CHANNELS_TIP,
            link=reverse("accounts:profile_notifications"),
            data={"demo": True},
        )
        created += 2
        if user.has_role(Role.AFFILIATE):
            notify(
                user=user,
                kind=AFFILIATE_APPROVED,
                link=reverse("accounts:profile_affiliate"),
                data={"demo": True},
                channels=(),
            )
            created += 1
        if user.has_role(Role.ADMIN):
            notify(user=user, kind=TEMPLATES_TIP, link=reverse("notifications:admin_templates"), data={"demo": True})
            created += 1
    log(f"{created} demo notifications created")
