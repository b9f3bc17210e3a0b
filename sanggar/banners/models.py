"""Banners (title, image, link, placement, audience by role and membership, schedule, priority) and their daily
view and click counts (one row per banner per day, upserted)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import CTA_MAX, DESCRIPTION_MAX, TITLE_MAX, URL_MAX, Audience, Placement


class Banner(models.Model):
    title = models.CharField(_("Judul"), max_length=TITLE_MAX)
    description = models.CharField(_("Deskripsi"), max_length=DESCRIPTION_MAX, blank=True)
    image = models.FileField(_("Gambar"), upload_to="banners/", max_length=255)
    link_url = models.URLField(_("Tautan"), max_length=URL_MAX)
    cta_text = models.CharField(_("Teks tombol"), max_length=CTA_MAX, blank=True)
    placement = models.CharField(_("Penempatan"), max_length=20, choices=Placement.choices)
    # Roles that see it; empty = every role.
    target_roles = models.JSONField(_("Peran sasaran"), default=list, blank=True)
    audience = models.CharField(_("Status membership"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    start_at = models.DateTimeField(_("Mulai tayang"))
    end_at = models.DateTimeField(_("Selesai tayang"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("Prioritas"), default=3)
    active = models.BooleanField(_("Aktif"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("banner")
        verbose_name_plural = _("banner")
        indexes = [models.Index(fields=["placement", "active", "start_at"])]

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
