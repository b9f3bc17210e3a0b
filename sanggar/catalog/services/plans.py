"""Membership plans: the plan itself (one service per tab of the admin form), its price options, selling points,
included resources and products (its WhatsApp follow-ups are sequences of the reminder builder). Admin only; one
audit row per change."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.access.constants import ResourceKind
from sanggar.access.models import Resource
from sanggar.core.exceptions import ServiceError
from sanggar.core.public_cache import generation_bump

from ..constants import (
    DURATION_ORDER,
    IMAGE_MAX_BYTES,
    LOGO_MAX_BYTES,
    PLAN_FEATURES_MAX,
    RESERVED_PLAN_SLUGS,
    RICH_TEXT_MAX,
    AuditWhat,
    CommissionType,
    Duration,
    PlanStatus,
    UpgradeMode,
)
from ..hooks import plan_content_changed
from ..models import MembershipPlan, PlanFeature, PlanPrice, Product
from ..pixels import PIXEL_FIELDS, pixel_id_clean, pixel_id_error
from ..richtext import sanitize_html
from ..uploads import generated_name, validate_image
from .common import (
    Errors,
    check_unknown,
    clean_bool,
    clean_charges,
    clean_choice,
    clean_commission,
    clean_creator,
    clean_datetime,
    clean_ids,
    clean_int,
    clean_slug,
    clean_text,
    clean_url,
    clean_variant,
    delete_files_after_commit,
    record,
    require_admin,
    unique_slug,
)

PLAN_FIELDS = (
    "title",
    "slug",
    "description",
    "logo",
    "banner",
    "remove_logo",
    "remove_banner",
    "badge_best_seller",
    "badge_cheapest",
    "external_sales_url",
    "status",
    "rank",
    "upgrade_mode",
    "affiliate_commission_type",
    "affiliate_commission_value",
    "sort_order",
    "creator_id",
    "mentor_share_percent",
    *PIXEL_FIELDS,
    "tax_percent",
    "admin_fee",
)
PLAN_IMAGES = {
    "logo": (gettext_lazy("Logo paket"), LOGO_MAX_BYTES),
    "banner": (gettext_lazy("Banner"), IMAGE_MAX_BYTES),
}
RANK_MAX = 1000
PLAN_BADGES = ("badge_best_seller", "badge_cheapest")


def _label(plan: MembershipPlan) -> str:
    return _("Paket %(title)s") % {"title": plan.title}


def _clean_plan_values(plan: MembershipPlan, values: dict, errors: Errors) -> tuple[dict, dict]:
    """Parses and validates the given plan fields. Returns (field → new value, image field → (upload, ext))."""
    new: dict = {}
    uploads: dict = {}
    if "title" in values:
        new["title"] = clean_text(
            values["title"], field="title", label=_("Judul paket"), errors=errors, max_length=150, required=True
        )
    if "slug" in values:
        slug = clean_slug(values["slug"], field="slug", errors=errors, max_length=160, reserved=RESERVED_PLAN_SLUGS)
        if slug and MembershipPlan.objects.filter(slug=slug).exclude(pk=plan.pk).exists():
            errors.add("slug", _("Slug “%(slug)s” sudah dipakai paket lain.") % {"slug": slug})
        elif slug:
            new["slug"] = slug
    if "description" in values:
        description = sanitize_html(values["description"])
        if len(description) > RICH_TEXT_MAX:
            errors.add("description", _("Deskripsi terlalu panjang."))
        new["description"] = description
    for name in ("badge_best_seller", "badge_cheapest"):
        if name in values:
            new[name] = clean_bool(values[name])
    if "external_sales_url" in values:
        new["external_sales_url"] = clean_url(
            values["external_sales_url"], field="external_sales_url", label=_("Link salespage eksternal"), errors=errors
        )
    if "status" in values:
        new["status"] = clean_choice(
            values["status"], field="status", label=_("Status"), errors=errors, choices=PlanStatus.choices
        )
    if "rank" in values:
        new["rank"] = clean_int(values["rank"], field="rank", label=_("Peringkat"), errors=errors, minimum=1,
                                maximum=RANK_MAX)  # fmt: skip
    if "sort_order" in values:
        new["sort_order"] = clean_int(
            values["sort_order"], field="sort_order", label=_("Urutan tampil"), errors=errors, maximum=10_000
        )
    if "upgrade_mode" in values:
        new["upgrade_mode"] = clean_choice(
            values["upgrade_mode"], field="upgrade_mode", label=_("Mode upgrade"), errors=errors,
            choices=UpgradeMode.choices,
        )  # fmt: skip
    if "affiliate_commission_type" in values or "affiliate_commission_value" in values:
        kind, amount = clean_commission(
            values.get("affiliate_commission_type", plan.affiliate_commission_type),
            values.get("affiliate_commission_value", plan.affiliate_commission_value),
            errors=errors,
            type_field="affiliate_commission_type",
            value_field="affiliate_commission_value",
        )
        new["affiliate_commission_type"], new["affiliate_commission_value"] = kind, amount
    new.update(clean_charges(values, errors=errors))
    if "creator_id" in values:
        new["creator_id"] = clean_creator(values["creator_id"], errors=errors)
    if "mentor_share_percent" in values:
        share = clean_int(values["mentor_share_percent"], field="mentor_share_percent", label=_("Bagian mentor"),
                          errors=errors, maximum=100, required=False)  # fmt: skip
        new["mentor_share_percent"] = share or 0
    _clean_pixels(values, new, errors)
    for name, (label, max_bytes) in PLAN_IMAGES.items():
        upload = values.get(name)
        if upload:
            try:
                uploads[name] = (upload, validate_image(upload, field=name, label=str(label), max_bytes=max_bytes))
            except ServiceError as exc:
                errors.merge(exc)
    return new, uploads


def _clean_pixels(values: dict, new: dict, errors: Errors) -> None:
    for name in PIXEL_FIELDS:
        if name in values:
            value = pixel_id_clean(values[name])
            message = pixel_id_error(name, value)
            if message:
                errors.add(name, message)
            else:
                new[name] = value


def _apply_plan(
    plan: MembershipPlan, values: dict, *, creating: bool, errors: Errors | None = None
) -> tuple[list[str], list[str]]:
    errors = errors if errors is not None else Errors()
    new, uploads = _clean_plan_values(plan, values, errors)
    activating = new.get("status") == PlanStatus.ACTIVE and plan.status != PlanStatus.ACTIVE
    if activating and (creating or not plan.prices.filter(is_active=True).exists()):
        errors.add("status", _("Tambahkan minimal satu harga aktif di tab Harga sebelum mengaktifkan paket."))
    errors.raise_if_any(_("Periksa kembali isian paket."))

    changed = []
    for name, value in new.items():
        if value is None and name in ("rank", "sort_order"):
            continue
        if getattr(plan, name) != value:
            setattr(plan, name, value)
            changed.append(name)
    old_files = []
    for name in PLAN_IMAGES:
        field_file = getattr(plan, name)
        if name in uploads:
            upload, extension = uploads[name]
            if field_file.name:
                old_files.append(field_file.name)
            field_file.save(generated_name(f"plan-{name}", extension), upload, save=False)
            changed.append(name)
        elif values.get(f"remove_{name}") and field_file.name:
            old_files.append(field_file.name)
            setattr(plan, name, "")
            changed.append(name)
    return changed, old_files


def _badges_keep_one_holder(plan: MembershipPlan) -> None:
    """ "Paling Laris" and "Paling Murah" each belong to one plan: giving a badge to this plan takes it from the
    plan that held it (a partial unique constraint is the last guard)."""
    for name in PLAN_BADGES:
        if getattr(plan, name):
            holders = MembershipPlan.objects.filter(**{name: True})
            if plan.pk:
                holders = holders.exclude(pk=plan.pk)
            holders.update(**{name: False})
            generation_bump()  # the badges on the public pages (an update sends no signal)


@transaction.atomic
def plan_create(*, actor, title, slug: str = "", description: str = "", **values) -> MembershipPlan:
    """A new plan (draft unless `status` says otherwise; it can only be activated once it has an active price).
    An empty slug is generated from the title (`paket-gold`, `paket-gold-2`…). Other fields: see PLAN_FIELDS."""
    require_admin(actor)
    check_unknown(values, PLAN_FIELDS)
    plan = MembershipPlan()
    values = {"title": title, "description": description, **values}
    if slug:
        values["slug"] = slug
    changed, _old = _apply_plan(plan, values, creating=True)
    if not plan.slug:
        plan.slug = unique_slug(
            plan.title, queryset=MembershipPlan.objects.all(), max_length=160, reserved=RESERVED_PLAN_SLUGS,
            fallback="paket",
        )  # fmt: skip
    _badges_keep_one_holder(plan)
    plan.save()
    record(actor=actor, target=plan, label=_label(plan), what=AuditWhat.PLAN_CREATED, fields=changed)
    return plan


@transaction.atomic
def plan_update(*, plan: MembershipPlan, actor, **values) -> MembershipPlan:
    """Changes the given fields (any of PLAN_FIELDS, plus `features`: the selling points as a list of labels, as
    in `plan_features_set`; the rest stay). `logo` / `banner` are uploads (PNG, JPEG or
    WebP; logo ≤ 2 MB, banner ≤ 5 MB); `remove_logo` / `remove_banner` clear them. Replaced files are deleted after
    commit."""
    require_admin(actor)
    check_unknown(values, (*PLAN_FIELDS, "features"))
    plan = MembershipPlan.objects.select_for_update().get(pk=plan.pk)
    errors = Errors()
    labels = _clean_features(values.pop("features"), errors) if "features" in values else None
    changed, old_files = _apply_plan(plan, values, creating=False, errors=errors)
    if labels is not None and _replace_features(plan, labels):
        changed.append("features")
    if not changed:
        return plan
    _badges_keep_one_holder(plan)
    plan.save()
    record(actor=actor, target=plan, label=_label(plan), what=AuditWhat.PLAN_UPDATED, fields=changed)
    delete_files_after_commit(plan.logo.storage, old_files)
    return plan


@dataclass(frozen=True)
class PriceInput:
    """One price option as typed on the Harga tab. Empty commission type = the plan's commission."""

    duration: str
    price: int | str | None
    promo_price: int | str | None = None
    promo_ends_at: object = None  # datetime, "YYYY-MM-DDTHH:MM" (WIB) or None
    commission_type: str = ""
    commission_value: int | str | None = None
    scalev_variant_id: str = ""
    is_active: bool = True
    # Renewal / upgrade commission of this option; empty type = the normal commission (the override or the plan's).
    renewal_commission_type: str = ""
    renewal_commission_value: int | str | None = None
    upgrade_commission_type: str = ""
    upgrade_commission_value: int | str | None = None


