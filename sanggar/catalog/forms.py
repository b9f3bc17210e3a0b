"""Forms of the catalog's admin pages. They only parse input (numbers and dates stay text: the services check
them and answer in Indonesian); repeated rows (prices, features, FAQ, follow-ups) are read by `post_rows`."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import (
    AccessLevel,
    CommissionType,
    DiscountType,
    PlanStatus,
    PriceType,
    ProductKind,
    ProductStatus,
    UpgradeMode,
)
from .pixels import PIXEL_FIELDS, PIXEL_HELP

ROWS_MAX = 200
IMAGE_ACCEPT = "image/png,image/jpeg,image/webp"


def post_rows(data, prefix: str, fields: tuple[str, ...]) -> list[dict]:
    """Rows posted as `<prefix>-count` and `<prefix>-<i>-<field>` (the Alpine row editors name them so)."""
    try:
        total = min(int(data.get(f"{prefix}-count", 0)), ROWS_MAX)
    except (TypeError, ValueError):
        total = 0
    return [{field: data.get(f"{prefix}-{i}-{field}", "") for field in fields} for i in range(max(total, 0))]


def local_input(value) -> str:
    """A datetime as the value of an <input type="datetime-local"> in WIB."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def _money(label, help_text="", required=False):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "0"}),
    )


def _whole_number(label, help_text="", *, max_length, minimum, maximum=None, required=False):
    """A whole-number field kept as text, so the service parses it and answers with its own messages."""
    attrs = {"min": minimum} if maximum is None else {"min": minimum, "max": maximum}
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.NumberInput(attrs=attrs),
    )


def _datetime(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        max_length=20,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


def _image(label, help_text):
    return forms.FileField(
        label=label, required=False, help_text=help_text, widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT})
    )


def _charge_fields():
    """A plan's or product's own tax and admin fee (blank = the global settings at /admin/settings/pajak-biaya)."""
    return {
        "tax_percent": forms.CharField(
            label=_("Pajak (%)"), required=False, max_length=3,
            help_text=_("Kosongkan untuk memakai pengaturan umum. 0 = tanpa pajak."),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        ),
        "admin_fee": _money(_("Biaya admin (Rp)"), _("Per pesanan. Kosongkan untuk memakai pengaturan umum.")),
    }  # fmt: skip


class _Form(StyledFormMixin, forms.Form):
    def service_values(self) -> dict:
        return dict(self.cleaned_data)


class PlanInfoForm(_Form):
    title = forms.CharField(label=_("Judul paket"), max_length=150)
    slug = forms.CharField(
        label=_("Slug"),
        required=False,
        max_length=160,
        help_text=_("Bagian alamat /membership/slug. Kosongkan untuk dibuat otomatis dari judul."),
    )
    description = forms.CharField(label=_("Deskripsi"), required=False, widget=forms.Textarea)


class _PixelFields(forms.Form):
    """The tracking pixel IDs of a plan or product (checked by `catalog.pixels` in the services)."""

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


class PlanMarketingForm(_PixelFields, _Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanStatus.choices)
    rank = _whole_number(
        _("Peringkat paket"),
        _("Angka lebih besar = paket lebih tinggi. Membeli paket berperingkat lebih tinggi adalah upgrade."),
        max_length=4,
        minimum=1,
        maximum=1000,
        required=True,
    )
    upgrade_mode = forms.ChoiceField(label=_("Mode pembayaran upgrade"), choices=UpgradeMode.choices)
    sort_order = _whole_number(
        _("Urutan tampil"), _("Urutan di halaman checkout (kecil lebih dulu)."), max_length=5, minimum=0
    )
    badge_best_seller = forms.BooleanField(label=_("Badge “Paling Laris”"), required=False)
    badge_cheapest = forms.BooleanField(label=_("Badge “Paling Murah”"), required=False)
    external_sales_url = forms.CharField(
        label=_("Link salespage eksternal"),
        required=False,
        max_length=200,
        help_text=_("Opsional. Bila diisi, /membership/slug mengarahkan pengunjung ke alamat ini."),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    affiliate_commission_type = forms.ChoiceField(label=_("Jenis komisi affiliate"), choices=CommissionType.choices)
    affiliate_commission_value = _money(_("Nilai komisi"), _("Persen (0–100) atau nominal rupiah."), required=True)
    creator_id = forms.ChoiceField(label=_("Kreator (mentor)"), required=False)
    tax_percent = _charge_fields()["tax_percent"]
    admin_fee = _charge_fields()["admin_fee"]
    mentor_share_percent = forms.CharField(
        label=_("Bagian mentor (%)"),
        required=False,
        max_length=3,
        help_text=_(
            "Persen untuk kreator paket dari sisa setelah komisi affiliate, sebelum fee perusahaan. 0 = tanpa bagian."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "0"}),
    )
    logo = _image(_("Logo paket"), _("Ikon/badge paket. PNG, JPEG atau WebP, maksimal 2 MB."))
    remove_logo = forms.BooleanField(label=_("Hapus logo"), required=False)
    banner = _image(_("Banner"), _("Untuk sales page. PNG, JPEG atau WebP, maksimal 5 MB."))
    remove_banner = forms.BooleanField(label=_("Hapus banner"), required=False)

    def __init__(self, *args, mentors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creator_id"].choices = [("", _("— Tanpa kreator —"))] + [
            (str(m.pk), f"{m.full_name or m.email} ({m.email})") for m in mentors
        ]

    def service_values(self) -> dict:
        values = dict(self.cleaned_data)
        for name in ("logo", "banner"):
            if not values.get(name):
                values.pop(name, None)
            if not values.get(f"remove_{name}"):
                values.pop(f"remove_{name}", None)
        if values.get("sort_order") in ("", None):
            values.pop("sort_order", None)
        return values


