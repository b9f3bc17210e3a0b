"""Community events over the Channels layer (the same layer as the bell and chat: Redis in production, in-process
otherwise). A new post, comment or reaction is published, after its transaction commits, to its group's channel
`community.group.<id>`; the socket at /ws/komunitas/ (consumers.py) joins a group's channel only after the server
checked that the user may read the group. Events carry ids and counts, never content: the page fetches the new
post or comment as a fragment over HTTP, which checks access again.

`community.user.<id>` tells a user's open sockets that a membership changed (left, banned, joined): they re-check
every group they listen to. Publishing never raises: the pages poll when the socket is down."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

EVENT_POST = "community.post"
EVENT_COMMENT = "community.comment"
EVENT_COMMENT_REMOVED = "community.comment_removed"
EVENT_REACTION = "community.reaction"
EVENT_RESYNC = "community.resync"


def group_channel(group_id: int) -> str:
    return f"community.group.{group_id}"


def user_channel(user_id: int) -> str:
    return f"community.user.{user_id}"


def _send(channel: str, event: dict) -> None:
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(channel, event)
    except Exception:  # realtime being down must never break the write (pages fall back to polling)
        logger.warning("Community event for %s not delivered", channel, exc_info=True)


def _after_commit(channel: str, event: dict) -> None:
    transaction.on_commit(lambda: _send(channel, event))


def publish_post(post) -> None:
    """A post was published in its group (new, or approved by a moderator)."""
    _after_commit(group_channel(post.group_id), {"type": EVENT_POST, "post": post.pk, "group": post.group_id})


def publish_comment(comment, *, group_id: int, comment_count: int) -> None:
    _after_commit(
        group_channel(group_id),
        {
            "type": EVENT_COMMENT,
            "post": comment.post_id,
            "comment": comment.pk,
            "parent": comment.parent_id,
            "group": group_id,
            "comment_count": comment_count,
        },
    )


def publish_comment_removed(*, post_id: int, comment_id: int, group_id: int, comment_count: int) -> None:
    """A comment left the post (removed by its author or a moderator, or hidden after reports): open pages drop it."""
    _after_commit(
        group_channel(group_id),
        {
            "type": EVENT_COMMENT_REMOVED,
            "post": post_id,
            "comment": comment_id,
            "group": group_id,
            "comment_count": comment_count,
        },
    )


def publish_reaction(*, post_id: int, group_id: int, comment_id: int | None, counts: dict[str, int]) -> None:
    _after_commit(
        group_channel(group_id),
        {"type": EVENT_REACTION, "post": post_id, "comment": comment_id, "group": group_id, "counts": counts},
    )


def publish_resync(user_id: int) -> None:
    _after_commit(user_channel(user_id), {"type": EVENT_RESYNC})
