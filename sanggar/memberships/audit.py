"""Activity-log actions of memberships."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import (
    ACTION_ACTIVATED,
    ACTION_ADMIN_EXTENDED,
    ACTION_CANCELLED,
    ACTION_EXPIRED,
    ACTION_EXTENDED,
    ACTION_GRANTED,
    ACTION_PLAN_CHANGED,
    ACTION_REFUNDED,
    ACTION_UPGRADED,
)

register(
    {
        ACTION_ACTIVATED: _("Membership diaktifkan"),
        ACTION_EXTENDED: _("Membership diperpanjang"),
        ACTION_UPGRADED: _("Membership di-upgrade"),
        ACTION_EXPIRED: _("Membership berakhir"),
        ACTION_REFUNDED: _("Membership dibatalkan (refund)"),
        ACTION_GRANTED: _("Membership diberikan admin (gratis)"),
        ACTION_ADMIN_EXTENDED: _("Membership diperpanjang admin"),
        ACTION_PLAN_CHANGED: _("Paket membership diganti admin"),
        ACTION_CANCELLED: _("Membership dihentikan admin"),
    }
)
