"""What the directory tells members: the weekly count of new buyers in their product interests. Texts are the kind's
template defaults (editable at /admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import SYSTEM
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

NEW_BUYERS = "directory.new_buyers"

_title = "Ada {count} buyer baru untuk produk kamu"
_body = "Ada {count} buyer baru di kategori produk kamu minggu ini ({interests}). Lihat di Database Buyer."
register_kind(
    NotificationKind(
        key=NEW_BUYERS,
        label=_("Buyer baru sesuai minat produk"),
        group=SYSTEM,
        description=_("Ringkasan mingguan kepada member yang mengisi minat produk di profil direktori."),
        shortcodes=(("count", _("Jumlah buyer baru")), ("interests", _("Minat produk member"))),
        sample={"count": "12", "interests": "kopi, kakao"},
        defaults=MessageDefaults.standard(_title, _body, push=True),
    )
)
