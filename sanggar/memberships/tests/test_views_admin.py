"""Admin membership pages: the list (filters, expiring, search, CSV, bounded queries) and the member page
actions; only admins."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.access.tests.factories import price_of
from sanggar.memberships.models import UserMembership
from sanggar.memberships.services import membership_activate

pytestmark = pytest.mark.django_db

URL = "/admin/memberships"


@pytest.fixture
def members(make_user, admin_user, catalog):
    now = timezone.now()
    siti = make_user(full_name="Siti Rahmawati", email="siti@contoh.id")
    budi = make_user(full_name="Budi Santoso", email="budi@contoh.id")
    membership_activate(user=siti, plan_price=price_of(catalog["gold"], "12m"), amount_paid=0, now=now)
    membership_activate(
        user=budi, plan_price=price_of(catalog["silver"], "1m"), amount_paid=0, now=now - timedelta(days=25)
    )
    return {"siti": siti, "budi": budi}


def test_list_filters_search_and_expiring(admin_client, members, catalog):
    body = admin_client.get(URL).content.decode()
    assert "Siti Rahmawati" in body and "Budi Santoso" in body
    expiring = admin_client.get(URL, {"expiring": "7"}).content.decode()
    assert "Budi Santoso" in expiring and "Siti Rahmawati" not in expiring
    by_plan = admin_client.get(URL, {"plan": str(catalog["gold"].pk)}).content.decode()
    assert "Siti Rahmawati" in by_plan and "Budi Santoso" not in by_plan
    search = admin_client.get(URL, {"q": "budi@"}).content.decode()
    assert "Budi Santoso" in search and "Siti Rahmawati" not in search


def test_list_runs_a_bounded_number_of_queries(admin_client, make_user, catalog):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    first = make_user()
    membership_activate(user=first, plan_price=price_of(catalog["gold"]), amount_paid=0)
    count()  # warm the per-process caches (branding, menu)
    one = count()
    for _ in range(6):
        membership_activate(user=make_user(), plan_price=price_of(catalog["silver"]), amount_paid=0)
    assert count() == one


def test_csv_export_follows_the_filters(admin_client, members):
    response = admin_client.get(URL + "/export.csv", {"expiring": "7"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Nama,Email,Paket,Durasi,Status")
    assert len(lines) == 2 and "budi@contoh.id" in lines[1] and "Pesanan" in lines[1]


def test_only_admins(member_client, members):
    assert member_client.get(URL).status_code == 403
    assert Client().get(URL).status_code == 302
    pk = members["siti"].pk
    response = member_client.post(f"{URL}/users/{pk}/cancel", {"cancel-expire": "0", "cancel-reason": "x"})
    assert response.status_code == 403
    assert UserMembership.objects.get(user=members["siti"]).status == "active"


def test_member_page_extends_and_refuses_bad_input(admin_client, members):
    siti = members["siti"]
    m = UserMembership.objects.get(user=siti)
    page = admin_client.get(f"{URL}/users/{siti.pk}")
    assert page.status_code == 200 and "Perpanjang" in page.content.decode()
    bad = admin_client.post(f"{URL}/users/{siti.pk}/extend", {"extend-days": "5", "extend-reason": ""})
    assert bad.status_code == 400
    assert "Wajib diisi" in bad.content.decode() or "field-error" in bad.content.decode()
    done = admin_client.post(f"{URL}/users/{siti.pk}/extend", {"extend-days": "30", "extend-reason": "Bonus"})
    assert done.status_code == 302
    old_end = m.ends_at
    m.refresh_from_db()
    assert m.ends_at == old_end + timedelta(days=30)
    assert admin_client.post(f"{URL}/users/{siti.pk}/nope", {}).status_code == 404


def test_member_page_grants_to_a_free_member(admin_client, make_user, catalog):
    free = make_user(full_name="Dewi Lestari")
    price = price_of(catalog["silver"], "12m")
    response = admin_client.post(
        f"{URL}/users/{free.pk}/grant", {"grant-plan_price": str(price.pk), "grant-reason": "Mitra komunitas"}
    )
    assert response.status_code == 302
    m = UserMembership.objects.get(user=free)
    assert (m.plan, m.source) == (catalog["silver"], "admin")
    again = admin_client.post(
        f"{URL}/users/{free.pk}/grant", {"grant-plan_price": str(price.pk), "grant-reason": "Dua kali"}
    )
    assert again.status_code == 400
    assert "sudah memiliki membership aktif" in again.content.decode()
