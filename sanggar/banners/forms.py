from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.accounts.constants import PROVINCE_CHOICES
from sanggar.catalog.models import MembershipPlan, Product
from sanggar.core.roles import Role

from .constants import (
    CTA_MAX,
    DAILY_CAP_MAX,
    DESCRIPTION_MAX,
    PACKAGE_DAYS_MAX,
    REVIEW_NOTE_MAX,
    SPONSOR_NAME_MAX,
    TITLE_MAX,
    URL_MAX,
    Audience,
    Kind,
    Placement,
)

DATETIME = {"type": "datetime-local"}
HOURS = [("", _("—"))] + [(str(h), f"{h:02d}.00") for h in range(24)]


def _plan_choices():
    return [(str(p.pk), p.title) for p in MembershipPlan.objects.order_by("rank", "title").only("pk", "title")]


class BannerForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=TITLE_MAX)
    description = forms.CharField(label=_("Deskripsi"), max_length=DESCRIPTION_MAX, required=False)
    image = forms.FileField(
        label=_("Gambar (PNG, JPEG atau WebP, maks. 2 MB; kosongkan untuk banner teks)"), required=False
    )
    link_url = forms.CharField(label=_("Tautan (http:// atau https://)"), max_length=URL_MAX)
    cta_text = forms.CharField(label=_("Teks tombol"), max_length=CTA_MAX, required=False)
    placement = forms.ChoiceField(label=_("Penempatan"), choices=Placement.choices)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Kind.choices, initial=Kind.INTERNAL, required=False)
    sponsor_name = forms.CharField(label=_("Nama sponsor (untuk banner sponsor)"), max_length=SPONSOR_NAME_MAX,
                                   required=False)  # fmt: skip
    target_roles = forms.MultipleChoiceField(
        label=_("Peran sasaran (kosongkan untuk semua)"), choices=Role.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    audience = forms.ChoiceField(label=_("Status membership"), choices=Audience.choices)
    target_plans = forms.MultipleChoiceField(
        label=_("Paket membership sasaran (kosongkan untuk semua)"), choices=(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    target_provinces = forms.MultipleChoiceField(
        label=_("Provinsi sasaran (kosongkan untuk semua)"), choices=PROVINCE_CHOICES, required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    start_at = forms.DateTimeField(label=_("Mulai tayang"), widget=forms.DateTimeInput(attrs=DATETIME))
    end_at = forms.DateTimeField(
        label=_("Selesai tayang (opsional)"), required=False, widget=forms.DateTimeInput(attrs=DATETIME)
    )
    hour_from = forms.TypedChoiceField(label=_("Jam tayang mulai (WIB, opsional)"), choices=HOURS, coerce=int,
                                       required=False, empty_value=None)  # fmt: skip
    hour_to = forms.TypedChoiceField(label=_("Jam tayang selesai (WIB, opsional)"), choices=HOURS, coerce=int,
                                     required=False, empty_value=None)  # fmt: skip
    daily_cap = forms.IntegerField(
        label=_("Batas tayang per member per hari (0 = tanpa batas)"),
        min_value=0,
        max_value=DAILY_CAP_MAX,
        initial=3,
        required=False,
    )
    priority = forms.IntegerField(label=_("Prioritas (1–5, 5 paling atas)"), min_value=1, max_value=5, initial=3)
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_plans"].choices = _plan_choices()


class SponsorBannerForm(forms.Form):
    sponsor_name = forms.CharField(label=_("Nama usaha / merek"), max_length=SPONSOR_NAME_MAX)
    title = forms.CharField(label=_("Judul"), max_length=TITLE_MAX)
    description = forms.CharField(label=_("Deskripsi"), max_length=DESCRIPTION_MAX, required=False)
    image = forms.FileField(label=_("Gambar (PNG, JPEG atau WebP, maks. 2 MB)"), required=False)
    link_url = forms.CharField(label=_("Tautan tujuan (http:// atau https://)"), max_length=URL_MAX)
    cta_text = forms.CharField(label=_("Teks tombol"), max_length=CTA_MAX, required=False)


class SponsorPackageForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Produk yang dijual"), queryset=Product.objects.order_by("title"))
    placement = forms.ChoiceField(label=_("Penempatan"), choices=Placement.choices)
    days = forms.IntegerField(label=_("Lama tayang (hari)"), min_value=1, max_value=PACKAGE_DAYS_MAX, initial=7)
    priority = forms.IntegerField(label=_("Prioritas (1–5)"), min_value=1, max_value=5, initial=3)
    daily_cap = forms.IntegerField(
        label=_("Batas tayang per member per hari (0 = tanpa batas)"), min_value=0, max_value=DAILY_CAP_MAX, initial=3
    )
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Setujui")), ("reject", _("Tolak"))])
    note = forms.CharField(label=_("Catatan untuk sponsor"), max_length=REVIEW_NOTE_MAX, required=False)
