from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import Action

register(
    {
        Action.SEQUENCE_SAVED: _("Urutan pengingat disimpan"),
        Action.SEQUENCE_DUPLICATED: _("Urutan pengingat diduplikasi"),
        Action.SEQUENCE_TOGGLED: _("Urutan pengingat diaktifkan / dinonaktifkan"),
        Action.SEQUENCE_DELETED: _("Urutan pengingat dihapus"),
        Action.SEQUENCES_REORDERED: _("Urutan pengingat sasaran diubah"),
        Action.STEP_TESTED: _("Uji coba langkah pengingat dikirim"),
        Action.STEP_SAVED: _("Langkah pengingat disimpan"),
        Action.STEP_DELETED: _("Langkah pengingat dihapus"),
        Action.STEP_DUPLICATED: _("Langkah pengingat diduplikasi"),
        Action.STEPS_REORDERED: _("Urutan langkah pengingat diubah"),
        Action.BROADCAST_SAVED: _("Broadcast disimpan"),
        Action.BROADCAST_SENT: _("Broadcast dikirim"),
        Action.BROADCAST_SCHEDULED: _("Broadcast dijadwalkan"),
        Action.BROADCAST_UNSCHEDULED: _("Jadwal broadcast dibatalkan"),
        Action.TRACKING_SETTINGS_SAVED: _("Pengaturan pelacakan email pengingat diubah"),
    }
)
