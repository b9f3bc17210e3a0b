from django.db.models import Count, Prefetch, Q

from .constants import LISTED_STATUSES, ParticipantStatus
from .models import Participant, TrainingBatch, TrainingTier


def listed_batches():
    """Open and published batches with their tiers and paid seats (two queries)."""
    return (
        TrainingBatch.objects.filter(status__in=LISTED_STATUSES)
        .annotate(seats_taken=Count("participants", filter=Q(participants__status=ParticipantStatus.PAID)))
        .prefetch_related(Prefetch("tiers", queryset=TrainingTier.objects.order_by("position", "price", "pk")))
        .order_by("starts_on", "pk")
    )


def admin_batches():
    """Every batch (any status), newest first, with tiers and their course ids (three queries a page)."""
    tiers = TrainingTier.objects.prefetch_related("courses").order_by("position", "price", "pk")
    return TrainingBatch.objects.prefetch_related(Prefetch("tiers", queryset=tiers)).order_by("-starts_on", "-pk")


def my_trainings(user):
    return (
        Participant.objects.filter(user=user)
        .exclude(status=ParticipantStatus.CANCELLED)
        .select_related("batch", "tier")
        .order_by("-created_at", "-pk")
    )


def batch_participants(batch):
    return batch.participants.select_related("user", "tier").order_by("tier__position", "-created_at", "-pk")


PAGE_SIZE = 20


def page(qs, number: int, size: int = PAGE_SIZE):
    count = qs.count()
    start = (number - 1) * size
    rows = list(qs[start : start + size]) if start < count else []
    return count, (number + 1 if start + size < count else None), rows
