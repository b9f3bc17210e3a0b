"""Banners (title, image, link, placement, audience by role, membership, plan and province, schedule with active
hours, priority, a per-user daily view cap), their daily view and click counts (one row per banner per day, upserted),
what each user saw today (for the cap and for counting a view once per user per day), dismissals, and sponsor
packages: catalog products whose buyers submit a sponsor banner that an admin reviews."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import (
    CTA_MAX,
    DESCRIPTION_MAX,
    REVIEW_NOTE_MAX,
    SPONSOR_NAME_MAX,
    TITLE_MAX,
    URL_MAX,
    Audience,
    Kind,
    Placement,
    Review,
)


class SponsorPackage(models.Model):
    """A catalog product that sells a sponsor banner: who buys it (an open purchase grant of the product's resource)
    may submit one banner per purchase; once approved it runs `days` days in `placement`."""

    product = models.OneToOneField(
        "catalog.Product", on_delete=models.PROTECT, related_name="sponsor_package", verbose_name=_("Produk")
    )
    placement = models.CharField(_("Penempatan"), max_length=20, choices=Placement.choices)
    days = models.PositiveSmallIntegerField(_("Lama tayang (hari)"), default=7)
    priority = models.PositiveSmallIntegerField(_("Prioritas"), default=3)
    daily_cap = models.PositiveSmallIntegerField(_("Batas tayang per member per hari"), default=0)
    active = models.BooleanField(_("Aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("paket banner sponsor")
        verbose_name_plural = _("paket banner sponsor")

    def __str__(self) -> str:
        return str(self.product)


class Banner(models.Model):
    title = models.CharField(_("Judul"), max_length=TITLE_MAX)
    description = models.CharField(_("Deskripsi"), max_length=DESCRIPTION_MAX, blank=True)
    # Empty: a text-only banner (title, description and button on the brand's colours).
    image = models.FileField(_("Gambar"), upload_to="banners/", max_length=255, blank=True)
    link_url = models.URLField(_("Tautan"), max_length=URL_MAX)
    cta_text = models.CharField(_("Teks tombol"), max_length=CTA_MAX, blank=True)
    placement = models.CharField(_("Penempatan"), max_length=20, choices=Placement.choices)
    # Roles that see it; empty = every role.
    target_roles = models.JSONField(_("Peran sasaran"), default=list, blank=True)
    audience = models.CharField(_("Status membership"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    # Membership plan ids whose active members see it; empty = any (the audience above still applies).
    target_plans = models.JSONField(_("Paket sasaran"), default=list, blank=True)
    # Province names (accounts' list) of the members who see it; empty = everywhere.
    target_provinces = models.JSONField(_("Provinsi sasaran"), default=list, blank=True)
    start_at = models.DateTimeField(_("Mulai tayang"))
    end_at = models.DateTimeField(_("Selesai tayang"), null=True, blank=True)
    # Active hours in the platform's time zone (WIB), e.g. 7 to 22; both empty = all day. from > to wraps midnight.
    hour_from = models.PositiveSmallIntegerField(_("Jam tayang mulai"), null=True, blank=True)
    hour_to = models.PositiveSmallIntegerField(_("Jam tayang selesai"), null=True, blank=True)
    # How many times one signed-in person sees it per day; 0 = no cap.
    daily_cap = models.PositiveSmallIntegerField(_("Batas tayang per member per hari"), default=0)
    priority = models.PositiveSmallIntegerField(_("Prioritas"), default=3)
    active = models.BooleanField(_("Aktif"), default=True)
    kind = models.CharField(_("Jenis"), max_length=10, choices=Kind.choices, default=Kind.INTERNAL)
    sponsor_name = models.CharField(_("Nama sponsor"), max_length=SPONSOR_NAME_MAX, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="sponsor_banners"
    )
    package = models.ForeignKey(SponsorPackage, null=True, blank=True, on_delete=models.PROTECT, related_name="banners")
    # The purchase a sponsor banner uses ("order:<invoice>"): one banner per purchase.
    source_ref = models.CharField(max_length=64, blank=True)
    review = models.CharField(_("Review"), max_length=10, choices=Review.choices, default=Review.APPROVED)
    review_note = models.CharField(_("Catatan review"), max_length=REVIEW_NOTE_MAX, blank=True)
    # Sent once as a notification to everyone it targets (maintenance, events): when, and to how many.
    announced_at = models.DateTimeField(_("Diumumkan"), null=True, blank=True)
    announced_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("banner")
        verbose_name_plural = _("banner")
        indexes = [models.Index(fields=["placement", "active", "start_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "source_ref"], condition=~models.Q(source_ref=""), name="banners_one_per_purchase"
            )
        ]

    def __str__(self) -> str:
        return self.title


class BannerDailyStat(models.Model):
    banner = models.ForeignKey(Banner, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["banner", "day"], name="banners_stat_banner_day")]

    def __str__(self) -> str:
        return f"{self.banner.title} · {self.day}"


class BannerUserDay(models.Model):
    """How many times one person was shown one banner on one day: the daily cap reads it, and the first showing of the
    day is the one counted as a view (views are unique per person per day)."""

    banner = models.ForeignKey(Banner, on_delete=models.CASCADE, related_name="user_days")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    shows = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["banner", "user", "day"], name="banners_userday_unique")]
        indexes = [models.Index(fields=["user", "day"])]

    def __str__(self) -> str:
        return f"{self.banner_id} · {self.user_id} · {self.day}"


class BannerDismissal(models.Model):
    """A person closed this banner: it is not shown to them again."""

    banner = models.ForeignKey(Banner, on_delete=models.CASCADE, related_name="dismissals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["banner", "user"], name="banners_dismissal_unique")]

    def __str__(self) -> str:
        return f"{self.banner_id} · {self.user_id}"
