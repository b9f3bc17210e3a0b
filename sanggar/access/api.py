"""Access API: what the signed-in user may open now."""

from django.utils import timezone
from ninja import Query, Router

from sanggar.api.auth import jwt_auth
from sanggar.api.schemas import ErrorOut

from .models import Grant
from .schemas import PAGE_SIZE, AccessFilters, AccessPageOut
from .selectors import grants_for_user

router = Router(tags=["akses"], auth=jwt_auth)
# Mounted by `sanggar.api.api` (discovery): this app's routers, at this place in the document.
API_ORDER = 60


def grant_data(grant: Grant) -> dict:
    resource = grant.resource
    return {
        "resource": {"kind": resource.kind, "key": resource.key, "title": resource.title},
        "source": grant.source,
        "source_label": str(grant.get_source_display()),
        "starts_at": grant.starts_at,
        "ends_at": grant.ends_at,
    }


@router.get(
    "/me/access",
    response={200: AccessPageOut, 401: ErrorOut, 422: ErrorOut},
    summary="Akses saya",
    description="Hak akses pengguna yang berlaku sekarang (dari membership, pembelian, atau diberikan admin), "
    "terbaru dulu, 50 per halaman. Akses yang sudah berakhir atau dicabut tidak ikut.",
)
def my_access(request, filters: Query[AccessFilters]):
    qs = grants_for_user(user=request.auth, active_only=True, now=timezone.now())
    count = qs.count()
    start = (filters.page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE]) if start < count else []
    return {
        "count": count,
        "next_page": filters.page + 1 if start + PAGE_SIZE < count else None,
        "results": [grant_data(g) for g in rows],
    }
