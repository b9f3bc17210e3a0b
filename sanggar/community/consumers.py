"""The community websocket at /ws/komunitas/: a signed-in browser (session) or an app with the API's JWT access token
(`?token=` or an `Authorization: Bearer` header, the bell's `socket_user`; a bad or expired token is refused even
with a session cookie). After connecting, a page says what it shows:

- `{"type": "subscribe", "feed": true}`: the home feed, i.e. every group the user is a member of;
- `{"type": "subscribe", "group": "<slug>"}`: one group's page (a public group, or one the user is a member of);
- `{"type": "subscribe", "post": <id>}`: a post's permalink (a published post in a group the user may read).

The server checks each on its side and joins only the channels of groups the user may read (realtime.py); a hidden,
private or unknown group gets the same `community.error`. It answers `{"type": "subscribed", "groups": [...]}` and
then forwards `community.post`, `community.comment`, `community.comment_removed` and `community.reaction` (ids and
counts only). Access is checked
again when a membership of the user changes (a `community.resync` on the user's channel: left, banned, ...) and at
least every COMMUNITY_LIVE_RECHECK_SECONDS while events arrive (a membership that expired), so a socket never keeps
receiving a group's events after its user lost the group. `{"type": "ping"}` answers `pong`."""

import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils.translation import gettext as _

from sanggar.notifications.socket_auth import socket_user

from . import realtime, selectors, services
from .constants import PostStatus
from .models import Post

MAX_SUBSCRIPTIONS = 20


def _readable_groups(user, spec: dict) -> set[int] | None:
    """The group ids one subscription covers for `user`, or None when it is refused (unknown, hidden, no access)."""
    if spec.get("feed") is True:
        return set(selectors.member_group_ids(user))
    slug = spec.get("group")
    if isinstance(slug, str) and slug:
        group = selectors.group_by_slug(slug[:80])
        if group is None or not services.can_read(user, group):
            return None
        return {group.pk}
    post_id = spec.get("post")
    if isinstance(post_id, int) and not isinstance(post_id, bool) and 0 < post_id < 2**62:
        post = Post.objects.select_related("group__resource").filter(pk=post_id).first()
        if post is None or post.status != PostStatus.PUBLISHED or not services.can_read(user, post.group):
            return None
        return {post.group_id}
    return None


def _user_fresh(user):
    """The user row again (a deactivated user loses every subscription)."""
    return type(user).objects.filter(pk=user.pk, is_active=True).first()


class CommunityConsumer(AsyncJsonWebsocketConsumer):
    user = None

    async def connect(self):
        user = await socket_user(self.scope)
        if user is None:
            await self.close(code=4401)
            return
        self.user = user
        self.specs: list[dict] = []
        self.group_ids: set[int] = set()
        self.checked_at = time.monotonic()
        await self.channel_layer.group_add(realtime.user_channel(user.pk), self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.user is None:
            return
        await self.channel_layer.group_discard(realtime.user_channel(self.user.pk), self.channel_name)
        for group_id in list(getattr(self, "group_ids", ())):
            await self.channel_layer.group_discard(realtime.group_channel(group_id), self.channel_name)

    async def decode_json(self, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong"})
            return
        if kind != "subscribe":
            await self.send_json({"type": "community.error", "message": _("Jenis pesan tidak dikenal.")})
            return
        if len(self.specs) >= MAX_SUBSCRIPTIONS:
            await self.send_json({"type": "community.error", "message": _("Terlalu banyak langganan.")})
            return
        spec = {k: content[k] for k in ("feed", "group", "post") if k in content}
        ids = await database_sync_to_async(_readable_groups)(self.user, spec)
        if ids is None:
            await self.send_json({"type": "community.error", "message": _("Grup atau postingan tidak ditemukan.")})
            return
        self.specs.append(spec)
        await self._listen(self.group_ids | ids)
        await self.send_json({"type": "subscribed", "groups": sorted(ids)})

    async def _listen(self, wanted: set[int]) -> None:
        for group_id in wanted - self.group_ids:
            await self.channel_layer.group_add(realtime.group_channel(group_id), self.channel_name)
        for group_id in self.group_ids - wanted:
            await self.channel_layer.group_discard(realtime.group_channel(group_id), self.channel_name)
        self.group_ids = set(wanted)

    @database_sync_to_async
    def _recheck_ids(self) -> set[int]:
        user = _user_fresh(self.user)
        if user is None:
            return set()
        self.user = user
        wanted: set[int] = set()
        for spec in self.specs:
            wanted |= _readable_groups(user, spec) or set()
        return wanted

    async def _recheck(self) -> None:
        self.checked_at = time.monotonic()
        await self._listen(await self._recheck_ids())

    async def _forward(self, event: dict) -> None:
        if time.monotonic() - self.checked_at > settings.COMMUNITY_LIVE_RECHECK_SECONDS:
            await self._recheck()
        if event.get("group") in self.group_ids:
            await self.send_json(dict(event))

    # Events from the channel layer
    async def community_post(self, event):
        await self._forward(event)

    async def community_comment(self, event):
        await self._forward(event)

    async def community_comment_removed(self, event):
        await self._forward(event)

    async def community_reaction(self, event):
        await self._forward(event)

    async def community_resync(self, event):
        await self._recheck()
