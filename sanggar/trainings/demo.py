"""Demo trainings: two TrainerHub batches (one offline in Jakarta, one online) with Platinum / Gold / Trainer Only
tiers and the demo member as a paid participant of the first. Built through the services; running it twice changes
nothing."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import services
from .constants import BatchStatus
from .models import TrainingBatch

User = get_user_model()

TIERS = [
    (
        "Platinum",
        "platinum",
        4_500_000,
        "Akses semua kursus training\nAI Trainer, AI Master dan branding workspace\n"
        "Sertifikat trainer\nKonsultasi 1-on-1",
    ),
    ("Gold", "gold", 2_750_000, "Akses semua kursus training\nAI Trainer\nSertifikat trainer"),
    ("Trainer Only", "trainer-only", 1_500_000, "Kelas training tatap muka\nSertifikat kehadiran"),
]

BATCHES = [
    (
        "Batch 5 - Trainer Profesional Bersertifikat",
        21,
        3,
        "Hotel Santika, Jl. KH Wahid Hasyim, Jakarta Pusat",
        False,
        40,
    ),
    ("Batch 6 - Public Speaking untuk Trainer (Online)", 45, 2, "", True, 100),
]


def seed(*, log):
    admin = User.objects.filter(email="admin@sanggar.test").first()
    member = User.objects.filter(email="member@sanggar.test").first()
    if admin is None:
        log("demo accounts missing; run the accounts demo first")
        return
    if TrainingBatch.objects.filter(slug__startswith="batch-5-trainer-profesional").exists():
        log("demo trainings already there")
        return
    today = timezone.localdate()
    first_tier = None
    for name, offset, days, location, online, capacity in BATCHES:
        batch = services.batch_create(
            actor=admin,
            name=name,
            starts_on=today + timedelta(days=offset),
            ends_on=today + timedelta(days=offset + days - 1),
            capacity=capacity,
            location=location,
            is_online=online,
            status=BatchStatus.OPEN,
            trainer="Coach Rina Wijaya, CPT",
        )
        batch.rundown = "Hari 1: Dasar desain pelatihan\nHari 2: Teknik fasilitasi\nHari 3: Praktik dan evaluasi"
        batch.save(update_fields=["rundown"])
        for position, (tier_name, slug, price, benefits) in enumerate(TIERS):
            courses = [c.pk for c in services.linkable_courses()[:3]] if slug == "platinum" else None
            tier = services.tier_create(
                actor=admin,
                batch=batch,
                name=tier_name,
                slug=slug,
                price=price,
                benefits=benefits,
                position=position,
                course_ids=courses,
            )
            first_tier = first_tier or tier
    if member is not None and first_tier is not None:
        services.participant_add(actor=admin, user=member, tier=first_tier)
    log("demo trainings: 2 batches, 6 tiers")
