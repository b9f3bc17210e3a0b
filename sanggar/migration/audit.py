"""Activity-log actions of the migration."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import AUDIT_RUN

register({AUDIT_RUN: _("Migrasi Sejoli dijalankan")})
