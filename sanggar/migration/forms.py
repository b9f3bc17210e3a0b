from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import StyledFormMixin

from .tutor_api import api_base


class RunForm(StyledFormMixin, forms.Form):
    source = forms.CharField(
        label=_("Database sumber"), max_length=500,
        help_text=_("mysql://USER:PASS@HOST:PORT/DB — dibaca saja, tidak pernah diubah."),
    )  # fmt: skip
    prefix = forms.CharField(label=_("Prefix tabel"), max_length=20, initial="wp_", required=False)
    dry_run = forms.BooleanField(label=_("Uji coba (dry run): tidak menyimpan apa pun"), required=False)
    tutor_api = forms.CharField(
        label=_("API Tutor LMS (opsional)"), max_length=300, required=False,
        help_text=_("https://situs-wordpress — isi pelajaran dibaca dari REST API Tutor bila database tidak punya."),
    )  # fmt: skip
    tutor_api_key = forms.CharField(label=_("API key Tutor"), max_length=200, required=False)
    tutor_api_secret = forms.CharField(
        label=_("API secret Tutor"), max_length=200, required=False, widget=forms.PasswordInput(render_value=False)
    )
    tutor_api_prefer = forms.BooleanField(label=_("Pakai isi pelajaran dari API untuk semua pelajaran"), required=False)

    def clean_source(self):
        return self.cleaned_data["source"].replace("\x00", "").strip()

    def clean_prefix(self):
        return (self.cleaned_data.get("prefix") or "wp_").replace("\x00", "").strip()

    def clean(self):
        data = super().clean()
        for name in ("tutor_api", "tutor_api_key", "tutor_api_secret"):
            data[name] = (data.get(name) or "").replace("\x00", "").strip()
        if data["tutor_api"]:
            try:
                api_base(data["tutor_api"])
            except ServiceError as exc:
                self.add_error("tutor_api", str(exc))
            if not data["tutor_api_key"] or not data["tutor_api_secret"]:
                self.add_error("tutor_api_key", _("API Tutor butuh API key dan secret."))
        return data

    def tutor_api_options(self) -> dict | None:
        """The API's address and credentials: they travel only in the task message, never into the database."""
        data = self.cleaned_data
        if not data.get("tutor_api"):
            return None
        return {"url": data["tutor_api"], "key": data["tutor_api_key"], "secret": data["tutor_api_secret"],
                "prefer": bool(data.get("tutor_api_prefer"))}  # fmt: skip
