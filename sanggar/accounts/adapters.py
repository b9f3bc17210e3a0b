"""allauth adapters: our signup fields, our Member set-up, and our message templates for account emails."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings

from sanggar.core.exceptions import RateLimited
from sanggar.core.request_context import client_ip
from sanggar.notifications.services import email_send_template

from .login_throttle import login_failure_record, login_success_record, login_throttle_check, login_throttle_reset
from .models import User

# allauth's email template prefixes → our admin-editable message templates.
TEMPLATE_KEYS = {
    "account/email/email_confirmation_signup": "email_verification",
    "account/email/email_confirmation": "email_verification",
    "account/email/password_reset_key": "password_reset",
}


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.full_name = data.get("full_name") or user.full_name or user.email.split("@")[0]
        user.whatsapp = data.get("whatsapp") or user.whatsapp
        if commit:
            from .services import user_setup_new

            user.save()
            user_setup_new(user=user)
        return user

    def send_mail(self, template_prefix, email, context):
        key = TEMPLATE_KEYS.get(template_prefix)
        if key is None:
            return super().send_mail(template_prefix, email, context)
        user = context.get("user")
        link = context.get("activate_url") or context.get("password_reset_url") or ""
        email_send_template(
            to_email=email,
            key=key,
            user=user,
            context={
                "verification_link": link,
                "reset_link": link,
                "link": link,
                "email": email,
                "name": getattr(user, "full_name", "") or email,
            },
        )

    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

    # Login throttling (sanggar.accounts.login_throttle): keyed by account and address together, growing delay.
    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth's own per-key limit (ACCOUNT_RATE_LIMITS["login_failed"]) counts per account *and* address, so a
        # stranger's failures from elsewhere never lock the member out.
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{client_ip(request) or '-'}"

    def pre_authenticate(self, request, **credentials):
        try:
            login_throttle_check(email=credentials.get("email", ""), ip=client_ip(request))
        except RateLimited as exc:
            raise forms.ValidationError(exc.message, code="too_many_login_attempts") from None
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            login_success_record(email=credentials.get("email", ""), ip=client_ip(request))
        return user

    def authentication_failed(self, request, **credentials):
        super().authentication_failed(request, **credentials)
        email = (credentials.get("email") or "").strip().lower()
        owner = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
        login_failure_record(email=email, ip=client_ip(request), user=owner)

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # Called by allauth after a successful password reset: every address may try again.
        super()._delete_login_attempts_cached_email(request, **credentials)
        login_throttle_reset(email=credentials.get("email", ""))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p) or data.get("name", "")
        user.full_name = name or (user.email or "").split("@")[0]
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        from .services import user_setup_new

        user_setup_new(user=user)
        return user
