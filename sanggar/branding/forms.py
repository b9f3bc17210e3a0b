"""One form per tab of the branding settings page. They only parse input; `services.branding_update`
validates colours, contrast, ranges and uploads."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import (
    COLOR_FIELDS_BY_SECTION,
    COLOR_LABELS,
    MAX_LENGTHS,
    NUMBER_RANGES,
    SECTION_COLORS,
    SECTION_COMPONENTS,
)


def _color_field(name: str) -> forms.CharField:
    return forms.CharField(
        label=COLOR_LABELS[name],
        max_length=32,
        error_messages={"required": _("Kode warna wajib diisi."), "max_length": _("Kode warna terlalu panjang.")},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off", "class": "font-mono uppercase"}),
    )


def _size_field(label, name: str, help_text) -> forms.CharField:
    # A CharField: the service checks the number and its range and answers in Indonesian.
    low, high = NUMBER_RANGES[name]
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=4,
        error_messages={"required": _("Wajib diisi.")},
        widget=forms.NumberInput(attrs={"min": low, "max": high, "step": 1, "inputmode": "numeric"}),
    )


class IdentityForm(StyledFormMixin, forms.Form):
    platform_name = forms.CharField(
        label=_("Nama platform"),
        max_length=MAX_LENGTHS["platform_name"],
        help_text=_("Tampil di judul tab browser, header dan footer."),
        error_messages={"required": _("Nama platform wajib diisi.")},
    )
    short_name = forms.CharField(
        label=_("Nama pendek"),
        max_length=MAX_LENGTHS["short_name"],
        help_text=_("Dipakai di sidebar ketika logo belum diunggah."),
        error_messages={"required": _("Nama pendek wajib diisi.")},
    )
    tagline = forms.CharField(
        label=_("Tagline"),
        max_length=MAX_LENGTHS["tagline"],
        required=False,
        help_text=_("Tampil di header dan footer."),
    )
    logo_main = forms.FileField(
        label=_("Logo utama"),
        required=False,
        help_text=_("Untuk semua peran kecuali affiliate. PNG, JPEG atau WebP, maksimal 2 MB."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo_main = forms.BooleanField(label=_("Hapus logo utama"), required=False)
    logo_affiliate = forms.FileField(
        label=_("Logo affiliate"),
        required=False,
        help_text=_("Tampil di sidebar saat peran aktif adalah Affiliate. PNG, JPEG atau WebP, maksimal 2 MB."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo_affiliate = forms.BooleanField(label=_("Hapus logo affiliate"), required=False)
    favicon = forms.FileField(
        label=_("Favicon"),
        required=False,
        help_text=_("Ikon di tab browser. ICO atau PNG, maksimal 512 KB."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/x-icon,image/vnd.microsoft.icon,.ico"}),
    )
    remove_favicon = forms.BooleanField(label=_("Hapus favicon"), required=False)

    def service_values(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in ("platform_name", "short_name", "tagline")}
        for name in ("logo_main", "logo_affiliate", "favicon"):
            if data.get(name):
                values[name] = data[name]
            if data.get(f"remove_{name}"):
                values[f"remove_{name}"] = True
        return values


class ColorsForm(StyledFormMixin, forms.Form):
    primary_color = _color_field("primary_color")
    primary_text_color = _color_field("primary_text_color")
    secondary_color = _color_field("secondary_color")
    secondary_text_color = _color_field("secondary_text_color")

    def service_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in COLOR_FIELDS_BY_SECTION[SECTION_COLORS]}


class TypographyForm(StyledFormMixin, forms.Form):
    heading_size = _size_field(_("Ukuran heading (px)"), "heading_size", _("Judul halaman. 18–48 px."))
    body_size = _size_field(_("Ukuran teks body (px)"), "body_size", _("Teks isi di semua halaman. 12–20 px."))

    def service_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("heading_size", "body_size")}


class ComponentsForm(StyledFormMixin, forms.Form):
    border_radius = _size_field(
        _("Border radius (px)"), "border_radius", _("Sudut tombol, kartu dan input. 0 = kotak, 24 = sangat bulat.")
    )
    primary_hover_color = _color_field("primary_hover_color")
    sidebar_bg = _color_field("sidebar_bg")
    sidebar_text = _color_field("sidebar_text")
    sidebar_active_bg = _color_field("sidebar_active_bg")
    sidebar_active_text = _color_field("sidebar_active_text")
    card_bg = _color_field("card_bg")
    page_bg = _color_field("page_bg")

    def service_values(self) -> dict:
        names = ("border_radius", *COLOR_FIELDS_BY_SECTION[SECTION_COMPONENTS])
        return {name: self.cleaned_data[name] for name in names}
