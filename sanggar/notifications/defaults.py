"""The default texts of the global message templates. The data migration creates the rows from these; when a row
is missing (deleted in the Django admin), rendering falls back to these texts so account emails always go out."""

from .constants import TemplateKey

DEFAULT_TEMPLATES: dict[str, dict[str, str]] = {
    TemplateKey.WELCOME: {
        "name": "Selamat datang",
        "email_subject": "Selamat datang di {platform_name}, {name}!",
        "email_body": (
            "Halo {name},\n\n"
            "Terima kasih sudah bergabung di {platform_name}. Akun Anda dengan email {email} sudah aktif.\n\n"
            "Mulai jelajahi materi, komunitas, dan event dari dashboard Anda:\n"
            "{dashboard_link}\n\n"
            "Jika ada pertanyaan, balas email ini atau hubungi tim support kami.\n\n"
            "Salam hangat,\n"
            "Tim {platform_name}"
        ),
        "whatsapp_body": (
            "Halo {name}, selamat datang di *{platform_name}*! 🎉\n\n"
            "Akun Anda sudah aktif. Buka dashboard Anda di sini:\n"
            "{dashboard_link}"
        ),
    },
    TemplateKey.EMAIL_VERIFICATION: {
        "name": "Verifikasi email",
        "email_subject": "Konfirmasi alamat email Anda di {platform_name}",
        "email_body": (
            "Halo {name},\n\n"
            "Klik link berikut untuk mengonfirmasi bahwa {email} adalah alamat email Anda:\n"
            "{verification_link}\n\n"
            "Jika Anda tidak mendaftar di {platform_name}, abaikan email ini.\n\n"
            "Salam,\n"
            "Tim {platform_name}"
        ),
        "whatsapp_body": "",
    },
    TemplateKey.PASSWORD_RESET: {
        "name": "Reset kata sandi",
        "email_subject": "Reset kata sandi akun {platform_name}",
        "email_body": (
            "Halo {name},\n\n"
            "Kami menerima permintaan untuk mengatur ulang kata sandi akun {email}.\n"
            "Klik link berikut untuk membuat kata sandi baru:\n"
            "{reset_link}\n\n"
            "Jika Anda tidak meminta reset kata sandi, abaikan email ini. Kata sandi Anda tidak berubah.\n\n"
            "Salam,\n"
            "Tim {platform_name}"
        ),
        "whatsapp_body": "",
    },
    TemplateKey.ACCOUNT_DEACTIVATED: {
        "name": "Akun dinonaktifkan",
        "email_subject": "Akun {platform_name} Anda dinonaktifkan",
        "email_body": (
            "Halo {name},\n\n"
            "Akun Anda dengan email {email} telah dinonaktifkan oleh admin {platform_name}.\n"
            "Alasan: {reason}\n\n"
            "Data Anda tetap tersimpan. Jika menurut Anda ini keliru, silakan hubungi tim support kami.\n\n"
            "Salam,\n"
            "Tim {platform_name}"
        ),
        "whatsapp_body": (
            "Halo {name}, akun *{platform_name}* Anda telah dinonaktifkan.\nAlasan: {reason}\n\n"
            "Hubungi tim support kami jika menurut Anda ini keliru."
        ),
    },
}
