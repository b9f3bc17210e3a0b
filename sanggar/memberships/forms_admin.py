"""Forms of the admin membership actions (the page; the API validates with its schemas)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.catalog.models import PlanPrice
from sanggar.core.forms import StyledFormMixin

from .constants import ADMIN_EXTEND_MAX_DAYS
from .services_admin import REASON_MAX


class PlanPriceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.title} – {obj.get_duration_display()}"


def _plan_price_field():
    return PlanPriceChoice(
        label=_("Paket dan durasi"),
        queryset=PlanPrice.objects.select_related("plan").order_by("plan__rank", "plan__title", "price"),
        empty_label=None,
    )


def _reason_field():
    return forms.CharField(
        label=_("Alasan"), max_length=REASON_MAX, widget=forms.TextInput(attrs={"placeholder": _("Wajib diisi")})
    )


class GrantForm(StyledFormMixin, forms.Form):
    plan_price = _plan_price_field()
    reason = _reason_field()


class ExtendForm(StyledFormMixin, forms.Form):
    days = forms.IntegerField(label=_("Tambah hari"), min_value=1, max_value=ADMIN_EXTEND_MAX_DAYS, required=False)
    until = forms.DateField(
        label=_("atau sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = _reason_field()

    def clean(self):
        data = super().clean()
        if (data.get("days") is None) == (data.get("until") is None):
            raise forms.ValidationError(_("Isi jumlah hari atau tanggal berakhir yang baru (salah satu)."))
        return data


class ChangePlanForm(StyledFormMixin, forms.Form):
    plan_price = _plan_price_field()
    keep_end = forms.BooleanField(
        label=_("Pertahankan tanggal berakhir sekarang"),
        required=False,
        initial=True,
        help_text=_("Untuk ganti paket tanpa tagihan."),
    )
    charge = forms.BooleanField(
        label=_("Tagih selisih harga ke member"),
        required=False,
        help_text=_(
            "Dibuat tagihan: harga paket baru dikurangi sisa nilai paket sekarang (pro rata sisa hari). Paket "
            "diganti setelah tagihan dibayar dan berlaku penuh sesuai durasi baru."
        ),
    )
    reason = _reason_field()


class CancelForm(StyledFormMixin, forms.Form):
    expire = forms.TypedChoiceField(
        label=_("Cara menghentikan"),
        choices=(("0", _("Batalkan sekarang")), ("1", _("Akhiri sekarang (berakhir)"))),
        coerce=lambda v: v == "1",
        initial="0",
    )
    reason = _reason_field()
