"""/readyz (load balancers), /metrics (Prometheus) and the admin's "Kesehatan Sistem" page."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sanggar.core.permissions import role_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role

from . import health, metrics


@never_cache
@require_GET
def readyz(request):
    """200 when the database, Redis and the broker answer (those in use), 503 otherwise: a load balancer takes a
    process out of rotation on 503. Says which component failed, nothing more."""
    checks = health.readiness()
    ready = all(check.ok is not False for check in checks)
    body = {
        "status": "ok" if ready else "error",
        "checks": {check.key: ("ok" if check.ok else "unused" if check.ok is None else "error") for check in checks},
    }
    return JsonResponse(body, status=200 if ready else 503)


def _metrics_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip(), token):
        return True
    if request.user.is_authenticated and request.user.has_role(Role.ADMIN):
        return True
    return client_ip(request) in settings.METRICS_ALLOWED_IPS


@never_cache
@require_GET
def metrics_view(request):
    if not _metrics_allowed(request):
        return HttpResponse("Akses metrik ditolak.", status=403, content_type="text/plain; charset=utf-8")
    return HttpResponse(metrics.render(), content_type="text/plain; version=0.0.4; charset=utf-8")


@never_cache
@require_GET
@role_required(Role.ADMIN)
def health_page(request):
    return render(request, "ops/health.html", {"health": health.snapshot()})
