from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import Mode
from .selectors import IntegrationView


class IntegrationForm(StyledFormMixin, forms.Form):
    """One integration's switch, mode and fields. Secret inputs are never filled back in; empty keeps the stored
    value; a field set in the environment is shown read-only."""

    enabled = forms.BooleanField(label=_("Aktif"), required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices, required=False)

    def __init__(self, *args, view: IntegrationView, **kwargs):
        self.view = view
        initial = {"enabled": view.enabled, "mode": view.mode}
        for f in view.fields:
            if not f.secret and f.source == "stored":
                initial[f.setting] = f.display
        kwargs.setdefault("initial", initial)
        kwargs.setdefault("prefix", view.key)
        super().__init__(*args, **kwargs)
        if view.switch_from_env:
            self.fields["enabled"].disabled = True
        if not view.definition.has_mode:
            del self.fields["mode"]
        elif view.mode_from_env:
            self.fields["mode"].disabled = True
        for f in view.fields:
            widget = forms.PasswordInput(render_value=False) if f.secret else forms.TextInput()
            widget.attrs["autocomplete"] = "off"
            if f.secret and f.display:
                widget.attrs["placeholder"] = _("Tersimpan: %(masked)s — kosongkan bila tidak diganti") % {
                    "masked": f.display
                }
            field = forms.CharField(label=f.label, required=False, max_length=500, widget=widget, help_text=f.help)
            if f.source == "env":
                field.disabled = True
                field.help_text = _("Diatur lewat variabel lingkungan %(name)s (nilai ini yang dipakai).") % {
                    "name": f.setting
                }
            self.fields[f.setting] = field
            if f.source == "stored":
                self.fields[f"clear_{f.setting}"] = forms.BooleanField(label=_("Hapus nilai tersimpan"), required=False)
        self.field_rows = [
            (self[f.setting], self[f"clear_{f.setting}"] if f"clear_{f.setting}" in self.fields else None, f)
            for f in view.fields
        ]

    def values(self) -> dict[str, str]:
        return {f.setting: self.cleaned_data.get(f.setting) or "" for f in self.view.fields if f.source != "env"}

    def cleared(self) -> set[str]:
        return {f.setting for f in self.view.fields if self.cleaned_data.get(f"clear_{f.setting}")}


class PaymentOptionsForm(StyledFormMixin, forms.Form):
    unique_code_min = forms.IntegerField(
        label=_("Kode unik terkecil"), required=False, min_value=1, max_value=999, help_text=_("Kosong: 1.")
    )
    unique_code_max = forms.IntegerField(
        label=_("Kode unik terbesar"), required=False, min_value=1, max_value=999, help_text=_("Kosong: 999.")
    )
    pending_hours = forms.IntegerField(
        label=_("Batas waktu bayar (jam)"),
        required=False,
        min_value=1,
        max_value=24 * 14,
        help_text=_("Pesanan yang belum dibayar kedaluwarsa setelah sekian jam."),
    )


class BankAccountForm(StyledFormMixin, forms.Form):
    bank_name = forms.CharField(label=_("Bank"), max_length=60)
    account_number = forms.CharField(label=_("Nomor rekening"), max_length=40)
    account_holder = forms.CharField(label=_("Atas nama"), max_length=120)
    logo = forms.FileField(label=_("Logo bank"), required=False, help_text=_("PNG, JPEG atau WebP, maksimal 1 MB."))
    logo_clear = forms.BooleanField(label=_("Hapus logo"), required=False)
    is_active = forms.BooleanField(label=_("Aktif (tampil di invoice)"), required=False, initial=True)
    sort_order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=999, initial=0)


class TestForm(forms.Form):
    target = forms.CharField(required=False, max_length=200)
