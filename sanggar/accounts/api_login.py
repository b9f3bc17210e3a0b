"""Signing in to the API with email and password (`POST /api/v1/auth/token`): the credentials check, the login
throttle shared with the web login, the activity rows, then a token pair from the API plumbing (`sanggar.api.tokens`,
which sits below accounts and never names it)."""

from django.utils.translation import gettext as _

from sanggar.api import ratelimit
from sanggar.api.tokens import TokenInvalid, TokenPair, token_pair_issue
from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record

from .login_throttle import login_failure_record, login_success_record, login_throttle_check
from .models import User


def _wrong_credentials() -> str:
    return _("Email atau kata sandi salah.")


def token_obtain(*, email: str, password: str, ip: str | None) -> tuple[User, TokenPair]:
    """Email + password → the user and a token pair.

    Failed attempts are recorded in the activity log and counted per IP (`settings.API_TOKEN_RATE_LIMIT`, refused
    with RateLimited until the window ends) and per account and address together with a growing delay
    (`sanggar.accounts.login_throttle`, shared with the web login): a stranger's failures never lock the member
    out. Raises TokenInvalid for wrong credentials or an inactive account."""
    email = (email or "").strip().lower()
    buckets = ratelimit.login_buckets(ip=ip, email="")
    ratelimit.check(buckets)
    login_throttle_check(email=email, ip=ip)
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None:
        # Hash anyway so an unknown email takes as long as a wrong password.
        User().set_password(password or "")
        ok = False
    else:
        ok = user.check_password(password or "")
    if not ok or not user.is_active:
        ratelimit.hit(buckets)
        login_failure_record(email=email, ip=ip, user=user if user is not None and user.is_active else None)
        activity_record(
            action=Action.LOGIN_FAILED,
            target=user,
            target_label=email[:255],
            data={"email": email[:255], "via": "api", "reason": "inactive" if ok else "credentials"},
        )
        if ok:
            raise TokenInvalid(_("Akun ini sudah dinonaktifkan. Hubungi admin."))
        raise TokenInvalid(_wrong_credentials())
    login_success_record(email=email, ip=ip)
    activity_record(action=Action.LOGIN, actor=user, target=user, data={"via": "api"})
    return user, token_pair_issue(user=user)
