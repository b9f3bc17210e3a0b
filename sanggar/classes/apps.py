from django.apps import AppConfig

from sanggar.tickets.links import ticket_link_register


class ClassesConfig(AppConfig):
    name = "sanggar.classes"
    label = "classes"
    verbose_name = "Kelas Live"

    def ready(self):
        # A member may say which of their live classes a support ticket is about.
        from .ticket_links import TICKET_LINK

        ticket_link_register(TICKET_LINK)
