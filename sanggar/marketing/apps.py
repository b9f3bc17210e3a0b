from django.apps import AppConfig


class MarketingConfig(AppConfig):
    name = "sanggar.marketing"
    label = "marketing"
    verbose_name = "Marketing"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from sanggar.catalog.models import MembershipPlan, Product
        from sanggar.core.csp import csp_sources_register
        from sanggar.core.public_cache import invalidate_on

        from .models import PixelSettings, Testimonial
        from .selectors import pixel_cache_clear, pixel_csp_sources

        # The sales pages show testimonials and carry the pixels: a change renders them again.
        invalidate_on(PixelSettings, Testimonial)
        csp_sources_register(pixel_csp_sources)
        for model in (MembershipPlan, Product, PixelSettings):
            post_save.connect(pixel_cache_clear, sender=model, dispatch_uid=f"marketing.pixels_{model._meta.label}")
            post_delete.connect(pixel_cache_clear, sender=model, dispatch_uid=f"marketing.pixels_d_{model._meta.label}")
