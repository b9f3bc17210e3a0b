from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "sanggar.learning"
    label = "learning"
    verbose_name = "Kursus"

    def ready(self):
        # Courses replace access's placeholder "course" kind with one that adds the course rules to the one policy
        # (status, role access, free and priced courses, the course's mentor).
        from sanggar.access.kinds import resource_kind, resource_kind_register, resource_kind_unregister

        from .policy import COURSE_KIND

        if resource_kind(COURSE_KIND.kind) is not COURSE_KIND:
            resource_kind_unregister(COURSE_KIND.kind)
            resource_kind_register(COURSE_KIND)
