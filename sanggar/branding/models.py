"""The platform's one branding record (a singleton: primary key 1)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .constants import (
    DEFAULT_COLORS,
    DEFAULT_COMPONENT_STYLE,
    DEFAULT_PLATFORM_NAME,
    DEFAULT_SHORT_NAME,
    DEFAULT_TYPOGRAPHY,
)

SINGLETON_ID = 1


def _default_typography():
    return dict(DEFAULT_TYPOGRAPHY)


def _default_component_style():
    return dict(DEFAULT_COMPONENT_STYLE)


class Branding(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    # Files are stored under branding/ with generated names (services.branding_update picks them).
    logo_main = models.FileField(upload_to="branding/", blank=True)
    logo_affiliate = models.FileField(upload_to="branding/", blank=True)
    favicon = models.FileField(upload_to="branding/", blank=True)
    platform_name = models.CharField(max_length=60, default=DEFAULT_PLATFORM_NAME)
    short_name = models.CharField(max_length=20, default=DEFAULT_SHORT_NAME)
    tagline = models.CharField(max_length=160, blank=True)
    primary_color = models.CharField(max_length=7, default=DEFAULT_COLORS["primary_color"])
    primary_text_color = models.CharField(max_length=7, default=DEFAULT_COLORS["primary_text_color"])
    secondary_color = models.CharField(max_length=7, default=DEFAULT_COLORS["secondary_color"])
    secondary_text_color = models.CharField(max_length=7, default=DEFAULT_COLORS["secondary_text_color"])
    # {"heading_size": px, "body_size": px}
    typography_json = models.JSONField(default=_default_typography)
    # {"border_radius": px, "primary_hover_color", "sidebar_bg", "sidebar_text", "sidebar_active_bg",
    #  "sidebar_active_text", "card_bg", "page_bg": "#RRGGBB"}
    component_style_json = models.JSONField(default=_default_component_style)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=SINGLETON_ID), name="branding_singleton")]

    def __str__(self) -> str:
        return f"Branding {self.platform_name}"
