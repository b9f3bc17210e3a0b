"""Product categories (Ebook, Webinar, Template…): create, rename, delete. Admin only."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..constants import AuditWhat
from ..models import ProductCategory
from .common import Errors, clean_slug, clean_text, record, require_admin, unique_slug


def _clean(category: ProductCategory, name, slug, errors: Errors) -> tuple[str, str]:
    name = clean_text(name, field="name", label=_("Nama kategori"), errors=errors, max_length=80, required=True)
    if name and ProductCategory.objects.filter(name__iexact=name).exclude(pk=category.pk).exists():
        errors.add("name", _("Kategori “%(name)s” sudah ada.") % {"name": name})
    slug = clean_slug(slug, field="slug", errors=errors, max_length=90)
    if slug and ProductCategory.objects.filter(slug=slug).exclude(pk=category.pk).exists():
        errors.add("slug", _("Slug “%(slug)s” sudah dipakai kategori lain.") % {"slug": slug})
    errors.raise_if_any(_("Periksa kembali isian kategori."))
    if not slug:
        slug = category.slug or unique_slug(
            name, queryset=ProductCategory.objects.exclude(pk=category.pk), max_length=90, fallback="kategori"
        )
    return name, slug


@transaction.atomic
def category_create(*, actor, name: str, slug: str = "") -> ProductCategory:
    require_admin(actor)
    category = ProductCategory()
    category.name, category.slug = _clean(category, name, slug, Errors())
    category.save()
    record(actor=actor, target=category, label=_("Kategori %(name)s") % {"name": category.name},
           what=AuditWhat.CATEGORY_CREATED)  # fmt: skip
    return category


@transaction.atomic
def category_update(*, category: ProductCategory, actor, name: str, slug: str = "") -> ProductCategory:
    """Renames a category; an empty slug keeps the current one."""
    require_admin(actor)
    category = ProductCategory.objects.select_for_update().get(pk=category.pk)
    new_name, new_slug = _clean(category, name, slug, Errors())
    changed = [f for f, v in (("name", new_name), ("slug", new_slug)) if getattr(category, f) != v]
    if not changed:
        return category
    category.name, category.slug = new_name, new_slug
    category.save()
    record(actor=actor, target=category, label=_("Kategori %(name)s") % {"name": category.name},
           what=AuditWhat.CATEGORY_UPDATED, fields=changed)  # fmt: skip
    return category


@transaction.atomic
def category_delete(*, category: ProductCategory, actor) -> None:
    """Deletes a category; its products stay (they simply lose this category)."""
    require_admin(actor)
    category = ProductCategory.objects.select_for_update().get(pk=category.pk)
    products = category.products.count()
    record(actor=actor, target=category, label=_("Kategori %(name)s") % {"name": category.name},
           what=AuditWhat.CATEGORY_DELETED, products=products)  # fmt: skip
    category.delete()
