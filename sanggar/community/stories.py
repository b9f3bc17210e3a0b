"""Stories: a photo or a short text on a colour that members see for COMMUNITY_STORY_HOURS (24). A story without a
group is for the author's followers; a story in a group is for whoever may read the group. Who may post one follows
the posting rule (premium or a role, or a moderator of the group). Expired stories are left out by every query; the
hourly sweep deletes them with their files. Photos are private files opened through signed links."""

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.catalog.uploads import generated_name, validate_image
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError

from . import selectors, services
from .constants import QUOTE_BACKGROUNDS
from .features import STORY, feature_require
from .media import signed_link, signed_open
from .models import Follow, Group, Story, StoryView

STORY_BAR_LIMIT = 100


@transaction.atomic
def story_create(*, user, image=None, text="", background="", group: Group | None = None, ip: str | None = None):
    """A photo story (with an optional caption) or a text story on a palette colour."""
    if group is not None:
        services._can_write(user, group)
        feature_require(group, STORY)
        allowed = services.is_premium(user) or services.can_moderate(user, group)
    else:
        allowed = services.is_premium(user)
    if not allowed:
        raise NotAllowed(_("Membuat story butuh Member Premium. Silakan upgrade membership."))
    text = services.clean_text(text, field="text", label=_("Teks story"), max_length=300, required=False)
    background = services.clean_text(
        background, field="background", label=_("Latar warna"), max_length=20, required=False
    )
    if background and background not in QUOTE_BACKGROUNDS:
        raise ServiceError(_("Pilih latar warna dari daftar."), errors={"background": [_("Warna tidak tersedia.")]})
    if not image and not text:
        raise ServiceError(_("Story masih kosong: pilih foto atau tulis teks."), errors={"text": [_("Wajib diisi.")]})
    extension = ""
    if image:
        extension = validate_image(
            image, field="image", label=_("Foto story"), max_bytes=settings.COMMUNITY_STORY_IMAGE_MAX_BYTES
        )
    services._new_account_check(user, text)
    services._limits("STORY", user, ip)
    services.profile_ensure(user)
    story = Story(
        author=user,
        group=group,
        kind=Story.PHOTO if image else Story.TEXT,
        text=text,
        background="" if image else (background or "biru"),
        expires_at=timezone.now() + timezone.timedelta(hours=settings.COMMUNITY_STORY_HOURS),
    )
    if image:
        story.image.save(generated_name("story", extension), image, save=False)
    story.save()
    return story


def _active():
    return Story.objects.filter(expires_at__gt=timezone.now())


def stories_visible(user, group_ids: list[int] | None = None):
    """The active stories `user` may see: their own, those of members they follow (without a group) and those of
    the groups they are in (`group_ids` when the caller knows them). Newest first, bounded."""
    ids = selectors.member_group_ids(user) if group_ids is None else group_ids
    followed = Follow.objects.filter(follower=user, followee=OuterRef("author_id"))
    return (
        _active()
        .annotate(followed=Exists(followed))
        .filter(Q(author=user, group__isnull=True) | Q(group__isnull=True, followed=True) | Q(group_id__in=ids))
        .annotate(seen=Exists(StoryView.objects.filter(story=OuterRef("pk"), user=user)))
        .select_related("author", "author__community_profile", "group")
        .order_by("-created_at", "-id")
    )


def story_bar(user, group_ids: list[int] | None = None) -> list[dict]:
    """The feed's story bar: one entry per author (own first, then unseen before seen, newest first), each with
    their stories oldest first. Two queries."""
    rows = list(stories_visible(user, group_ids)[:STORY_BAR_LIMIT])
    authors: dict[int, dict] = {}
    for story in reversed(rows):  # oldest first inside an author
        entry = authors.setdefault(story.author_id, {"author": story.author, "stories": [], "unseen": False})
        entry["stories"].append(story)
        entry["unseen"] = entry["unseen"] or not story.seen
        entry["latest"] = story.created_at
    return sorted(
        authors.values(), key=lambda e: (e["author"].pk != user.pk, not e["unseen"], -e["latest"].timestamp())
    )


def can_see(user, story: Story) -> bool:
    if story.expires_at <= timezone.now():
        return False
    if story.author_id == user.pk:
        return True
    if story.group_id is not None:
        return services.can_read(user, story.group)
    return Follow.objects.filter(follower=user, followee_id=story.author_id).exists()


def story_get(user, story_id) -> Story:
    story = (
        Story.objects.select_related("author", "author__community_profile", "group__resource")
        .filter(pk=story_id)
        .first()
    )
    if story is None or not can_see(user, story):
        raise NotFound(_("Story tidak ditemukan atau sudah berakhir."))
    return story


@transaction.atomic
def story_view(*, user, story: Story) -> bool:
    """Marks the story seen by `user` (once); True the first time."""
    if not can_see(user, story):
        raise NotFound(_("Story tidak ditemukan atau sudah berakhir."))
    if story.author_id == user.pk:
        return False
    _row, created = StoryView.objects.get_or_create(story=story, user=user)
    if created:
        Story.objects.filter(pk=story.pk).update(view_count=F("view_count") + 1)
    return created


@transaction.atomic
def story_delete(*, actor, story: Story) -> None:
    if actor.pk != story.author_id and not (story.group_id and services.can_moderate(actor, story.group)):
        raise NotAllowed(_("Hanya pembuat story yang dapat menghapusnya."))
    if story.image:
        story.image.delete(save=False)
    story.delete()


def story_viewers(story: Story, limit: int = 50):
    return StoryView.objects.filter(story=story).select_related("user").order_by("-viewed_at")[:limit]


def stories_sweep(*, batch: int = 500) -> int:
    """Deletes expired stories and their photos (the query already hides them); returns how many."""
    now = timezone.now()
    deleted = 0
    while True:
        rows = list(Story.objects.filter(expires_at__lte=now).order_by("id")[:batch])
        if not rows:
            return deleted
        for story in rows:
            if story.image:
                story.image.storage.delete(story.image.name)
        Story.objects.filter(pk__in=[s.pk for s in rows]).delete()
        deleted += len(rows)


def photo_link(*, user, story: Story, session_bound: bool = True) -> str:
    return signed_link(url_name="community:story_photo", user=user, obj_id=story.pk, session_bound=session_bound)


def photo_open(*, user, token: str) -> Story:
    user, story_id = signed_open(url_name="community:story_photo", user=user, token=token)
    story = story_get(user, story_id)
    if not story.image or not story.image.storage.exists(story.image.name):
        raise NotFound(_("Foto story tidak tersedia."))
    return story
