"""Activity-log actions of access."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import ACTION_GRANT_CREATED, ACTION_GRANT_REVOKED

register(
    {ACTION_GRANT_CREATED: _("Akses diberikan"), ACTION_GRANT_REVOKED: _("Akses dicabut")},
    alert=(ACTION_GRANT_REVOKED,),
)
