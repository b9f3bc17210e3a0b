from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "sanggar.catalog"
    label = "catalog"

    def ready(self):
        from sanggar.core.public_cache import invalidate_on

        from .models import MembershipPlan, PlanFeature, PlanPrice, Product, ProductCategory, ProductFile, ProductImage

        # The public pages and the catalogue API show plans, prices, features, products, categories and stock:
        # any change to them replaces the cached pages at once (writes without signals bump in the services).
        invalidate_on(MembershipPlan, PlanPrice, PlanFeature, ProductCategory, Product, ProductImage, ProductFile)
