"""Conversations, their participants (read position, unread count, mute, archive), messages, blocks and reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import AttachmentKind, Kind, ReportStatus, Status

USER = settings.AUTH_USER_MODEL


class Conversation(models.Model):
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    # "<smaller user id>:<larger user id>" for a two-person conversation: one conversation per pair.
    pair_key = models.CharField(max_length=40, blank=True, default="")
    # A group chat: the key the owning app gave (e.g. "group:12"), one conversation per group, and its title.
    group_key = models.CharField(max_length=60, blank=True, default="")
    title = models.CharField(_("judul"), max_length=150, blank=True, default="")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # What the conversation is about (RTC-D1), e.g. the supplier product a member asked about through "Hubungi
    # Supplier": a kind the owning app names ("supplier_product", "supplier"), its id, and the label and link shown in
    # the conversation's header. The latest inquiry wins; empty for an ordinary chat.
    context_kind = models.CharField(max_length=30, blank=True, default="")
    context_id = models.PositiveBigIntegerField(null=True, blank=True)
    context_label = models.CharField(_("topik"), max_length=200, blank=True, default="")
    context_url = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("percakapan")
        verbose_name_plural = _("percakapan")
        constraints = [
            models.UniqueConstraint(
                fields=["pair_key"], condition=~Q(pair_key=""), name="chat_one_conversation_per_pair"
            ),
            models.UniqueConstraint(
                fields=["group_key"], condition=~Q(group_key=""), name="chat_one_conversation_per_group"
            ),
        ]

    def __str__(self):
        return str(_("Percakapan #%(id)s") % {"id": self.pk})


class Participant(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="chat_participations")
    last_read_message_id = models.BigIntegerField(default=0)
    unread_count = models.PositiveIntegerField(default=0)
    muted = models.BooleanField(_("dibisukan"), default=False)
    archived = models.BooleanField(_("diarsipkan"), default=False)
    notified = models.BooleanField(default=False)  # an offline notification went out since the last read
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)  # a group chat member who left the group (history kept)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="chat_one_participant_per_user")]
        indexes = [models.Index(fields=["user", "archived"])]


def sticker_image_path(instance, filename):
    return f"chat/stickers/{filename}"


class StickerPack(models.Model):
    """A set of stickers members pick from in chat, comments and posts. The built-in pack ships with the platform;
    admins add their own packs and enable or disable any of them (nothing is deleted: messages keep their sticker)."""

    name = models.CharField(_("nama paket"), max_length=60)
    slug = models.SlugField(max_length=60, unique=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    is_builtin = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("paket stiker")
        verbose_name_plural = _("paket stiker")

    def __str__(self):
        return self.name


class Sticker(models.Model):
    pack = models.ForeignKey(StickerPack, on_delete=models.CASCADE, related_name="stickers")
    name = models.CharField(_("nama"), max_length=60)
    # a built-in sticker: its file under the static folder ("chat/stickers/semangat.svg")
    static_path = models.CharField(max_length=120, blank=True, default="")
    # an uploaded one: re-encoded 512 × 512 PNG under the public media prefix chat/stickers/
    image = models.ImageField(upload_to=sticker_image_path, max_length=255, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("stiker")
        verbose_name_plural = _("stiker")

    def __str__(self):
        return self.name

    @property
    def url(self) -> str:
        if self.static_path:
            return static(self.static_path)
        return self.image.url if self.image else ""


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("pesan"))
    client_id = models.CharField(max_length=64, blank=True, default="")
    sender_ip = models.GenericIPAddressField(null=True, blank=True)
    is_system = models.BooleanField(default=False)
    is_auto_reply = models.BooleanField(default=False)  # a premium supplier's automatic first answer
    sticker = models.ForeignKey(Sticker, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")
        ordering = ("-id",)
        indexes = [models.Index(fields=["conversation", "-id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"],
                condition=~Q(client_id=""),
                name="chat_message_client_id_once",
            )
        ]


class Attachment(models.Model):
    """An image or PDF on a message (type checked by content), in private storage, served only through a signed
    link to the conversation's participants."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="private/chat/", max_length=255)
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("id",)


class Block(models.Model):
    blocker = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="chat_blocks")
    blocked = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="chat_block_once")]


class Report(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reports")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reporter = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("alasan"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("laporan chat")
        verbose_name_plural = _("laporan chat")
        ordering = ("-created_at", "-id")

    def __str__(self):
        return str(_("Laporan percakapan #%(id)s") % {"id": self.conversation_id})


class SupplierRefusal(models.Model):
    """A member's attempt to chat with a free supplier, counted (never its text) for the supplier's upgrade
    reminder."""

    supplier = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)


class GroupChatMute(models.Model):
    """A group's moderator or owner silenced a member in the group chat until `until`: the member still reads, but
    sending (page, API, websocket: all through `message_send`) is refused until then."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    muted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="chat_one_mute_per_member")]


class Suspension(models.Model):
    """An admin's action against an offender (usually after a report): no sending and no new conversations until
    `until` (None: blocked from chat until lifted). Lifting keeps the row (`lifted_at`) for the history."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="chat_suspensions")
    until = models.DateTimeField(_("sampai"), null=True, blank=True)
    reason = models.CharField(_("alasan"), max_length=300, blank=True, default="")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="suspensions")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("penangguhan chat")
        verbose_name_plural = _("penangguhan chat")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["user", "lifted_at"])]