def _clean_price_rows(prices: list[PriceInput], errors: Errors) -> list[dict]:
    rows = []
    seen: dict[str, int] = {}
    for index, row in enumerate(prices):
        prefix = f"prices.{index}."
        duration = clean_choice(
            row.duration, field=prefix + "duration", label=_("Durasi"), errors=errors, choices=Duration.choices
        )
        if duration and duration in seen:
            errors.add(prefix + "duration", _("Durasi ini sudah ada di baris %(n)s.") % {"n": seen[duration] + 1})
        elif duration:
            seen[duration] = index
        price = clean_int(row.price, field=prefix + "price", label=_("Harga"), errors=errors, minimum=1)
        promo = clean_int(
            row.promo_price, field=prefix + "promo_price", label=_("Harga promo"), errors=errors, required=False
        )
        if promo is not None and price is not None and promo >= price:
            errors.add(prefix + "promo_price", _("Harga promo harus lebih kecil dari harga normal."))
        promo_ends_at = clean_datetime(
            row.promo_ends_at, field=prefix + "promo_ends_at", label=_("Akhir promo"), errors=errors
        )
        if promo_ends_at is not None and promo is None:
            errors.add(prefix + "promo_ends_at", _("Isi harga promo dulu, atau kosongkan akhir promo."))
        commission_type, commission_value = clean_commission(
            row.commission_type,
            row.commission_value,
            errors=errors,
            type_field=prefix + "commission_type",
            value_field=prefix + "commission_value",
            required=False,
        )
        if (
            commission_type == CommissionType.FLAT
            and commission_value is not None
            and price is not None
            and commission_value > price
        ):
            errors.add(prefix + "commission_value", _("Komisi nominal tidak boleh melebihi harga."))
        special = {}
        for kind in ("renewal", "upgrade"):
            special_type, special_value = clean_commission(
                getattr(row, f"{kind}_commission_type"),
                getattr(row, f"{kind}_commission_value"),
                errors=errors,
                type_field=f"{prefix}{kind}_commission_type",
                value_field=f"{prefix}{kind}_commission_value",
                required=False,
            )
            too_high = price is not None and special_value is not None and special_value > price
            if special_type == CommissionType.FLAT and too_high:
                errors.add(f"{prefix}{kind}_commission_value", _("Komisi nominal tidak boleh melebihi harga."))
            special[f"{kind}_commission_type"] = special_type
            special[f"{kind}_commission_value"] = special_value
        rows.append(
            {
                **special,
                "duration": duration,
                "price": price,
                "promo_price": promo,
                "promo_ends_at": promo_ends_at,
                "affiliate_commission_type": commission_type,
                "affiliate_commission_value": commission_value,
                "scalev_variant_id": clean_variant(
                    row.scalev_variant_id, field=prefix + "scalev_variant_id", errors=errors
                ),
                "is_active": clean_bool(row.is_active),
            }
        )
    return rows


