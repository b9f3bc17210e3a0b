from django.apps import AppConfig

from sanggar.access.kinds import resource_kind, resource_kind_register, resource_kind_unregister
from sanggar.accounts.hooks import profile_section_register
from sanggar.chat.registry import connection_register
from sanggar.learning.hooks import course_completed_register, lesson_completed_register


def _lesson_points(*, user, lesson):
    from .services import points_award

    points_award(action="lesson", key=f"lesson:{user.pk}:{lesson.pk}", user=user)


def _course_points(*, user, course):
    from .services import points_award

    points_award(action="course", key=f"course:{user.pk}:{course.pk}", user=user)


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

        # Learning tells of first completions; the points ledger awards COMMUNITY_POINTS["lesson"] / ["course"].
        lesson_completed_register("community.points", _lesson_points)
        course_completed_register("community.points", _course_points)
