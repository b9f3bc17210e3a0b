"""URLs for the API tests: the real API plus a small API with the same error handlers and guard, whose endpoints
exercise what no real endpoint does yet (an admin-only endpoint, an unexpected crash, a plain idempotent write)."""

from django.urls import path
from ninja import Body, NinjaAPI, Router
from ninja.responses import Status

from config.urls import urlpatterns as project_urlpatterns
from sanggar.api.auth import admin_auth, api_key_guard, jwt_auth
from sanggar.api.errors import install_error_handlers
from sanggar.api.idempotency import idempotent
from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record

probe_api = NinjaAPI(title="probe", urls_namespace="api-probe")
install_error_handlers(probe_api)
probe_api.add_decorator(api_key_guard, mode="view")
router = Router()


@router.get("/admin-only", auth=admin_auth)
def admin_only(request):
    return {"email": request.auth.email}


@router.get("/boom")
def boom(request):
    raise RuntimeError("kaboom")


@router.post("/counter", auth=jwt_auth, response={201: dict})
@idempotent
def counter(request, payload: Body[dict]):
    """Writes one audit row per run, so tests can count how many times it ran."""
    activity_record(action=Action.SETTINGS_CHANGED, actor=request.auth, data=payload)
    return Status(201, {"received": payload})


@router.post("/fails", auth=jwt_auth)
@idempotent
def fails(request, payload: Body[dict]):
    activity_record(action=Action.SETTINGS_CHANGED, actor=request.auth, data=payload)
    raise RuntimeError("kaboom")


probe_api.add_router("", router)

urlpatterns = [path("probe/", probe_api.urls), *project_urlpatterns]
