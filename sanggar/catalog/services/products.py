"""Products (add-ons: ebooks, webinars, templates, course bundles, services): every field of the product form,
the product's own access resource, gallery images and private files. Admin only; one audit row
per change."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.access.constants import ResourceKind
from sanggar.access.models import Resource
from sanggar.access.services import resource_ensure
from sanggar.core.exceptions import ServiceError
from sanggar.core.roles import Role

from ..constants import (
    FAQ_ANSWER_MAX,
    FAQ_MAX_ITEMS,
    FAQ_QUESTION_MAX,
    IMAGE_MAX_BYTES,
    RESERVED_PRODUCT_SLUGS,
    RICH_TEXT_MAX,
    TAG_MAX_LENGTH,
    TAGS_MAX,
    AccessLevel,
    AuditWhat,
    CommissionType,
    DiscountType,
    PriceType,
    ProductKind,
    ProductStatus,
)
from ..models import Product, ProductCategory
from ..pixels import PIXEL_FIELDS, pixel_id_clean, pixel_id_error
from ..richtext import sanitize_html
from ..uploads import generated_name, validate_image
from .common import (
    Errors,
    check_unknown,
    clean_charges,
    clean_choice,
    clean_commission,
    clean_datetime,
    clean_discount,
    clean_ids,
    clean_int,
    clean_slug,
    clean_text,
    clean_url,
    clean_variant,
    delete_files_after_commit,
    is_blank,
    parse_int,
    record,
    require_admin,
    unique_slug,
)

PRODUCT_FIELDS = (
    "title",
    "slug",
    "kind",
    "short_description",
    "description",
    "cover",
    "remove_cover",
    "video_url",
    "category_ids",
    "tags",
    "status",
    "price_type",
    "price",
    "promo_price",
    "promo_ends_at",
    "affiliate_commission_type",
    "affiliate_commission_value",
    "mentor_share_percent",
    "member_discount_type",
    "member_discount_value",
    "access_level",
    "access_days",
    "resource_ids",
    "bundled_product_ids",
    "faq",
    "cta_text",
    "stock",
    "seo_title",
    "seo_description",
    "creator_id",
    "scalev_variant_id",
    *PIXEL_FIELDS,
    "tax_percent",
    "admin_fee",
)
ACCESS_DAYS_MAX = 36_500
STOCK_MAX = 1_000_000
COVER_LABEL = gettext_lazy("Cover")


@dataclass(frozen=True)
class FaqInput:
    question: str
    answer: str


def product_label(product: Product) -> str:
    return _("Produk %(title)s") % {"title": product.title}


def _clean_tags(value, errors: Errors) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value or ())
    tags: list[str] = []
    for item in items:
        tag = " ".join(str(item).split()).lower().lstrip("#")
        if not tag:
            continue
        if len(tag) > TAG_MAX_LENGTH:
            errors.add("tags", _("Setiap tag paling banyak %(max)s karakter.") % {"max": TAG_MAX_LENGTH})
            return []
        if tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        errors.add("tags", _("Paling banyak %(max)s tag.") % {"max": TAGS_MAX})
        return []
    return tags


def _clean_faq(value, errors: Errors) -> list[dict]:
    faq = []
    for index, item in enumerate(value or ()):
        if isinstance(item, dict):
            question, answer = item.get("q", ""), item.get("a", "")
        else:
            question, answer = item.question, item.answer
        if is_blank(question) and is_blank(answer):
            continue
        prefix = f"faq.{index}."
        q = clean_text(question, field=prefix + "question", label=_("Pertanyaan"), errors=errors,
                       max_length=FAQ_QUESTION_MAX, required=True)  # fmt: skip
        a = clean_text(answer, field=prefix + "answer", label=_("Jawaban"), errors=errors,
                       max_length=FAQ_ANSWER_MAX, required=True)  # fmt: skip
        faq.append({"q": q, "a": a})
    if len(faq) > FAQ_MAX_ITEMS:
        errors.add("faq", _("Paling banyak %(max)s pertanyaan.") % {"max": FAQ_MAX_ITEMS})
    return faq


def _clean_product_values(product: Product, values: dict, errors: Errors) -> tuple[dict, dict]:
    """Parses each given field. Returns (field → value, with m2m fields as id lists) and the cover upload."""

    new: dict = {}
    uploads: dict = {}
    texts = {
        "title": (_("Judul produk"), 200, True),
        "short_description": (_("Deskripsi singkat"), 300, False),
        "cta_text": (_("Teks tombol CTA"), 60, False),
        "seo_title": (_("Judul SEO"), 70, False),
        "seo_description": (_("Deskripsi SEO"), 160, False),
    }
    for name, (label, max_length, required) in texts.items():
        if name in values:
            new[name] = clean_text(
                values[name], field=name, label=label, errors=errors, max_length=max_length, required=required
            )
    for name in PIXEL_FIELDS:
        if name in values:
            value = pixel_id_clean(values[name])
            message = pixel_id_error(name, value)
            if message:
                errors.add(name, message)
            else:
                new[name] = value
    if "slug" in values:
        slug = clean_slug(values["slug"], field="slug", errors=errors, max_length=210, reserved=RESERVED_PRODUCT_SLUGS)
        if slug and Product.objects.filter(slug=slug).exclude(pk=product.pk).exists():
            errors.add("slug", _("Slug “%(slug)s” sudah dipakai produk lain.") % {"slug": slug})
        elif slug:
            new["slug"] = slug
    if "description" in values:
        new["description"] = sanitize_html(values["description"])
        if len(new["description"]) > RICH_TEXT_MAX:
            errors.add("description", _("Deskripsi lengkap terlalu panjang."))
    choices = {
        "kind": (_("Jenis produk"), ProductKind.choices),
        "status": (_("Status"), ProductStatus.choices),
        "price_type": (_("Tipe harga"), PriceType.choices),
        "access_level": (_("Level akses"), AccessLevel.choices),
    }
    for name, (label, options) in choices.items():
        if name in values:
            new[name] = clean_choice(values[name], field=name, label=label, errors=errors, choices=options)
    if "video_url" in values:
        new["video_url"] = clean_url(values["video_url"], field="video_url", label=_("Video preview"), errors=errors)
    if "tags" in values:
        new["tags"] = _clean_tags(values["tags"], errors)
    if "faq" in values:
        new["faq"] = _clean_faq(values["faq"], errors)
    if "price" in values:
        new["price"] = clean_int(values["price"], field="price", label=_("Harga dasar"), errors=errors,
                                 required=False)  # fmt: skip
    if "promo_price" in values:
        new["promo_price"] = clean_int(
            values["promo_price"], field="promo_price", label=_("Harga promo"), errors=errors, required=False
        )
    if "promo_ends_at" in values:
        new["promo_ends_at"] = clean_datetime(
            values["promo_ends_at"], field="promo_ends_at", label=_("Akhir promo"), errors=errors
        )
    if "affiliate_commission_type" in values or "affiliate_commission_value" in values:
        new["affiliate_commission_type"], new["affiliate_commission_value"] = clean_commission(
            values.get("affiliate_commission_type", product.affiliate_commission_type),
            values.get("affiliate_commission_value", product.affiliate_commission_value),
            errors=errors,
            type_field="affiliate_commission_type",
            value_field="affiliate_commission_value",
        )
    if "member_discount_type" in values or "member_discount_value" in values:
        new["member_discount_type"], new["member_discount_value"] = clean_discount(
            values.get("member_discount_type", product.member_discount_type),
            values.get("member_discount_value", product.member_discount_value),
            errors=errors,
            type_field="member_discount_type",
            value_field="member_discount_value",
            label=_("Potongan member premium"),
        )
    if "access_days" in values:
        new["access_days"] = clean_int(
            values["access_days"], field="access_days", label=_("Batas akses (hari)"), errors=errors, minimum=1,
            maximum=ACCESS_DAYS_MAX, required=False,
        )  # fmt: skip
    if "mentor_share_percent" in values:
        share = clean_int(values["mentor_share_percent"], field="mentor_share_percent", label=_("Bagian mentor"),
                          errors=errors, maximum=100, required=False)  # fmt: skip
        new["mentor_share_percent"] = share or 0
    if "stock" in values:
        stock = clean_int(values["stock"], field="stock", label=_("Kuota"), errors=errors, maximum=STOCK_MAX,
                          required=False)  # fmt: skip
        if stock is not None and stock < product.sold_count:
            errors.add(
                "stock",
                _("Kuota tidak boleh lebih kecil dari jumlah yang sudah terjual (%(n)s).") % {"n": product.sold_count},
            )
        new["stock"] = stock
    if "scalev_variant_id" in values:
        new["scalev_variant_id"] = clean_variant(values["scalev_variant_id"], field="scalev_variant_id", errors=errors)
    new.update(clean_charges(values, errors=errors))
    if "creator_id" in values:
        creator_id = values["creator_id"]
        if is_blank(creator_id):
            new["creator_id"] = None
        else:
            number = parse_int(creator_id) if not isinstance(creator_id, int) else creator_id
            mentors = get_user_model().objects.filter(roles__role=Role.MENTOR, is_active=True)
            if number is None or not mentors.filter(pk=number).exists():
                errors.add("creator_id", _("Pilih kreator dari daftar mentor aktif."))
            else:
                new["creator_id"] = number
    if "category_ids" in values:
        new["category_ids"] = clean_ids(
            values["category_ids"], field="category_ids", label=_("Kategori"), errors=errors,
            queryset=ProductCategory.objects,
        )  # fmt: skip
    if "resource_ids" in values:
        new["resource_ids"] = clean_ids(
            values["resource_ids"], field="resource_ids", label=_("Grup, kelas & event"), errors=errors,
            queryset=Resource.objects.exclude(kind=ResourceKind.PRODUCT),
        )  # fmt: skip
    if "bundled_product_ids" in values:
        ids = clean_ids(
            values["bundled_product_ids"], field="bundled_product_ids", label=_("Bundel produk"), errors=errors,
            queryset=Product.objects,
        )  # fmt: skip
        if product.pk and product.pk in ids:
            errors.add("bundled_product_ids", _("Produk tidak bisa dibundel dengan dirinya sendiri."))
        new["bundled_product_ids"] = ids
    upload = values.get("cover")
    if upload:
        try:
            uploads["cover"] = (upload, validate_image(upload, field="cover", label=str(COVER_LABEL),
                                                       max_bytes=IMAGE_MAX_BYTES))  # fmt: skip
        except ServiceError as exc:
            errors.merge(exc)
    return new, uploads


def _check_pricing(state: dict, errors: Errors) -> None:
    """Rules that tie the pricing fields together, on the product as it will be saved."""
    if state["price_type"] == PriceType.FREE:
        state.update(price=0, promo_price=None, promo_ends_at=None)
        return
    price = state["price"]
    if price is None or price < 1:
        errors.add("price", _("Harga dasar produk berbayar minimal Rp 1. Pilih tipe harga Gratis untuk produk gratis."))
        return
    promo = state["promo_price"]
    if promo is not None and promo >= price:
        errors.add("promo_price", _("Harga promo harus lebih kecil dari harga dasar."))
    if state["promo_ends_at"] is not None and promo is None:
        errors.add("promo_ends_at", _("Isi harga promo dulu, atau kosongkan akhir promo."))
    if state["affiliate_commission_type"] == CommissionType.FLAT and (state["affiliate_commission_value"] or 0) > price:
        errors.add("affiliate_commission_value", _("Komisi nominal tidak boleh melebihi harga dasar."))
    if state["member_discount_type"] == DiscountType.FIXED and (state["member_discount_value"] or 0) > price:
        errors.add("member_discount_value", _("Potongan member tidak boleh melebihi harga dasar."))


M2M_FIELDS = {
    "category_ids": "categories",
    "resource_ids": "included_resources",
    "bundled_product_ids": "bundled_products",
}
PRICING_FIELDS = (
    "price_type",
    "price",
    "promo_price",
    "promo_ends_at",
    "affiliate_commission_type",
    "affiliate_commission_value",
    "mentor_share_percent",
    "member_discount_type",
    "member_discount_value",
)


def _apply_product(product: Product, values: dict) -> tuple[list[str], list[str], dict]:
    """Validates and sets the fields on `product` (unsaved). Returns changed field names, files to delete after
    commit, and the many-to-many id lists to set after saving."""
    errors = Errors()
    new, uploads = _clean_product_values(product, values, errors)
    pricing_given = any(name in values for name in PRICING_FIELDS)
    publishing = new.get("status", product.status) != ProductStatus.DRAFT
    if not errors and (pricing_given or publishing):
        state = {name: new.get(name, getattr(product, name)) for name in PRICING_FIELDS}
        pricing_errors = Errors()
        _check_pricing(state, pricing_errors)
        if pricing_errors and not pricing_given:
            errors.add("status", _("Lengkapi harga di tab Harga sebelum mempublikasikan produk."))
        else:
            for field, messages in pricing_errors.items():
                for message in messages:
                    errors.add(field, message)
        for name in PRICING_FIELDS:
            if name in new or state[name] != getattr(product, name):
                new[name] = state[name]
    errors.raise_if_any(_("Periksa kembali isian produk."))

    changed = []
    m2m = {}
    for name, value in new.items():
        if name in M2M_FIELDS:
            m2m[M2M_FIELDS[name]] = value
            continue
        if getattr(product, name) != value:
            setattr(product, name, value)
            changed.append(name.removesuffix("_id"))
    old_files = []
    if "cover" in uploads:
        upload, extension = uploads["cover"]
        if product.cover.name:
            old_files.append(product.cover.name)
        product.cover.save(generated_name("cover", extension), upload, save=False)
        changed.append("cover")
    elif values.get("remove_cover") and product.cover.name:
        old_files.append(product.cover.name)
        product.cover = ""
        changed.append("cover")
    return changed, old_files, m2m


def _set_m2m(product: Product, m2m: dict) -> list[str]:
    changed = []
    for relation, ids in m2m.items():
        manager = getattr(product, relation)
        if set(manager.values_list("pk", flat=True)) != set(ids):
            manager.set(ids)
            changed.append(relation)
    return changed


def _resource_key(product: Product) -> str:
    """The product's access resource key: its slug at creation, kept when the slug changes later (buyers' grants
    point at the resource). Falls back to `<slug>-<id>` when another product's resource already holds that key."""

    if product.resource_id:
        return product.resource.key
    taken = Resource.objects.filter(kind=ResourceKind.PRODUCT, key=product.slug, product__isnull=False).exclude(
        product=product
    )
    return f"{product.slug}-{product.pk}" if taken.exists() else product.slug


