"""Forms of the finance pages. They parse input; every rule is in a service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import AccountKind


def _number(label, help_text="", *, required=True, max_length=15):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def digits(value: str) -> str:
    """ "Rp 1.500.000" → "1500000"; anything else is left for the service to refuse."""
    text = str(value or "").strip()
    cleaned = text.replace("Rp", "").replace("rp", "").replace(".", "").replace(",", "").replace(" ", "")
    return cleaned if cleaned.isdigit() else text


class PayoutRequestForm(StyledFormMixin, forms.Form):
    wallet_kind = forms.ChoiceField(label=_("Dari dompet"))
    amount = _number(_("Jumlah (Rp)"))
    bank_name = forms.CharField(label=_("Nama bank"), max_length=60)
    bank_account_number = forms.CharField(label=_("Nomor rekening"), max_length=40)
    bank_account_holder = forms.CharField(label=_("Nama pemilik rekening"), max_length=120)

    def __init__(self, *args, wallet_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wallet_kind"].choices = [(kind, AccountKind(kind).label) for kind in wallet_kinds]

    def clean_amount(self):
        return digits(self.cleaned_data["amount"])


class RevenueSettingsForm(StyledFormMixin, forms.Form):
    enabled = forms.BooleanField(label=_("Bagi hasil aktif"), required=False)
    company_fee_percent = _number(_("Fee perusahaan (%)"), _("Dari sisa setelah komisi affiliate dan bagian mentor."))
    founder_percent = _number(_("Founder (%)"), _("Dari sisa setelah fee perusahaan."))
    cofounder_percent = _number(_("Co-Founder (%)"), _("Dari sisa setelah fee perusahaan."))
    holding_days = _number(_("Masa tahan komisi (hari)"), _("Komisi dan bagian mentor baru bisa ditarik setelahnya."))
    min_payout = _number(_("Minimal penarikan (Rp)"))
    attribution_window_days = _number(_("Jendela atribusi (hari)"), _("Berapa lama klik referral berlaku."))
    attribution_model = forms.ChoiceField(
        label=_("Model atribusi"), choices=(("last", _("Klik terakhir")), ("first", _("Klik pertama")))
    )

    def clean_min_payout(self):
        return digits(self.cleaned_data["min_payout"])


class PayoutApproveForm(StyledFormMixin, forms.Form):
    transfer_reference = forms.CharField(label=_("Referensi transfer"), max_length=120)
    proof = forms.FileField(
        label=_("Bukti transfer"), required=False, help_text=_("PDF, PNG, JPG atau WebP, maksimal 5 MB.")
    )


class PayoutRejectForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan penolakan"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
