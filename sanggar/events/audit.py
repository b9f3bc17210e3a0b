from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import Action

register(
    {
        Action.CREATED: _("Event dibuat"),
        Action.UPDATED: _("Event diubah"),
        Action.RESCHEDULED: _("Jadwal event diubah"),
        Action.CANCELLED: _("Event dibatalkan"),
        Action.RECORDING: _("Rekaman event diterbitkan"),
        Action.ATTENDANCE: _("Kehadiran event dicatat"),
        Action.PURCHASE_REGISTERED: _("Pembeli webinar didaftarkan"),
        Action.REFUND_CANCELLED: _("Pendaftaran webinar dibatalkan karena refund"),
        Action.REGISTRANTS_EXPORTED: _("Daftar peserta event diunduh"),
    }
)
