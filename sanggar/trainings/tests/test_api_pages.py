"""Training pages and API: /order, /register/<batch>/<tier>, /training, /training/<batch>, the admin's batches and
participants, `GET /api/v1/trainings/batches`, `POST …/register`, `GET /api/v1/me/trainings`."""

import pytest

from sanggar.api.testing import call
from sanggar.orders.models import Order
from sanggar.orders.services import order_mark_paid
from sanggar.trainings import services
from sanggar.trainings.constants import ParticipantStatus
from sanggar.trainings.models import Participant, TrainingBatch

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user)


def test_order_page_lists_open_batches_with_tiers_in_bounded_queries(world, client, django_assert_max_num_queries):
    for n in range(5):
        b = services.batch_create(
            actor=world.admin,
            name=f"Batch {n}",
            starts_on=world.batch.starts_on,
            ends_on=world.batch.ends_on,
            capacity=10,
            status="published",
        )
        services.tier_create(actor=world.admin, batch=b, name="Gold", price=1000)
    services.batch_create(
        actor=world.admin,
        name="Batch Rahasia",
        starts_on=world.batch.starts_on,
        ends_on=world.batch.ends_on,
        capacity=1,
    )
    with django_assert_max_num_queries(12):
        r = client.get("/order")
    html = r.content.decode()
    assert r.status_code == 200 and "Platinum" in html and "Rp 4.500.000" in html.replace(",", ".")
    assert "Batch Rahasia" not in html and f"/register/{world.batch.slug}/platinum" in html


def test_register_page_goes_to_checkout_and_workspace_opens_after_payment(world, client):
    url = f"/register/{world.batch.slug}/platinum"
    assert client.get(url).status_code == 200
    assert client.post(url, {"provider": "manual"}).status_code == 302  # to the login page
    assert not Participant.objects.exists()
    assert client.get(f"/register/{world.batch.slug}/tidak-ada").status_code == 404
    client.force_login(world.member)
    assert client.post(url, {"provider": "manual", "coupon": "\x00"}).status_code == 400  # the house refuses NUL
    assert not Participant.objects.exists()
    r = client.post(url, {"provider": "manual"})
    assert r.status_code == 302
    order = Order.objects.get(buyer=world.member)
    assert order.items.get().amount == 4_500_000
    assert client.get(f"/training/{world.batch.slug}").status_code == 404  # not paid yet
    mine = client.get("/training").content.decode()
    assert "Menunggu pembayaran" in mine
    order_mark_paid(order=order, actor=world.admin)
    page = client.get(f"/training/{world.batch.slug}")
    assert page.status_code == 200 and "Sertifikat" in page.content.decode()


def test_admin_pages_and_access(world, client, make_user):
    client.force_login(world.member)
    assert client.get("/admin/trainings").status_code in (302, 403)
    assert client.get(f"/admin/trainings/{world.batch.slug}").status_code in (302, 403)
    client.force_login(world.admin)
    assert client.get("/admin/trainings").status_code == 200
    r = client.post(
        "/admin/trainings",
        {"name": "Batch\x00", "starts_on": "2027-01-01", "ends_on": "2027-01-02", "capacity": "5", "status": "open"},
    )
    assert r.status_code == 400 and TrainingBatch.objects.count() == 1
    r = client.post(
        "/admin/trainings",
        {"name": "Batch Baru", "starts_on": "2027-01-01", "ends_on": "bukan", "capacity": "5", "status": "open"},
    )
    assert r.status_code == 200 and not TrainingBatch.objects.filter(name="Batch Baru").exists()
    path = f"/admin/trainings/{world.batch.slug}"
    client.post(path, {"action": "tier", "name": "Gold", "price": "2750000"})
    assert world.batch.tiers.filter(slug="gold", price=2_750_000).exists()
    client.post(path, {"action": "participant", "email": world.member.email, "tier": str(world.basic.pk)})
    p = Participant.objects.get(user=world.member)
    assert p.status == ParticipantStatus.PAID and p.source == "manual"
    r = client.post(path, {"action": "participant", "email": "nobody@example.com", "tier": "x"}, follow=True)
    assert r.status_code == 200 and "tidak ditemukan" in r.content.decode()
    page = client.get(path).content.decode()
    assert "Siti Rahma" in page and "Ditambahkan admin" in page


def test_api_batches_register_and_mine(world, client, make_user, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        body = call(client, "get", "/trainings/batches").json()
    batch = body["results"][0]
    assert batch["slug"] == world.batch.slug and batch["seats_taken"] == 0
    assert [t["price"] for t in batch["tiers"]] == [1_500_000, 4_500_000]
    assert batch["tiers"][1]["benefits"] == ["Semua kursus", "Sertifikat"]
    assert call(client, "get", "/trainings/batches", {"page": "0"}).status_code == 422
    path = f"/trainings/batches/{world.batch.slug}/tiers/trainer-only/register"
    assert call(client, "post", path, {"provider": "manual"}).status_code == 401
    assert call(client, "post", path, {"provider": "manual", "x": 1}, user=world.member).status_code == 422
    assert call(client, "post", path, {"provider": "manual", "coupon": "A\x00"}, user=world.member).status_code < 500
    missing = f"/trainings/batches/{world.batch.slug}/tiers/tidak-ada/register"
    assert call(client, "post", missing, {"provider": "manual"}, user=world.member).status_code == 404
    r = call(client, "post", path, {"provider": "manual"}, user=world.member)
    assert r.status_code == 201, r.content
    assert r.json()["total"] >= 1_500_000
    mine = call(client, "get", "/me/trainings", user=world.member).json()
    assert (
        mine["count"] == 1 and mine["results"][0]["status"] == "pending" and mine["results"][0]["workspace_url"] == ""
    )
    order_mark_paid(order=Order.objects.get(buyer=world.member), actor=world.admin)
    with django_assert_max_num_queries(6):
        mine = call(client, "get", "/me/trainings", user=world.member).json()
    assert mine["results"][0]["status"] == "paid" and mine["results"][0]["tier"] == "trainer-only"
    assert call(client, "get", "/me/trainings").status_code == 401
    other = make_user(email="lain@example.com")
    assert call(client, "get", "/me/trainings", user=other).json()["count"] == 0
