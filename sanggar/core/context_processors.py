from sanggar.core.menu import menu_for
from sanggar.core.roles import sort_roles
from sanggar.core.site import site_url

ACTIVE_ROLE_SESSION_KEY = "active_role"


def active_role(request) -> str | None:
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return None
    roles = user.role_set
    chosen = request.session.get(ACTIVE_ROLE_SESSION_KEY)
    if chosen in roles:
        return chosen
    ordered = sort_roles(roles)
    return ordered[0] if ordered else None


def shell(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"active_role": None, "menu": [], "user_roles": [], "site_url": site_url(request)}
    role = active_role(request)
    return {
        "active_role": role,
        "menu": menu_for(role, request.path) if role else [],
        "user_roles": sort_roles(user.role_set),
        "site_url": site_url(request),
    }
