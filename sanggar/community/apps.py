from django.apps import AppConfig

from sanggar.access.kinds import resource_kind, resource_kind_register, resource_kind_unregister
from sanggar.accounts.hooks import profile_section_register
from sanggar.chat.registry import (
    connection_register,
    group_chat_opener_register,
    group_member_register,
    group_moderator_register,
    group_muted_until_register,
    username_resolver_register,
    usernames_register,
)
from sanggar.core.csp import csp_sources_register
from sanggar.learning.hooks import (
    StudyGroups,
    comment_posted_register,
    course_completed_register,
    lesson_completed_register,
    study_groups_register,
)

VIDEO_FRAMES = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]


def video_csp_sources(request) -> dict:
    return {"frame-src": VIDEO_FRAMES} if request.path_info.startswith("/komunitas") else {}


def _lesson_points(*, user, lesson):
    from .services import points_award

    points_award(action="lesson", key=f"lesson:{user.pk}:{lesson.pk}", user=user)


def _course_points(*, user, course):
    from .services import points_award

    points_award(action="course", key=f"course:{user.pk}:{course.pk}", user=user)


def _course_comment_badges(*, user_id):
    from .badges import live_check_after_commit
    from .constants import BadgeCriteria

    live_check_after_commit(user_id=user_id, criteria=BadgeCriteria.COURSE_COMMENTS)


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
        # The chat API's {"user": "<username>"} finds people by their community @username.
        username_resolver_register(selectors.user_by_username)
        # ...and shows their @username next to them (participants in the chat API).
        usernames_register(selectors.usernames_of)

        # Learning tells of first completions; the points ledger awards COMMUNITY_POINTS["lesson"] / ["course"].
        lesson_completed_register("community.points", _lesson_points)
        course_completed_register("community.points", _course_points)
        # A class-discussion comment may earn a "Diskusi Aktif" count badge at once (the Monday sweep is the net).
        comment_posted_register("community.badges", _course_comment_badges)
        # A course may name a private study group its learners join (learning keeps the group's resource).
        study_groups_register(
            StudyGroups(
                choices=selectors.study_group_choices,
                describe=selectors.study_groups_describe,
                join=services.study_group_join,
            )
        )
        # Group chat: chat asks whether someone is still in the group, and opens a group's chat by its slug.
        group_member_register(services.group_chat_member)
        # A member the group's moderators muted (GroupMember.muted_until) cannot post in its chat either.
        group_muted_until_register(services.group_chat_muted_until)
        group_chat_opener_register(services.group_chat_open_by_slug)
        # Moderators (the group's matrix) mute members in the group chat.
        group_moderator_register(services.group_chat_moderator)
        # Click-to-load video embeds of posts (allow-listed providers only) on the community pages.
        csp_sources_register(video_csp_sources)
