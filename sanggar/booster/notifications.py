"""What the Booster Suite tells an affiliate: a new lead from an opt-in form, a broadcast finished or failed,
credits added. Texts are each kind's template defaults (editable at /admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.constants import Channel
from sanggar.notifications.notifications import AFFILIATE
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

NEW_LEAD = "booster.new_lead"
BROADCAST_DONE = "booster.broadcast_done"
CREDITS_ADDED = "booster.credits_added"
CREDITS_LOW = "booster.credits_low"


def _kind(key, label, description, title, body, *, codes, sample, channels=None):
    register_kind(
        NotificationKind(
            key=key,
            label=label,
            group=AFFILIATE,
            description=description,
            shortcodes=codes,
            sample=sample,
            **({"channels": channels} if channels else {}),
            defaults=MessageDefaults.standard(title, body, push=True),
        )
    )


_kind(
    NEW_LEAD, _("Lead baru dari form opt-in"), _("Kepada affiliate saat seseorang mengisi form opt-in miliknya."),
    "Lead baru: {lead}", "{lead} mengisi form “{form}”.",
    codes=(("lead", _("Nama atau kontak lead")), ("form", _("Nama form"))),
    sample={"lead": "Sari Wulandari", "form": "Ebook 7 Langkah Ekspor"},
)  # fmt: skip
_kind(
    BROADCAST_DONE, _("Broadcast selesai"), _("Kepada affiliate saat broadcast emailnya selesai atau gagal."),
    "Broadcast “{broadcast}”: {status}", "{sent} email terkirim, {failed} gagal, {credits} kredit terpakai.",
    codes=(("broadcast", _("Nama broadcast")), ("status", _("Status")), ("sent", _("Terkirim")),
           ("failed", _("Gagal")), ("credits", _("Kredit terpakai"))),
    sample={"broadcast": "Promo Desember", "status": "Terkirim", "sent": "120", "failed": "2", "credits": "120"},
)  # fmt: skip
_kind(
    CREDITS_ADDED, _("Kredit email bertambah"), _("Kepada affiliate saat pembelian kredit lunas atau admin menambah."),
    "{credits} kredit email masuk", "Saldo kredit email Anda bertambah {credits}.",
    codes=(("credits", _("Jumlah kredit")),), sample={"credits": "150"},
)  # fmt: skip
_kind(
    CREDITS_LOW, _("Kredit email menipis"),
    _("Kepada affiliate sekali setiap saldo kredit turun di bawah batas peringatannya (di aplikasi dan email)."),
    "Kredit email tinggal {balance}", "Saldo kredit email Anda tinggal {balance}, di bawah batas {threshold}. "
    "Isi ulang agar broadcast dan otomasi tetap terkirim.",
    codes=(("balance", _("Saldo kredit")), ("threshold", _("Batas peringatan"))),
    sample={"balance": "12", "threshold": "50"}, channels=(Channel.EMAIL,),
)  # fmt: skip
