from django.apps import AppConfig

from sanggar.access.facts import catalog_facts_register


class CatalogConfig(AppConfig):
    name = "sanggar.catalog"
    label = "catalog"

    def ready(self):
        # Access sits below the catalog: its one policy learns which plans and products offer a resource from here.
        from .access_facts import CATALOG_FACTS

        catalog_facts_register(CATALOG_FACTS)
