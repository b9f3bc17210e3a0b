from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin


class RunForm(StyledFormMixin, forms.Form):
    source = forms.CharField(
        label=_("Database sumber"), max_length=500,
        help_text=_("mysql://USER:PASS@HOST:PORT/DB — dibaca saja, tidak pernah diubah."),
    )  # fmt: skip
    prefix = forms.CharField(label=_("Prefix tabel"), max_length=20, initial="wp_", required=False)
    dry_run = forms.BooleanField(label=_("Uji coba (dry run): tidak menyimpan apa pun"), required=False)

    def clean_source(self):
        return self.cleaned_data["source"].replace("\x00", "").strip()

    def clean_prefix(self):
        return (self.cleaned_data.get("prefix") or "wp_").replace("\x00", "").strip()
