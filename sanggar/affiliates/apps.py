from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from sanggar.accounts.hooks import admin_user_section_register, profile_section_register, role_granted_register
from sanggar.core.public_cache import personal_cookie_register
from sanggar.core.roles import Role


class AffiliatesConfig(AppConfig):
    name = "sanggar.affiliates"
    label = "affiliates"

    def ready(self):

        from . import admin_user, selectors
        from .models import AttributionSettings
        from .services import REF_COOKIE, affiliate_profile_ensure
        from .services.common import attribution_settings_cache_clear

        # Accounts sits below affiliates: a new affiliate gets a profile and code, and the user's own profile in
        # the API shows it.
        role_granted_register(Role.AFFILIATE, affiliate_profile_ensure)
        profile_section_register("affiliate", selectors.profile_api_data)
        admin_user_section_register(admin_user.SECTION)  # the admin's user detail page
        # A visitor who came through an affiliate's link gets pages rendered for them, never the cached visitor page.
        personal_cookie_register(REF_COOKIE)
        # A framework hook, not a business flow: any write of a settings row drops the cached current settings.
        for signal, uid in ((post_save, "save"), (post_delete, "del")):
            signal.connect(
                attribution_settings_cache_clear, sender=AttributionSettings, dispatch_uid=f"affiliates-settings-{uid}"
            )
