"""Fixtures of the attribution tests: the two middlewares installed, a small catalogue, an affiliate."""

import pytest

from sanggar.affiliates.services import affiliate_profile_ensure
from sanggar.core.roles import Role
from sanggar.orders.tests.shop import Shop

HOST_MW = "sanggar.affiliates.middleware.ShortLinkHostMiddleware"
REF_MW = "sanggar.affiliates.middleware.ReferralMiddleware"
AUTH_MW = "django.contrib.auth.middleware.AuthenticationMiddleware"


def install_middleware(settings) -> None:
    """Where config/settings.py puts them: the host resolver first, the referral tracker after authentication."""
    chain = [m for m in settings.MIDDLEWARE if m not in (HOST_MW, REF_MW)]
    chain.insert(chain.index(AUTH_MW) + 1, REF_MW)
    settings.MIDDLEWARE = [HOST_MW, *chain]


@pytest.fixture(autouse=True)
def _attribution_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://sanggar.test"
    settings.PAYMENT_PROVIDERS = ["manual"]
    settings.MANUAL_UNIQUE_CODE = False
    install_middleware(settings)
    return settings


@pytest.fixture
def shop(admin_user):
    return Shop(admin_user)


@pytest.fixture
def gold(shop):
    """Gold: 12 months Rp 1.200.000 (30% commission), 1 month Rp 150.000 with a flat Rp 25.000 override."""
    from sanggar.catalog.models import PlanPrice

    plan = shop.plan(
        "Gold",
        prices=(("12m", 1_200_000), ("1m", 150_000)),
        affiliate_commission_type="percent",
        affiliate_commission_value=30,
    )
    PlanPrice.objects.filter(plan=plan, duration="1m").update(
        affiliate_commission_type="flat", affiliate_commission_value=25_000
    )
    return plan


@pytest.fixture
def ebook(shop):
    return shop.product(
        "Ebook Ekspor", price=300_000, affiliate_commission_type="flat", affiliate_commission_value=250_000
    )


@pytest.fixture
def make_affiliate(make_user):
    def make(full_name="Dinda Pratiwi", **fields):
        user = make_user(Role.AFFILIATE, full_name=full_name, **fields)
        return affiliate_profile_ensure(user=user)

    return make


@pytest.fixture
def affiliate(make_affiliate):
    return make_affiliate(email="dinda@example.com")


@pytest.fixture
def buyer(make_user):
    return make_user(full_name="Budi Santoso", email="budi@example.com")
