"""The demo suppliers build through the services; the premium ones answer a new chat with an auto-reply."""

import pytest

from sanggar.core.roles import Role
from sanggar.suppliers import demo, services
from sanggar.suppliers.models import Supplier

pytestmark = pytest.mark.django_db


def test_premium_demo_suppliers_have_an_auto_reply(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_user(Role.ADMIN, email="admin@sanggar.test")
    make_user(Role.MENTOR, email="mentor@sanggar.test")
    demo.seed(log=lambda *_: None)
    premium = [s for s in Supplier.objects.select_related("user") if services.is_premium(s)]
    assert premium
    for supplier in premium:
        assert services.auto_reply_for_user(supplier.user).startswith("Terima kasih sudah menghubungi")
    assert not any(services.auto_reply_for_user(s.user) for s in Supplier.objects.all() if not services.is_premium(s))
