"""Fixtures of the catalog tests: uploads go to a temporary media folder; plans, products and coupons are built
through the services."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sanggar.catalog import services
from sanggar.catalog.services import PriceInput


def png(name: str = "gambar.png", size=(40, 20), color="#2047FC") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGBA", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def pdf(name: str = "panduan.pdf", body: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_plan(admin_user):
    def make(title="Gold", *, prices=(("12m", 1_200_000),), status="active", **values):
        plan = services.plan_create(actor=admin_user, title=title, **values)
        if prices:
            services.plan_prices_set(
                plan=plan,
                actor=admin_user,
                prices=[PriceInput(duration=d, price=p) for d, p in prices],
            )
        if status != plan.status:
            plan = services.plan_update(plan=plan, actor=admin_user, status=status)
        return plan

    return make


@pytest.fixture
def make_product(admin_user):
    def make(title="Ebook Ekspor", *, price=150_000, status="published", **values):
        values.setdefault("price_type", "free" if price == 0 else "one_time")
        if price:
            values.setdefault("price", price)
        return services.product_create(actor=admin_user, title=title, status=status, **values)

    return make


@pytest.fixture
def make_coupon(admin_user):
    def make(code="HEMAT10", discount_type="percent", value=10, **values):
        return services.coupon_create(actor=admin_user, code=code, discount_type=discount_type, value=value, **values)

    return make
