"""The front door's settings: what `/` shows (hero texts, plans, featured products, numbers, testimonials)."""

from django.db import transaction
from django.utils.translation import gettext as _

from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record
from sanggar.catalog.constants import ProductStatus
from sanggar.catalog.models import Product
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role

from ..models import HomePage

HOME_FEATURED_MAX = 6
HOME_TESTIMONIALS_MAX = 12
HOME_TEXT_FIELDS = {"headline": 120, "subheadline": 300, "testimonials": 4000}
HOME_FLAGS = ("show_plans", "show_products", "show_numbers", "show_testimonials")


def home_page_get() -> HomePage:
    return HomePage.objects.get_or_create(pk=HomePage.SINGLETON_ID)[0]


def testimonials_parse(text: str) -> list[dict]:
    """`Nama | Peran | Kutipan` (or `Nama | Kutipan`) a line → [{"name", "role", "quote"}]; other lines are skipped."""
    items = []
    for line in (text or "").splitlines():
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 2 and all(parts):
            items.append({"name": parts[0], "role": "", "quote": parts[1]})
        elif len(parts) == 3 and parts[0] and parts[2]:
            items.append({"name": parts[0], "role": parts[1], "quote": parts[2]})
    return items[:HOME_TESTIMONIALS_MAX]


@transaction.atomic
def home_page_update(*, actor, featured_product_ids=None, **values) -> HomePage:
    """Saves what the front door shows. Texts are trimmed and bounded; featured products must be published (at most
    HOME_FEATURED_MAX, in the given order of choice)."""
    if actor is None or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat mengubah beranda."))
    unknown = set(values) - set(HOME_TEXT_FIELDS) - set(HOME_FLAGS)
    if unknown:
        raise ServiceError(_("Isian tidak dikenal: %(f)s") % {"f": ", ".join(sorted(unknown))})
    page = HomePage.objects.select_for_update().get_or_create(pk=HomePage.SINGLETON_ID)[0]
    errors: dict[str, list[str]] = {}
    changed = []
    for name, limit in HOME_TEXT_FIELDS.items():
        if name in values:
            text = str(values[name] or "").strip()
            if len(text) > limit:
                errors[name] = [_("Maksimal %(n)s karakter.") % {"n": limit}]
            elif text != getattr(page, name):
                setattr(page, name, text)
                changed.append(name)
    for name in HOME_FLAGS:
        if name in values and bool(values[name]) != getattr(page, name):
            setattr(page, name, bool(values[name]))
            changed.append(name)
    products = None
    if featured_product_ids is not None:
        ids = list(dict.fromkeys(int(pk) for pk in featured_product_ids))
        if len(ids) > HOME_FEATURED_MAX:
            errors["featured_product_ids"] = [_("Pilih paling banyak %(n)s produk.") % {"n": HOME_FEATURED_MAX}]
        products = list(Product.objects.filter(pk__in=ids, status=ProductStatus.PUBLISHED))
        if len(products) != len(ids):
            errors.setdefault("featured_product_ids", []).append(_("Hanya produk yang sudah terbit yang bisa dipilih."))
    if errors:
        raise ServiceError(_("Periksa kembali isian beranda."), errors=errors)
    page.save()
    if products is not None and {p.pk for p in products} != set(page.featured_products.values_list("pk", flat=True)):
        page.featured_products.set(products)
        changed.append("featured_products")
    if changed:
        activity_record(
            action=Action.SETTINGS_CHANGED, actor=actor, target=page, target_label=_("Beranda"),
            data={"what": "home.updated", "fields": sorted(changed)},
        )  # fmt: skip
    return page
