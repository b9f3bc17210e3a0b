"""What accounts tell people: the account messages (welcome, email verification, password reset, deactivation), a new
role, and the affiliate application's messages. Each kind's texts are its template's defaults; admins edit them at
/admin/settings/notification-templates."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.constants import Channel
from sanggar.notifications.notifications import AFFILIATE, SYSTEM
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

WELCOME = "welcome"
EMAIL_VERIFICATION = "email_verification"
PASSWORD_RESET = "password_reset"
ACCOUNT_DEACTIVATED = "account_deactivated"
ROLE_GRANTED = "accounts.role_granted"
AFFILIATE_APPLIED = "accounts.affiliate_applied"
AFFILIATE_APPROVED = "accounts.affiliate_approved"
AFFILIATE_APPROVED_NOTE = "accounts.affiliate_approved_note"
AFFILIATE_REJECTED = "accounts.affiliate_rejected"

register_kind(
    NotificationKind(
        key=WELCOME,
        label=_("Selamat datang"),
        group=SYSTEM,
        description=_("Dikirim ke pengguna baru setelah mendaftar."),
        defaults=MessageDefaults(
            inapp_title="Selamat datang di {platform_name}, {name}!",
            inapp_body=(
                "Halo {name}, selamat datang di {platform_name}! 🎉\n\n"
                "Akun Anda sudah aktif. Buka dashboard Anda di sini:\n"
                "{dashboard_link}"
            ),
            email_subject="Selamat datang di {platform_name}, {name}!",
            email_body=(
                "Halo {name},\n\n"
                "Terima kasih sudah bergabung di {platform_name}. Akun Anda dengan email {email} sudah aktif.\n\n"
                "Mulai jelajahi materi, komunitas, dan event dari dashboard Anda:\n"
                "{dashboard_link}\n\n"
                "Jika ada pertanyaan, balas email ini atau hubungi tim support kami.\n\n"
                "Salam hangat,\n"
                "Tim {platform_name}"
            ),
            whatsapp=(
                "Halo {name}, selamat datang di *{platform_name}*! 🎉\n\n"
                "Akun Anda sudah aktif. Buka dashboard Anda di sini:\n"
                "{dashboard_link}"
            ),
        ),
    )
)

register_kind(
    NotificationKind(
        key=EMAIL_VERIFICATION,
        label=_("Verifikasi email"),
        group=SYSTEM,
        channels=(Channel.EMAIL,),
        required=True,
        description=_("Link konfirmasi alamat email; selalu dikirim."),
        shortcodes=(("verification_link", _("Link verifikasi email")),),
        sample={"verification_link": "/accounts/confirm-email/contoh-kunci-verifikasi/"},
        defaults=MessageDefaults(
            inapp_title="Konfirmasi alamat email Anda di {platform_name}",
            email_subject="Konfirmasi alamat email Anda di {platform_name}",
            email_body=(
                "Halo {name},\n\n"
                "Klik link berikut untuk mengonfirmasi bahwa {email} adalah alamat email Anda:\n"
                "{verification_link}\n\n"
                "Jika Anda tidak mendaftar di {platform_name}, abaikan email ini.\n\n"
                "Salam,\n"
                "Tim {platform_name}"
            ),
        ),
    )
)

register_kind(
    NotificationKind(
        key=PASSWORD_RESET,
        label=_("Reset kata sandi"),
        group=SYSTEM,
        channels=(Channel.EMAIL,),
        required=True,
        description=_("Link untuk membuat kata sandi baru; selalu dikirim."),
        shortcodes=(("reset_link", _("Link reset kata sandi")),),
        sample={"reset_link": "/accounts/password/reset/key/contoh-kunci-reset/"},
        defaults=MessageDefaults(
            inapp_title="Reset kata sandi akun {platform_name}",
            email_subject="Reset kata sandi akun {platform_name}",
            email_body=(
                "Halo {name},\n\n"
                "Kami menerima permintaan untuk mengatur ulang kata sandi akun {email}.\n"
                "Klik link berikut untuk membuat kata sandi baru:\n"
                "{reset_link}\n\n"
                "Jika Anda tidak meminta reset kata sandi, abaikan email ini. Kata sandi Anda tidak berubah.\n\n"
                "Salam,\n"
                "Tim {platform_name}"
            ),
        ),
    )
)

register_kind(
    NotificationKind(
        key=ACCOUNT_DEACTIVATED,
        label=_("Akun dinonaktifkan"),
        group=SYSTEM,
        channels=(Channel.EMAIL,),
        shortcodes=(("reason", _("Alasan penonaktifan akun")),),
        sample={"reason": "Contoh alasan penonaktifan"},
        defaults=MessageDefaults(
            inapp_title="Akun {platform_name} Anda dinonaktifkan",
            inapp_body=(
                "Halo {name}, akun {platform_name} Anda telah dinonaktifkan.\nAlasan: {reason}\n\n"
                "Hubungi tim support kami jika menurut Anda ini keliru."
            ),
            email_subject="Akun {platform_name} Anda dinonaktifkan",
            email_body=(
                "Halo {name},\n\n"
                "Akun Anda dengan email {email} telah dinonaktifkan oleh admin {platform_name}.\n"
                "Alasan: {reason}\n\n"
                "Data Anda tetap tersimpan. Jika menurut Anda ini keliru, silakan hubungi tim support kami.\n\n"
                "Salam,\n"
                "Tim {platform_name}"
            ),
            whatsapp=(
                "Halo {name}, akun *{platform_name}* Anda telah dinonaktifkan.\nAlasan: {reason}\n\n"
                "Hubungi tim support kami jika menurut Anda ini keliru."
            ),
        ),
    )
)

ROLE_CODES = (("role", _("Nama role")),)

register_kind(
    NotificationKind(
        key=ROLE_GRANTED,
        label=_("Role baru"),
        group=SYSTEM,
        shortcodes=ROLE_CODES,
        sample={"role": "Mentor"},
        defaults=MessageDefaults(
            inapp_title="Role baru: {role}",
            inapp_body="Anda sekarang memiliki role {role}. Beralih peran dari menu di kanan atas.",
            email_subject="Role baru: {role}",
            email_body="Anda sekarang memiliki role {role}. Beralih peran dari menu di kanan atas.",
            whatsapp="*Role baru: {role}*\n\nAnda sekarang memiliki role {role}. Beralih peran dari menu di kanan atas."
            "\n\n{link}",
        ),
    )
)

register_kind(
    NotificationKind(
        key=AFFILIATE_APPLIED,
        label=_("Pengajuan affiliate baru (admin)"),
        group=AFFILIATE,
        shortcodes=(("applicant", _("Nama pemohon")),),
        sample={"applicant": "Dinda Lestari"},
        defaults=MessageDefaults(
            inapp_title="Pengajuan affiliate baru",
            inapp_body="{applicant} mengajukan diri menjadi affiliate.",
            email_subject="Pengajuan affiliate baru",
            email_body="{applicant} mengajukan diri menjadi affiliate.",
            whatsapp="*Pengajuan affiliate baru*\n\n{applicant} mengajukan diri menjadi affiliate.\n\n{link}",
        ),
    )
)

NOTE_CODES = (("note", _("Catatan admin")),)

APPROVED_TEXT = "Selamat! Anda sekarang affiliate. Beralih ke peran Affiliate dari menu di kanan atas."

register_kind(
    NotificationKind(
        key=AFFILIATE_APPROVED,
        label=_("Pengajuan affiliate disetujui"),
        group=AFFILIATE,
        defaults=MessageDefaults(
            inapp_title="Pengajuan affiliate disetujui",
            inapp_body=APPROVED_TEXT,
            email_subject="Pengajuan affiliate disetujui",
            email_body=APPROVED_TEXT,
            whatsapp=f"*Pengajuan affiliate disetujui*\n\n{APPROVED_TEXT}\n\n{{link}}",
        ),
    )
)

register_kind(
    NotificationKind(
        key=AFFILIATE_APPROVED_NOTE,
        label=_("Pengajuan affiliate disetujui, dengan catatan admin"),
        group=AFFILIATE,
        shortcodes=NOTE_CODES,
        sample={"note": "Fokus ke Instagram"},
        defaults=MessageDefaults(
            inapp_title="Pengajuan affiliate disetujui",
            inapp_body=f"{APPROVED_TEXT} Catatan admin: {{note}}",
            email_subject="Pengajuan affiliate disetujui",
            email_body=f"{APPROVED_TEXT}\n\nCatatan admin: {{note}}",
            whatsapp=f"*Pengajuan affiliate disetujui*\n\n{APPROVED_TEXT} Catatan admin: {{note}}\n\n{{link}}",
        ),
    )
)

register_kind(
    NotificationKind(
        key=AFFILIATE_REJECTED,
        label=_("Pengajuan affiliate ditolak"),
        group=AFFILIATE,
        shortcodes=NOTE_CODES,
        sample={"note": "Lengkapi akun Instagram"},
        defaults=MessageDefaults(
            inapp_title="Pengajuan affiliate ditolak",
            inapp_body="Pengajuan Anda belum disetujui. Catatan admin: {note}",
            email_subject="Pengajuan affiliate ditolak",
            email_body="Pengajuan Anda belum disetujui. Catatan admin: {note}",
            whatsapp="*Pengajuan affiliate ditolak*\n\nPengajuan Anda belum disetujui. Catatan admin: {note}\n\n{link}",
        ),
    )
)

LOGIN_FAILURES = "accounts.login_failures"
LOGIN_FAILURES_TEXT = (
    "Ada {count} percobaan masuk dengan kata sandi salah ke akun Anda. Bila itu bukan Anda, akun Anda tetap bisa "
    "dipakai dari perangkat Anda; sebaiknya ganti kata sandi dengan yang kuat."
)

register_kind(
    NotificationKind(
        key=LOGIN_FAILURES,
        label=_("Percobaan masuk gagal berulang"),
        group=SYSTEM,
        description=_("Ke pemilik akun, sekali per jendela waktu, setelah beberapa kata sandi salah."),
        shortcodes=(("count", _("Jumlah percobaan yang gagal")),),
        sample={"count": "5"},
        defaults=MessageDefaults(
            inapp_title="Percobaan masuk gagal berulang ke akun Anda",
            inapp_body=LOGIN_FAILURES_TEXT,
            email_subject="Percobaan masuk gagal berulang ke akun Anda",
            email_body=(
                f"Halo {{name}},\n\n{LOGIN_FAILURES_TEXT}\n\nGanti kata sandi: {{link}}\n\nTim {{platform_name}}"
            ),
            whatsapp=f"*Percobaan masuk gagal berulang ke akun Anda*\n\n{LOGIN_FAILURES_TEXT}\n\n{{link}}",
        ),
    )
)
