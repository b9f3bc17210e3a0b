"""Forms of the admin access pages. They parse input; the rules live in access.services."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import GRANT_NOTE_MAX_LENGTH
from .models import Resource


class ResourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Resource) -> str:
        return f"{obj.get_kind_display()} — {obj.title}"


class GrantCreateForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email pengguna"),
        max_length=254,
        error_messages={"required": _("Isi email pengguna."), "invalid": _("Format email tidak valid.")},
    )
    resource = ResourceChoiceField(
        label=_("Akses ke"),
        queryset=Resource.objects.none(),
        empty_label=_("Pilih kelas, grup, produk…"),
        error_messages={
            "required": _("Pilih yang akan dibuka."),
            "invalid_choice": _("Pilihan tidak tersedia lagi; muat ulang halaman."),
        },
    )
    ends_on = forms.DateField(
        label=_("Berlaku sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Akses berakhir di akhir tanggal ini (WIB). Kosongkan untuk akses tanpa batas."),
        error_messages={"invalid": _("Tanggal tidak valid.")},
    )
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=GRANT_NOTE_MAX_LENGTH,
        help_text=_("Misalnya alasan pemberian akses. Tampil di daftar akses dan activity log."),
    )

    def __init__(self, *args, resources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = (
            resources if resources is not None else Resource.objects.filter(is_active=True)
        )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("Tidak ada pengguna dengan email ini."))
        self.cleaned_data["user"] = user
        return email

    def ends_at(self):
        """The end of the chosen day in WIB (the start of the next day), or None."""
        day = self.cleaned_data.get("ends_on")
        if not day:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class GrantRevokeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dicatat di activity log."),
        error_messages={"required": _("Tuliskan alasan pencabutan.")},
    )
