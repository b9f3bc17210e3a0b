"""Who is calling: the client app's API key (header X-API-Key) and the user's JWT (Authorization: Bearer …).

- `api_key_guard` wraps every API operation: it sets the request context (so audit rows get the IP), checks the
  `X-API-Key` header when one is sent (it must be an active key), and requires one when
  `settings.API_REQUIRE_KEY` is on. The key is on `request.api_key` (None without one).
- `JWTAuth` is the ninja auth class for user endpoints: `auth=jwt_auth` for any signed-in user,
  `auth=admin_auth` (or `JWTAuth(roles=(Role.ADMIN,))`) for role-restricted ones (403 otherwise). The user is on
  `request.auth` and `request.user`.
"""

from functools import wraps

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer

from sanggar.core import request_context
from sanggar.core.roles import Role

from .auth_slots import api_key_authenticator, personal_key_authenticator
from .errors import error_response
from .tokens import ACCESS, TokenInvalid, token_user

API_KEY_HEADER = "X-API-Key"


def _api_key_refused(message: str):
    return error_response(message, status=401, headers={"WWW-Authenticate": f'ApiKey header="{API_KEY_HEADER}"'})


def api_key_guard(run):
    """Decorator for every operation's `run`, so it runs before auth and input parsing. Installed with
    `api.add_decorator(api_key_guard, mode="view")` (ninja's "view" mode wraps `Operation.run`)."""

    @wraps(run)
    def wrapped(request, *args, **kwargs):
        token = request_context.set_current(request_context.info_from_request(request))
        try:
            raw = request.headers.get(API_KEY_HEADER, "").strip()
            key = None
            bearer = request.headers.get("Authorization", "").strip().partition(" ")[2].strip()
            personal = raw if personal_key_authenticator(raw) else bearer if not raw else ""
            check = personal_key_authenticator(personal) if personal else None
            request.personal_api_key = None
            if check is not None:  # a member's personal key (see auth_slots)
                request.personal_api_key = check(raw=personal)
                if request.personal_api_key is None:
                    return _api_key_refused(_("Kunci API pribadi tidak valid atau sudah dicabut."))
            elif raw:
                key = api_key_authenticator()(raw=raw)
                if key is None:
                    return _api_key_refused(_("API key tidak valid atau sudah dicabut."))
            elif settings.API_REQUIRE_KEY:
                return _api_key_refused(
                    _("API key wajib disertakan di header %(header)s.") % {"header": API_KEY_HEADER}
                )
            request.api_key = key
            return run(request, *args, **kwargs)
        finally:
            request_context.reset(token)

    return wrapped


class JWTAuth(HttpBearer):
    """Bearer access token → the active user. With `roles`, the user must hold one of them."""

    def __init__(self, *, roles: tuple[str, ...] = ()):
        super().__init__()
        self.roles = frozenset(roles)

    def __call__(self, request):
        # ninja's HttpBearer writes an ERROR log line for every malformed header; a client's mistake is a 401.
        raw = request.headers.get(self.header, "")
        if not raw.strip():
            return None
        scheme, _sep, token = raw.strip().partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise AuthenticationError()  # the default 401 message names the expected format
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        try:
            user = token_user(token, token_type=ACCESS)
        except TokenInvalid as exc:
            raise AuthenticationError(message=exc.message) from None
        request.user = user
        if self.roles and not (user.role_set & self.roles):
            raise AuthorizationError()
        return user


jwt_auth = JWTAuth()
admin_auth = JWTAuth(roles=(Role.ADMIN,))
