from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.roles import Role

from .constants import CTA_MAX, DESCRIPTION_MAX, TITLE_MAX, URL_MAX, Audience, Placement

DATETIME = {"type": "datetime-local"}


class BannerForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=TITLE_MAX)
    description = forms.CharField(label=_("Deskripsi"), max_length=DESCRIPTION_MAX, required=False)
    image = forms.FileField(label=_("Gambar (PNG, JPEG atau WebP, maks. 2 MB)"), required=False)
    link_url = forms.CharField(label=_("Tautan (http:// atau https://)"), max_length=URL_MAX)
    cta_text = forms.CharField(label=_("Teks tombol"), max_length=CTA_MAX, required=False)
    placement = forms.ChoiceField(label=_("Penempatan"), choices=Placement.choices)
    target_roles = forms.MultipleChoiceField(
        label=_("Peran sasaran (kosongkan untuk semua)"), choices=Role.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    audience = forms.ChoiceField(label=_("Status membership"), choices=Audience.choices)
    start_at = forms.DateTimeField(label=_("Mulai tayang"), widget=forms.DateTimeInput(attrs=DATETIME))
    end_at = forms.DateTimeField(
        label=_("Selesai tayang (opsional)"), required=False, widget=forms.DateTimeInput(attrs=DATETIME)
    )
    priority = forms.IntegerField(label=_("Prioritas (1–5, 5 paling atas)"), min_value=1, max_value=5, initial=3)
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)
