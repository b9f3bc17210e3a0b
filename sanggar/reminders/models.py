from django.conf import settings
from django.db import models

from sanggar.accounts.constants import PROVINCE_CHOICES

from .constants import (
    BroadcastStatus,
    DelayUnit,
    SegmentStatus,
    SendStatus,
    SequenceKind,
    StopOn,
    Target,
    Trigger,
    channel_label,
)


class ReminderSequence(models.Model):
    name = models.CharField(max_length=120)
    trigger = models.CharField(max_length=30, choices=Trigger.choices)
    days = models.PositiveSmallIntegerField(default=0)  # "expiring in N days"
    stop_on = models.CharField(max_length=10, choices=StopOn.choices, default=StopOn.NONE)
    quiet_start = models.TimeField(null=True, blank=True)  # local time (TIME_ZONE); nothing is sent inside
    quiet_end = models.TimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # Marketing: emails carry the one-click unsubscribe link; a member on the suppression list is skipped.
    kind = models.CharField(max_length=13, choices=SequenceKind.choices, default=SequenceKind.TRANSACTIONAL)
    # The builder: what the sequence is about (a plan, product, course or event; empty: all of that kind).
    target_type = models.CharField(max_length=10, choices=Target.choices, blank=True, default="")
    target_id = models.PositiveIntegerField(null=True, blank=True)
    specific_at = models.DateTimeField(null=True, blank=True)  # the moment of an "on a date" trigger
    conditions = models.JSONField(default=list, blank=True)  # Condition values, all must hold
    # Trigger moments before this are ignored (a migrated sequence does not repeat what the old engine sent).
    active_from = models.DateTimeField(null=True, blank=True)
    # A default sequence made by the data migration from a built-in reminder ("membership_expiry", "follow_up:plan:3").
    origin = models.CharField(max_length=60, blank=True, db_index=True)
    # The order of a target's sequences on its "Reminder" tab (plan / product edit pages).
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "id")
        indexes = [models.Index(fields=["target_type", "target_id", "sort_order"], name="reminder_seq_target_order")]

    def __str__(self):
        return self.name


class ReminderStep(models.Model):
    sequence = models.ForeignKey(ReminderSequence, on_delete=models.CASCADE, related_name="steps")
    delay_hours = models.PositiveIntegerField(default=0)  # after the trigger's moment
    channels = models.JSONField(default=list)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=4000)
    # The builder: the delay as typed (delay_hours = amount × unit), order, when in the day and week it may go out,
    # and the text per channel ({"email": {"subject", "body", "cta_text", "cta_link"}, "whatsapp": {"text"},
    # "push": {"title", "body"}, "in_app": {"title", "body", "link"}}; a missing one uses subject/body).
    delay_amount = models.PositiveIntegerField(default=0)
    delay_unit = models.CharField(max_length=5, choices=DelayUnit.choices, default=DelayUnit.HOURS)
    sort_order = models.PositiveSmallIntegerField(default=0)
    preferred_time = models.TimeField(null=True, blank=True)  # local time (Asia/Jakarta)
    days_of_week = models.JSONField(default=list, blank=True)  # 0 = Monday … 6 = Sunday; empty: every day
    avoid_weekends = models.BooleanField(default=False)
    content = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("sort_order", "delay_hours", "id")

    def __str__(self):
        return self.subject

    @property
    def channel_labels(self) -> list[str]:
        return [channel_label(c) for c in self.channels]


