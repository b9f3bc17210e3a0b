from django.apps import AppConfig

from sanggar.core.public_cache import invalidate_on


class BrandingConfig(AppConfig):
    name = "sanggar.branding"
    label = "branding"
    verbose_name = "Branding"

    def ready(self):

        from .models import Branding

        # Every public page carries the brand (logo, names, colours): a change replaces the cached pages at once.
        invalidate_on(Branding)
