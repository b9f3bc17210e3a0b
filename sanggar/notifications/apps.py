from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.module_loading import autodiscover_modules


def _sync_templates(sender, **kwargs):
    from .services import message_templates_sync

    message_templates_sync()


class NotificationsConfig(AppConfig):
    name = "sanggar.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"

    def ready(self):
        # Each app registers its notification kinds (and preference groups) from its own `notifications.py`.
        autodiscover_modules("notifications")
        # The messaging services the admin configures at /admin/settings/integrations.
        from . import integration_defs

        integration_defs.register()
        # Every kind's template row exists after each migrate (make run, the test database, a deploy): a framework
        # hook, not a business flow. Rendering falls back to the kind's defaults if a row is missing anyway.
        post_migrate.connect(_sync_templates, sender=self, dispatch_uid="notifications.sync_templates")
        # A saved (or deleted) template drops its cached copy used for sending.
        from .models import MessageTemplate
        from .selectors import message_template_cache_clear

        post_save.connect(message_template_cache_clear, sender=MessageTemplate, dispatch_uid="notifications.tpl_save")
        post_delete.connect(message_template_cache_clear, sender=MessageTemplate, dispatch_uid="notifications.tpl_del")
