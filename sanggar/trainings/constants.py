from django.db import models

ITEM_KIND = "training"


class BatchStatus(models.TextChoices):
    DRAFT = "draft", "Draf"
    OPEN = "open", "Dibuka"
    PUBLISHED = "published", "Terbit"
    CLOSED = "closed", "Ditutup"


LISTED_STATUSES = (BatchStatus.OPEN, BatchStatus.PUBLISHED)


class ParticipantStatus(models.TextChoices):
    PENDING = "pending", "Menunggu pembayaran"
    PAID = "paid", "Lunas"
    CANCELLED = "cancelled", "Dibatalkan"


class Source(models.TextChoices):
    CHECKOUT = "checkout", "Checkout"
    MANUAL = "manual", "Ditambahkan admin"


class Action:
    BATCH_SAVED = "trainings.batch_saved"
    TIER_SAVED = "trainings.tier_saved"
    TIER_REGRANTED = "trainings.tier_regranted"
    REGISTERED = "trainings.registered"
    PAID = "trainings.paid"
    ADDED = "trainings.participant_added"
    CANCELLED = "trainings.cancelled"


class Notify:
    PAID = "trainings.paid"
