"""A product's gallery and files (admin writes; the product itself is in `products.py`; its WhatsApp follow-ups
are sequences of the reminder builder)."""

from django.db import transaction
from django.utils.translation import gettext as _

from sanggar.core.exceptions import NotFound, ServiceError

from ..constants import (
    GALLERY_MAX_IMAGES,
    IMAGE_MAX_BYTES,
    PRODUCT_FILES_MAX,
    AuditWhat,
)
from ..models import Product, ProductFile, ProductImage
from ..uploads import file_size, generated_name, original_name, validate_image, validate_product_file
from .common import (
    Errors,
    clean_text,
    delete_files_after_commit,
    record,
    require_admin,
)
from .products import product_label


def _locked(product: Product) -> Product:
    return Product.objects.select_for_update().get(pk=product.pk)


@transaction.atomic
def product_gallery_add(*, product: Product, actor, images: list) -> list[ProductImage]:
    """Adds gallery images (PNG, JPEG or WebP ≤ 5 MB each, at most GALLERY_MAX_IMAGES in all). Errors on
    "images"; nothing is added when one file is refused."""
    require_admin(actor)
    product = _locked(product)
    errors = Errors()
    images = [image for image in images or () if image]
    if not images:
        errors.add("images", _("Pilih minimal satu gambar."))
    count = product.gallery.count()
    if count + len(images) > GALLERY_MAX_IMAGES:
        errors.add("images", _("Galeri paling banyak %(max)s gambar (sekarang %(n)s).") % {
            "max": GALLERY_MAX_IMAGES, "n": count})  # fmt: skip
    checked = []
    for upload in images if not errors else ():
        try:
            checked.append((upload, validate_image(upload, field="images", label=_("Gambar galeri"),
                                                   max_bytes=IMAGE_MAX_BYTES)))  # fmt: skip
        except ServiceError as exc:
            errors.merge(exc)
    errors.raise_if_any(_("Gambar galeri tidak bisa ditambahkan."))
    created = []
    for offset, (upload, extension) in enumerate(checked):
        image = ProductImage(product=product, sort_order=count + offset)
        image.image.save(generated_name("gallery", extension), upload, save=False)
        image.save()
        created.append(image)
    record(
        actor=actor, target=product, label=product_label(product), what=AuditWhat.PRODUCT_GALLERY, added=len(created)
    )
    return created


@transaction.atomic
def product_gallery_remove(*, product: Product, actor, image_id: int) -> None:
    require_admin(actor)
    product = _locked(product)
    image = ProductImage.objects.filter(product=product, pk=image_id).first()
    if image is None:
        raise NotFound(_("Gambar tidak ditemukan."))
    name = image.image.name
    image.delete()
    record(actor=actor, target=product, label=product_label(product), what=AuditWhat.PRODUCT_GALLERY, removed=1)
    delete_files_after_commit(image.image.storage, [name])


@transaction.atomic
def product_file_add(*, product: Product, actor, file, title: str = "") -> ProductFile:
    """A private download (PDF, ZIP, EPUB, DOCX, XLSX, PPTX, MP4, MP3, PNG, JPG ≤ 200 MB, content checked against
    the extension). Stored under private/ with a generated name; only the access app's signed links serve it."""
    require_admin(actor)
    product = _locked(product)
    errors = Errors()
    if not file:
        errors.add("file", _("Pilih file yang akan diunggah."))
        errors.raise_if_any(_("File tidak bisa diunggah."))
    if product.files.count() >= PRODUCT_FILES_MAX:
        errors.add("file", _("Paling banyak %(max)s file per produk.") % {"max": PRODUCT_FILES_MAX})
    extension = ""
    try:
        extension = validate_product_file(file)
    except ServiceError as exc:
        errors.merge(exc)
    name = original_name(file)
    title = clean_text(title, field="title", label=_("Judul file"), errors=errors, max_length=200) or name[:200]
    errors.raise_if_any(_("File tidak bisa diunggah."))
    product_file = ProductFile(product=product, title=title, original_name=name, size=file_size(file))
    product_file.file.save(generated_name("file", extension), file, save=False)
    product_file.save()
    record(actor=actor, target=product, label=product_label(product), what=AuditWhat.PRODUCT_FILES, added=title)
    return product_file


@transaction.atomic
def product_file_remove(*, product: Product, actor, file_id: int) -> None:
    require_admin(actor)
    product = _locked(product)
    product_file = ProductFile.objects.filter(product=product, pk=file_id).first()
    if product_file is None:
        raise NotFound(_("File tidak ditemukan."))
    name, title = product_file.file.name, product_file.title
    product_file.delete()
    record(actor=actor, target=product, label=product_label(product), what=AuditWhat.PRODUCT_FILES, removed=title)
    delete_files_after_commit(product_file.file.storage, [name])
