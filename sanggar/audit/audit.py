"""The audit app's own action: a settings page changed (branding, catalog, revenue settings… say what in data.what)."""

from django.utils.translation import gettext_lazy as _

from .constants import Action
from .registry import register

register({Action.SETTINGS_CHANGED: _("Pengaturan diubah")})
