"""Activity-log actions of suppliers."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from . import constants as c

register(
    {
        c.ACTION_REGISTERED: _("Supplier mendaftar"),
        c.ACTION_PROFILE: _("Profil supplier diubah"),
        c.ACTION_SUBMITTED: _("Supplier mengirim onboarding"),
        c.ACTION_REVIEWED: _("Supplier direview mentor"),
        c.ACTION_RECOMMENDED: _("Supplier direkomendasikan mentor"),
        c.ACTION_DECIDED: _("Status supplier ditetapkan admin"),
        c.ACTION_TYPE: _("Jenis usaha supplier diubah"),
        c.ACTION_DOCUMENT: _("Dokumen legalitas supplier"),
        c.ACTION_PRODUCT: _("Produk supplier"),
        c.ACTION_PREMIUM: _("Paket Premium supplier"),
        c.ACTION_SETTINGS: _("Pengaturan paket supplier"),
        c.ACTION_QUESTION: _("Pertanyaan asesmen supplier"),
        c.ACTION_AUTO_REPLY: _("Balasan otomatis chat supplier diubah"),
        c.ACTION_DRAFT: _("Draf deskripsi produk dibuat"),
    }
)
