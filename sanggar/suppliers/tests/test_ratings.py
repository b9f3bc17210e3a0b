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


def _rated(make_supplier, members, name, stars):
    """A listed supplier rated by these members (each opened its contact first)."""
    from sanggar.directory import services as directory
    from sanggar.suppliers import services

    _owner, supplier = make_supplier("verified", name=name)
    for member, n in zip(members, stars, strict=True):
        services.contact_open(supplier=supplier, user=member)
        directory.rating_save(user=member, kind="supplier", object_id=supplier.pk, stars=n)
    return supplier


def _queries(run) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        run()
    return len(ctx.captured_queries)


def test_supplier_list_shows_average_and_count_with_a_fixed_number_of_queries(
    make_supplier, make_user, client, settings, django_assert_max_num_queries
):
    settings.DIRECTORY_RATING_RATE_LIMIT = settings.DIRECTORY_RATING_IP_RATE_LIMIT = "1000/60"
    members = [make_user(full_name=f"Member {i}") for i in range(3)]
    viewer = make_user(full_name="Pencari Supplier")
    web = Client()
    web.force_login(viewer)
    _rated(make_supplier, members, "PT Bintang Lima", [5, 4, 4])
    _rated(make_supplier, [], "CV Belum Dinilai", [])
    page = web.get(reverse("suppliers:directory")).content.decode()
    assert "4,3 dari 5 (3 rating)" in page and "Belum ada rating" in page
    api = call(client, "get", "/suppliers", user=viewer).json()["results"]
    by_name = {r["company_name"]: r["rating"] for r in api}
    assert by_name["PT Bintang Lima"] == {"average": 4.3, "count": 3}
    assert by_name["CV Belum Dinilai"] == {"average": None, "count": 0}

    def page_get():
        assert web.get(reverse("suppliers:directory")).status_code == 200

    def api_get():
        assert call(client, "get", "/suppliers", user=viewer).status_code == 200

    small_page, small_api = _queries(page_get), _queries(api_get)
    for i in range(4):  # (the free quota is 5 contacts a month per member)
        _rated(make_supplier, [members[i % 3]], f"PT Tambahan {i}", [3])
    # hidden reviews leave the average
    from sanggar.directory.models import DirectoryRating

    DirectoryRating.objects.filter(stars=5).update(is_hidden=True)
    assert _queries(page_get) == small_page and _queries(api_get) == small_api
    with django_assert_max_num_queries(25):
        page = web.get(reverse("suppliers:directory")).content.decode()
    assert "4,0 dari 5 (2 rating)" in page
    favourite = Client()
    favourite.force_login(members[0])
    favourite.post(reverse("suppliers:save", args=["pt-bintang-lima"]), {"saved": "1"})
    fav = favourite.get(reverse("suppliers:favourites")).content.decode()
    assert "4,0 dari 5 (2 rating)" in fav
