"""Server-side access checks for pages. Anonymous visitors are sent to log in; a signed-in user
without one of the roles gets 403."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def user_has_any_role(user, roles) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role_set & set(roles))


def role_required(*roles):
    """Decorator for function views: the user must hold at least one of `roles` (any role when empty)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not user_has_any_role(user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


login_required = role_required()
