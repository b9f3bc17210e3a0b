"""The notification kinds registry. Each app declares what it tells people in its own `notifications.py`
(discovered at start-up by NotificationsConfig.ready), in the style of the dashboard card registry:

    # sanggar/orders/notifications.py
    register_kind(NotificationKind(
        key="orders.payment_succeeded",
        label=_("Pembayaran berhasil"),
        group="transaction",
        defaults=MessageDefaults(inapp_title="Pembayaran {invoice} berhasil", email_subject=..., email_body=..., ...),
        shortcodes=(("invoice", _("Nomor invoice")),),
        sample={"invoice": "INV000123"},
    ))

A kind's default texts (in-app, email subject and body, WhatsApp, push) become an admin-editable template row
(`MessageTemplate`, created by `message_templates_sync` after every migrate); no message text lives in Python code that
sends it. Preference groups ("transaction", "affiliate", …) are what a user switches channels on; a kind belongs to one.
Nothing here needs a migration when an app adds a kind or a group.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .constants import Channel


@dataclass(frozen=True)
class PreferenceGroup:
    """What a user sets channel preferences for (and filters the notification centre by)."""

    key: str
    label: str
    icon: str = "info"
    # Default channels when the user has not chosen (email and push are on for every group).
    whatsapp_default: bool = False
    order: int = 100


@dataclass(frozen=True)
class MessageDefaults:
    """The default texts of one kind, per channel. An empty text means the channel is not used by default."""

    inapp_title: str
    inapp_body: str = ""
    email_subject: str = ""
    email_body: str = ""
    whatsapp: str = ""
    push: str = ""

    @classmethod
    def standard(cls, title: str, body: str, *, push: bool = False) -> "MessageDefaults":
        """The house's usual texts from one title and body: the bell, an email greeting the member with the link,
        a WhatsApp message with the title in bold, and (when `push`) the title as the push text."""
        return cls(
            inapp_title=title,
            inapp_body=body,
            email_subject=title,
            email_body=f"Halo {{name}},\n\n{body}\n\n{{link}}\n\nTim {{platform_name}}",
            whatsapp=f"*{title}*\n\n{body}\n\n{{link}}",
            push=title if push else "",
        )


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str
    group: str
    defaults: MessageDefaults
    # Channels a message of this kind goes out on by default (the user's preferences still apply).
    channels: tuple[str, ...] = (Channel.EMAIL, Channel.WHATSAPP, Channel.PUSH)
    # Shortcodes of this kind on top of the common ones, with what each becomes (the admin page shows them).
    shortcodes: tuple[tuple[str, str], ...] = ()
    # Example values for the admin's preview.
    sample: dict = field(default_factory=dict)
    # Account security messages (verification, password reset) cannot be switched off.
    required: bool = False
    description: str = ""
    # Important: besides the toast, shown as a popup that stays until closed; on the next page load when no page
    # was open (`Notification.popup_pending`).
    popup: bool = False
    # Private: the message carries what one person wrote to another (a chat message's preview). The delivery log
    # (page, list, Django admin) shows PRIVATE_PLACEHOLDER instead of its subject, body and provider answer, for every
    # admin role: PRODUCT.md lets admins read a conversation only when it is reported, and through the audited
    # moderation page, never through the log.
    private: bool = False


_GROUPS: dict[str, PreferenceGroup] = {}
_KINDS: dict[str, NotificationKind] = {}


def register_group(group: PreferenceGroup) -> PreferenceGroup:
    existing = _GROUPS.get(group.key)
    if existing is not None and existing != group:
        raise ValueError(f"notification group {group.key!r} is already registered")
    _GROUPS[group.key] = group
    return group


def register_kind(kind: NotificationKind) -> NotificationKind:
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"notification kind {kind.key!r} is already registered")
    unknown = set(kind.channels) - set(Channel.values)
    if unknown:
        raise ValueError(f"notification kind {kind.key!r}: unknown channels {sorted(unknown)}")
    _KINDS[kind.key] = kind
    return kind


def groups() -> list[PreferenceGroup]:
    return sorted(_GROUPS.values(), key=lambda g: (g.order, g.key))


def group_keys() -> list[str]:
    return [g.key for g in groups()]


def group_choices() -> list[tuple[str, str]]:
    return [(g.key, str(g.label)) for g in groups()]


def group_get(key: str) -> PreferenceGroup | None:
    return _GROUPS.get(key)


def group_label(key: str) -> str:
    group = _GROUPS.get(key)
    return str(group.label) if group is not None else str(_("Lainnya"))


def kinds() -> list[NotificationKind]:
    """Every registered kind, by group then label (the admin's template list)."""
    order = {key: i for i, key in enumerate(group_keys())}
    return sorted(_KINDS.values(), key=lambda k: (order.get(k.group, 999), str(k.label).lower()))


def kind_get(key: str) -> NotificationKind:
    """The kind `key`; an unknown key is a programming error (ValueError), like an unknown audit action."""
    kind = _KINDS.get(str(key))
    if kind is None:
        raise ValueError(f"Unknown notification kind: {key!r} (register it in the owning app's notifications.py)")
    if kind.group not in _GROUPS:
        raise ValueError(f"Notification kind {key!r} belongs to an unregistered group {kind.group!r}")
    return kind


def kind_exists(key: str) -> bool:
    return str(key) in _KINDS


def kind_is_private(key: str) -> bool:
    """Whether `key` names a registered kind marked private (an unknown or empty key is not)."""
    kind = _KINDS.get(str(key or ""))
    return bool(kind is not None and kind.private)


def private_kind_keys() -> list[str]:
    return sorted(k.key for k in _KINDS.values() if k.private)


def default_channel_enabled(group: str, channel: str) -> bool:
    """A user's channel preference before they chose: email and push on; WhatsApp where the group says so."""
    registered = _GROUPS.get(group)
    if registered is None:
        return False
    if channel == Channel.WHATSAPP:
        return registered.whatsapp_default
    return channel in (Channel.EMAIL, Channel.PUSH)


@dataclass(frozen=True)
class SourceKind:
    """A kind of thing notifications can be about and users can follow ("course"), registered by the app owning
    it: `label` names the notification centre's filter ("Kelas"); `describe(keys) -> {key: title}` names the
    sources of a user's notifications (one query for all)."""

    kind: str
    label: str
    describe: object  # callable(keys: list[str]) -> dict[str, str]
    # callable(user, key) -> bool: whether `user` may follow the source (sees it and takes part in it). The
    # subscription API and the pages' "Ikuti notifikasi" buttons refuse the others. None: nobody may.
    may_follow: object = None
    # callable(user, key, subscribed) -> None, called after the subscription changed (e.g. a group keeps its own
    # members' switch in step). Optional.
    on_change: object = None


_SOURCE_KINDS: dict[str, SourceKind] = {}


def source_kind_register(entry: SourceKind) -> SourceKind:
    _SOURCE_KINDS[entry.kind] = entry
    return entry


def source_kind(kind: str) -> SourceKind | None:
    return _SOURCE_KINDS.get(kind)


def source_kinds() -> list[SourceKind]:
    return sorted(_SOURCE_KINDS.values(), key=lambda k: k.kind)


def source_key(kind: str, key) -> str:
    """ "course:12": the stored form of a source."""
    return f"{kind}:{key}"


def source_parse(value: str) -> tuple[str, str] | None:
    """("course", "12") for a well-formed source of a registered kind, else None."""
    kind, sep, key = str(value or "")[:60].partition(":")
    if not sep or kind not in _SOURCE_KINDS or not key or not key.replace("-", "").replace("_", "").isalnum():
        return None
    return kind, key
