from sanggar.audit.registry import register

from .constants import Action

register(
    {
        Action.BATCH_SAVED: "Batch training disimpan",
        Action.TIER_SAVED: "Tier training disimpan",
        Action.TIER_REGRANTED: "Akses kursus peserta tier diselaraskan",
        Action.REGISTERED: "Mendaftar training",
        Action.PAID: "Pembayaran training diterima",
        Action.ADDED: "Peserta training ditambahkan admin",
        Action.CANCELLED: "Peserta training dibatalkan",
    }
)
