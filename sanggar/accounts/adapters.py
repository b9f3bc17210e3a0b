"""allauth adapters: our signup fields, our Member set-up, and our message templates for account emails."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings

from sanggar.notifications.services import email_send_template

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
