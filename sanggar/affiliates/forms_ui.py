"""Forms of the admin's tier, challenge and marketing-kit pages and the admin's affiliate suspension. They parse
input; the services validate the business rules."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import ChallengePeriod, KitKind

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def local_input(value) -> str:
    """A datetime as the value of an <input type="datetime-local"> in WIB."""
    return timezone.localtime(value).strftime(DATETIME_FORMAT) if value else ""


class MoneyField(forms.CharField):
    """Whole rupiah typed as "250000", "250.000" or "Rp 250.000"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "0"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        digits = re.sub(r"(?i)^rp|[\s.]", "", value or "")
        if not digits:
            return 0
        if not digits.isdigit():
            raise forms.ValidationError(_("Tulis angka rupiah tanpa koma, misalnya 250000."))
        return int(digits)


def _count(label, help_text="", min_value=0):
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=min_value,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Tulis bilangan bulat."), "required": _("Wajib diisi.")},
    )


class TierForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama tier"), max_length=60)
    min_sales = _count(_("Minimal penjualan"), _("Jumlah pesanan lunas dari link affiliate dalam periode."), 1)
    period_days = _count(_("Periode (hari)"), _("Penjualan dihitung dalam sekian hari terakhir."), 1)
    bonus_percent = _count(_("Bonus komisi (%)"), _("Komisi dinaikkan sekian persen, mis. 10 → komisi × 1,10."), 1)
    is_active = forms.BooleanField(label=_("Aktif"), required=False)


class ChallengeForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=120)
    description = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    period = forms.ChoiceField(label=_("Jenis"), choices=ChallengePeriod.choices)
    starts_at = forms.DateTimeField(
        label=_("Mulai"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"invalid": _("Tanggal dan jam tidak valid."), "required": _("Wajib diisi.")},
    )
    ends_at = forms.DateTimeField(
        label=_("Selesai"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"invalid": _("Tanggal dan jam tidak valid."), "required": _("Wajib diisi.")},
    )
    target_sales = _count(_("Target penjualan"), _("Pesanan lunas dari link affiliate selama challenge."), 1)
    reward = MoneyField(label=_("Hadiah (Rp)"), help_text=_("Masuk ke dompet affiliate yang mencapai target."))
    is_active = forms.BooleanField(label=_("Tampilkan ke affiliate"), required=False)


class KitItemForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=120)
    kind = forms.ChoiceField(label=_("Jenis"), choices=KitKind.choices)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("Logo / banner: PNG, JPG, WEBP, SVG, GIF, PDF atau ZIP, maks. 20 MB."),
    )
    text = forms.CharField(
        label=_("Teks copywriting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tulis {link} di tempat link affiliate; affiliate melihat link miliknya di sana."),
    )
    target = forms.ChoiceField(label=_("Link ke"), required=False)
    is_active = forms.BooleanField(label=_("Tampilkan ke affiliate"), required=False)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("Halaman utama / tanpa tujuan khusus")), *targets]

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        target = data.pop("target") or ""
        kind, _sep, slug = target.partition(":")
        data["target_kind"], data["target_slug"] = (kind, slug) if target else ("", "")
        return data


class SuspendForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=300, required=False)
