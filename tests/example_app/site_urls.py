"""A URL conf built only by discovery (what `config/urls.py` does), for the test that installs this app."""

from sanggar.core.urls_discovery import app_urlpatterns

urlpatterns = app_urlpatterns()
