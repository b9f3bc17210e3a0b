"""The fan-out of an announcement to every member of a group with the group's notifications on: in the background,
500 users per insert (notifications.notify_users creates each chunk's rows in one statement)."""

from django.urls import reverse

from sanggar.notifications.services import notify_users

from .constants import MemberStatus, Notify, PostStatus
from .models import GroupMember, Post

CHUNK = 500


def announcement_fanout(*, post_id: int) -> int:
    post = Post.objects.select_related("group", "author").filter(pk=post_id, status=PostStatus.PUBLISHED).first()
    if post is None:
        return 0
    rows = (
        GroupMember.objects.filter(group=post.group, status=MemberStatus.ACTIVE, notify_posts=True)
        .exclude(user=post.author)
        .select_related("user")
        .order_by("pk")
    )
    sent = 0
    chunk = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row.user)
        if len(chunk) == CHUNK:
            sent += len(_announce(post, chunk))
            chunk = []
    if chunk:
        sent += len(_announce(post, chunk))
    return sent


def _announce(post, users):
    return notify_users(
        users=users,
        kind=Notify.ANNOUNCEMENT,
        link=reverse("community:post", args=[post.pk]),
        context={"group": post.group.name, "author": post.author.full_name, "excerpt": post.body[:120]},
    )
