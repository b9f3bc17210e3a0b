"""Booster Suite: bio pages, opt-in forms, leads (mini CRM), templates, credits (an append-only ledger), paid
broadcast email, automation sequences (rows of the reminder engine, realm "booster"). Leads are not users: their email
goes through this app's own send path, never `notify()`; the automation's log is the engine's `ReminderSend`."""

from django.db import models
from django.db.models import Q

from sanggar.core.models import TimeStampedModel
from sanggar.reminders.models import ReminderSequence

from .constants import (
    BroadcastStatus,
    ButtonKind,
    CreditKind,
    EnrollmentStatus,
    Font,
    LeadSource,
    LeadStatus,
    OptinAction,
    RecipientStatus,
    SequenceTrigger,
    TemplateCategory,
    Theme,
)

AFFILIATE = "affiliates.AffiliateProfile"


# --- templates (admin) -------------------------------------------------------------------------------------------


class EmailTemplate(TimeStampedModel):
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=TemplateCategory.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=20_000)
    is_published = models.BooleanField(default=False)

    class Meta:
        ordering = ("category", "name", "id")

    def __str__(self):
        return self.name


class BioTemplate(TimeStampedModel):
    """A starting point for a bio page: theme, colours, copy and CTA buttons (`buttons`: [{kind, label}])."""

    name = models.CharField(max_length=120)
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.MODERN)
    primary_color = models.CharField(max_length=7, default="#0f766e")
    font = models.CharField(max_length=10, choices=Font.choices, default=Font.SANS)
    headline = models.CharField(max_length=150, blank=True)
    bio = models.TextField(max_length=1000, blank=True)
    buttons = models.JSONField(default=list, blank=True)
    is_published = models.BooleanField(default=False)

    class Meta:
        ordering = ("name", "id")

    def __str__(self):
        return self.name


# --- bio page ----------------------------------------------------------------------------------------------------


class BioPage(TimeStampedModel):
    affiliate = models.OneToOneField(AFFILIATE, on_delete=models.CASCADE, related_name="bio_page")
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.MODERN)
    primary_color = models.CharField(max_length=7, default="#0f766e")
    font = models.CharField(max_length=10, choices=Font.choices, default=Font.SANS)
    headline = models.CharField(max_length=150, blank=True)
    bio = models.TextField(max_length=1000, blank=True)
    avatar = models.ImageField(upload_to="booster/avatars/", blank=True)
    whatsapp = models.CharField(max_length=20, blank=True)
    wa_group_url = models.CharField(max_length=200, blank=True)  # https://chat.whatsapp.com/<code> only
    socials = models.JSONField(default=dict, blank=True)  # {"instagram": "handle", ...}, allow-listed networks
    is_published = models.BooleanField(default=True)
    view_count = models.PositiveIntegerField(default=0)


class BioButton(models.Model):
    page = models.ForeignKey(BioPage, on_delete=models.CASCADE, related_name="buttons")
    kind = models.CharField(max_length=10, choices=ButtonKind.choices)
    target = models.CharField(max_length=120, blank=True)  # slug of the plan/product/course/event/opt-in form
    label = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    click_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")


# --- opt-in forms ------------------------------------------------------------------------------------------------


class OptinForm(TimeStampedModel):
    affiliate = models.ForeignKey(AFFILIATE, on_delete=models.CASCADE, related_name="optin_forms")
    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=120)  # internal name
    headline = models.CharField(max_length=150)
    description = models.TextField(max_length=2000, blank=True)
    badge_text = models.CharField(max_length=60, blank=True)
    benefits = models.TextField(max_length=2000, blank=True)  # one per line
    faq = models.TextField(max_length=4000, blank=True)  # "question | answer" per line
    countdown_end = models.DateTimeField(null=True, blank=True)
    primary_color = models.CharField(max_length=7, default="#0f766e")
    secondary_color = models.CharField(max_length=7, default="#1e3a8a")
    ask_name = models.BooleanField(default=True)
    ask_email = models.BooleanField(default=True)
    ask_whatsapp = models.BooleanField(default=False)
    button_label = models.CharField(max_length=60, default="Kirim")
    magnet_file = models.FileField(upload_to="booster/magnets/", blank=True)
    magnet_url = models.URLField(max_length=500, blank=True)
    action = models.CharField(max_length=10, choices=OptinAction.choices, default=OptinAction.MESSAGE)
    success_message = models.TextField(max_length=1000, blank=True)
    wa_number = models.CharField(max_length=20, blank=True)
    wa_message = models.CharField(max_length=500, blank=True)
    is_active = models.BooleanField(default=True)
    submission_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self):
        return self.title


