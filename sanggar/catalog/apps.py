from django.apps import AppConfig

from sanggar.access.facts import catalog_facts_register
from sanggar.core.public_cache import invalidate_on


class CatalogConfig(AppConfig):
    name = "sanggar.catalog"
    label = "catalog"

    def ready(self):

        # Access sits below the catalog: its one policy learns which plans and products offer a resource from here.
        from .access_facts import CATALOG_FACTS
        from .models import MembershipPlan, PlanFeature, PlanPrice, Product, ProductCategory, ProductFile, ProductImage

        catalog_facts_register(CATALOG_FACTS)
        # The public pages and the catalogue API show plans, prices, features, products, categories and stock:
        # any change to them replaces the cached pages at once (writes without signals bump in the services).
        invalidate_on(MembershipPlan, PlanPrice, PlanFeature, ProductCategory, Product, ProductImage, ProductFile)
