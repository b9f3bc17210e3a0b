from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.catalog.pixels import PIXEL_FIELDS, PIXEL_HELP
from sanggar.core.forms import StyledFormMixin


class PixelSettingsForm(StyledFormMixin, forms.Form):
    pixel_meta_id = forms.CharField(
        label=PIXEL_FIELDS["pixel_meta_id"][0], required=False, max_length=30, help_text=PIXEL_HELP["pixel_meta_id"]
    )
    pixel_google_id = forms.CharField(
        label=PIXEL_FIELDS["pixel_google_id"][0],
        required=False,
        max_length=30,
        help_text=PIXEL_HELP["pixel_google_id"],
    )
    pixel_tiktok_id = forms.CharField(
        label=PIXEL_FIELDS["pixel_tiktok_id"][0],
        required=False,
        max_length=40,
        help_text=PIXEL_HELP["pixel_tiktok_id"],
    )
    consent_required = forms.BooleanField(
        label=_("Muat pixel hanya setelah pengunjung setuju (banner persetujuan)"), required=False
    )


class TestimonialForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=100)
    role_city = forms.CharField(label=_("Peran / kota"), max_length=120, required=False)
    text = forms.CharField(label=_("Testimoni"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)], initial=5
    )
    target = forms.ChoiceField(label=_("Tampil di"), required=False)
    photo = forms.FileField(label=_("Foto"), required=False, help_text=_("PNG, JPEG atau WebP, maksimal 2 MB."))
    photo_clear = forms.BooleanField(label=_("Hapus foto"), required=False)
    sort_order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=9999, initial=0)
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args, plans=(), products=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Semua halaman penjualan"))]
        choices += [(f"plan:{p.pk}", _("Paket: %(title)s") % {"title": p.title}) for p in plans]
        choices += [(f"product:{p.pk}", _("Produk: %(title)s") % {"title": p.title}) for p in products]
        self.fields["target"].choices = choices

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        target = data.pop("target") or ""
        kind, _sep, pk = target.partition(":")
        data["plan_id"] = int(pk) if kind == "plan" and pk.isdigit() else None
        data["product_id"] = int(pk) if kind == "product" and pk.isdigit() else None
        return data
