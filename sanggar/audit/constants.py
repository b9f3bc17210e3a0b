from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    LOGIN = "auth.login", _("Login")
    LOGIN_FAILED = "auth.login_failed", _("Login gagal")
    LOGOUT = "auth.logout", _("Logout")
    USER_REGISTERED = "user.registered", _("Registrasi")
    USER_UPDATED = "user.updated", _("Data pengguna diubah")
    USER_DEACTIVATED = "user.deactivated", _("Pengguna dinonaktifkan")
    USER_REACTIVATED = "user.reactivated", _("Pengguna diaktifkan kembali")
    ROLE_GRANTED = "role.granted", _("Role diberikan")
    ROLE_REVOKED = "role.revoked", _("Role dicabut")
    AFFILIATE_APPLIED = "affiliate.applied", _("Pengajuan affiliate")
    AFFILIATE_APPROVED = "affiliate.approved", _("Affiliate disetujui")
    AFFILIATE_REJECTED = "affiliate.rejected", _("Affiliate ditolak")
    SETTINGS_CHANGED = "settings.changed", _("Pengaturan diubah")
    API_KEY_CREATED = "api_key.created", _("API key dibuat")
    API_KEY_REVOKED = "api_key.revoked", _("API key dicabut")
    TEMPLATE_CHANGED = "template.changed", _("Template pesan diubah")
