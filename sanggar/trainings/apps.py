from django.apps import AppConfig

from sanggar.learning.hooks import course_published_register


def _course_published(*, course):
    from .services import course_published

    course_published(course=course)


class TrainingsConfig(AppConfig):
    name = "sanggar.trainings"
    label = "trainings"
    verbose_name = "Training"

    def ready(self):
        # A course published later opens to the paid participants of tiers without a course list ("every course").
        course_published_register("trainings.every_course", _course_published)
