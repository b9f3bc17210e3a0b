from django.apps import AppConfig

from sanggar.accounts.hooks import admin_user_section_register


class AccessConfig(AppConfig):
    name = "sanggar.access"
    label = "access"

    def ready(self):
        from . import admin_user

        admin_user_section_register(admin_user.SECTION)  # the admin's user detail page (accounts sits below)
