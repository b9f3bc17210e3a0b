from django.apps import AppConfig

from sanggar.community.sidebar import (
    event_creator_register,
    group_events_provider_register,
    post_events_provider_register,
    stats_provider_register,
    upcoming_provider_register,
)


class EventsConfig(AppConfig):
    name = "sanggar.events"
    label = "events"
    verbose_name = "Event & Webinar"

    def ready(self):
        from . import selectors, services, stats

        upcoming_provider_register(selectors.upcoming_for_sidebar)
        group_events_provider_register(selectors.group_events)
        post_events_provider_register(selectors.events_of_posts)
        stats_provider_register(stats.event_stats)
        # The group composer's "event" option creates a real event here and returns the post announcing it.
        event_creator_register(services.event_post_from_composer)