class ContentForm(_Form):
    """Resources and products a plan includes (checkbox lists built from the current catalog)."""

    resource_ids = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    product_ids = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, resources=(), products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource_ids"].choices = [(str(r.pk), r.title) for r in resources]
        self.fields["product_ids"].choices = [(str(p.pk), p.title) for p in products]


class ResourceCreateForm(_Form):
    kind = forms.ChoiceField(label=_("Jenis"))
    title = forms.CharField(label=_("Nama"), max_length=200)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)


class ProductInfoForm(_Form):
    title = forms.CharField(label=_("Judul produk"), max_length=200)
    slug = forms.CharField(
        label=_("Slug"),
        required=False,
        max_length=210,
        help_text=_("Bagian alamat /produk/slug. Kosongkan untuk dibuat otomatis dari judul."),
    )
    kind = forms.ChoiceField(label=_("Jenis produk"), choices=ProductKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=ProductStatus.choices)
    short_description = forms.CharField(
        label=_("Deskripsi singkat"),
        required=False,
        max_length=300,
        help_text=_("1–2 kalimat untuk kartu produk."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(label=_("Deskripsi lengkap"), required=False, widget=forms.Textarea)
    category_ids = forms.MultipleChoiceField(label=_("Kategori"), required=False, widget=forms.CheckboxSelectMultiple)
    tags = forms.CharField(
        label=_("Tag"), required=False, max_length=900, help_text=_("Pisahkan dengan koma, misal: ekspor, buyer.")
    )
    video_url = forms.CharField(
        label=_("Video preview"),
        required=False,
        max_length=200,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    creator_id = forms.ChoiceField(label=_("Kreator (mentor)"), required=False)

    def __init__(self, *args, categories=(), mentors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_ids"].choices = [(str(c.pk), c.name) for c in categories]
        self.fields["creator_id"].choices = [("", _("— Tanpa kreator —"))] + [
            (str(m.pk), f"{m.full_name or m.email} ({m.email})") for m in mentors
        ]


class ProductPricingForm(_Form):
    price_type = forms.ChoiceField(label=_("Tipe harga"), choices=PriceType.choices)
    price = _money(_("Harga dasar (Rp)"))
    promo_price = _money(_("Harga promo (Rp)"), _("Kosongkan bila tidak ada promo."))
    promo_ends_at = _datetime(_("Promo berakhir (WIB)"), _("Kosongkan bila promo tidak berakhir otomatis."))
    affiliate_commission_type = forms.ChoiceField(label=_("Jenis komisi affiliate"), choices=CommissionType.choices)
    affiliate_commission_value = _money(_("Nilai komisi"), required=True)
    tax_percent = _charge_fields()["tax_percent"]
    admin_fee = _charge_fields()["admin_fee"]
    mentor_share_percent = forms.CharField(
        label=_("Bagian mentor (%)"),
        required=False,
        max_length=3,
        help_text=_(
            "Persen untuk kreator produk dari sisa setelah komisi affiliate, sebelum fee perusahaan. 0 = tanpa bagian."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "0"}),
    )
    member_discount_type = forms.ChoiceField(label=_("Jenis potongan member"), choices=DiscountType.choices)
    member_discount_value = _money(
        _("Potongan member premium"), _("Untuk member dengan membership aktif. 0 = tanpa potongan."), required=True
    )
    stock = _whole_number(
        _("Kuota / stok"),
        _("Batas pembeli (misal kursi webinar). Kosongkan bila tanpa batas."),
        max_length=8,
        minimum=0,
    )
    scalev_variant_id = forms.CharField(
        label=_("ID varian Scalev"),
        required=False,
        max_length=80,
        help_text=_("Opsional; tanpa isian dipakai varian bawaan dari pengaturan."),
    )


class ProductAccessForm(_Form):
    access_level = forms.ChoiceField(label=_("Level akses"), choices=AccessLevel.choices)
    access_days = _whole_number(
        _("Batas akses (hari)"),
        _("Misal 30 untuk akses 30 hari sejak pembayaran. Kosongkan untuk akses selamanya."),
        max_length=6,
        minimum=1,
    )
    resource_ids = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, resources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource_ids"].choices = [(str(r.pk), r.title) for r in resources]


class CoverForm(_Form):
    cover = _image(_("Cover"), _("Rekomendasi 1280×720. PNG, JPEG atau WebP, maksimal 5 MB."))
    remove_cover = forms.BooleanField(label=_("Hapus cover"), required=False)


class ProductFileForm(_Form):
    title = forms.CharField(
        label=_("Judul file"), required=False, max_length=200, help_text=_("Kosongkan untuk memakai nama file.")
    )
    file = forms.FileField(
        label=_("Pilih file"),
        help_text=_(
            "PDF, ZIP, EPUB, DOCX, XLSX, PPTX, MP4, MP3, PNG atau JPG; maksimal 200 MB. "
            "Hanya pembeli yang bisa mengunduh, lewat tautan yang kedaluwarsa."
        ),
        error_messages={"required": _("Pilih file yang akan diunggah.")},
    )


class ProductContentForm(_Form):
    cta_text = forms.CharField(
        label=_("Teks tombol CTA"),
        required=False,
        max_length=60,
        help_text=_("Misal “Gabung Sekarang”. Kosongkan untuk teks bawaan."),
    )
    bundled_product_ids = forms.MultipleChoiceField(
        label=_("Bundel / bonus produk"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bundled_product_ids"].choices = [(str(p.pk), p.title) for p in products]


class ProductSeoForm(_PixelFields, _Form):
    seo_title = forms.CharField(
        label=_("Judul SEO"), required=False, max_length=70, help_text=_("Maksimal 70 karakter. Kosong = judul produk.")
    )
    seo_description = forms.CharField(
        label=_("Deskripsi SEO"),
        required=False,
        max_length=160,
        help_text=_("Maksimal 160 karakter. Kosong = deskripsi singkat."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CategoryForm(_Form):
    name = forms.CharField(label=_("Nama kategori"), max_length=80)
    slug = forms.CharField(label=_("Slug"), required=False, max_length=90, help_text=_("Kosongkan untuk otomatis."))


class CouponForm(_Form):
    code = forms.CharField(label=_("Kode kupon"), max_length=60, help_text=_("Huruf besar otomatis, misal EKSPOR10."))
    description = forms.CharField(label=_("Keterangan"), required=False, max_length=200)
    discount_type = forms.ChoiceField(label=_("Jenis diskon"), choices=DiscountType.choices)
    value = _money(_("Nilai diskon"), _("Persen 1–100, atau nominal rupiah."), required=True)
    valid_from = _datetime(_("Berlaku mulai (WIB)"), _("Kosongkan untuk langsung berlaku."))
    valid_until = _datetime(_("Berlaku sampai (WIB)"), _("Kosongkan bila tidak berakhir."))
    max_uses = _whole_number(
        _("Batas total pemakaian"),
        _("Dihitung dari pesanan menunggu pembayaran dan lunas. Kosong = tanpa batas."),
        max_length=9,
        minimum=1,
    )
    max_uses_per_user = _whole_number(_("Batas per pengguna"), _("Kosong = tanpa batas."), max_length=9, minimum=1)
    plan_ids = forms.MultipleChoiceField(label=_("Paket membership"), required=False,
                                         widget=forms.CheckboxSelectMultiple)  # fmt: skip
    product_ids = forms.MultipleChoiceField(label=_("Produk"), required=False, widget=forms.CheckboxSelectMultiple)
    resource_ids = forms.MultipleChoiceField(label=_("Kursus"), required=False, widget=forms.CheckboxSelectMultiple)
    affiliate_id = forms.ChoiceField(label=_("Affiliate"), required=False,
                                     help_text=_("Opsional: kupon milik affiliate ini."))  # fmt: skip
    is_active = forms.BooleanField(label=_("Aktif"), required=False)

    def __init__(self, *args, plans=(), products=(), affiliates=(), courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_ids"].choices = [(str(p.pk), p.title) for p in plans]
        self.fields["product_ids"].choices = [(str(p.pk), p.title) for p in products]
        self.fields["resource_ids"].choices = [(str(r.pk), r.title) for r in courses]
        self.fields["affiliate_id"].choices = [("", _("— Tanpa affiliate —"))] + [
            (str(a.pk), f"{a.full_name or a.email} ({a.email})") for a in affiliates
        ]
