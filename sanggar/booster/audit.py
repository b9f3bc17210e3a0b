"""Activity-log actions of the Booster Suite."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import (
    ACTION_CREDIT_ADJUSTED,
    ACTION_PACKAGE_SAVED,
    ACTION_SENDING_CHANGED,
    ACTION_SUPPRESSION,
    ACTION_TEMPLATE_SAVED,
)

register(
    {
        ACTION_CREDIT_ADJUSTED: _("Kredit email affiliate disesuaikan"),
        ACTION_SENDING_CHANGED: _("Kontrol pengiriman email affiliate diubah"),
        ACTION_TEMPLATE_SAVED: _("Template Booster disimpan"),
        ACTION_PACKAGE_SAVED: _("Paket kredit disimpan"),
        ACTION_SUPPRESSION: _("Daftar blokir email global diubah"),
    }
)
