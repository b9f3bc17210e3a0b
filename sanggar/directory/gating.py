"""The feature switch of each directory on pages and API endpoints (§1.1 "Gating"): `services.feature_require`
asks the one access policy about the directory's feature resource (`constants.FEATURES`). Pages answer with the
locked page (`access/_locked_card.html`: the policy's message and upgrade link, status 403); the API answers 403 with
`errors.reason` and the same message. The quota table then decides the depth, as before. Suppliers use these too.

    @login_required
    @feature_page(FEATURE_FORWARDER)
    def forwarders(request): ...

    @router.get("/forwarders", ...)
    @feature_api(FEATURE_FORWARDER)          # directly above the function (below @idempotent)
    def forwarders(request, ...): ...
"""

from functools import wraps

from sanggar.access.views import render_locked

from . import services as shared
from .constants import FEATURES


def feature_page(key: str, *, when=None):
    """Page decorator (below @login_required). `when(request, *args, **kwargs)`, if given, says whether this request
    needs the feature at all (a supplier's own pages, a public page)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if when is None or when(request, *args, **kwargs):
                decision = shared.feature_decision(user=request.user, key=key)
                if not decision.allowed:
                    return render_locked(request, decision, title=str(FEATURES[key]))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def feature_api(key: str):
    """API decorator, directly above the endpoint's function: 403 with the reason when the feature is closed."""

    def decorator(view_func):
        @wraps(view_func, updated=())
        def view(request, *args, **kwargs):
            shared.feature_require(user=request.auth, key=key)
            return view_func(request, *args, **kwargs)

        return view

    return decorator
