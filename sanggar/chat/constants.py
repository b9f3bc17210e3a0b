from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DIRECT = "direct", _("Pesan langsung")
    MENTOR = "mentor", _("ChatMentor")
    SUPPLIER = "supplier", _("Chat supplier")
    GROUP = "group", _("Obrolan grup")


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Gambar")
    PDF = "pdf", _("PDF")


class Status(models.TextChoices):
    OPEN = "open", _("Terbuka")
    CLOSED = "closed", _("Ditutup")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Menunggu ditinjau")
    RESOLVED = "resolved", _("Selesai ditinjau")


class Action:
    REPORTED = "chat.reported"
    REPORT_READ = "chat.report_read"
    REPORT_RESOLVED = "chat.report_resolved"
    BLOCKED = "chat.blocked"
    MEMBER_MUTED = "chat.member_muted"
    MEMBER_UNMUTED = "chat.member_unmuted"


NOTIFY_MESSAGE = "chat.message"
NOTIFY_GROUP_MESSAGE = "chat.group_message"
