"""Email: Mailketing when MAILKETING_API_TOKEN is set, else Django's email backend (SMTP in production; the console
and in-memory backends only record the message, so they count as `logged`)."""

import contextlib
import smtplib
from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from ..constants import Channel as ChannelName
from ..rendering import EMAIL_FOOTER_NOTES, EMAIL_HTML_EXTRAS, email_content
from ..unsubscribe import one_click_url
from .base import Channel, OutgoingMessage, Provider, SendResult
from .mailketing.provider import MailketingProvider

# Backends that keep the message on this machine instead of handing it to a mail server.
LOG_ONLY_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    }
)


class DjangoEmailProvider(Provider):
    @property
    def backend(self) -> str:
        return settings.EMAIL_BACKEND

    @property
    def name(self) -> str:
        # "django.core.mail.backends.smtp.EmailBackend" → "smtp"
        parts = self.backend.rsplit(".", 2)
        return parts[-2] if len(parts) == 3 else self.backend[:30]

    def is_configured(self) -> bool:
        return True

    def _email(self, message: OutgoingMessage, message_id: str, connection=None) -> EmailMultiAlternatives:
        from_email = settings.DEFAULT_FROM_EMAIL
        if message.from_name:
            from_email = formataddr((message.from_name, parseaddr(from_email)[1]))
        headers = {"Message-ID": message_id}
        if message.list_unsubscribe:  # marketing: one-click unsubscribe in the mail client (RFC 8058)
            headers["List-Unsubscribe"] = f"<{message.list_unsubscribe}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            from_email=from_email,
            to=[message.recipient],
            headers=headers,
            reply_to=[message.reply_to] if message.reply_to else None,
            connection=connection,
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        return email

    def _result(self, message_id: str) -> SendResult:
        response = {"backend": self.name}
        if self.backend in LOG_ONLY_BACKENDS:
            return SendResult.logged(self.name, response)
        return SendResult.sent(self.name, message_id, response)

    def send(self, message: OutgoingMessage) -> SendResult:
        return self.send_many([message])[0]

    def send_many(self, messages: list[OutgoingMessage]) -> list[SendResult]:
        """Every message over ONE connection to the mail server (a broadcast batch: one SMTP session instead of one
        per email), each handed over on its own so that a refused recipient fails alone. A dropped connection is
        opened again for the next message."""
        results = []
        connection = get_connection(fail_silently=False)
        try:
            for message in messages:
                message_id = make_msgid(domain="sanggar")
                try:
                    connection.open()  # no-op while the session is open; reopens after a dropped one
                    connection.send_messages([self._email(message, message_id, connection)])
                except (smtplib.SMTPException, OSError) as exc:
                    results.append(SendResult.failed(self.name, f"{type(exc).__name__}: {exc}"[:1000]))
                    if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
                        with contextlib.suppress(smtplib.SMTPException, OSError):
                            connection.close()  # the next message opens a fresh session
                    continue
                results.append(self._result(message_id))
        finally:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.close()
        return results


class EmailChannel(Channel):
    name = ChannelName.EMAIL

    def candidates(self) -> list[Provider]:
        return [MailketingProvider(), DjangoEmailProvider()]

    def message_for(self, delivery) -> OutgoingMessage:
        notes = [note for hook in EMAIL_FOOTER_NOTES if (note := hook(delivery))]  # registered by higher apps
        content = email_content(
            subject=delivery.subject,
            text=delivery.body,
            link=delivery.link,
            button_text=delivery.button_text,
            body_html=delivery.body_html,
            footer_notes=notes,
        )
        html = content.html
        for extra in EMAIL_HTML_EXTRAS:  # registered by higher apps (the reminders' open pixel)
            snippet = extra(delivery)
            if snippet:
                html = html.replace("</body>", f"{snippet}</body>", 1)
        return OutgoingMessage(
            delivery_id=delivery.pk,
            channel=self.name,
            recipient=delivery.recipient,
            subject=content.subject,
            body=content.text,
            html=html,
            link=delivery.link,
            list_unsubscribe=one_click_url(delivery.recipient) if delivery.marketing and delivery.recipient else "",
        )
