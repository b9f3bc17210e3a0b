"""What memberships tell members: a membership ending soon or today, and one that ended. Texts are each kind's
template defaults (editable at /admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import TRANSACTION
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

ENDING_SOON = "memberships.ending_soon"
ENDING_TODAY = "memberships.ending_today"
EXPIRED = "memberships.expired"

CODES = (
    ("plan", _("Nama membership")),
    ("end_date", _("Tanggal dan jam berakhir")),
)
SAMPLE = {"plan": "Gold", "end_date": "12 Des 2026 23:59"}
RENEW = (
    "Masa aktif membership {plan} berakhir pada {end_date}. Perpanjang sekarang agar akses kelas, grup dan produk Anda "
    "tidak terputus."
)


def _ending(title: str) -> MessageDefaults:
    """The texts of a reminder that a membership is ending (soon or today): only the title differs."""
    return MessageDefaults(
        inapp_title=title,
        inapp_body=RENEW,
        email_subject=title,
        email_body=f"Halo {{name}},\n\n{RENEW[:-1]}:\n{{link}}\n\nTim {{platform_name}}",
        whatsapp=f"*{title}*\n\n{RENEW}\n\n{{link}}",
    )


register_kind(
    NotificationKind(
        key=ENDING_SOON,
        label=_("Membership akan berakhir"),
        group=TRANSACTION,
        description=_("Pengingat beberapa hari sebelum membership berakhir."),
        shortcodes=(*CODES, ("days", _("Sisa hari"))),
        sample={**SAMPLE, "days": "3"},
        defaults=_ending("Membership {plan} Anda akan berakhir dalam {days} hari"),
    )
)

register_kind(
    NotificationKind(
        key=ENDING_TODAY,
        label=_("Membership berakhir hari ini"),
        group=TRANSACTION,
        shortcodes=CODES,
        sample=SAMPLE,
        defaults=_ending("Membership {plan} Anda berakhir hari ini"),
    )
)

register_kind(
    NotificationKind(
        key=EXPIRED,
        label=_("Membership berakhir"),
        group=TRANSACTION,
        shortcodes=CODES,
        sample=SAMPLE,
        defaults=MessageDefaults(
            inapp_title="Membership {plan} Anda telah berakhir",
            inapp_body=(
                "Masa aktif membership {plan} berakhir pada {end_date}. Kelas, grup dan produk dari membership ini "
                "terkunci sampai Anda memperpanjang; progres belajar Anda tetap tersimpan."
            ),
            email_subject="Membership {plan} Anda telah berakhir",
            email_body=(
                "Halo {name},\n\n"
                "Masa aktif membership {plan} berakhir pada {end_date}. Kelas, grup dan produk dari membership ini "
                "terkunci sampai Anda memperpanjang; progres belajar Anda tetap tersimpan.\n\n{link}\n\n"
                "Tim {platform_name}"
            ),
            whatsapp=(
                "*Membership {plan} Anda telah berakhir*\n\n"
                "Masa aktif membership {plan} berakhir pada {end_date}. Kelas, grup dan produk dari membership ini "
                "terkunci sampai Anda memperpanjang; progres belajar Anda tetap tersimpan.\n\n{link}"
            ),
        ),
    )
)


# Admin actions on a member's membership (services_admin).
ADMIN_GRANTED = "memberships.admin_granted"
ADMIN_EXTENDED = "memberships.admin_extended"
ADMIN_PLAN_CHANGED = "memberships.admin_plan_changed"
ADMIN_CANCELLED = "memberships.admin_cancelled"

ADMIN_CODES = (*CODES, ("until", _("Masa aktif (\u201csampai 12 Des 2026\u201d atau \u201cseumur hidup\u201d)")))
ADMIN_SAMPLE = {**SAMPLE, "until": "sampai 12 Des 2026"}


def _simple(title: str, body: str) -> MessageDefaults:
    return MessageDefaults.standard(title, body)


register_kind(
    NotificationKind(
        key=ADMIN_GRANTED,
        label=_("Membership diberikan admin"),
        group=TRANSACTION,
        description=_("Ke member saat admin memberi membership gratis (tanpa pesanan)."),
        shortcodes=ADMIN_CODES,
        sample=ADMIN_SAMPLE,
        defaults=_simple(
            "Anda mendapat membership {plan}", "Admin memberikan membership {plan} {until}. Selamat belajar!"
        ),
    )
)
register_kind(
    NotificationKind(
        key=ADMIN_EXTENDED,
        label=_("Membership diperpanjang admin"),
        group=TRANSACTION,
        shortcodes=ADMIN_CODES,
        sample=ADMIN_SAMPLE,
        defaults=_simple("Membership {plan} Anda diperpanjang", "Masa aktif membership {plan} Anda sekarang {until}."),
    )
)
register_kind(
    NotificationKind(
        key=ADMIN_PLAN_CHANGED,
        label=_("Paket membership diganti admin"),
        group=TRANSACTION,
        shortcodes=(*ADMIN_CODES, ("old_plan", _("Paket sebelumnya"))),
        sample={**ADMIN_SAMPLE, "old_plan": "Silver"},
        defaults=_simple(
            "Paket membership Anda sekarang {plan}",
            "Admin mengganti paket Anda dari {old_plan} ke {plan}, aktif {until}.",
        ),
    )
)
register_kind(
    NotificationKind(
        key=ADMIN_CANCELLED,
        label=_("Membership dihentikan admin"),
        group=TRANSACTION,
        shortcodes=(*ADMIN_CODES, ("reason", _("Alasan"))),
        sample={**ADMIN_SAMPLE, "reason": "Permintaan member"},
        defaults=_simple(
            "Membership {plan} Anda dihentikan", "Admin menghentikan membership {plan} Anda. Alasan: {reason}"
        ),
    )
)
