"""Scheduled posts: the author picks a future time in the composer; until then the post is a `ScheduledPost` that only
its author sees (never in a feed, the API's post endpoints, notifications or the websocket). Everything is checked when
it is scheduled (the same `post_prepare` as a post) and again when it comes due.

The beat sweep (`tasks.scheduled_posts_publish_task`, every minute) takes the due rows with `SELECT … FOR UPDATE SKIP
LOCKED`, so two workers (or a sweep that runs twice) never publish one row twice: the second sees it locked or no
longer scheduled. Publishing calls `post_create`, so the post gets a fresh place at the top of the feed and the normal
side effects after commit (live update, @mentions, announcement fan-out, points)."""

import logging
from datetime import datetime

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from sanggar.catalog.uploads import generated_name
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.notifications.services import notify

from . import services
from .constants import Notify
from .media import MEDIA_TYPES
from .models import Group, ScheduledPost

logger = logging.getLogger(__name__)


def _when(value) -> datetime:
    """A time in the future (within COMMUNITY_SCHEDULE_MAX_DAYS): an aware datetime, or ISO text (naive = WIB)."""
    if isinstance(value, str):
        if "\x00" in value or len(value) > 40:
            value = None
        else:
            try:
                value = parse_datetime(value.strip())
            except ValueError:
                value = None
    if not isinstance(value, datetime):
        raise ServiceError(
            _("Waktu terbit tidak valid. Gunakan tanggal dan jam."), errors={"scheduled_at": [_("Waktu tidak valid.")]}
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    now = timezone.now()
    if value <= now + timezone.timedelta(minutes=1):
        raise ServiceError(
            _("Waktu terbit harus di masa depan (paling cepat 2 menit lagi)."),
            errors={"scheduled_at": [_("Pilih waktu yang akan datang.")]},
        )
    if value > now + timezone.timedelta(days=settings.COMMUNITY_SCHEDULE_MAX_DAYS):
        raise ServiceError(
            _("Postingan hanya bisa dijadwalkan paling lama %(d)s hari ke depan.")
            % {"d": settings.COMMUNITY_SCHEDULE_MAX_DAYS},
            errors={"scheduled_at": [_("Terlalu jauh.")]},
        )
    return value


def _keep(row: ScheduledPost, field: str, upload, prefix: str, extension: str) -> None:
    if upload:
        getattr(row, field).save(generated_name(prefix, extension), upload, save=False)


@transaction.atomic
def scheduled_post_create(
    *,
    user,
    group: Group,
    scheduled_at,
    ip: str | None = None,
    image=None,
    document=None,
    media=None,
    **fields,
) -> ScheduledPost:
    """Schedules a post: all of `post_create`'s checks now (the author hears at once what is wrong), then again at
    the time. Limits: COMMUNITY_SCHEDULE_(IP_)RATE_LIMIT and at most COMMUNITY_SCHEDULE_MAX_PENDING waiting."""
    when = _when(scheduled_at)
    v = services.post_prepare(user=user, group=group, image=image, document=document, media=media, **fields)
    waiting = ScheduledPost.objects.filter(author=user, status=ScheduledPost.SCHEDULED).count()
    if waiting >= settings.COMMUNITY_SCHEDULE_MAX_PENDING:
        raise ServiceError(
            _("Anda sudah punya %(n)s postingan terjadwal. Tunggu sebagian terbit atau batalkan dulu.") % {"n": waiting}
        )
    services._limits("SCHEDULE", user, ip)
    row = ScheduledPost(
        group=group,
        author=user,
        scheduled_at=when,
        body=v["body"],
        body_html=v["body_html"],
        link_url=v["link_url"],
        video_url=v["video_url"],
        poll=v["options"],
        is_announcement=v["is_announcement"],
        background=v["background"],
    )
    row.location_name, row.location_city, row.location_province = v["location"]
    _keep(row, "image", image, "img", v["image_ext"])
    if document:
        row.document_name = str(document.name).rsplit("/", 1)[-1][:255]
        _keep(row, "document", document, "doc", v["doc_ext"])
    if media:
        _keep(row, "media", media, "media", MEDIA_TYPES[v["media_info"][0]][1])
    row.save()
    return row


def _editable(actor, row: ScheduledPost) -> None:
    if actor.pk != row.author_id:
        raise NotAllowed(_("Hanya penulis yang dapat mengubah postingan terjadwal ini."))
    if row.status != ScheduledPost.SCHEDULED:
        raise ServiceError(_("Postingan ini sudah tidak terjadwal."))


@transaction.atomic
def scheduled_post_update(*, actor, row: ScheduledPost, body=None, scheduled_at=None) -> ScheduledPost:
    """Changes the text and / or the time of a waiting post (checked again like a new one)."""
    row = ScheduledPost.objects.select_for_update().get(pk=row.pk)
    _editable(actor, row)
    if scheduled_at not in (None, ""):
        row.scheduled_at = _when(scheduled_at)
    if body is not None:
        body = services.clean_text(
            body, field="body", label=_("Isi postingan"), max_length=settings.COMMUNITY_POST_MAX_LENGTH, required=False
        )
        attachments = row.image or row.document or row.media or row.poll or row.link_url or row.video_url
        if not (body or attachments):
            raise ServiceError(_("Postingan masih kosong."), errors={"body": [_("Tulis sesuatu.")]})
        if row.background and not 0 < len(body) <= settings.COMMUNITY_QUOTE_MAX_LENGTH:
            raise ServiceError(
                _("Teks berlatar warna harus diisi dan paling panjang %(n)s karakter.")
                % {"n": settings.COMMUNITY_QUOTE_MAX_LENGTH},
                errors={"body": [_("Terlalu panjang.")]},
            )
        services._mentions_check(actor, body)
        row.body, row.body_html = body, ""
    row.save()
    return row


def _drop_files(row: ScheduledPost) -> None:
    for field in (row.image, row.document, row.media):
        if field:
            field.delete(save=False)


@transaction.atomic
def scheduled_post_cancel(*, actor, row: ScheduledPost) -> ScheduledPost:
    row = ScheduledPost.objects.select_for_update().get(pk=row.pk)
    _editable(actor, row)
    _drop_files(row)
    row.status = ScheduledPost.CANCELLED
    row.save(update_fields=["status", "image", "document", "media"])
    return row


def _open(field, name: str | None = None):
    if not field:
        return None
    handle = field.storage.open(field.name, "rb")
    return File(handle, name=name or field.name.rsplit("/", 1)[-1])


def _publish(row: ScheduledPost) -> None:
    """Publishes one locked, due row (inside the sweep's transaction, in its own savepoint)."""
    files = {
        "image": _open(row.image),
        "document": _open(row.document, row.document_name),
        "media": _open(row.media),
    }
    try:
        with transaction.atomic():
            post = services.post_create(
                user=row.author,
                group=row.group,
                body=row.body,
                body_html=row.body_html or None,
                link_url=row.link_url,
                video_url=row.video_url,
                poll=row.poll,
                is_announcement=row.is_announcement,
                background=row.background,
                location_name=row.location_name,
                location_city=row.location_city,
                location_province=row.location_province,
                rate_limited=False,
                **files,
            )
    except ServiceError as exc:
        row.status, row.error = ScheduledPost.FAILED, str(exc.message)[:300]
        notify(
            user=row.author,
            kind=Notify.SCHEDULED_FAILED,
            link="/komunitas/terjadwal",
            context={"group": row.group.name, "note": row.error},
        )
    else:
        row.status, row.post, row.error = ScheduledPost.PUBLISHED, post, ""
        notify(
            user=row.author,
            kind=Notify.SCHEDULED_PUBLISHED,
            link=services.post_link(post),
            context={"group": row.group.name, "excerpt": (post.body or "")[:120]},
        )
    finally:
        for handle in files.values():
            if handle is not None:
                handle.close()
    _drop_files(row)
    row.published_at = timezone.now()
    row.save()


def scheduled_posts_publish(*, now=None, limit: int = 200) -> int:
    """Publishes the scheduled posts that are due (at most `limit` a run, oldest first); returns how many were
    handled. Safe on two workers at once and when run twice: rows are locked with SKIP LOCKED and re-read."""
    now = now or timezone.now()
    handled = 0
    with transaction.atomic():
        rows = list(
            ScheduledPost.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=ScheduledPost.SCHEDULED, scheduled_at__lte=now)
            .select_related("group__resource", "author")
            .order_by("scheduled_at", "id")[:limit]
        )
        for row in rows:
            try:
                with transaction.atomic():
                    _publish(row)
                handled += 1
            except Exception:  # one broken row must not hold back the others; it is retried next minute
                logger.exception("Scheduled post %s not published", row.pk)
    return handled


def scheduled_for(user):
    """The author's waiting scheduled posts (soonest first) and their last failures."""
    return (
        ScheduledPost.objects.filter(author=user, status__in=(ScheduledPost.SCHEDULED, ScheduledPost.FAILED))
        .select_related("group")
        .order_by("status", "scheduled_at", "id")
    )
