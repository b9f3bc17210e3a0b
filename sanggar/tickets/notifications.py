"""What tickets tell people: staff about a new ticket, a member's reply and a late first response; the member about
a staff reply and a status change. Texts are each kind's template defaults (editable at
/admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import SUPPORT
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

NEW_TICKET = "tickets.new"
MEMBER_REPLY = "tickets.member_reply"
STAFF_REPLY = "tickets.staff_reply"
STATUS_CHANGED = "tickets.status_changed"
SLA_LATE = "tickets.sla_late"

CODES = (("number", _("Nomor tiket")), ("subject", _("Judul tiket")))
SAMPLE = {"number": "TKT-000123", "subject": "Pembayaran belum terkonfirmasi"}


def _kind(key, label, description, title, body, *, extra=(), sample=None):
    register_kind(
        NotificationKind(
            key=key,
            label=label,
            group=SUPPORT,
            description=description,
            shortcodes=(*CODES, *extra),
            sample={**SAMPLE, **(sample or {})},
            defaults=MessageDefaults.standard(title, body, push=True),
        )
    )


_kind(
    NEW_TICKET, _("Tiket baru"), _("Kepada admin dan tim support saat member membuka tiket."),
    "Tiket baru {number}: {subject}", "{member} membuka tiket kategori {category}.",
    extra=(("member", _("Nama member")), ("category", _("Kategori"))),
    sample={"member": "Budi", "category": "Pembayaran"},
)  # fmt: skip
_kind(
    MEMBER_REPLY, _("Balasan member di tiket"), _("Kepada agen yang menangani (atau tim support) saat member membalas"),
    "Balasan baru di {number}", "{member}: {excerpt}",
    extra=(("member", _("Nama member")), ("excerpt", _("Cuplikan balasan"))),
    sample={"member": "Budi", "excerpt": "Sudah saya transfer kemarin."},
)  # fmt: skip
_kind(
    STAFF_REPLY, _("Balasan support"), _("Kepada member saat tim support membalas tiketnya."),
    "Tim support membalas tiket {number}", "{subject}: {excerpt}",
    extra=(("excerpt", _("Cuplikan balasan")),), sample={"excerpt": "Pembayaran Anda sudah kami cek."},
)  # fmt: skip
_kind(
    STATUS_CHANGED, _("Status tiket berubah"), _("Kepada member saat status tiketnya diubah."),
    "Tiket {number} kini {status}", "Status tiket “{subject}” sekarang {status}.",
    extra=(("status", _("Status baru")),), sample={"status": "Selesai"},
)  # fmt: skip
_kind(
    SLA_LATE, _("Respons pertama terlambat"), _("Kepada tim support saat tiket melewati target respons pertama."),
    "Tiket {number} melewati target respons", "Tiket prioritas {priority} “{subject}” belum dibalas.",
    extra=(("priority", _("Prioritas")),), sample={"priority": "Mendesak"},
)  # fmt: skip
