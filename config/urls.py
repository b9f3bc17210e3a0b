import re

from django.contrib import admin
from django.urls import include, path, re_path

from sanggar.api.api import api
from sanggar.core import views as core_views
from sanggar.core.storage import PUBLIC_MEDIA_PREFIXES
from sanggar.core.urls_discovery import app_urlpatterns

admin.site.site_header = "Sanggar — Django admin"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # The API before the apps' pages: Django tries patterns in order, and ~540 page patterns (every app is included
    # at "") cost an order creation 0.4 ms of CPU before it reached its view. Nothing else lives under api/v1/.
    path("api/v1/", api.urls),
    path("accounts/", include("sanggar.accounts.urls_social")),  # Google login: 404 until configured
    path("accounts/", include("allauth.urls")),
    # Every installed app's `urls.py`, found by discovery (an app is never named here).
    *app_urlpatterns(),
    path("django-admin/", admin.site.urls),
    # Public uploads (avatars, logos). Private files are served only through signed, expiring views.
    re_path(
        # Every public prefix of the storage (course covers, banners, group covers…), not a list kept by hand here.
        r"^media/(?P<path>(?:" + "|".join(re.escape(prefix) for prefix in PUBLIC_MEDIA_PREFIXES) + r").+)$",
        core_views.public_media,
    ),
    path("", include("sanggar.core.urls")),
]
