from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AffiliatesConfig(AppConfig):
    name = "sanggar.affiliates"
    label = "affiliates"

    def ready(self):
        # A framework hook, not a business flow: any write of a settings row drops the cached current settings.
        from .models import AttributionSettings
        from .services.common import attribution_settings_cache_clear

        for signal, uid in ((post_save, "save"), (post_delete, "del")):
            signal.connect(
                attribution_settings_cache_clear, sender=AttributionSettings, dispatch_uid=f"affiliates-settings-{uid}"
            )
