"""Events and webinars, their registrations (RSVP with a waiting list and attendance) and the reminders sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanggar.access.models import Resource
from sanggar.community.models import Group

USER = settings.AUTH_USER_MODEL


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PUBLISHED = "published", _("Terbit")
    CANCELLED = "cancelled", _("Dibatalkan")


class LocationKind(models.TextChoices):
    ONLINE = "online", _("Online (Zoom / Meet)")
    OFFLINE = "offline", _("Tatap muka")


class MeetingProvider(models.TextChoices):
    ZOOM = "zoom", _("Zoom")
    MEET = "meet", _("Google Meet")
    OTHER = "other", _("Lainnya")


def event_cover_path(instance, filename):
    return f"events/covers/{filename}"


class RegistrationStatus(models.TextChoices):
    GOING = "going", _("Terdaftar")
    WAITLIST = "waitlist", _("Daftar tunggu")
    CANCELLED = "cancelled", _("Batal")
    # EVT-D2: an answer without a seat, the meeting link or reminders; switching to "going" takes a seat or the list
    MAYBE = "maybe", _("Mungkin")
    NOT_GOING = "not_going", _("Tidak hadir")


class RegistrationSource(models.TextChoices):
    RSVP = "rsvp", _("Daftar sendiri")
    PURCHASE = "purchase", _("Pembelian")
    ADMIN = "admin", _("Ditambahkan admin")


class Event(models.Model):
    title = models.CharField(_("judul"), max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(_("deskripsi"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    location_kind = models.CharField(
        _("jenis"), max_length=10, choices=LocationKind.choices, default=LocationKind.ONLINE
    )
    meeting_url = models.URLField(_("tautan meeting"), max_length=500, blank=True)
    # Zoom / Google Meet / another service; the passcode, like the link, is shown to registrants only.
    meeting_provider = models.CharField(
        _("layanan meeting"), max_length=10, choices=MeetingProvider.choices, blank=True, default=""
    )
    meeting_passcode = models.CharField(_("kode sandi meeting"), max_length=50, blank=True, default="")
    # 1200 × 630, checked by content and re-encoded as JPEG (services.event_cover_set); public like the event page.
    cover = models.ImageField(_("gambar sampul"), upload_to=event_cover_path, blank=True, max_length=200)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    recording_url = models.URLField(_("tautan rekaman"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("kuota"), null=True, blank=True, help_text=_("Kosong = tanpa batas."))
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    resource = models.OneToOneField(Resource, on_delete=models.PROTECT, related_name="event")
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.PUBLISHED)
    host = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reminder_minutes = models.JSONField(default=list, blank=True)
    # A paid webinar: buying this product (or one whose included resources hold the event) registers the buyer.
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    # The post announcing the event in its group's feed (created with the event from the group).
    post = models.ForeignKey("community.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("event")

    def __str__(self):
        return self.title


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(max_length=10, choices=RegistrationStatus.choices)
    attended_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=RegistrationSource.choices, default=RegistrationSource.RSVP)
    # the paid order that registered the buyer (a refund of it cancels the registration)
    order_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="events_one_registration")]


class ReminderSent(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user", "minutes"], name="events_reminder_once")]
