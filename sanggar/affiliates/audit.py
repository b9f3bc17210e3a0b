"""Activity-log actions of the affiliate programme (services and admin pages)."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import AffiliateAction
from .services_ui import AffiliateAction as AffiliateAdminAction

register(
    {
        AffiliateAction.PROFILE_CREATED: _("Profil affiliate dibuat"),
        AffiliateAction.SHORT_LINK_CREATED: _("Link pendek dibuat"),
        AffiliateAction.SHORT_LINK_CHANGED: _("Link pendek diubah"),
        AffiliateAction.DOMAIN_CREATED: _("Domain link pendek ditambahkan"),
        AffiliateAction.DOMAIN_CHANGED: _("Domain link pendek diubah"),
        AffiliateAdminAction.TIER_CREATED: _("Tingkat affiliate dibuat"),
        AffiliateAdminAction.TIER_UPDATED: _("Tingkat affiliate diubah"),
        AffiliateAdminAction.TIER_DELETED: _("Tingkat affiliate dihapus"),
        AffiliateAdminAction.CHALLENGE_CREATED: _("Challenge dibuat"),
        AffiliateAdminAction.CHALLENGE_UPDATED: _("Challenge diubah"),
        AffiliateAdminAction.CHALLENGE_DELETED: _("Challenge dihapus"),
        AffiliateAdminAction.KIT_CREATED: _("Materi promosi ditambahkan"),
        AffiliateAdminAction.KIT_UPDATED: _("Materi promosi diubah"),
        AffiliateAdminAction.KIT_DELETED: _("Materi promosi dihapus"),
        AffiliateAdminAction.SUSPENDED: _("Affiliate ditangguhkan"),
        AffiliateAdminAction.REACTIVATED: _("Affiliate diaktifkan kembali"),
    },
    alert=(AffiliateAdminAction.SUSPENDED,),
)
