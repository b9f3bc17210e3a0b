"""Members rate suppliers (the directory's shared rating) after opening the company contact: page and API."""

import pytest
from django.test import Client
from django.urls import reverse

from sanggar.api.testing import call
from sanggar.directory.models import DirectoryRating

pytestmark = pytest.mark.django_db


def test_member_rates_a_supplier_after_opening_its_contact(make_supplier, make_user, client):
    _owner, supplier = make_supplier("verified", premium_days=30)
    member = make_user(full_name="Budi Pembeli")
    web = Client()
    web.force_login(member)
    refused = call(client, "post", f"/suppliers/{supplier.slug}/rating", {"stars": 5}, user=member)
    assert refused.status_code == 403 and not DirectoryRating.objects.exists()
    web.post(reverse("suppliers:contact_open", args=[supplier.slug]))
    response = web.post(reverse("suppliers:rate", args=[supplier.slug]), {"stars": "5", "comment": "Sampel cepat"})
    assert response.status_code == 302
    page = web.get(reverse("suppliers:profile", args=[supplier.slug])).content.decode()
    assert "5,0 dari 5 (1 rating)" in page and "Sampel cepat" in page
    detail = call(client, "get", f"/suppliers/{supplier.slug}", user=member).json()
    assert detail["ratings"]["summary"] == {"average": 5.0, "count": 1}
    assert detail["ratings"]["mine"]["comment"] == "Sampel cepat"
    updated = call(client, "post", f"/suppliers/{supplier.slug}/rating", {"stars": 2}, user=member)
    assert updated.status_code == 200 and updated.json()["summary"]["average"] == 2.0
    assert DirectoryRating.objects.count() == 1
    bad = web.post(reverse("suppliers:rate", args=[supplier.slug]), {"stars": "99"})
    assert bad.status_code == 302 and DirectoryRating.objects.get().stars == 2
