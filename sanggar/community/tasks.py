"""Celery tasks: the fan-out of an announcement to a group's members, in the background and in bulk; a link's
preview, fetched (SSRF-safe) after the post is committed."""

from celery import shared_task

from .activity import inactivity_nudge_sweep
from .badges import badges_sweep
from .fanout import announcement_fanout, new_post_fanout
from .gamification import member_of_week_compute


@shared_task
def announcement_fanout_task(post_id: int) -> int:
    return announcement_fanout(post_id=post_id)


@shared_task
def new_post_fanout_task(post_id: int) -> int:
    return new_post_fanout(post_id=post_id)


@shared_task
def link_preview_task(preview_id: int) -> str:
    from .services import link_preview_refresh  # services imports this module

    preview = link_preview_refresh(preview_id=preview_id)
    return preview.status if preview is not None else "missing"


@shared_task
def scheduled_posts_publish_task() -> int:
    """Every minute (beat "community-scheduled-posts"): publishes the scheduled posts that are due."""
    from .scheduled import scheduled_posts_publish  # scheduled imports services, which imports this module

    return scheduled_posts_publish()


@shared_task
def stories_sweep_task() -> int:
    """Hourly (beat "community-stories-sweep"): deletes expired stories and their photos."""
    from .stories import stories_sweep

    return stories_sweep()


@shared_task
def member_of_week_task() -> int:
    """Mondays (beat "community-member-of-week"): the finished week's top scorer becomes member of the week."""
    return 1 if member_of_week_compute() is not None else 0


@shared_task
def weekly_badges_task() -> int:
    """Mondays 00:00 WIB (beat "community-weekly-badges"): last week's weekly badges and the count badges earned."""
    return badges_sweep()


@shared_task
def inactivity_nudge_task() -> int:
    """Daily (beat "community-inactivity-nudge"): one nudge to members inactive for COMMUNITY_INACTIVE_DAYS days."""
    return inactivity_nudge_sweep()


@shared_task
def challenges_close_task() -> int:
    """Every five minutes (beat "community-challenges-close"): closes group challenges whose period ended."""
    from .challenges import challenges_close_due  # challenges imports services, which imports this module

    return challenges_close_due()


@shared_task
def challenge_announce_task(kind: str, pk: int) -> int:
    """After a group challenge is created or a quiz published: tells the group's followers (in bulk)."""
    from .challenges import challenge_announce

    return challenge_announce(kind=kind, pk=pk)
