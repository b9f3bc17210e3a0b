"""The mentor share on catalog products (field, service validation, the product's "Harga" tab)."""

import pytest
from django.urls import reverse

from sanggar.catalog.services import product_update
from sanggar.core.exceptions import ServiceError

pytestmark = pytest.mark.django_db


def test_mentor_share_validation(world):
    product = world.product(share=0)
    with pytest.raises(ServiceError) as exc:
        product_update(product=product, actor=world.admin, mentor_share_percent=101)
    assert exc.value.errors == {"mentor_share_percent": ["Bagian mentor maksimal 100."]}
    product.refresh_from_db()
    assert product.mentor_share_percent == 0
    product_update(product=product, actor=world.admin, mentor_share_percent="25")
    product.refresh_from_db()
    assert product.mentor_share_percent == 25


def test_pricing_tab_saves_mentor_share(client, world):
    product = world.product(share=0)
    client.force_login(world.admin)
    url = reverse("catalog:admin_product_pricing", args=[product.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="mentor_share_percent"' in page.content.decode()
    data = {
        "price_type": "one_time", "price": "1000000", "promo_price": "", "promo_ends_at": "",
        "affiliate_commission_type": "percent", "affiliate_commission_value": "30", "mentor_share_percent": "40",
        "member_discount_type": "percent", "member_discount_value": "0", "stock": "", "scalev_variant_id": "",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.mentor_share_percent == 40
