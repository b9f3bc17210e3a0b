"""What orders tell people: the buyer (payment received, waiting for payment, expired, refunded, a product's
follow-up step) and the admins (a new sale). The texts are each kind's template defaults; admins edit them at
/admin/settings/notification-templates. `services/messages.py` only gathers the values of the shortcodes."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.constants import Channel
from sanggar.notifications.notifications import TRANSACTION
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

PAYMENT_SUCCEEDED = "orders.payment_succeeded"
PAYMENT_PENDING = "orders.payment_pending"
ORDER_EXPIRED = "orders.order_expired"
ORDER_REFUNDED = "orders.order_refunded"
ADMIN_NEW_SALE = "orders.admin_new_sale"
FOLLOW_UP = "orders.follow_up"

ORDER_CODES = (
    ("invoice", _("Nomor invoice")),
    ("total", _("Total pesanan (Rp)")),
    ("items", _("Nama produk / membership yang dipesan")),
    ("invoice_link", _("Link invoice pesanan")),
)
ORDER_SAMPLE = {
    "invoice": "INV000123",
    "total": "Rp 650.000",
    "items": "Gold (6 Bulan)",
    "invoice_link": "/invoice/INV000123",
}

register_kind(
    NotificationKind(
        key=PAYMENT_SUCCEEDED,
        label=_("Pembayaran berhasil"),
        group=TRANSACTION,
        description=_("Ke pembeli saat pesanan lunas, dengan link unduhan dan invoice."),
        shortcodes=(*ORDER_CODES, ("downloads_link", _("Link halaman Produk Saya (unduhan)"))),
        sample={**ORDER_SAMPLE, "downloads_link": "/produk-saya"},
        defaults=MessageDefaults(
            inapp_title="Pembayaran {invoice} berhasil",
            inapp_body=(
                "Halo {name}, pembayaran pesanan {invoice} sebesar {total} sudah kami terima. "
                "{items} sudah aktif di akun Anda. Terima kasih!"
            ),
            email_subject="Pembayaran {invoice} berhasil",
            email_body=(
                "Halo {name},\n\n"
                "Pembayaran pesanan {invoice} sebesar {total} sudah kami terima. {items} sudah aktif di akun Anda.\n\n"
                "Buka dan unduh produk Anda di Produk Saya:\n"
                "{downloads_link}\n\n"
                "Invoice pesanan Anda:\n"
                "{invoice_link}\n\n"
                "Terima kasih!\n"
                "Tim {platform_name}"
            ),
            whatsapp=(
                "*Pembayaran {invoice} berhasil*\n\n"
                "Halo {name}, pembayaran pesanan {invoice} sebesar {total} sudah kami terima. "
                "{items} sudah aktif di akun Anda. Terima kasih!\n\n"
                "Produk Saya: {downloads_link}\n"
                "Invoice: {invoice_link}"
            ),
        ),
    )
)

register_kind(
    NotificationKind(
        key=PAYMENT_PENDING,
        label=_("Menunggu pembayaran"),
        group=TRANSACTION,
        description=_("Pengingat ke pembeli bahwa pesanan menunggu pembayaran (kirim ulang dari halaman penjualan)."),
        shortcodes=(*ORDER_CODES, ("deadline", _("Batas waktu pembayaran"))),
        sample={**ORDER_SAMPLE, "deadline": "6 Des 2026 10:00"},
        defaults=MessageDefaults(
            inapp_title="Menunggu pembayaran {invoice}",
            inapp_body=(
                "Halo {name}, pesanan {invoice} sebesar {total} menunggu pembayaran. "
                "Selesaikan sebelum {deadline} agar pesanan tidak kedaluwarsa."
            ),
            email_subject="Menunggu pembayaran {invoice}",
            email_body=(
                "Halo {name},\n\n"
                "Pesanan {invoice} sebesar {total} menunggu pembayaran. "
                "Selesaikan sebelum {deadline} agar pesanan tidak kedaluwarsa.\n\n"
                "Bayar di sini:\n"
                "{invoice_link}\n\n"
                "Tim {platform_name}"
            ),
            whatsapp=(
                "*Menunggu pembayaran {invoice}*\n\n"
                "Halo {name}, pesanan {invoice} sebesar {total} menunggu pembayaran. "
                "Selesaikan sebelum {deadline} agar pesanan tidak kedaluwarsa.\n\n"
                "{invoice_link}"
            ),
        ),
    )
)

register_kind(
    NotificationKind(
        key=ORDER_EXPIRED,
        label=_("Pesanan kedaluwarsa"),
        group=TRANSACTION,
        channels=(),
        description=_("Hanya di aplikasi: pesanan tidak dibayar sampai batas waktu."),
        shortcodes=ORDER_CODES,
        sample=ORDER_SAMPLE,
        defaults=MessageDefaults(
            inapp_title="Pesanan {invoice} kedaluwarsa",
            inapp_body="Pesanan belum dibayar sampai batas waktu. Silakan pesan ulang bila masih berminat.",
        ),
    )
)

register_kind(
    NotificationKind(
        key=ORDER_REFUNDED,
        label=_("Dana pesanan dikembalikan"),
        group=TRANSACTION,
        shortcodes=(*ORDER_CODES, ("reason", _("Alasan pengembalian dana"))),
        sample={**ORDER_SAMPLE, "reason": "Salah beli paket"},
        defaults=MessageDefaults(
            inapp_title="Dana pesanan {invoice} dikembalikan",
            inapp_body="Pesanan {invoice} ({total}) dibatalkan dan dananya dikembalikan. Alasan: {reason}",
            email_subject="Dana pesanan {invoice} dikembalikan",
            email_body=(
                "Halo {name},\n\n"
                "Pesanan {invoice} ({total}) dibatalkan dan dananya dikembalikan. Alasan: {reason}\n\n"
                "Riwayat pembelian Anda: {link}\n\n"
                "Tim {platform_name}"
            ),
            whatsapp=(
                "*Dana pesanan {invoice} dikembalikan*\n\n"
                "Pesanan {invoice} ({total}) dibatalkan dan dananya dikembalikan. Alasan: {reason}\n\n{link}"
            ),
        ),
    )
)

register_kind(
    NotificationKind(
        key=ADMIN_NEW_SALE,
        label=_("Penjualan baru (admin)"),
        group=TRANSACTION,
        channels=(Channel.PUSH,),
        description=_("Ke setiap admin aktif saat ada pesanan lunas."),
        shortcodes=(*ORDER_CODES, ("buyer", _("Nama pembeli"))),
        sample={**ORDER_SAMPLE, "buyer": "Budi Santoso"},
        defaults=MessageDefaults(
            inapp_title="Penjualan baru {invoice}",
            inapp_body="{buyer} membeli {items} senilai {total}.",
            email_subject="Penjualan baru {invoice}",
            email_body="{buyer} membeli {items} senilai {total}.\n\nDetail penjualan: {link}",
            whatsapp="*Penjualan baru {invoice}*\n\n{buyer} membeli {items} senilai {total}.\n\n{link}",
        ),
    )
)

register_kind(
    NotificationKind(
        key=FOLLOW_UP,
        label=_("Follow-up pembelian"),
        group=TRANSACTION,
        channels=(Channel.WHATSAPP,),
        description=_(
            "Bingkai pesan follow-up WhatsApp kursus; isi tiap langkah ditulis admin di kursusnya. Follow-up "
            "membership / produk dikirim oleh builder pengingat (tab Reminder)."
        ),
        shortcodes=(
            ("title", _("Nama kursus")),
            ("message", _("Isi langkah follow-up (ditulis di kursus)")),
            ("invoice", _("Nomor invoice")),
        ),
        sample={"title": "Gold", "message": "Halo Budi, sudah coba kelas pertama?", "invoice": "INV000123"},
        defaults=MessageDefaults(
            inapp_title="{title}",
            inapp_body="{message}",
            whatsapp="*{title}*\n\n{message}",
        ),
    )
)

ADMIN_PROOF_UPLOADED = "orders.admin_proof_uploaded"

register_kind(
    NotificationKind(
        key=ADMIN_PROOF_UPLOADED,
        label=_("Bukti transfer menunggu konfirmasi (admin)"),
        group=TRANSACTION,
        description=_("Ke setiap admin aktif saat pembeli mengunggah bukti transfer manual."),
        shortcodes=(("invoice", _("Nomor invoice")), ("total", _("Total pesanan (Rp)")), ("buyer", _("Nama pembeli"))),
        sample={"invoice": "INV000123", "total": "Rp 650.000", "buyer": "Budi Santoso"},
        defaults=MessageDefaults(
            inapp_title="Bukti transfer {invoice} menunggu konfirmasi",
            inapp_body="{buyer} mengunggah bukti transfer {total}. Cek mutasi rekening lalu tandai lunas.",
            email_subject="Bukti transfer {invoice} menunggu konfirmasi",
            email_body=(
                "{buyer} mengunggah bukti transfer {total} untuk pesanan {invoice}. Cek mutasi rekening lalu tandai "
                "lunas:\n{link}"
            ),
            whatsapp=(
                "*Bukti transfer {invoice}*\n\n{buyer} mengunggah bukti transfer {total}. Cek lalu tandai lunas.\n\n"
                "{link}"
            ),
        ),
    )
)

PLAN_CHANGE_INVOICE = "orders.plan_change_invoice"

register_kind(
    NotificationKind(
        key=PLAN_CHANGE_INVOICE,
        label=_("Tagihan ganti paket"),
        group=TRANSACTION,
        description=_("Ke member saat admin mengganti paketnya dengan tagihan; paket diganti setelah dibayar."),
        shortcodes=(
            *ORDER_CODES,
            ("old_plan", _("Paket sekarang")),
            ("credit", _("Sisa nilai paket sekarang yang dipotong (Rp)")),
            ("reason", _("Alasan dari admin")),
            ("deadline", _("Batas waktu pembayaran")),
        ),
        sample={
            **ORDER_SAMPLE,
            "old_plan": "Silver",
            "credit": "Rp 250.000",
            "reason": "Permintaan member",
            "deadline": "6 Des 2026 10.00",
        },  # fmt: skip
        defaults=MessageDefaults(
            inapp_title="Tagihan ganti paket {invoice}",
            inapp_body=(
                "Paket Anda akan diganti dari {old_plan} ke {items} setelah tagihan {invoice} sebesar {total} dibayar "
                "(sudah dipotong sisa nilai paket lama {credit})."
            ),
            email_subject="Tagihan ganti paket {invoice}",
            email_body=(
                "Halo {name},\n\n"
                "Admin mengganti paket membership Anda dari {old_plan} ke {items}. Alasan: {reason}.\n\n"
                "Tagihan {invoice} sebesar {total} sudah dipotong sisa nilai paket lama ({credit}). Paket baru aktif "
                "setelah tagihan dibayar, paling lambat {deadline}:\n"
                "{invoice_link}\n\n"
                "Tim {platform_name}"
            ),
            whatsapp=(
                "*Tagihan ganti paket {invoice}*\n\n"
                "Halo {name}, paket Anda akan diganti dari {old_plan} ke {items} setelah tagihan sebesar {total} "
                "dibayar (sudah dipotong sisa nilai paket lama {credit}).\n\n{invoice_link}"
            ),
        ),
    )
)
