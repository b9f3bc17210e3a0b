"""What the admin configures for the outside services (payment gateways, messaging) and what those services last
answered. Secrets are stored only encrypted (`crypto.py`); an environment variable, when set, wins over a stored
value (`selectors.py`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import Mode

SINGLETON_ID = 1


class Integration(models.Model):
    """One outside service's switch, mode and stored credentials. `key` is the registry key (`registry.py`)."""

    key = models.SlugField(max_length=40, unique=True)
    enabled = models.BooleanField(null=True, blank=True)  # None: the admin has not chosen (the setting decides)
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.SANDBOX)
    # JSON of {SETTING_NAME: value}, encrypted with Fernet; never logged, never shown in full.
    values_encrypted = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("integrasi")
        verbose_name_plural = _("integrasi")

    def __str__(self):
        return self.key


class IntegrationStatus(models.Model):
    """The last call out to a service: when it last worked, when it last failed and why (no credential in it)."""

    key = models.SlugField(max_length=40, unique=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("status integrasi")
        verbose_name_plural = _("status integrasi")

    def __str__(self):
        return self.key


class BankAccount(models.Model):
    """An account buyers may transfer to (manual transfer); the invoice page lists the active ones in order."""

    bank_name = models.CharField(_("bank"), max_length=60)
    account_number = models.CharField(_("nomor rekening"), max_length=40)
    account_holder = models.CharField(_("atas nama"), max_length=120)
    logo = models.FileField(_("logo"), upload_to="bank-logos/", blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("rekening bank")
        verbose_name_plural = _("rekening bank")

    def __str__(self):
        return f"{self.bank_name} {self.account_number}"


class PaymentOptions(models.Model):
    """The admin's payment options (a singleton). Empty fields fall back to the settings."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    unique_code_min = models.PositiveSmallIntegerField(null=True, blank=True)
    unique_code_max = models.PositiveSmallIntegerField(null=True, blank=True)
    pending_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("opsi pembayaran")
        verbose_name_plural = _("opsi pembayaran")

    def __str__(self):
        return str(_("Opsi pembayaran"))