class ReminderSend(models.Model):
    """One row per step + user + trigger object: the beat task inserts it before sending, so a rerun never sends
    twice. `object_key` names the object and its moment (a renewal moves `ends_at`, which re-arms the sequence)."""

    step = models.ForeignKey(ReminderStep, on_delete=models.CASCADE, related_name="sends")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    object_key = models.CharField(max_length=80)
    status = models.CharField(max_length=10, choices=SendStatus.choices, default=SendStatus.SENT)
    notification = models.ForeignKey("notifications.Notification", null=True, on_delete=models.SET_NULL)
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    scheduled_at = models.DateTimeField(null=True, blank=True)  # the slot the step was due at
    link = models.CharField(max_length=500, blank=True)  # where the signed click redirect leads (set by the sweep)
    error = models.CharField(max_length=300, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)  # email open pixel
    clicked_at = models.DateTimeField(null=True, blank=True)  # signed click redirect
    clicked_channel = models.CharField(max_length=20, blank=True)
    converted_at = models.DateTimeField(null=True, blank=True)  # the stop action happened within the window
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["step", "user", "object_key"], name="uniq_reminder_send")]
        indexes = [models.Index(fields=["order", "status"])]


class Broadcast(models.Model):
    title = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=4000)
    channels = models.JSONField(default=list)
    segment_role = models.CharField(max_length=20, blank=True)
    segment_plan = models.ForeignKey("catalog.MembershipPlan", null=True, blank=True, on_delete=models.PROTECT)
    segment_status = models.CharField(max_length=10, choices=SegmentStatus.choices, blank=True)
    segment_province = models.CharField(max_length=64, choices=PROVINCE_CHOICES, blank=True)
    # an active membership ending within N days (0: any)
    segment_expiring_days = models.PositiveSmallIntegerField(default=0)
    # not signed in for at least N days (0: any)
    segment_inactive_days = models.PositiveSmallIntegerField(default=0)
    # members of a community group (active membership) / students enrolled in a course
    segment_group = models.ForeignKey(
        "community.Group", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    segment_course = models.ForeignKey(
        "learning.Course", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # where the message leads (its links go through the signed click redirect) and the email button's text
    link = models.CharField(max_length=500, blank=True)
    cta_text = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=BroadcastStatus.choices, default=BroadcastStatus.DRAFT)
    send_at = models.DateTimeField(null=True, blank=True, db_index=True)  # scheduled: the minute sweep starts it
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self):
        return self.title


class BroadcastRecipient(models.Model):
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=SendStatus.choices, default=SendStatus.SENT)
    notification = models.ForeignKey("notifications.Notification", null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)  # email open pixel
    clicked_at = models.DateTimeField(null=True, blank=True)  # signed click redirect
    clicked_channel = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["broadcast", "user"], name="uniq_broadcast_recipient")]


class LinkClick(models.Model):
    """Clicks per link written in a reminder step's or a broadcast's email body (every click through the signed
    redirect counts here; the send's own `clicked_at` records only the first)."""

    step = models.ForeignKey(ReminderStep, null=True, blank=True, on_delete=models.CASCADE, related_name="link_clicks")
    broadcast = models.ForeignKey(
        Broadcast, null=True, blank=True, on_delete=models.CASCADE, related_name="link_clicks"
    )
    url = models.TextField()
    url_hash = models.CharField(max_length=64)  # sha256 of the url (the unique key; a url may be 2,000 characters)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["step", "url_hash"], name="uniq_link_click_step"),
            models.UniqueConstraint(fields=["broadcast", "url_hash"], name="uniq_link_click_broadcast"),
        ]


class ChannelThrottle(models.Model):
    """The broadcast sender's pace per channel (email, WhatsApp, push), shared by every broadcast: how many
    messages went out in the current one-minute window. The batch sender locks the row, so two workers never
    exceed the limit together."""

    channel = models.CharField(max_length=20, unique=True)
    window_start = models.DateTimeField(null=True, blank=True)
    used = models.PositiveIntegerField(default=0)


TRACKING_SETTINGS_ID = 1


class TrackingSettings(models.Model):
    """Site-wide tracking of reminder and broadcast emails (PDP): the open pixel can be switched off (then no pixel
    is embedded; clicks still go through the signed redirect), and the privacy page the emails' footer links to."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=TRACKING_SETTINGS_ID, editable=False)
    open_pixel = models.BooleanField(default=True)
    privacy_url = models.CharField(max_length=500, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return "Pengaturan pelacakan email"