@transaction.atomic
def plan_prices_set(*, plan: MembershipPlan, actor, prices: list[PriceInput]) -> list[PlanPrice]:
    """Makes the plan's price options exactly `prices` (one per duration). An option that orders already use is
    never deleted: leaving it out switches it off (`is_active=False`). An active plan keeps at least one active
    price. Errors are keyed `prices.<index>.<field>`."""
    require_admin(actor)
    plan = MembershipPlan.objects.select_for_update().get(pk=plan.pk)
    errors = Errors()
    rows = _clean_price_rows(prices, errors)
    if plan.status == PlanStatus.ACTIVE and not any(r["is_active"] for r in rows):
        errors.add(
            "prices",
            _("Paket aktif harus punya minimal satu harga aktif. Ubah status paket dulu bila ingin menutup penjualan."),
        )
    errors.raise_if_any(_("Periksa kembali daftar harga."))

    existing = {p.duration: p for p in PlanPrice.objects.filter(plan=plan).select_for_update()}
    changed: list[str] = []
    for row in rows:
        current = existing.pop(row["duration"], None)
        if current is None:
            PlanPrice.objects.create(plan=plan, **row)
            changed.append(f"+{row['duration']}")
            continue
        dirty = [name for name, value in row.items() if getattr(current, name) != value]
        if dirty:
            for name in dirty:
                setattr(current, name, row[name])
            current.save(update_fields=dirty)
            changed.append(row["duration"])
    deactivated = []
    for duration, price in existing.items():
        try:
            with transaction.atomic():
                price.delete()
            changed.append(f"-{duration}")
        except ProtectedError:
            if price.is_active:
                price.is_active = False
                price.save(update_fields=["is_active"])
                deactivated.append(duration)
    if changed or deactivated:
        record(
            actor=actor,
            target=plan,
            label=_label(plan),
            what=AuditWhat.PLAN_PRICES,
            fields=changed,
            deactivated=deactivated,
        )
    order = {d: i for i, d in enumerate(DURATION_ORDER)}
    return sorted(PlanPrice.objects.filter(plan=plan), key=lambda p: order.get(p.duration, 99))


