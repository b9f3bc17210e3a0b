from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "sanggar.access"
    label = "access"

    def ready(self):
        from sanggar.core.public_cache import invalidate_on

        from .models import Resource

        # The plan and product pages list the classes, groups and files they include (by title).
        invalidate_on(Resource)
