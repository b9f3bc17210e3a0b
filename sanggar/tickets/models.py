"""Support tickets: a member's question with its thread (replies, internal notes, system lines) and attachments;
the support team's canned replies."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanggar.core.models import TimeStampedModel

from .constants import (
    BODY_MAX,
    CANNED_TITLE_MAX,
    RATING_COMMENT_MAX,
    SUBJECT_MAX,
    MessageKind,
    TicketCategory,
    TicketPriority,
    TicketStatus,
)
from .links import ticket_link_get


class Ticket(TimeStampedModel):
    number = models.CharField(max_length=20, unique=True, blank=True)  # TKT-000123
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tickets")
    user_role = models.CharField(max_length=20, blank=True)  # the role the member used when opening it
    category = models.CharField(max_length=20, choices=TicketCategory.choices)
    subject = models.CharField(max_length=SUBJECT_MAX)
    priority = models.CharField(max_length=10, choices=TicketPriority.choices, default=TicketPriority.NORMAL)
    status = models.CharField(max_length=20, choices=TicketStatus.choices, default=TicketStatus.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tickets"
    )
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Something else it is about (a course, a live class: `links.py`), as it was named when the ticket was opened.
    link_kind = models.CharField(max_length=20, blank=True)
    link_ref = models.CharField(max_length=64, blank=True)
    link_label = models.CharField(max_length=200, blank=True)
    first_response_due_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)  # 1–5, after it is resolved
    rating_comment = models.CharField(max_length=RATING_COMMENT_MAX, blank=True)
    last_activity_at = models.DateTimeField(db_index=True)
    sla_warned_at = models.DateTimeField(null=True, blank=True)  # staff were told the first response is late

    class Meta:
        ordering = ("-last_activity_at", "-id")
        indexes = [
            models.Index(fields=["status", "assigned_to"]),
            models.Index(fields=["user", "-last_activity_at"]),
            models.Index(fields=["status", "resolved_at"]),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    @property
    def link_kind_label(self) -> str:
        entry = ticket_link_get(self.link_kind) if self.link_kind else None
        return str(entry.label) if entry else self.link_kind


class TicketMessage(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    body = models.TextField(max_length=BODY_MAX)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("created_at", "id")


class TicketAttachment(models.Model):
    """An image or PDF on a message, stored outside the public media folders and sent only to who may read it."""

    message = models.ForeignKey(TicketMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="private/tickets/", max_length=255)
    original_name = models.CharField(max_length=255)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)


class CannedReply(models.Model):
    """A reply the support team writes once and picks in a ticket ("Balasan cepat"); shortcodes such as {nama} are
    filled from the ticket when picked. `category` empty = offered on every ticket."""

    title = models.CharField(_("Judul"), max_length=CANNED_TITLE_MAX)
    body = models.TextField(_("Isi balasan"), max_length=BODY_MAX)
    category = models.CharField(_("Kategori"), max_length=20, choices=TicketCategory.choices, blank=True)
    active = models.BooleanField(_("Aktif"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("balasan cepat")
        verbose_name_plural = _("balasan cepat")
        ordering = ("title", "id")

    def __str__(self) -> str:
        return self.title
