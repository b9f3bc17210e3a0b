from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanggar.access.models import Resource
from sanggar.access.services import resource_ensure
from sanggar.audit.models import ActivityLog
from sanggar.catalog import services
from sanggar.catalog.models import Product, ProductFile, ProductImage
from sanggar.catalog.services import FaqInput
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError

from .conftest import pdf, png

pytestmark = pytest.mark.django_db


def _last(what):
    return ActivityLog.objects.filter(data__what=what).first()


def test_create_makes_the_access_resource(admin_user):
    product = services.product_create(actor=admin_user, title="Ebook Panduan Ekspor", kind="ebook")
    assert (product.slug, product.status, product.kind) == ("ebook-panduan-ekspor", "draft", "ebook")
    resource = product.resource
    assert (resource.kind, resource.key, resource.title) == ("product", "ebook-panduan-ekspor", "Ebook Panduan Ekspor")
    assert _last("product.created").target_id == str(product.pk)


def test_renaming_keeps_the_resource_and_follows_the_title(admin_user, make_product):
    product = make_product("Ebook Lama")
    resource_id = product.resource_id
    services.product_update(product=product, actor=admin_user, title="Ebook Baru", slug="ebook-baru")
    product.refresh_from_db()
    assert product.resource_id == resource_id
    resource = Resource.objects.get(pk=resource_id)
    assert (resource.key, resource.title) == ("ebook-lama", "Ebook Baru")
    # A new product taking the old slug gets a resource of its own.
    other = make_product("Ebook Lama")
    assert other.slug == "ebook-lama"
    assert other.resource_id != resource_id
    assert other.resource.key == f"ebook-lama-{other.pk}"


def test_every_field_is_saved(admin_user, make_user):
    mentor = make_user("mentor")
    category = services.category_create(actor=admin_user, name="Webinar")
    group = resource_ensure(kind="group", key="komunitas-webinar", title="Komunitas Webinar")
    event = resource_ensure(kind="event", key="webinar-vip", title="Webinar VIP")
    bonus = services.product_create(actor=admin_user, title="Template Invoice")
    ends = timezone.now() + timedelta(days=3)
    product = services.product_create(
        actor=admin_user,
        title="Webinar Buyer Eropa",
        kind="webinar",
        short_description="Cara menembus buyer Eropa.",
        description="<p><strong>Materi</strong> lengkap</p>",
        cover=png("cover.png", (128, 72)),
        video_url="https://youtu.be/abc",
        category_ids=[category.pk],
        tags="Ekspor, #Buyer, ekspor , Eropa",
        status="published",
        price_type="one_time",
        price="499.000",
        promo_price=399_000,
        promo_ends_at=ends,
        affiliate_commission_type="percent",
        affiliate_commission_value=30,
        member_discount_type="fixed",
        member_discount_value=50_000,
        access_level="member",
        access_days=30,
        resource_ids=[group.pk, event.pk],
        bundled_product_ids=[bonus.pk],
        faq=[FaqInput("Ada rekaman?", "Ada, 30 hari."), FaqInput("", "")],
        cta_text="Daftar Sekarang",
        stock=100,
        seo_title="Webinar Buyer Eropa",
        seo_description="Belajar menembus buyer Eropa.",
        creator_id=str(mentor.pk),
        scalev_variant_id="var-webinar",
    )
    product = Product.objects.get(pk=product.pk)
    assert product.tags == ["ekspor", "buyer", "eropa"]
    assert product.faq == [{"q": "Ada rekaman?", "a": "Ada, 30 hari."}]
    assert (product.price, product.promo_price, product.promo_ends_at) == (499_000, 399_000, ends)
    assert (product.member_discount_type, product.member_discount_value) == ("fixed", 50_000)
    assert (product.access_level, product.access_days, product.stock, product.creator) == ("member", 30, 100, mentor)
    assert product.cover.name.startswith("catalog/products/cover-")
    assert list(product.categories.all()) == [category]
    assert set(product.included_resources.all()) == {group, event}
    assert list(product.bundled_products.all()) == [bonus]
    assert product.description == "<p><strong>Materi</strong> lengkap</p>"


def test_pricing_rules(admin_user, make_product):
    product = make_product("Ebook", price=150_000)
    with pytest.raises(ServiceError) as exc:
        services.product_update(
            product=product,
            actor=admin_user,
            promo_price=150_000,
            affiliate_commission_type="flat",
            affiliate_commission_value=200_000,
            member_discount_type="percent",
            member_discount_value=120,
        )
    assert exc.value.errors == {"member_discount_value": ["Potongan member premium maksimal 100."]}
    with pytest.raises(ServiceError) as exc:
        services.product_update(
            product=product,
            actor=admin_user,
            promo_price=150_000,
            affiliate_commission_type="flat",
            affiliate_commission_value=200_000,
        )
    assert exc.value.errors == {
        "promo_price": ["Harga promo harus lebih kecil dari harga dasar."],
        "affiliate_commission_value": ["Komisi nominal tidak boleh melebihi harga dasar."],
    }
    with pytest.raises(ServiceError) as exc:
        services.product_update(product=product, actor=admin_user, price=0)
    assert exc.value.errors == {
        "price": ["Harga dasar produk berbayar minimal Rp 1. Pilih tipe harga Gratis untuk produk gratis."]
    }
    product.refresh_from_db()
    assert (product.price, product.promo_price) == (150_000, None)


