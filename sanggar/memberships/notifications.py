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
