"""Framework hooks only: record logins, logouts and failed logins in the activity log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record
from sanggar.core import request_context


def _info(request):
    return request_context.info_from_request(request) if request is not None else request_context.current()


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    info = _info(request)
    activity_record(action=Action.LOGIN, actor=user, target=user, ip=info.ip, user_agent=info.user_agent)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    info = _info(request)
    activity_record(action=Action.LOGOUT, actor=user, target=user, ip=info.ip, user_agent=info.user_agent)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    info = _info(request)
    email = str(credentials.get("email") or credentials.get("username") or "")[:255]
    activity_record(
        action=Action.LOGIN_FAILED, target_label=email, ip=info.ip, user_agent=info.user_agent, data={"email": email}
    )