def test_free_products_have_no_price(admin_user, make_product):
    product = make_product("Ebook", price=150_000, promo_price=99_000)
    services.product_update(product=product, actor=admin_user, price_type="free")
    product.refresh_from_db()
    assert (product.price_type, product.price, product.promo_price, product.promo_ends_at) == ("free", 0, None, None)


def test_publishing_needs_a_price(admin_user):
    product = services.product_create(actor=admin_user, title="Template Invoice")
    with pytest.raises(ServiceError) as exc:
        services.product_update(product=product, actor=admin_user, status="published")
    assert exc.value.errors == {"status": ["Lengkapi harga di tab Harga sebelum mempublikasikan produk."]}
    services.product_update(product=product, actor=admin_user, price=75_000)
    services.product_update(product=product, actor=admin_user, status="coming_soon")
    product.refresh_from_db()
    assert product.status == "coming_soon"


def test_stock_cannot_go_below_sold(admin_user, make_product):
    product = make_product("Webinar", stock=5)
    Product.objects.filter(pk=product.pk).update(sold_count=3)
    with pytest.raises(ServiceError) as exc:
        services.product_update(product=product, actor=admin_user, stock=2)
    assert exc.value.errors == {"stock": ["Kuota tidak boleh lebih kecil dari jumlah yang sudah terjual (3)."]}
    services.product_update(product=product, actor=admin_user, stock="")
    product.refresh_from_db()
    assert product.stock is None


def test_other_field_checks(admin_user, make_user, make_product):
    product = make_product("Ebook")
    member = make_user()
    with pytest.raises(ServiceError) as exc:
        services.product_update(
            product=product,
            actor=admin_user,
            creator_id=member.pk,
            bundled_product_ids=[product.pk],
            access_days=0,
            faq=[{"q": "Tanpa jawaban?", "a": ""}],
            tags=["x" * 41],
            seo_title="x" * 71,
            kind="kursus",
        )
    assert exc.value.errors == {
        "seo_title": ["Judul SEO paling banyak 70 karakter."],
        "kind": ["Pilihan jenis produk tidak valid."],
        "tags": ["Setiap tag paling banyak 40 karakter."],
        "faq.0.answer": ["Jawaban wajib diisi."],
        "access_days": ["Batas akses (hari) minimal 1."],
        "creator_id": ["Pilih kreator dari daftar mentor aktif."],
        "bundled_product_ids": ["Produk tidak bisa dibundel dengan dirinya sendiri."],
    }


def test_gallery_add_and_remove(admin_user, make_product, django_capture_on_commit_callbacks):
    product = make_product("Ebook")
    first, second = services.product_gallery_add(product=product, actor=admin_user, images=[png("a.png"), png("b.png")])
    assert [i.sort_order for i in (first, second)] == [0, 1]
    with pytest.raises(ServiceError) as exc:
        services.product_gallery_add(
            product=product,
            actor=admin_user,
            images=[png("c.png"), SimpleUploadedFile("d.gif", b"GIF89a....", "image/gif")],
        )
    message = "Gambar galeri harus berupa gambar PNG, JPEG atau WebP (SVG tidak diterima)."
    assert exc.value.errors == {"images": [message]}
    assert ProductImage.objects.filter(product=product).count() == 2
    name = first.image.name
    with django_capture_on_commit_callbacks(execute=True):
        services.product_gallery_remove(product=product, actor=admin_user, image_id=first.pk)
    assert not first.image.storage.exists(name)
    with pytest.raises(NotFound):
        services.product_gallery_remove(product=product, actor=admin_user, image_id=first.pk)


def test_private_files_are_checked_and_stored_under_private(admin_user, make_product):
    product = make_product("Ebook")
    product_file = services.product_file_add(product=product, actor=admin_user, file=pdf("Panduan Ekspor.pdf"))
    assert product_file.title == "Panduan Ekspor.pdf"
    assert product_file.original_name == "Panduan Ekspor.pdf"
    assert product_file.file.name.startswith("private/products/file-") and product_file.file.name.endswith(".pdf")
    assert product_file.size == len(pdf().read())
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ServiceError) as exc:
        services.product_file_add(product=product, actor=admin_user, file=fake, title="Palsu")
    assert exc.value.errors == {"file": ["Isi file tidak cocok dengan jenisnya (.pdf). Unggah file aslinya."]}
    with pytest.raises(ServiceError) as exc:
        services.product_file_add(product=product, actor=admin_user, file=SimpleUploadedFile("x.exe", b"MZ", "x"))
    assert exc.value.errors["file"][0].startswith("Jenis file tidak didukung.")
    assert list(ProductFile.objects.filter(product=product).values_list("title", flat=True)) == ["Panduan Ekspor.pdf"]
    services.product_file_remove(product=product, actor=admin_user, file_id=product_file.pk)
    assert not ProductFile.objects.exists()


def test_members_cannot_write_products(make_user, make_product):
    product = make_product("Ebook")
    member = make_user()
    count = ActivityLog.objects.count()
    with pytest.raises(NotAllowed):
        services.product_update(product=product, actor=member, title="Diretas")
    with pytest.raises(NotAllowed):
        services.product_file_add(product=product, actor=member, file=pdf())
    product.refresh_from_db()
    assert product.title == "Ebook"
    assert ActivityLog.objects.count() == count
    assert not ProductFile.objects.exists()
