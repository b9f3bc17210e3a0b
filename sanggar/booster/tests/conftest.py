import pytest

from sanggar.affiliates.services.profiles import affiliate_profile_ensure
from sanggar.booster.models import CreditPackage
from sanggar.booster.services import credits
from sanggar.core.roles import Role


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def aff_user(make_user):
    return make_user(Role.AFFILIATE, full_name="Dinda Lestari", email="dinda@example.com")


@pytest.fixture
def affiliate(aff_user):
    return affiliate_profile_ensure(user=aff_user)


@pytest.fixture
def other_affiliate(make_user):
    return affiliate_profile_ensure(user=make_user(Role.AFFILIATE, full_name="Raka Pratama", email="raka@example.com"))


@pytest.fixture
def funded(affiliate):
    credits.credit_topup(affiliate=affiliate, credits=100, ref="test:seed")
    return affiliate


@pytest.fixture
def package(db):
    return CreditPackage.objects.create(name="Starter", slug="starter", price=50_000, credits=70)
