"""The periodic reports to admins and founders, as notification kinds: texts are each kind's template defaults
(editable at /admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.constants import Channel
from sanggar.notifications.notifications import SYSTEM
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

WEEKLY_SUMMARY = "reports.weekly_summary"
MONTHLY_REPORT = "reports.monthly_report"

CODES = (
    ("period", _("Periode laporan, mis. 23–29 November 2026")),
    ("revenue", _("Pendapatan (Rp) dari pesanan lunas")),
    ("paid_orders", _("Jumlah pesanan lunas")),
    ("new_members", _("Pendaftar baru")),
    ("active_premium", _("Member premium aktif saat laporan dibuat")),
    ("churned", _("Member yang berhenti (membership berakhir, tidak diperpanjang)")),
    ("renewals", _("Perpanjangan membership")),
    ("top_plans", _("Paket terlaris (pendapatan)")),
    ("top_affiliates", _("Affiliate teratas")),
    ("link", _("Tautan ke halaman Analitik untuk periode ini")),
)
SAMPLE = {
    "period": "23–29 November 2026",
    "revenue": "Rp 18.450.000",
    "paid_orders": "21",
    "new_members": "64",
    "active_premium": "812",
    "churned": "9",
    "renewals": "7",
    "top_plans": "- 12 Bulan: Rp 9.990.000 (10)\n- 6 Bulan: Rp 4.194.000 (6)",
    "top_affiliates": "- Dinda Lestari: Rp 5.994.000 (6)",
}

FIGURES = (
    "Pendapatan: {revenue} dari {paid_orders} pesanan lunas\n"
    "Pendaftar baru: {new_members}\n"
    "Member premium aktif: {active_premium}\n"
    "Berhenti: {churned} · Perpanjangan: {renewals}\n\n"
    "Paket terlaris:\n{top_plans}\n\n"
    "Affiliate teratas:\n{top_affiliates}"
)

register_kind(
    NotificationKind(
        key=WEEKLY_SUMMARY,
        label=_("Ringkasan mingguan (admin & founder)"),
        group=SYSTEM,
        channels=(Channel.EMAIL,),
        shortcodes=CODES,
        sample=SAMPLE,
        description=_("Dikirim setiap Senin pagi untuk minggu sebelumnya (Senin–Minggu), sekali per minggu."),
        defaults=MessageDefaults(
            inapp_title="Ringkasan mingguan {period}",
            inapp_body="Pendapatan {revenue} dari {paid_orders} pesanan lunas; {new_members} pendaftar baru.",
            email_subject="Ringkasan mingguan {platform_name}: {period}",
            email_body="Halo {name},\n\nRingkasan minggu {period}:\n\n" + FIGURES + "\n\nLihat rinciannya: {link}",
        ),
    )
)

register_kind(
    NotificationKind(
        key=MONTHLY_REPORT,
        label=_("Laporan bulanan (admin & founder)"),
        group=SYSTEM,
        channels=(Channel.EMAIL,),
        shortcodes=CODES,
        sample={**SAMPLE, "period": "November 2026"},
        description=_("Dikirim setiap tanggal 1 pagi untuk bulan sebelumnya, sekali per bulan."),
        defaults=MessageDefaults(
            inapp_title="Laporan bulanan {period}",
            inapp_body="Pendapatan {revenue} dari {paid_orders} pesanan lunas; {new_members} pendaftar baru.",
            email_subject="Laporan bulanan {platform_name}: {period}",
            email_body="Halo {name},\n\nLaporan bulan {period}:\n\n" + FIGURES + "\n\nLihat rinciannya: {link}",
        ),
    )
)
