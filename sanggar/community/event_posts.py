"""The post that announces a group's event in the group feed (events call this when an event is created from the
group). It follows the group's moderation: held for approval when the group pre-moderates and the organiser is not
one of its moderators; the group's staff post it as an announcement (every member is told). The events app keeps
the link to the post (`Event.post`)."""

from django.db import transaction
from django.utils.translation import gettext as _

from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role

from . import services
from .constants import PostStatus
from .features import EVENT, feature_require
from .models import Group, Post
from .richtext import post_plain_text, sanitize_post_html
from .sidebar import event_creator


@transaction.atomic
def event_post_create(*, actor, group: Group, body_html: str) -> Post:
    feature_require(group, EVENT)
    if not services.is_member(actor, group) and not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Anda bukan anggota grup ini."))
    body_html = sanitize_post_html(body_html)
    staff = services.can_moderate(actor, group)
    status = PostStatus.PENDING if group.require_approval and not staff else PostStatus.PUBLISHED
    services.profile_ensure(actor)
    post = Post.objects.create(
        group=group,
        author=actor,
        body=post_plain_text(body_html)[:5000],
        body_html=body_html,
        status=status,
        is_announcement=staff,  # the group's staff announce to every member (PRODUCT.md "Who is told")
    )
    if status == PostStatus.PUBLISHED:
        services._post_published(post)
    return post


# --- the composer's "event" option ---------------------------------------------------------------------------------
# The events app (above community) registers its creator in `sidebar.event_creator_register` (model-free, so it can
# be imported at module level): it creates a real event of the group through its service (permission, "event"
# feature, values checked there) and returns the post announcing it (`event_post_create` above).


def event_posts_available() -> bool:
    return event_creator() is not None


EVENT_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "location_kind",
    "meeting_url",
    "meeting_provider",
    "meeting_passcode",
    "address",
    "capacity",
)


def event_post_from_composer(*, actor, group: Group, event: dict, body: str = "", cover=None, **others) -> Post:
    """A post of the composer with its "event" option: the event (title, start in WIB, online with a link or offline
    with an address, capacity; the post's text becomes its description) and the post pointing to it. The other post
    features (poll, photo, document, video, schedule…) cannot be combined with it: refused, never dropped silently."""
    creator = event_creator()
    if creator is None:
        raise ServiceError(_("Postingan acara belum tersedia."))
    combined = [name for name, value in others.items() if value]
    if combined:
        raise ServiceError(
            _("Postingan acara tidak bisa digabung dengan polling, lampiran, tautan atau jadwal."),
            errors={name: [_("Kosongkan untuk postingan acara.")] for name in combined},
        )
    if not isinstance(event, dict):
        raise ServiceError(_("Data acara tidak valid."), errors={"event": [_("Tidak valid.")]})
    data = {key: event.get(key) for key in EVENT_FIELDS}
    data["description"] = post_plain_text(body or "")[:5000]
    return creator(actor=actor, group=group, data=data, cover=cover)