# --- leads -------------------------------------------------------------------------------------------------------


class Lead(TimeStampedModel):
    affiliate = models.ForeignKey(AFFILIATE, on_delete=models.CASCADE, related_name="leads")
    form = models.ForeignKey(OptinForm, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads")
    name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(max_length=254, blank=True)  # lower case
    whatsapp = models.CharField(max_length=20, blank=True)  # +628…
    status = models.CharField(max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW, db_index=True)
    source = models.CharField(max_length=10, choices=LeadSource.choices, default=LeadSource.MANUAL)
    notes = models.TextField(max_length=2000, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    last_contacted_at = models.DateTimeField(null=True, blank=True)
    converted_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["affiliate", "-created_at"]), models.Index(fields=["affiliate", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["affiliate", "email"], condition=~Q(email=""), name="lead_unique_email"),
            models.UniqueConstraint(
                fields=["affiliate", "whatsapp"], condition=~Q(whatsapp=""), name="lead_unique_whatsapp"
            ),
            models.CheckConstraint(condition=~Q(email="", whatsapp=""), name="lead_has_contact"),
        ]

    def __str__(self):
        return self.name or self.email or self.whatsapp


class LeadTag(models.Model):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("tag",)
        constraints = [models.UniqueConstraint(fields=["lead", "tag"], name="lead_tag_unique")]
        indexes = [models.Index(fields=["tag"])]


class Suppression(models.Model):
    """An address that gets no more marketing email: from one affiliate (`affiliate`) or from everyone (null)."""

    affiliate = models.ForeignKey(AFFILIATE, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(max_length=254)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["affiliate", "email"], condition=Q(affiliate__isnull=False), name="suppression_unique_own"
            ),
            models.UniqueConstraint(fields=["email"], condition=Q(affiliate__isnull=True), name="suppression_unique"),
        ]


# --- credits -----------------------------------------------------------------------------------------------------


class CreditPackage(TimeStampedModel):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=60, unique=True)
    price = models.BigIntegerField()  # rupiah
    credits = models.PositiveIntegerField()
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "price", "id")
        constraints = [models.CheckConstraint(condition=Q(price__gt=0) & Q(credits__gt=0), name="package_positive")]

    def __str__(self):
        return self.name


class CreditAccount(TimeStampedModel):
    """The row a credit movement locks (balances are sums of entries), plus the admins' abuse controls."""

    affiliate = models.OneToOneField(AFFILIATE, on_delete=models.CASCADE, related_name="credit_account")
    sending_suspended = models.BooleanField(default=False)
    suspended_reason = models.CharField(max_length=200, blank=True)
    daily_cap = models.PositiveIntegerField(null=True, blank=True)  # null: BOOSTER_DAILY_EMAIL_CAP
    # The low-credit alert: the affiliate's own threshold (null: BOOSTER_LOW_CREDIT_THRESHOLD, 0: off) and when the
    # balance last fell below it (cleared when it is back at or above it, so the alert fires once per crossing).
    low_credit_threshold = models.PositiveIntegerField(null=True, blank=True)
    low_credit_alerted_at = models.DateTimeField(null=True, blank=True)


class CreditEntry(models.Model):
    """Append-only. `available` and `reserved` are the changes to the two balances, which are sums of this table:
    top-up +n/0, adjust ±n/0, reserve −n/+n, charge 0/−n (from a reservation) or −n/0 (direct), refund +n/−n or
    +n/0."""

    account = models.ForeignKey(CreditAccount, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=CreditKind.choices)
    available = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    ref = models.CharField(max_length=60, blank=True)  # "order:INV-…:12", "broadcast:5", "sequence-send:9"
    note = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["ref"], condition=Q(kind="topup"), name="credit_topup_once"),
        ]


