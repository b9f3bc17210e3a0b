"""Fixtures of the finance tests: a shop with an affiliate, a mentor-made product and the two founders, built
through the catalog, affiliates and orders services."""

from dataclasses import dataclass

import pytest

from sanggar.affiliates.services import affiliate_profile_ensure
from sanggar.core.roles import Role
from sanggar.finance.constants import AccountKind, Bucket
from sanggar.finance.models import LedgerEntry
from sanggar.finance.selectors import wallet_balances
from sanggar.orders.services import ItemRequest, order_create, order_mark_paid
from sanggar.orders.tests.shop import Shop


@dataclass
class World:
    admin: object
    shop: Shop
    affiliate: object
    mentor: object
    founder: object
    cofounder: object
    buyer: object

    def product(self, title="Kelas Ekspor", *, price=1_000_000, commission=30, commission_type="percent", share=20,
                creator=True, **values):  # fmt: skip
        return self.shop.product(
            title,
            price=price,
            affiliate_commission_type=commission_type,
            affiliate_commission_value=commission,
            creator_id=self.mentor.pk if creator else None,
            mentor_share_percent=share,
            **values,
        )

    def paid_order(self, *items, buyer=None, affiliate="default", provider="manual", now=None):
        requests = [ItemRequest("product", item.slug) if hasattr(item, "slug") else item for item in items]
        affiliate_user = self.affiliate if affiliate == "default" else affiliate
        order = order_create(
            buyer=buyer or self.buyer, items=requests, provider=provider, affiliate=affiliate_user, now=now
        )
        return order_mark_paid(order=order, actor=self.admin, now=now)


@pytest.fixture
def world(make_user, admin_user):
    affiliate = make_user(Role.AFFILIATE, full_name="Dinda Affiliate", email="dinda@example.com")
    affiliate_profile_ensure(user=affiliate)
    return World(
        admin=admin_user,
        shop=Shop(admin_user),
        affiliate=affiliate,
        mentor=make_user(Role.MENTOR, full_name="Mentor Budi", email="budi@example.com"),
        founder=make_user(Role.FOUNDER, full_name="Pendiri Satu", email="founder@example.com"),
        cofounder=make_user(Role.COFOUNDER, full_name="Pendiri Dua", email="cofounder@example.com"),
        buyer=make_user(full_name="Pembeli Sinta", email="sinta@example.com"),
    )


def balance(user, kind: str) -> dict:
    for wallet in wallet_balances(user=user):
        if wallet.kind == kind:
            return {
                "pending": wallet.pending,
                "available": wallet.available,
                "reserved": wallet.reserved,
                "paid_out": wallet.paid_out,
            }
    return {"pending": 0, "available": 0, "reserved": 0, "paid_out": 0}


def account_total(kind: str, bucket: str = Bucket.NONE, user=None) -> int:
    qs = LedgerEntry.objects.filter(account__kind=kind, account__bucket=bucket, account__user=user)
    return sum(qs.values_list("amount", flat=True))


def all_balances() -> dict:
    """(kind, bucket, user id) → balance, for every account with entries."""
    out: dict = {}
    for kind, bucket, user_id, amount in LedgerEntry.objects.values_list(
        "account__kind", "account__bucket", "account__user_id", "amount"
    ):
        out[(kind, bucket, user_id)] = out.get((kind, bucket, user_id), 0) + amount
    return {key: value for key, value in out.items() if value}


__all__ = ["AccountKind", "Bucket", "account_total", "all_balances", "balance"]
