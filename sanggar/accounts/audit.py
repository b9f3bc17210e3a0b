"""Activity-log actions of accounts: sign-in, registration, users, roles, affiliate applications, API keys."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sanggar.audit.constants import Action
from sanggar.audit.registry import register, target_link

register(
    {
        Action.LOGIN: _("Login"),
        Action.LOGIN_FAILED: _("Login gagal"),
        Action.LOGOUT: _("Logout"),
        Action.USER_REGISTERED: _("Registrasi"),
        Action.USER_UPDATED: _("Data pengguna diubah"),
        Action.USER_DEACTIVATED: _("Pengguna dinonaktifkan"),
        Action.USER_REACTIVATED: _("Pengguna diaktifkan kembali"),
        Action.ROLE_GRANTED: _("Role diberikan"),
        Action.ROLE_REVOKED: _("Role dicabut"),
        Action.AFFILIATE_APPLIED: _("Pengajuan affiliate"),
        Action.AFFILIATE_APPROVED: _("Affiliate disetujui"),
        Action.AFFILIATE_REJECTED: _("Affiliate ditolak"),
        Action.API_KEY_CREATED: _("API key dibuat"),
        Action.API_KEY_REVOKED: _("API key dicabut"),
    },
    alert=(Action.LOGIN_FAILED, Action.USER_DEACTIVATED, Action.ROLE_REVOKED),
)


@target_link("accounts.user")
def user_link(target_id: str, target_label: str) -> str:
    return reverse("accounts:admin_user_detail", args=[int(target_id)]) if target_id.isdigit() else ""