# --- broadcasts --------------------------------------------------------------------------------------------------


class Broadcast(TimeStampedModel):
    affiliate = models.ForeignKey(AFFILIATE, on_delete=models.CASCADE, related_name="broadcasts")
    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=20_000)
    template = models.ForeignKey(EmailTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    segment = models.JSONField(default=dict, blank=True)  # {"status": "", "source": "", "tag": ""}
    status = models.CharField(max_length=10, choices=BroadcastStatus.choices, default=BroadcastStatus.DRAFT)
    scheduled_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # {"frequency": "weekly", "interval": 1, "time_of_day": "20:00", "days_of_week": [1, 3], "end_date": "2027-03-01"}
    recurrence = models.JSONField(null=True, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences")
    total_recipients = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    delivered_count = models.PositiveIntegerField(default=0)  # sent and accepted by the receiving mail server
    failed_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    opened_count = models.PositiveIntegerField(default=0)
    clicked_count = models.PositiveIntegerField(default=0)
    unsubscribed_count = models.PositiveIntegerField(default=0)
    converted_count = models.PositiveIntegerField(default=0)
    credits_reserved = models.PositiveIntegerField(default=0)
    credits_used = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["status", "scheduled_at"])]

    def __str__(self):
        return self.name


class BroadcastRecipient(models.Model):
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="recipients")
    lead = models.ForeignKey(Lead, null=True, on_delete=models.SET_NULL, related_name="broadcast_logs")
    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=10, choices=RecipientStatus.choices, default=RecipientStatus.PENDING)
    charged = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    # "Delivered" without provider callbacks: the mail server (SMTP, or Mailketing's API) accepted the message for
    # this address. A provider that only records the message (console, file, no credentials) leaves it empty; a
    # refusal makes the row FAILED. Later bounces are not reported back, so this is the best the platform can know.
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("id",)
        constraints = [models.UniqueConstraint(fields=["broadcast", "lead"], name="broadcast_recipient_once")]
        indexes = [models.Index(fields=["broadcast", "status"])]


# --- automation --------------------------------------------------------------------------------------------------


REALM = "booster"  # the reminder engine's realm of these sequences (reminders/realms.py)


class SequenceManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(realm=REALM)


class Sequence(ReminderSequence):
    """An affiliate's lead follow-up sequence (`owner_id` = the affiliate) or an admin's default one (`owner_id`
    null) that affiliates copy: a row of the reminder engine (realm "booster"), sent by its minute sweep through the
    sender this app registers (`services/sequences.py`). Steps are the engine's `ReminderStep`s (email only; the
    delay after the trigger is the sum of the booster's "after the previous step" delays; see README). The trigger's
    form, tag and the default it was copied from live in `params`."""

    objects = SequenceManager()

    class Meta:
        proxy = True
        ordering = ("name", "id")

    @property
    def affiliate_id(self) -> int | None:
        return self.owner_id

    @property
    def form_id(self) -> int | None:
        return (self.params or {}).get("form")

    @property
    def tag(self) -> str:
        return (self.params or {}).get("tag") or ""

    @property
    def source_id(self) -> int | None:
        return (self.params or {}).get("source")

    def get_trigger_display(self) -> str:
        return dict(SequenceTrigger.choices).get(self.trigger, self.trigger)


class Enrollment(models.Model):
    """A lead entered a sequence (its trigger fired): the trigger moment the engine schedules the steps from. The
    sender moves `anchor_at` after each step (to the send's moment minus the step's delay after the trigger), so
    each step stays "after the previous step" as affiliates set it. Unique per sequence and lead: the engine's log
    key is `lead:<lead id>`, once per step."""

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="booster_enrollments")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="enrollments")
    status = models.CharField(max_length=10, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE)
    anchor_at = models.DateTimeField()
    stop_reason = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sequence", "lead"], name="enrollment_once")]
        indexes = [models.Index(fields=["sequence", "anchor_at"], name="enrollment_sequence_anchor")]
