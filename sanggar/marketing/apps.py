from django.apps import AppConfig

from sanggar.core.csp import csp_sources_register
from sanggar.core.public_cache import invalidate_on

from .pixel_models import pixel_model_register


class MarketingConfig(AppConfig):
    name = "sanggar.marketing"
    label = "marketing"
    verbose_name = "Marketing"

    def ready(self):
        from .models import PixelSettings, Testimonial
        from .selectors import pixel_csp_sources

        # The sales pages show testimonials and carry the pixels: a change renders them again.
        invalidate_on(PixelSettings, Testimonial)
        csp_sources_register(pixel_csp_sources)
        # Plans and products carry their own pixels; the global settings carry the site's.
        for label in ("catalog.MembershipPlan", "catalog.Product", "marketing.PixelSettings"):
            pixel_model_register(label)
