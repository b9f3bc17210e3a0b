"""Interim notify(): in-app records only. The notifications issue work replaces this with channels and templates."""

from django.db import transaction

from .models import Notification


@transaction.atomic
def notify(*, user, kind, title, message="", link="", data=None, channels=None) -> Notification:
    return Notification.objects.create(
        user=user, kind=kind, title=str(title)[:200], message=str(message), link=link, data=data or {}
    )


def notify_from_template(*, user, key, kind, link="", context=None, channels=None):
    return notify(user=user, kind=kind, title=key, message="", link=link)


def email_send_template(*, to_email, key, context, user=None):
    from django.core.mail import send_mail

    send_mail(key, str(context), None, [to_email])
