"""Forms of the admin sales pages. They parse input; the rules live in orders.services and payments.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.catalog.constants import ProductStatus
from sanggar.catalog.models import Product
from sanggar.core.forms import StyledFormMixin

NOTE_MAX = 300


class MarkPaidForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Catatan"),
        max_length=NOTE_MAX,
        required=True,
        error_messages={"required": _("Tulis catatan: dari rekening mana dan kapan transfer diterima.")},
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya: transfer BCA a.n. Budi diterima 23 Nov, 14.05."),
    )
    proof = forms.FileField(
        label=_("Bukti transfer"),
        required=False,
        help_text=_("Gambar (JPG, PNG, WebP) atau PDF, paling besar 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )


class RefundForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Alasan pengembalian dana"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dikirim ke pembeli dan dicatat di activity log. Akses yang dibuka pesanan ini akan dicabut."),
        error_messages={"required": _("Tuliskan alasan pengembalian dana.")},
    )


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("accept", _("Terima pembayaran dan aktifkan pesanan")), ("reject", _("Tolak dan kembalikan dana"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih terima atau tolak.")},
    )
    note = forms.CharField(
        label=_("Catatan"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib diisi bila ditolak (dicatat sebagai alasan pengembalian dana)."),
    )


class HomePageForm(StyledFormMixin, forms.Form):
    headline = forms.CharField(
        label=_("Judul besar"), max_length=120, required=False,
        help_text=_("Kosong: nama platform dari Branding."),
    )  # fmt: skip
    subheadline = forms.CharField(
        label=_("Kalimat pembuka"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kosong: tagline dari Branding."),
    )  # fmt: skip
    show_plans = forms.BooleanField(label=_("Tampilkan paket membership"), required=False)
    show_products = forms.BooleanField(label=_("Tampilkan produk unggulan"), required=False)
    featured_products = forms.ModelMultipleChoiceField(
        label=_("Produk unggulan"), required=False,
        queryset=Product.objects.filter(status=ProductStatus.PUBLISHED).order_by("title"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Kosong: produk terbaru. Tahan Ctrl (Cmd) untuk memilih beberapa."),
    )  # fmt: skip
    show_numbers = forms.BooleanField(label=_("Tampilkan angka (member aktif, paket, produk)"), required=False)
    show_testimonials = forms.BooleanField(label=_("Tampilkan testimoni"), required=False)
    testimonials = forms.CharField(
        label=_("Testimoni"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Satu testimoni per baris: Nama | Peran | Kutipan (peran boleh dikosongkan: Nama | Kutipan)."),
    )  # fmt: skip


class ChargeSettingsForm(StyledFormMixin, forms.Form):
    tax_name = forms.CharField(label=_("Nama pajak"), max_length=20, initial="PPN")
    tax_percent = forms.IntegerField(
        label=_("Pajak (%)"), min_value=0, max_value=100, help_text=_("0 = tanpa pajak. Contoh: 11 untuk PPN 11%.")
    )
    admin_fee = forms.IntegerField(
        label=_("Biaya admin per pesanan (Rp)"),
        min_value=0,
        max_value=10_000_000,
        help_text=_("0 = tanpa biaya admin."),
    )
    tax_in_split_base = forms.BooleanField(
        label=_("Pajak ikut dibagi hasil"),
        required=False,
        help_text=_("Biasanya tidak: pajak disetor ke negara, jadi seluruhnya dicatat ke perusahaan."),
    )
    fee_in_split_base = forms.BooleanField(
        label=_("Biaya admin ikut dibagi hasil"),
        required=False,
        help_text=_("Bila dicentang, biaya admin ikut dasar fee perusahaan dan bagian Founder/Co-Founder."),
    )
