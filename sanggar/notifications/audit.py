"""Activity-log actions of notifications."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.constants import Action
from sanggar.audit.registry import register

register({Action.TEMPLATE_CHANGED: _("Template pesan diubah")})
