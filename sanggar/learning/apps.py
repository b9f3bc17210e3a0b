from django.apps import AppConfig

from sanggar.access.kinds import resource_kind, resource_kind_register, resource_kind_unregister
from sanggar.affiliates.link_sections import link_section_register
from sanggar.affiliates.short_link_targets import short_link_target_register
from sanggar.core.csp import csp_sources_register
from sanggar.marketing.pixel_models import pixel_model_register
from sanggar.tickets.links import ticket_link_register


class LearningConfig(AppConfig):
    name = "sanggar.learning"
    label = "learning"
    verbose_name = "Kursus"

    def ready(self):
        from . import selectors
        from .affiliate_links import SECTION
        from .policy import COURSE_KIND
        from .ticket_links import TICKET_LINK
        from .video import lesson_csp_sources

        # Courses replace access's generic "course" kind with one that adds the course rules to the one policy
        # (status, role access, free and priced courses, the course's mentor).
        if resource_kind(COURSE_KIND.kind) is not COURSE_KIND:
            resource_kind_unregister(COURSE_KIND.kind)
            resource_kind_register(COURSE_KIND)

        # Affiliates' short links may target a course an affiliate may promote (published, affiliate enabled).
        short_link_target_register("course", lambda slug: selectors.affiliate_courses().filter(slug=slug).exists())

        # Affiliates' "Link Saya" lists the courses they may promote.
        link_section_register(SECTION)

        # A member may say which of their courses a support ticket is about.
        ticket_link_register(TICKET_LINK)

        # A course's own pixels count as "a pixel is configured" (the CSP of /kursus/ pages allows the providers).
        pixel_model_register("learning.Course")

        # The player's video iframes (YouTube, Vimeo, the admin's allowed hosts) on /belajar/ pages.
        csp_sources_register(lesson_csp_sources)
