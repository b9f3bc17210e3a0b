"""Forms of the directory pages. They parse input; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import (
    CURRENCIES,
    REPORT_DETAIL_MAX,
    BusinessScale,
    DocumentKind,
    ForwarderService,
    ImportMode,
    Incoterm,
    RateMode,
    ReportReason,
)
from .countries import COUNTRY_CHOICES

REQUIRED = {"required": _("Wajib diisi.")}
COUNTRY_SELECT = [("", _("Pilih negara"))] + [(code, name) for code, name in COUNTRY_CHOICES]


class BuyerForm(StyledFormMixin, forms.Form):
    company = forms.CharField(label=_("Nama perusahaan"), max_length=200, error_messages=REQUIRED)
    country = forms.ChoiceField(label=_("Negara"), choices=COUNTRY_SELECT, error_messages=REQUIRED)
    city = forms.CharField(label=_("Kota"), max_length=100, required=False)
    products = forms.CharField(label=_("Produk yang dicari"), max_length=500, error_messages=REQUIRED)
    hs_codes = forms.CharField(
        label=_("Kode HS"), max_length=200, required=False, help_text=_("Pisahkan dengan koma, mis. 0901, 1801.")
    )
    annual_volume = forms.CharField(label=_("Volume per tahun"), max_length=100, required=False)
    business_scale = forms.ChoiceField(
        label=_("Skala bisnis"), choices=[("", "-")] + BusinessScale.choices, required=False
    )
    payment_terms = forms.CharField(label=_("Syarat pembayaran"), max_length=100, required=False)
    shipping_terms = forms.ChoiceField(
        label=_("Syarat pengiriman (Incoterm)"), choices=[("", "-")] + Incoterm.choices, required=False
    )
    description = forms.CharField(
        label=_("Deskripsi"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_person = forms.CharField(label=_("Nama kontak"), max_length=100, required=False)
    email = forms.CharField(label=_("Email"), max_length=200, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=40, required=False)
    whatsapp = forms.CharField(label=_("WhatsApp"), max_length=40, required=False)
    website = forms.CharField(label=_("Situs web"), max_length=200, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    source = forms.CharField(
        label=_("Sumber data"), max_length=100, required=False, help_text=_("Mis. pameran, ITPC, atase perdagangan.")
    )
    notes = forms.CharField(
        label=_("Catatan internal"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_verified = forms.BooleanField(label=_("Terverifikasi"), required=False)
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", "-")] + [(i, "★" * i) for i in range(1, 6)],
        required=False,
        coerce=int,
        empty_value=None,
    )


class ReportForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=ReportReason.choices, error_messages=REQUIRED)
    detail = forms.CharField(
        label=_("Keterangan"),
        max_length=REPORT_DETAIL_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Jelaskan apa yang salah, mis. email tidak aktif atau nomor sudah berganti."),
    )


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Berkas .xlsx atau .csv"), error_messages=REQUIRED)
    mode = forms.ChoiceField(label=_("Data ganda"), choices=ImportMode.choices, initial=ImportMode.SKIP)


class ForwarderForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama perusahaan"), max_length=200, error_messages=REQUIRED)
    city = forms.CharField(label=_("Kota"), max_length=100, error_messages=REQUIRED)
    province = forms.CharField(label=_("Provinsi"), max_length=100, required=False)
    services = forms.MultipleChoiceField(
        label=_("Layanan"), choices=ForwarderService.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    ports = forms.CharField(
        label=_("Pelabuhan"), max_length=300, required=False, help_text=_("Mis. Tanjung Priok, Tanjung Perak.")
    )
    routes = forms.CharField(label=_("Rute / tujuan"), max_length=500, required=False)
    description = forms.CharField(
        label=_("Deskripsi"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_person = forms.CharField(label=_("Nama kontak"), max_length=100, required=False)
    email = forms.CharField(label=_("Email"), max_length=200, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=40, required=False)
    whatsapp = forms.CharField(label=_("WhatsApp"), max_length=40, required=False)
    website = forms.CharField(label=_("Situs web"), max_length=200, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    is_verified = forms.BooleanField(label=_("Terverifikasi"), required=False)
    is_active = forms.BooleanField(label=_("Tampil di direktori"), required=False, initial=True)


class RateForm(StyledFormMixin, forms.Form):
    origin_port = forms.CharField(label=_("Pelabuhan asal"), max_length=100, error_messages=REQUIRED)
    destination_port = forms.CharField(label=_("Pelabuhan tujuan"), max_length=100, error_messages=REQUIRED)
    destination_country = forms.ChoiceField(label=_("Negara tujuan"), choices=COUNTRY_SELECT, error_messages=REQUIRED)
    mode = forms.ChoiceField(label=_("Moda"), choices=RateMode.choices)
    price = forms.IntegerField(
        label=_("Harga (Rp)"),
        min_value=1,
        max_value=10_000_000_000,
        error_messages={**REQUIRED, "invalid": _("Angka bulat.")},
    )
    transit_days = forms.IntegerField(label=_("Transit (hari)"), min_value=0, max_value=365, required=False)
    valid_until = forms.DateField(
        label=_("Berlaku sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(label=_("Catatan"), max_length=200, required=False)
    source = forms.CharField(
        label=_("Sumber tarif"), max_length=100, required=False, help_text=_("Mis. penawaran email 2/12/2026.")
    )


class ProfileForm(StyledFormMixin, forms.Form):
    is_listed = forms.BooleanField(label=_("Tampilkan saya di Member Directory"), required=False)
    business_name = forms.CharField(label=_("Nama usaha"), max_length=200, required=False)
    headline = forms.CharField(
        label=_("Judul profil"), max_length=200, required=False, help_text=_("Mis. Eksportir kopi Gayo sejak 2019.")
    )
    products = forms.CharField(label=_("Produk saya"), max_length=300, required=False)
    interests = forms.CharField(
        label=_("Minat produk (untuk info buyer baru)"),
        max_length=300,
        required=False,
        help_text=_("Kata kunci atau kode HS, pisahkan dengan koma: kopi, 0901, kakao."),
    )
    address = forms.CharField(label=_("Alamat usaha (untuk dokumen ekspor)"), max_length=300, required=False)
    npwp = forms.CharField(label=_("NPWP usaha"), max_length=30, required=False)
    show_city = forms.BooleanField(label=_("Tampilkan provinsi dan kota"), required=False)
    show_products = forms.BooleanField(label=_("Tampilkan produk"), required=False)
    show_bio = forms.BooleanField(label=_("Tampilkan bio"), required=False)
    show_whatsapp = forms.BooleanField(label=_("Tampilkan nomor WhatsApp"), required=False)
    show_email = forms.BooleanField(label=_("Tampilkan email"), required=False)


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Jenis dokumen"), choices=DocumentKind.choices)
    buyer = forms.TypedChoiceField(label=_("Buyer"), required=False, coerce=int, empty_value=None)
    issue_date = forms.DateField(label=_("Tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    exporter_name = forms.CharField(label=_("Eksportir"), max_length=200, required=False)
    exporter_address = forms.CharField(label=_("Alamat eksportir"), max_length=300, required=False)
    exporter_contact = forms.CharField(label=_("Kontak eksportir"), max_length=200, required=False)
    exporter_npwp = forms.CharField(label=_("NPWP"), max_length=30, required=False)
    consignee_name = forms.CharField(label=_("Penerima (consignee)"), max_length=200, required=False)
    consignee_address = forms.CharField(label=_("Alamat penerima"), max_length=300, required=False)
    consignee_country = forms.ChoiceField(label=_("Negara penerima"), choices=COUNTRY_SELECT, required=False)
    notify_party = forms.CharField(label=_("Pihak yang diberi tahu (notify party)"), max_length=300, required=False)
    marks = forms.CharField(label=_("Tanda kemasan (shipping marks)"), max_length=300, required=False)
    currency = forms.ChoiceField(label=_("Mata uang"), choices=CURRENCIES, initial="USD")
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=Incoterm.choices, initial="FOB")
    port_of_loading = forms.CharField(label=_("Pelabuhan muat"), max_length=100, required=False)
    port_of_discharge = forms.CharField(label=_("Pelabuhan tujuan"), max_length=100, required=False)
    vessel = forms.CharField(label=_("Kapal / penerbangan"), max_length=100, required=False)
    payment_terms = forms.CharField(label=_("Syarat pembayaran"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Catatan"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, buyers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].choices = [("", _("Tanpa buyer dari database"))] + [(b.pk, b.company) for b in buyers]


class DocumentTemplateForm(StyledFormMixin, forms.Form):
    header = forms.CharField(
        label=_("Kop / header"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dicetak di bawah judul dokumen, mis. alamat dan kontak perusahaan."),
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Catatan awal"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Isi awal kolom catatan pada dokumen baru; member bisa mengubahnya."),
    )  # fmt: skip
    terms = forms.CharField(
        label=_("Syarat dan ketentuan"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Dicetak di setiap dokumen jenis ini."),
    )  # fmt: skip
    footer = forms.CharField(
        label=_("Footer"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dicetak di bagian bawah setiap halaman."),
    )  # fmt: skip


class ApiKeyForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Nama kunci"), max_length=100, error_messages=REQUIRED,
        help_text=_("Untuk mengenali kunci ini, mis. “Sistem ERP kantor”."),
    )  # fmt: skip
