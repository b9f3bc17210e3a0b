"""Per-group switches for each post feature (photos, video, audio, documents, polls, events, links, location,
stories, coloured quotes, comments) and pre-moderation. A switched-off feature is off for everyone in the group
(moderators too): the post, comment, story and event services refuse it with a clear message (`feature_require`),
the API answers 403 with the reason `feature_disabled`. The group's owner and admins (and site admins) switch them on
/komunitas/grup/<slug>/pengaturan and `PUT /api/v1/groups/{slug}/features`; every change is audited.

The two older switches (`Group.allow_images`, `Group.allow_polls`) are the "photo" and "poll" features: they are read
as such and kept in step when the switches are saved."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError

from .constants import Action
from .models import Group
from .policy import can_manage

PHOTO, VIDEO, AUDIO, DOCUMENT, POLL, EVENT = "photo", "video", "audio", "document", "poll", "event"
LINK, LOCATION, STORY, QUOTE, COMMENTS = "link", "location", "story", "quote", "comments"

FEATURES = (
    (PHOTO, gettext_lazy("Foto")),
    (VIDEO, gettext_lazy("Video")),
    (AUDIO, gettext_lazy("Audio")),
    (DOCUMENT, gettext_lazy("Dokumen")),
    (POLL, gettext_lazy("Polling")),
    (EVENT, gettext_lazy("Acara")),
    (LINK, gettext_lazy("Tautan")),
    (LOCATION, gettext_lazy("Lokasi")),
    (STORY, gettext_lazy("Story")),
    (QUOTE, gettext_lazy("Kutipan berlatar warna")),
    (COMMENTS, gettext_lazy("Komentar")),
)
FEATURE_KEYS = tuple(key for key, _label in FEATURES)
LABELS = dict(FEATURES)
# the input field each feature comes in (the API's `errors` key of a refusal)
FIELDS = {
    PHOTO: "image",
    VIDEO: "video_url",
    AUDIO: "media",
    DOCUMENT: "document",
    POLL: "poll",
    EVENT: "event",
    LINK: "link_url",
    LOCATION: "location_name",
    STORY: "story",
    QUOTE: "background",
    COMMENTS: "body",
}


def features_of(group: Group) -> dict[str, bool]:
    """The group's switches: all on, the two older switches for photo and poll, then the stored choices."""
    values = dict.fromkeys(FEATURE_KEYS, True)
    values[PHOTO] = bool(group.allow_images)
    values[POLL] = bool(group.allow_polls)
    stored = group.features if isinstance(group.features, dict) else {}
    for key, on in stored.items():
        if key in values and isinstance(on, bool):
            values[key] = on
    return values


def feature_on(group: Group, key: str) -> bool:
    return features_of(group).get(key, True)


def feature_require(group: Group, key: str) -> None:
    """Refuses a switched-off feature with the Indonesian message (403, reason `feature_disabled`)."""
    if not feature_on(group, key):
        message = _("Fitur %(f)s dimatikan di grup ini.") % {"f": str(LABELS[key]).lower()}
        raise NotAllowed(message, code="feature_disabled", errors={FIELDS[key]: [message]})


def post_features_require(
    group: Group,
    *,
    image=False,
    video=False,
    audio=False,
    document=False,
    poll=False,
    link=False,
    location=False,
    quote=False,
) -> None:
    """The checks of one new post: each attachment or option it uses must be switched on in its group."""
    for key, used in (
        (PHOTO, image),
        (VIDEO, video),
        (AUDIO, audio),
        (DOCUMENT, document),
        (POLL, poll),
        (LINK, link),
        (LOCATION, location),
        (QUOTE, quote),
    ):
        if used:
            feature_require(group, key)


def _switches(raw) -> dict[str, bool]:
    if not isinstance(raw, dict):
        raise ServiceError(_("Fitur harus berupa daftar nyala / mati."), errors={"features": [_("Tidak valid.")]})
    out = {}
    for key, on in raw.items():
        if key not in FEATURE_KEYS:
            raise ServiceError(
                _("Fitur tidak dikenal: %(k)s.") % {"k": str(key)[:40]}, errors={"features": [_("Tidak valid.")]}
            )
        if not isinstance(on, bool):
            raise ServiceError(_("Nilai fitur harus benar / salah."), errors={"features": [_("Tidak valid.")]})
        out[key] = on
    return out


@transaction.atomic
def group_features_update(*, actor, group: Group, features=None, require_approval=None) -> Group:
    """The group's owner or admins (or a site admin) switch post features and pre-moderation. Keys not given keep
    their value. Audited with what changed."""
    if not can_manage(actor, group):
        raise NotAllowed(_("Hanya pemilik atau admin grup yang dapat mengubah fitur grup."))
    switches = _switches(features if features is not None else {})
    if require_approval is not None and not isinstance(require_approval, bool):
        raise ServiceError(_("Nilai moderasi harus benar / salah."), errors={"require_approval": [_("Tidak valid.")]})
    group = Group.objects.select_for_update().get(pk=group.pk)
    before = features_of(group)
    before_approval = group.require_approval
    group.features = {**(group.features if isinstance(group.features, dict) else {}), **switches}
    after = features_of(group)
    group.allow_images, group.allow_polls = after[PHOTO], after[POLL]
    if require_approval is not None:
        group.require_approval = require_approval
    group.save(update_fields=["features", "allow_images", "allow_polls", "require_approval"])
    changed = {k: after[k] for k in FEATURE_KEYS if after[k] != before[k]}
    if group.require_approval != before_approval:
        changed["require_approval"] = group.require_approval
    if changed:
        activity_record(
            action=Action.FEATURES, actor=actor, target=group, target_label=group.name, data={"changed": changed}
        )
    return group
