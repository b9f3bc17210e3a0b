"""What trainings tell people; the text is the kind's editable template (/admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import TRANSACTION
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

from .constants import Notify

_title = "Pendaftaran {batch} berhasil"
_body = "Pembayaran tier {tier} diterima. Buka ruang training Anda untuk melihat materi dan jadwal."
register_kind(
    NotificationKind(
        key=Notify.PAID,
        label=_("Pendaftaran training lunas"),
        group=TRANSACTION,
        shortcodes=(("batch", _("Nama batch")), ("tier", _("Nama tier"))),
        sample={"batch": "Batch 5 - Trainer Profesional", "tier": "Platinum"},
        defaults=MessageDefaults.standard(_title, _body),
    )
)
