"""Test data of the affiliate-ui tests: an affiliate with a profile, a shop, and paid referred orders built through
the catalog, orders and affiliates services (fulfilment posts the split and creates the commission)."""

from dataclasses import dataclass
from datetime import datetime

import pytest

from sanggar.affiliates.models import AffiliateProfile, Commission
from sanggar.affiliates.services import affiliate_profile_ensure, click_record
from sanggar.core.roles import Role
from sanggar.orders.services import ItemRequest, order_create, order_mark_paid, order_refund
from sanggar.orders.tests.shop import Shop


@dataclass
class UiWorld:
    admin: object
    shop: Shop
    user: object  # the affiliate's account
    affiliate: AffiliateProfile
    product: object
    _buyers: int = 0

    def buyer(self, name="Budi Santoso"):
        from sanggar.accounts.tests.factories import UserFactory

        self._buyers += 1
        return UserFactory(full_name=name, email=f"pembeli{self._buyers}@example.com")

    def sale(self, *, now: datetime | None = None, buyer=None, affiliate_user=None, product=None) -> Commission:
        """A paid order referred by the affiliate; returns its commission."""
        order = order_create(
            buyer=buyer or self.buyer(),
            items=[ItemRequest("product", (product or self.product).slug)],
            provider="manual",
            affiliate=affiliate_user or self.user,
            now=now,
        )
        order = order_mark_paid(order=order, actor=self.admin, now=now)
        return Commission.objects.get(order=order)

    def refund(self, commission: Commission) -> None:
        order_refund(order=commission.order, actor=self.admin, reason="Pembeli membatalkan")

    def click(self, *, ip="10.0.0.1", path="/produk/kelas-ekspor", now=None, affiliate=None):
        return click_record(
            code=(affiliate or self.affiliate).code, landing_path=path, referrer="", user_agent="pytest", ip=ip, now=now
        )

    def other_affiliate(self, name="Rina Wijaya", email="rina@example.com"):
        from sanggar.accounts.tests.factories import UserFactory

        user = UserFactory(roles=[Role.AFFILIATE], full_name=name, email=email)
        return user, affiliate_profile_ensure(user=user)


@pytest.fixture(name="ui_world")
def ui_world_fixture(make_user, admin_user, settings, tmp_path):
    settings.PAYMENT_PROVIDERS = ["manual"]
    settings.MANUAL_UNIQUE_CODE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    user = make_user(Role.AFFILIATE, full_name="Dinda Lestari", email="dinda@example.com")
    affiliate = affiliate_profile_ensure(user=user)
    shop = Shop(admin_user)
    product = shop.product(
        "Kelas Ekspor", price=1_000_000, affiliate_commission_type="percent", affiliate_commission_value=30
    )
    return UiWorld(admin=admin_user, shop=shop, user=user, affiliate=affiliate, product=product)
