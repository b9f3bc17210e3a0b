"""The post that announces a group's event in the group feed (events call this when an event is created from the
group). It follows the group's moderation: held for approval when the group pre-moderates and the organiser is not
one of its moderators; the group's staff post it as an announcement (every member is told). The events app keeps
the link to the post (`Event.post`)."""

from django.db import transaction
from django.utils.translation import gettext as _

from sanggar.core.exceptions import NotAllowed
from sanggar.core.roles import Role

from . import services
from .constants import PostStatus
from .features import EVENT, feature_require
from .models import Group, Post
from .richtext import post_plain_text, sanitize_post_html


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