@transaction.atomic
def plan_features_set(*, plan: MembershipPlan, actor, labels: list[str]) -> list[PlanFeature]:
    """The plan's selling points, in order (blank lines dropped). Errors keyed `features.<index>`."""
    require_admin(actor)
    plan = MembershipPlan.objects.select_for_update().get(pk=plan.pk)
    errors = Errors()
    cleaned = _clean_features(labels, errors)
    errors.raise_if_any(_("Periksa kembali daftar fitur."))
    if _replace_features(plan, cleaned):
        record(actor=actor, target=plan, label=_label(plan), what=AuditWhat.PLAN_FEATURES, count=len(cleaned))
    return list(plan.features.all())


def _clean_features(labels, errors: Errors) -> list[str]:
    cleaned = []
    for index, label in enumerate(labels or ()):
        text = clean_text(label, field=f"features.{index}", label=_("Fitur"), errors=errors, max_length=200)
        if text:
            cleaned.append(text)
    if len(cleaned) > PLAN_FEATURES_MAX:
        errors.add("features", _("Paling banyak %(max)s fitur.") % {"max": PLAN_FEATURES_MAX})
    return cleaned


def _replace_features(plan: MembershipPlan, labels: list[str]) -> bool:
    if list(plan.features.values_list("label", flat=True)) == labels:
        return False
    plan.features.all().delete()
    PlanFeature.objects.bulk_create([PlanFeature(plan=plan, label=text, sort_order=i) for i, text in enumerate(labels)])
    generation_bump()  # bulk_create sends no signal
    return True


