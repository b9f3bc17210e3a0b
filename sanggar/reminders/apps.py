from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sanggar.catalog.hooks import edit_tab_register
from sanggar.events.hooks import edit_tab_register as event_tab_register
from sanggar.learning.hooks import edit_tab_register as course_tab_register
from sanggar.learning.hooks import follow_ups_register as course_follow_ups_register
from sanggar.orders.follow_up_log import follow_up_log_register
from sanggar.suppliers.hooks import package_tab_register, reminder_settings_register


class RemindersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sanggar.reminders"
    label = "reminders"
    verbose_name = "Pengingat & Broadcast"

    def ready(self):
        from . import course_follow_ups, follow_ups, services, supplier_settings, tracking

        services.engagement_register()  # provider-reported opens and clicks (notifications' webhook hook)
        tracking.register()  # the signed open pixel in a reminder's email (notifications' hook)
        follow_up_log_register("reminders", follow_ups.LOG)  # the sales list's follow-up column reads the log
        # The "Reminder" tab on a plan's and a product's edit pages (REM-P1, REM-P3).
        edit_tab_register("plan", "reminder", _("Reminder"), "reminders:plan_reminders")
        edit_tab_register("product", "reminder", _("Reminder"), "reminders:product_reminders")
        # The "Pengingat" tab of a course's editor and an event's admin page, admins only (checklist 5.5).
        course_tab_register("pengingat", _("Pengingat"), "reminders:course_reminders")
        event_tab_register("pengingat", _("Pengingat"), "reminders:event_reminders")
        # The supplier upgrade / Premium-ending sequences on the supplier package page (checklist §5.9).
        package_tab_register("pengingat", _("Pengingat upgrade"), "reminders:supplier_reminders")
        # The old schedule fields of /api/v1/admin/supplier-settings, read from and written to those sequences.
        reminder_settings_register(read=supplier_settings.read, write=supplier_settings.write)
        # A course's WhatsApp follow-ups (learning's page and API) are its follow-up sequence here (migration 0015).
        course_follow_ups_register(read=course_follow_ups.read, write=course_follow_ups.write)
