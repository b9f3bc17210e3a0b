from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import (
    EMAIL_BODY_MAX_LENGTH,
    PRIVATE_PLACEHOLDER,
    PUSH_BODY_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    WHATSAPP_BODY_MAX_LENGTH,
    Channel,
    DeliveryStatus,
    ProviderStatus,
)
from .registry import group_label, kind_is_private


class Notification(models.Model):
    """One in-app notification: what the bell counts and the notification centre lists."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # The preference group of the notification's kind (registry.PreferenceGroup.key; data["template"] is the kind).
    kind = models.CharField(max_length=20, default="system")
    title = models.CharField(max_length=200)
    message = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Archived by the user: out of the bell and the list, under the "Arsip" filter (archiving also marks it read).
    archived_at = models.DateTimeField(null=True, blank=True)
    # What the notification is about, "<kind>:<key>" of a registered source kind ("course:12"): the notification
    # centre filters by it and a user who unfollowed the source is not told (`Subscription`). Empty: no source.
    source = models.CharField(max_length=60, blank=True, default="")
    # An important notification (its kind is `popup`) not yet shown as a popup: the open page shows it live over the
    # websocket and acknowledges it; otherwise the next page load shows it (and clears the flag).
    popup_pending = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["user", "source", "-created_at"]),
            models.Index(fields=["user"], condition=models.Q(popup_pending=True), name="notif_popup_pending"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def get_kind_display(self) -> str:
        return group_label(self.kind)


class MessageTemplate(models.Model):
    """The admin-editable texts of one notification kind (`key` = the registered kind), per channel, with shortcodes
    such as `{name}`. Rows are created from each kind's defaults by `message_templates_sync` (after every migrate)."""

    key = models.CharField(max_length=80, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    inapp_title = models.CharField(_("judul notifikasi"), max_length=200, blank=True)
    inapp_body = models.TextField(_("isi notifikasi"), max_length=EMAIL_BODY_MAX_LENGTH, blank=True)
    email_subject = models.CharField(_("subjek email"), max_length=SUBJECT_MAX_LENGTH, blank=True)
    email_body = models.TextField(_("isi email"), max_length=EMAIL_BODY_MAX_LENGTH, blank=True)
    whatsapp_body = models.TextField(_("isi WhatsApp"), max_length=WHATSAPP_BODY_MAX_LENGTH, blank=True)
    push_body = models.CharField(_("isi push"), max_length=PUSH_BODY_MAX_LENGTH, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class Delivery(models.Model):
    """One message on one external channel (email, WhatsApp, push) and what happened to it."""

    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    provider = models.CharField(max_length=30, blank=True)
    template_key = models.CharField(max_length=50, blank=True)
    recipient = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=SUBJECT_MAX_LENGTH, blank=True)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    # An email's body as HTML (the reminder builder's rich-text email, sanitised with nh3 and filled by the sender);
    # empty: the HTML is made from the plain `body`, which stays the text alternative.
    body_html = models.TextField(blank=True)
    # The email's call-to-action button text (the reminder builder's per-channel content); empty: the default "Buka".
    button_text = models.CharField(max_length=60, blank=True)
    # A push's icon (https or a path on this site) and where tapping it opens in the app (an https link or the app's
    # own path, e.g. /kursus/ekspor-dasar); empty: the platform's icon and `link`. Set by the reminder builder.
    icon_url = models.CharField(max_length=500, blank=True)
    deep_link = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    # A marketing email (a broadcast): carries an unsubscribe link and is never sent to a suppressed address.
    marketing = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    # What the provider answered. Never holds a credential: requests are not stored, only responses.
    response = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # What the provider reported afterwards through its webhook (provider_events.py): the furthest status reached
    # ("sent" < "delivered" < "read" < "clicked"; never goes back), Fonnte's state id (its later "delivered"/"read"
    # updates name only that), and when the message was first confirmed delivered, opened (read) and clicked.
    provider_status = models.CharField(max_length=20, blank=True, choices=ProviderStatus.choices)
    provider_state_id = models.CharField(max_length=100, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["channel", "status"]),
            models.Index(fields=["provider", "provider_message_id"], name="delivery_provider_msg_idx"),
            models.Index(
                fields=["provider", "provider_state_id"],
                name="delivery_provider_state_idx",
                condition=~models.Q(provider_state_id=""),
            ),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient or '-'} ({self.status})"

    # What the delivery log shows (the admin pages and the Django admin): a private kind's message (a chat
    # message's preview, registry.NotificationKind.private) is never shown, whoever looks.
    @property
    def is_private(self) -> bool:
        return kind_is_private(self.template_key)

    @property
    def shown_subject(self) -> str:
        return str(PRIVATE_PLACEHOLDER) if self.is_private and self.subject else self.subject

    @property
    def shown_body(self) -> str:
        return str(PRIVATE_PLACEHOLDER) if self.is_private and (self.body or self.body_html) else self.body

    @property
    def shown_response(self):
        """The provider's answer; for a private message, every text in it that repeats part of the message is
        replaced (a provider may echo what it was sent)."""
        if not self.is_private or not self.response:
            return self.response
        parts = [line.strip() for line in f"{self.subject}\n{self.body}".splitlines() if len(line.strip()) >= 8]

        def hide(value):
            if isinstance(value, dict):
                return {k: hide(v) for k, v in value.items()}
            if isinstance(value, list):
                return [hide(v) for v in value]
            if isinstance(value, str) and any(p in value or (len(value) >= 8 and value in p) for p in parts):
                return str(PRIVATE_PLACEHOLDER)
            return value

        return hide(self.response)


class Subscription(models.Model):
    """Whether a user follows the notifications of one source ("course:12"; community groups and events can use
    the same): a user is subscribed unless they unfollowed (`subscribed=False`), so joining a course subscribes
    without a write. `notify_users(..., source=...)` leaves out whoever unfollowed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=60)
    subscribed = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "source"], name="uniq_notification_subscription")]
        indexes = [models.Index(fields=["source", "subscribed"])]


class EmailSuppression(models.Model):
    """An address that receives no marketing email (broadcasts): added by its owner through the signed unsubscribe
    link, or by an admin; checked before every marketing email is queued and again before it is sent. Admins see
    and remove rows at /admin/notifications/suppression."""

    email = models.EmailField(unique=True)
    reason = models.CharField(max_length=20, default="unsubscribed")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self):
        return self.email


class NotificationRoleRule(models.Model):
    """Admin-set: whether users of `role` receive notifications of the preference group `group` (no row: they do).
    A user with several roles receives a group when any of their roles does; account-security kinds always go out."""

    group = models.CharField(max_length=20)
    role = models.CharField(max_length=20)
    enabled = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "role"], name="uniq_notification_role_rule")]


class SmartRule(models.Model):
    """The admin's setting of one smart rule (a registered `smart_rules.RuleDef`): on or off and its threshold
    (days, comments, or minutes before an event). No row: the rule's defaults."""

    key = models.CharField(max_length=60, unique=True)
    enabled = models.BooleanField(default=True)
    value = models.JSONField(default=None, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)


class SmartRuleFiring(models.Model):
    """One firing of a smart rule for one subject ("course:12", "post:55", "event:3:user:9:60"): inserted before the
    rule acts, unique, so a rule fires once per subject however often (or concurrently) its hook or sweep runs."""

    rule = models.CharField(max_length=60)
    subject = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "subject"], name="uniq_smart_rule_firing")]
