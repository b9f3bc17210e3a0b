from django.apps import AppConfig

from sanggar.accounts.hooks import admin_user_section_register
from sanggar.core.public_cache import invalidate_on


class AccessConfig(AppConfig):
    name = "sanggar.access"
    label = "access"

    def ready(self):

        from . import admin_user
        from .models import Resource

        admin_user_section_register(admin_user.SECTION)  # the admin's user detail page (accounts sits below)
        # The plan and product pages list the classes, groups and files they include (by title).
        invalidate_on(Resource)