@transaction.atomic
def plan_content_set(*, plan: MembershipPlan, actor, resource_ids, product_ids) -> MembershipPlan:
    """What a membership of this plan opens: access resources (groups, courses, events, documents, features —
    not products, which are chosen by `product_ids`) and products. New memberships are granted these on
    activation; after commit a task brings the grants of the plan's active members in line too."""

    require_admin(actor)
    plan = MembershipPlan.objects.select_for_update().get(pk=plan.pk)
    errors = Errors()
    resources = clean_ids(
        resource_ids,
        field="resource_ids",
        label=_("Grup, kelas & fitur"),
        errors=errors,
        queryset=Resource.objects.exclude(kind=ResourceKind.PRODUCT),
    )
    products = clean_ids(product_ids, field="product_ids", label=_("Produk"), errors=errors, queryset=Product.objects)
    errors.raise_if_any(_("Periksa kembali konten & akses."))
    old_resources = set(plan.included_resources.values_list("pk", flat=True))
    old_products = set(plan.included_products.values_list("pk", flat=True))
    if old_resources == set(resources) and old_products == set(products):
        return plan
    plan.included_resources.set(resources)
    plan.included_products.set(products)
    record(
        actor=actor,
        target=plan,
        label=_label(plan),
        what=AuditWhat.PLAN_CONTENT,
        resources_added=sorted(set(resources) - old_resources),
        resources_removed=sorted(old_resources - set(resources)),
        products_added=sorted(set(products) - old_products),
        products_removed=sorted(old_products - set(products)),
    )
    plan_id = plan.pk
    transaction.on_commit(lambda: plan_content_changed(plan_id=plan_id))  # memberships re-syncs its members
    return plan


__all__ = [
    "PLAN_FIELDS",
    "PriceInput",
    "plan_content_set",
    "plan_create",
    "plan_features_set",
    "plan_prices_set",
    "plan_update",
]
