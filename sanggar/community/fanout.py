"""The fan-out of an announcement (and, by the smart rule "Postingan baru di grup", of any new post) to every member
of a group who follows its notifications: in the background, 500 users per insert (notifications.notify_users creates
each chunk's rows in one statement)."""

from django.urls import reverse

from sanggar.notifications.registry import source_key
from sanggar.notifications.services import notify_users
from sanggar.notifications.smart_rules import rule_fire, rule_state

from .constants import SOURCE_KIND, MemberStatus, Notify, PostStatus, Rule
from .models import GroupMember, Post

CHUNK = 500


def announcement_fanout(*, post_id: int) -> int:
    post = Post.objects.select_related("group", "author").filter(pk=post_id, status=PostStatus.PUBLISHED).first()
    if post is None:
        return 0
    return _fanout(post, Notify.ANNOUNCEMENT)


def new_post_fanout(*, post_id: int) -> int:
    """Smart rule "Postingan baru di grup": a published post (not an announcement, which has its own fan-out) is told
    to the group's followers in the app, once per post (however often the task runs)."""
    post = Post.objects.select_related("group", "author").filter(pk=post_id, status=PostStatus.PUBLISHED).first()
    if post is None or post.is_announcement or not rule_state(Rule.NEW_POST).enabled:
        return 0
    if not rule_fire(Rule.NEW_POST, f"post:{post.pk}"):
        return 0
    return _fanout(post, Notify.NEW_POST)


def _fanout(post, kind) -> int:
    return followers_notify(
        group=post.group,
        exclude_user_id=post.author_id,
        kind=kind,
        link=reverse("community:post", args=[post.pk]),
        context={"group": post.group.name, "author": post.author.full_name, "excerpt": post.body[:120]},
    )


def followers_notify(*, group, exclude_user_id, kind: str, link: str, context: dict) -> int:
    """Tells every active member of `group` who follows its notifications (but `exclude_user_id`), CHUNK per insert.
    Also the group's new challenges and quizzes (challenges.challenge_announce)."""
    rows = (
        GroupMember.objects.filter(group=group, status=MemberStatus.ACTIVE, notify_posts=True)
        .exclude(user_id=exclude_user_id)
        .select_related("user")
        .order_by("pk")
    )
    source = source_key(SOURCE_KIND, group.pk)
    sent = 0
    chunk = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row.user)
        if len(chunk) == CHUNK:
            sent += len(notify_users(users=chunk, kind=kind, source=source, link=link, context=context))
            chunk = []
    if chunk:
        sent += len(notify_users(users=chunk, kind=kind, source=source, link=link, context=context))
    return sent
