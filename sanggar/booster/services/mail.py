"""Rendering and sending one marketing email to a lead: shortcodes, tracked links, the open pixel, the unsubscribe
link; sent through the notifications app's email providers (Mailketing, else Django's backend) from the platform's
verified address with the affiliate's name and reply-to."""

import re

from django.core import signing
from django.urls import reverse
from django.utils.html import escape

from sanggar.notifications.channels.base import OutgoingMessage, SendResult
from sanggar.notifications.channels.email import EmailChannel
from sanggar.notifications.constants import DeliveryStatus
from sanggar.notifications.rendering import email_content
from sanggar.notifications.selectors import suppressed_emails, suppressed_emails_query
from sanggar.reminders import tracking
from sanggar.reminders.services import render_text

from ..models import Suppression

TRACK_SALT = "booster.track"
HREF_RE = re.compile(r'href="(https?://[^"]+)"')


def lead_context(lead, affiliate) -> dict:
    name = lead.name or (lead.email.split("@")[0] if lead.email else "")
    return {
        "name": name,
        "first_name": name.split(" ")[0] if name else "",
        "email": lead.email,
        "phone": lead.whatsapp,
        "affiliate": affiliate.user.full_name or affiliate.code,
    }


def token(kind: str, pk: int, url: str = "") -> str:
    """Signed (kind, id[, url]): "b" a broadcast recipient, "l" a lead (unsubscribe); "s" was an automation send
    before the automation moved onto the reminder engine (its old links still redirect, uncounted)."""
    return signing.dumps([kind, pk, url] if url else [kind, pk], salt=TRACK_SALT, compress=True)


def token_read(value: str) -> tuple[str, int, str] | None:
    try:
        data = signing.loads(str(value)[:4000], salt=TRACK_SALT)
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        return None
    if not isinstance(data, list) or len(data) not in (2, 3) or data[0] not in ("b", "s", "l"):
        return None
    if not isinstance(data[1], int) or isinstance(data[1], bool):
        return None
    url = data[2] if len(data) == 3 and isinstance(data[2], str) else ""
    return data[0], data[1], url


UNSUB = "{unsubscribe_url}"


class Prepared:
    """One message rendered once (the branded HTML frame included) and filled per lead: shortcodes, the tracked
    links, the open pixel and the unsubscribe link. Rendering the frame once keeps a 10,000-lead send cheap."""

    def __init__(self, *, subject: str, body: str, affiliate, base_url: str = ""):
        self.affiliate, self.base_url = affiliate, base_url
        self.subject = subject
        name = affiliate.user.full_name or affiliate.code
        footer = f"\n\n--\nBerhenti menerima email dari {name}: {UNSUB}"
        content = email_content(subject=subject, text=body + footer)
        self.text = content.text
        self.html = content.html

    def fill(self, *, lead, kind: str = "", pk: int = 0) -> tuple[str, str, str]:
        context = lead_context(lead, self.affiliate)
        unsubscribe = self.base_url + reverse("booster:unsubscribe", args=[token("l", lead.pk or 0)])
        subject = render_text(self.subject, context)
        text = render_text(self.text, {**context, "unsubscribe_url": unsubscribe})
        html = render_text(self.html, {k: escape(v) for k, v in context.items()})
        if kind and pk:
            html = HREF_RE.sub(
                lambda m: (
                    'href="'
                    + escape(
                        self.base_url + reverse("booster:track_click", args=[token(kind, pk, _unescape(m.group(1)))])
                    )
                    + '"'
                ),
                html,
            )
            pixel = self.base_url + reverse("booster:track_open", args=[token(kind, pk)])
            img = f'<img src="{escape(pixel)}" width="1" height="1" alt="" style="display:block;border:0">'
            html = html.replace("</body>", img + "</body>") if "</body>" in html else html + img
        link = f'<a href="{escape(unsubscribe)}">{escape(unsubscribe)}</a>'
        html = html.replace(escape(UNSUB), link).replace(UNSUB, link)
        return subject, text, html

    def fill_tracked(self, *, lead, send_id: int) -> tuple[str, str, str]:
        """An automation email of the reminder engine's send `send_id`: its links go through the engine's signed
        click redirect (per-link counts, `reminders.tracking`), its open pixel is the engine's (when the admins left
        the open pixel on); the unsubscribe link stays the booster's own."""
        context = lead_context(lead, self.affiliate)
        unsubscribe = self.base_url + reverse("booster:unsubscribe", args=[token("l", lead.pk or 0)])
        subject = render_text(self.subject, context)
        text = tracking.tracked_text(render_text(self.text, context, keep_unknown=True), send_id)
        text = text.replace(UNSUB, unsubscribe)
        html = render_text(self.html, {k: escape(v) for k, v in context.items()}, keep_unknown=True)
        html = tracking.tracked_html(html, send_id)
        if tracking.tracking_settings().open_pixel:
            pixel = escape(tracking.open_url(send_id))
            img = f'<img src="{pixel}" width="1" height="1" alt="" style="display:block;border:0">'
            html = html.replace("</body>", img + "</body>") if "</body>" in html else html + img
        link = f'<a href="{escape(unsubscribe)}">{escape(unsubscribe)}</a>'
        html = html.replace(escape(UNSUB), link).replace(UNSUB, link)
        return subject, text, html


