"""Google login routes, answered 404 while Google is not configured (no client id in the settings and no
SocialApp row), instead of allauth's server error. Mounted before allauth's own URLs in config/urls.py."""

from functools import wraps

from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.google import views as google_views
from django.conf import settings
from django.http import Http404
from django.urls import path


def google_configured() -> bool:
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("google", {}).get("APPS") or []
    if any(app.get("client_id") for app in apps):
        return True
    return SocialApp.objects.filter(provider="google").exclude(client_id="").exists()


def _when_configured(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not google_configured():
            raise Http404("Google login is not configured")
        return view(request, *args, **kwargs)

    return guarded


urlpatterns = [
    path("google/login/", _when_configured(google_views.oauth2_login), name="google_login"),
    path("google/login/callback/", _when_configured(google_views.oauth2_callback), name="google_callback"),
    path("google/login/token/", _when_configured(google_views.login_by_token), name="google_login_by_token"),
]
