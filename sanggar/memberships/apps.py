from django.apps import AppConfig

from sanggar.access.facts import membership_facts_register
from sanggar.accounts.hooks import admin_user_section_register
from sanggar.catalog.hooks import plan_content_changed_register


class MembershipsConfig(AppConfig):
    name = "sanggar.memberships"
    label = "memberships"

    def ready(self):
        # The catalog sits below memberships: when a plan's content changes, members' grants are re-synced.

        from .tasks import membership_grants_sync_schedule

        plan_content_changed_register(membership_grants_sync_schedule)

        # Access sits below memberships: its one policy reads a user's membership through this port.
        from .access_facts import MEMBERSHIP_FACTS

        membership_facts_register(MEMBERSHIP_FACTS)

        from . import admin_user

        admin_user_section_register(admin_user.SECTION)  # the admin's user detail page (accounts sits below)
