from django.apps import AppConfig

from sanggar.accounts.hooks import role_granted_register
from sanggar.affiliates.short_link_targets import short_link_target_register
from sanggar.core.roles import Role


class BoosterConfig(AppConfig):
    name = "sanggar.booster"
    label = "booster"
    verbose_name = "Booster Suite"

    def ready(self):
        from . import selectors
        from .services.leads import lead_referral_bind
        from .services.sequences import realm_ready

        # The automation runs on the reminder engine: its triggers, stop rule and sender (reminders/realms.py).
        realm_ready()

        # A new account whose email is an affiliate's lead is bound to that affiliate's referral (PRODUCT).
        role_granted_register(Role.MEMBER, lead_referral_bind)

        # Short links of kind "bio" (an affiliate code) and "optin" (a form's slug) open these pages.
        short_link_target_register("bio", selectors.bio_exists)
        short_link_target_register("optin", selectors.optin_exists)
