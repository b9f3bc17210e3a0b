from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "sanggar.events"
    label = "events"
    verbose_name = "Event & Webinar"

    def ready(self):
        from sanggar.community.views import upcoming_provider_register

        from . import selectors

        upcoming_provider_register(selectors.upcoming_for_sidebar)
