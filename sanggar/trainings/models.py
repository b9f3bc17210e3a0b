from django.conf import settings
from django.db import models
from django.db.models import Q

from .constants import BatchStatus, ParticipantStatus, Source


class TrainingBatch(models.Model):
    """A training wave ("gelombang training"): dates, venue or online, seats; tiers are what is sold."""

    name = models.CharField("nama", max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    starts_on = models.DateField("tanggal mulai")
    ends_on = models.DateField("tanggal selesai")
    location = models.CharField("lokasi", max_length=200, blank=True)
    is_online = models.BooleanField("online", default=False)
    capacity = models.PositiveIntegerField("kapasitas peserta")
    status = models.CharField("status", max_length=12, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    trainer = models.CharField("trainer", max_length=160, blank=True)
    rundown = models.TextField("rundown", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("starts_on", "pk")
        verbose_name = "batch training"
        verbose_name_plural = "batch training"

    def __str__(self):
        return self.name


class TrainingTier(models.Model):
    """A package of a batch (`platinum`, `trainer-only`), priced in whole rupiah."""

    batch = models.ForeignKey(TrainingBatch, on_delete=models.CASCADE, related_name="tiers", verbose_name="batch")
    name = models.CharField("nama", max_length=120)
    slug = models.SlugField(max_length=120)
    price = models.PositiveIntegerField("harga")
    benefits = models.TextField("benefit (satu per baris)", blank=True)
    access_days = models.PositiveIntegerField("masa akses (hari)", null=True, blank=True)
    scalev_variant_id = models.CharField("ID varian Scalev", max_length=80, blank=True)
    position = models.PositiveSmallIntegerField("urutan", default=0)
    courses = models.ManyToManyField(
        "learning.Course", blank=True, related_name="training_tiers", verbose_name="kursus"
    )

    class Meta:
        ordering = ("position", "price", "pk")
        constraints = [models.UniqueConstraint(fields=("batch", "slug"), name="trainings_tier_slug_per_batch")]
        verbose_name = "tier training"
        verbose_name_plural = "tier training"

    def __str__(self):
        return f"{self.batch.name} - {self.name}"

    @property
    def benefit_list(self):
        return [line.strip() for line in self.benefits.splitlines() if line.strip()]


class Participant(models.Model):
    """A person in a batch with one tier: pending until the order is paid (or added by an admin)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainings")
    batch = models.ForeignKey(TrainingBatch, on_delete=models.PROTECT, related_name="participants")
    tier = models.ForeignKey(TrainingTier, on_delete=models.PROTECT, related_name="participants")
    status = models.CharField(max_length=12, choices=ParticipantStatus.choices, default=ParticipantStatus.PENDING)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CHECKOUT)
    order_invoice = models.CharField(max_length=40, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "batch"),
                condition=~Q(status="cancelled"),
                name="trainings_one_live_participation_per_batch",
            )
        ]
        verbose_name = "peserta training"
        verbose_name_plural = "peserta training"

    def __str__(self):
        return f"{self.batch.name} - {self.tier.name}"
