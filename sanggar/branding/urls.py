from django.urls import path

from . import views
from .constants import SECTION_COLORS, SECTION_COMPONENTS, SECTION_IDENTITY, SECTION_TYPOGRAPHY

app_name = "branding"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 40
urlpatterns = [
    path("admin/settings/branding", views.admin_settings, {"section": SECTION_IDENTITY}, name="admin_settings"),
    path(
        "admin/settings/branding/warna",
        views.admin_settings,
        {"section": SECTION_COLORS},
        name="admin_settings_colors",
    ),
    path(
        "admin/settings/branding/tipografi",
        views.admin_settings,
        {"section": SECTION_TYPOGRAPHY},
        name="admin_settings_typography",
    ),
    path(
        "admin/settings/branding/komponen",
        views.admin_settings,
        {"section": SECTION_COMPONENTS},
        name="admin_settings_components",
    ),
    path("admin/settings/branding/notifikasi", views.admin_settings_realtime, name="admin_settings_realtime"),
    path("admin/settings/branding/reset-warna", views.admin_reset_colors, name="admin_reset_colors"),
]