def render(*, subject: str, body: str, lead, affiliate, kind: str = "", pk: int = 0, base_url: str = ""):
    """(subject, text, html) for one lead (see `Prepared`)."""
    return Prepared(subject=subject, body=body, affiliate=affiliate, base_url=base_url).fill(
        lead=lead, kind=kind, pk=pk
    )


def _unescape(url: str) -> str:
    return url.replace("&amp;", "&")


# One suppression list for all marketing email (PRODUCT.md: "unsubscribe and suppression per affiliate and
# globally"): the global list is notifications' EmailSuppression, which the platform's broadcasts use too (an
# unsubscribe from a broadcast stops every affiliate's email, and a lead who chooses "all marketing email" on the
# booster's unsubscribe page stops the broadcasts); `Suppression` keeps only each affiliate's own list.


def is_suppressed(*, affiliate, email: str) -> bool:
    email = (email or "").lower()
    return (
        bool(suppressed_emails(emails=[email])) or Suppression.objects.filter(email=email, affiliate=affiliate).exists()
    )


def suppressed_among(*, affiliate, emails) -> set[str]:
    """The addresses among `emails` that get no email from this affiliate (its own list or the global one)."""
    emails = {str(e).lower() for e in emails if e}
    if not emails:
        return set()
    own = Suppression.objects.filter(affiliate=affiliate, email__in=emails).values_list("email", flat=True)
    return set(own) | suppressed_emails(emails=emails)


def exclude_suppressed(leads, *, affiliate):
    """A lead queryset without the addresses this affiliate may not email."""
    own = Suppression.objects.filter(affiliate=affiliate).values("email")
    return leads.exclude(email__in=own).exclude(email__in=suppressed_emails_query())


def send_email(*, to: str, subject: str, text: str, html: str, affiliate) -> SendResult:
    """Sends one email through the configured provider; the result says sent/logged or failed (never raises)."""
    provider = EmailChannel().provider()
    message = OutgoingMessage(
        delivery_id=0,
        channel="email",
        recipient=to,
        subject=subject,
        body=text,
        html=html,
        from_name=(affiliate.user.full_name or affiliate.code)[:100],
        reply_to=affiliate.user.email,
    )
    try:
        return provider.send(message)
    except Exception as exc:
        return SendResult.failed(getattr(provider, "name", "email"), f"{type(exc).__name__}: {exc}"[:300])


def delivered(result: SendResult) -> bool:
    """What "delivered" means without provider callbacks: the provider handed the message to a real mail server that
    accepted it (SMTP answered 250 for the address, or Mailketing answered success). A provider that only records the
    message (console, file, no credentials: `logged`) has sent nothing anywhere, so it is sent but not delivered; a
    refusal is a failure. Bounces that come back later by email are not read."""
    return result.status == DeliveryStatus.SENT
