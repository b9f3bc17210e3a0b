from django.apps import AppConfig

from sanggar.access.kinds import resource_kind, resource_kind_register, resource_kind_unregister
from sanggar.accounts.hooks import profile_section_register
from sanggar.chat.registry import connection_register


class CommunityConfig(AppConfig):
    name = "sanggar.community"
    label = "community"
    verbose_name = "Komunitas"

    def ready(self):
        # Groups replace access's placeholder "group" kind with one that adds the group rules to the one policy
        # (public groups open to every signed-in user, members of a private group by request, hidden groups 404).

        from . import selectors, services
        from .policy import GROUP_KIND

        profile_section_register("community", lambda user: {"username": services.profile_ensure(user).username})

        if resource_kind(GROUP_KIND.kind) is not GROUP_KIND:
            resource_kind_unregister(GROUP_KIND.kind)
            resource_kind_register(GROUP_KIND)

        # Members may start a direct chat with the people they are connected to here (mutual follow, shared group).
        connection_register(selectors.members_connected)
