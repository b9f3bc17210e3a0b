from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .context_processors import ACTIVE_ROLE_SESSION_KEY
from .permissions import login_required


def public_media(request, path, document_root=None):
    """Public uploads from the local disk (avatars, logos, covers), cacheable by browsers and a CDN for
    MEDIA_CACHE_SECONDS (on an S3-compatible store the objects carry the same Cache-Control)."""
    from django.views.static import serve

    response = serve(request, path, document_root=document_root or settings.MEDIA_ROOT)
    response["Cache-Control"] = f"public, max-age={settings.MEDIA_CACHE_SECONDS}"
    return response


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse({"status": "error", "database": "error", "detail": exc.__class__.__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_POST
@login_required
def switch_role(request):
    role = request.POST.get("role", "")
    if role in request.user.role_set:
        request.session[ACTIVE_ROLE_SESSION_KEY] = role
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