def _ensure_resource(product: Product) -> None:

    resource = resource_ensure(kind=ResourceKind.PRODUCT, key=_resource_key(product), title=product.title)
    if product.resource_id != resource.pk:
        product.resource = resource
        product.save(update_fields=["resource", "updated_at"])


@transaction.atomic
def product_create(*, actor, title, slug: str = "", **values) -> Product:
    """A new product (draft unless `status` says otherwise) with its access resource (kind "product").
    An empty slug is generated from the title. Fields: PRODUCT_FIELDS."""
    require_admin(actor)
    check_unknown(values, PRODUCT_FIELDS)
    product = Product()
    values = {"title": title, **values}
    if slug:
        values["slug"] = slug
    changed, _old, m2m = _apply_product(product, values)
    if not product.slug:
        product.slug = unique_slug(
            product.title, queryset=Product.objects.all(), max_length=210, reserved=RESERVED_PRODUCT_SLUGS,
            fallback="produk",
        )  # fmt: skip
    product.save()
    changed += _set_m2m(product, m2m)
    _ensure_resource(product)
    record(actor=actor, target=product, label=product_label(product), what=AuditWhat.PRODUCT_CREATED, fields=changed)
    return product


@transaction.atomic
def product_update(*, product: Product, actor, **values) -> Product:
    """Changes the given fields (any of PRODUCT_FIELDS). `cover` is an upload (PNG, JPEG or WebP ≤ 5 MB),
    `remove_cover` clears it; `category_ids`, `resource_ids`, `bundled_product_ids` are id lists; `faq` a list of
    FaqInput or {"q", "a"}; `tags` a list or a comma-separated string. Free products have price 0 and no promo.
    The access resource's title follows the product's title."""
    require_admin(actor)
    check_unknown(values, PRODUCT_FIELDS)
    product = Product.objects.select_for_update().get(pk=product.pk)
    changed, old_files, m2m = _apply_product(product, values)
    if changed:
        product.save()
    changed += _set_m2m(product, m2m)
    if not changed:
        return product
    if "title" in changed or not product.resource_id:
        _ensure_resource(product)
    record(actor=actor, target=product, label=product_label(product), what=AuditWhat.PRODUCT_UPDATED, fields=changed)
    delete_files_after_commit(product.cover.storage, old_files)
    return product
