"""Ratings of forwarders (and, through the same service, suppliers): only after opening the contact, one per member
and entry (a second replaces the first), 1–5 stars, the average on the page and in the API, admins hide abusive
reviews (they leave the average), hostile input refused with a reason."""

import pytest
from django.test import Client
from django.urls import reverse

from sanggar.api.testing import call
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.directory import forwarder_services
from sanggar.directory import services as shared
from sanggar.directory.constants import KIND_FORWARDER
from sanggar.directory.models import DirectoryRating

from .test_others import forwarder  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_rating_needs_the_opened_contact_and_replaces_the_members_own(member, make_user, forwarder):  # noqa: F811
    with pytest.raises(NotAllowed):
        shared.rating_save(user=member, kind=KIND_FORWARDER, object_id=forwarder.pk, stars=5)
    assert not DirectoryRating.objects.exists()
    forwarder_services.forwarder_open(user=member, forwarder=forwarder)
    shared.rating_save(user=member, kind=KIND_FORWARDER, object_id=forwarder.pk, stars=5, comment="Cepat")
    shared.rating_save(user=member, kind=KIND_FORWARDER, object_id=forwarder.pk, stars=3, comment="Lumayan")
    assert DirectoryRating.objects.get().stars == 3  # one per member, edited
    other = make_user(full_name="Sari")
    forwarder_services.forwarder_open(user=other, forwarder=forwarder)
    shared.rating_save(user=other, kind=KIND_FORWARDER, object_id=forwarder.pk, stars=4)
    summary = shared.rating_summary(kind=KIND_FORWARDER, object_id=forwarder.pk)
    assert (summary.average, summary.count, summary.label) == (3.5, 2, "3,5 dari 5 (2 rating)")
    for stars, comment in ((0, ""), (6, ""), ("x", ""), (5, "a" * 501), (5, "nul\x00")):
        with pytest.raises(ServiceError):
            shared.rating_save(user=member, kind=KIND_FORWARDER, object_id=forwarder.pk, stars=stars, comment=comment)
    assert DirectoryRating.objects.get(user=member).stars == 3


def test_admin_hides_a_review_and_it_leaves_the_average(admin_user, member, make_user, forwarder):  # noqa: F811
    forwarder_services.forwarder_open(user=member, forwarder=forwarder)
    bad = shared.rating_save(user=member, kind=KIND_FORWARDER, object_id=forwarder.pk, stars=1, comment="Kasar!")
    with pytest.raises(NotAllowed):
        shared.rating_hide(actor=member, rating_id=bad.pk, hidden=True)
    admin = _client(admin_user)
    page = admin.get(reverse("directory:admin_ratings"))
    assert page.status_code == 200 and "Kasar!" in page.content.decode()
    admin.post(reverse("directory:admin_ratings"), {"rating": bad.pk, "hidden": "1"})
    assert DirectoryRating.objects.get().is_hidden is True
    assert shared.rating_summary(kind=KIND_FORWARDER, object_id=forwarder.pk).count == 0
    someone = make_user(full_name="Orang Lain")
    detail = _client(someone).get(reverse("directory:forwarder_detail", args=[forwarder.pk])).content.decode()
    assert "Kasar!" not in detail and "Belum ada rating" in detail
    own = _client(member).get(reverse("directory:forwarder_detail", args=[forwarder.pk])).content.decode()
    assert own.count("Kasar!") == 1  # only in the author's own form, not among the reviews
    assert _client(member).get(reverse("directory:admin_ratings")).status_code == 403
    assert admin.post(reverse("directory:admin_ratings"), {"rating": "abc", "hidden": "1"}).status_code == 302


def test_rating_on_the_forwarder_page_and_through_the_api(member, forwarder, client):  # noqa: F811
    web = _client(member)
    url = reverse("directory:forwarder_detail", args=[forwarder.pk])
    assert "setelah Anda membuka kontaknya" in web.get(url).content.decode()
    refused = call(client, "post", f"/forwarders/{forwarder.pk}/rating", {"stars": 5}, user=member)
    assert refused.status_code == 403 and refused.json()["message"]
    web.post(url, {"action": "open"})
    web.post(url, {"action": "rate", "stars": "4", "comment": "Dokumen rapi"})
    page = web.get(url).content.decode()
    assert "4,0 dari 5 (1 rating)" in page and "Dokumen rapi" in page and "Perbarui rating" in page
    answer = call(client, "post", f"/forwarders/{forwarder.pk}/rating", {"stars": 5, "comment": ""}, user=member)
    assert answer.status_code == 200
    body = answer.json()
    assert body["summary"] == {"average": 5.0, "count": 1} and body["mine"]["stars"] == 5 and body["may_rate"]
    assert call(client, "post", f"/forwarders/{forwarder.pk}/rating", {"stars": 9}, user=member).status_code == 422
    listing = call(client, "get", "/forwarders", user=member).json()
    assert listing["results"][0]["rating"] == {"average": 5.0, "count": 1}
    detail = call(client, "get", f"/forwarders/{forwarder.pk}", user=member).json()
    assert detail["ratings"]["reviews"][0]["stars"] == 5


def test_forwarder_list_page_shows_average_and_count_in_fixed_queries(admin_user, member, make_user, forwarder):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for stars in (5, 4):
        rater = make_user(full_name=f"Penilai {stars}")
        forwarder_services.forwarder_open(user=rater, forwarder=forwarder)
        shared.rating_save(user=rater, kind=KIND_FORWARDER, object_id=forwarder.pk, stars=stars)
    web = _client(member)
    url = reverse("directory:forwarders")
    page = web.get(url).content.decode()
    assert "4,5 dari 5 (2 rating)" in page
    with CaptureQueriesContext(connection) as few:
        web.get(url)
    for i in range(5):
        forwarder_services.forwarder_save(actor=admin_user, data={"name": f"Kargo {i}", "city": "Surabaya"})
    with CaptureQueriesContext(connection) as many:
        page = web.get(url).content.decode()
    assert len(many) == len(few) and page.count("Belum ada rating") == 5
