"""Extra meetings: bought at the program's fee through the normal checkout, credited to the quota ledger when paid,
taken back on refund; refused when the program does not sell them or the class is not active."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.classes import services
from sanggar.classes.constants import EXTRA_ITEM_KIND, QuotaReason
from sanggar.classes.models import QuotaEntry
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.orders.constants import OrderStatus
from sanggar.orders.models import Order
from sanggar.orders.services import ItemRequest, order_create, order_mark_paid, order_refund

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user, extra_meetings_allowed=True, extra_meeting_fee=75_000)


def _active(world):
    entry = services.approve(actor=world.admin, entry=services.register(user=world.student, template=world.template))
    order = order_create(buyer=world.student, items=[ItemRequest("kelas", str(entry.pk))], provider="manual")
    order_mark_paid(order=order, actor=world.admin)
    entry.refresh_from_db()
    return entry


def _buy(world, entry, meetings):
    return order_create(
        buyer=world.student,
        items=[ItemRequest(EXTRA_ITEM_KIND, services.extra_ref(entry.pk, meetings))],
        provider="manual",
    )


def test_extra_meetings_are_priced_credited_once_and_refunded(world):
    entry = _active(world)
    assert list(entry.quota_entries.values_list("reason", "meetings")) == [(QuotaReason.PERIOD, 8)]
    order = _buy(world, entry, 2)
    line = order.items.get()
    assert line.amount == 150_000 and line.kind == EXTRA_ITEM_KIND and line.ref == f"{entry.pk}-2"
    entry.refresh_from_db()
    assert entry.meetings_quota == 8  # nothing before payment
    order = order_mark_paid(order=order, actor=world.admin)
    assert order.status == OrderStatus.PAID
    entry.refresh_from_db()
    assert entry.meetings_quota == 10
    # fulfilling the same invoice again credits nothing more
    services.extra_credit(entry_id=entry.pk, meetings=2, invoice=order.invoice_number, now=timezone.now())
    entry.refresh_from_db()
    assert entry.meetings_quota == 10
    assert sum(QuotaEntry.objects.filter(enrollment=entry).values_list("meetings", flat=True)) == 10
    order_refund(order=order, actor=world.admin, reason="Permintaan siswa")
    entry.refresh_from_db()
    assert entry.meetings_quota == 8
    assert list(entry.quota_entries.values_list("reason", "meetings")) == [
        (QuotaReason.PERIOD, 8),
        (QuotaReason.EXTRA, 2),
        (QuotaReason.REFUND, -2),
    ]


def test_extra_meeting_lifts_the_quota_limit(world):
    entry = _active(world)
    start = timezone.now() - timedelta(days=1)
    for n in range(8):
        m = services.meeting_schedule(
            actor=world.admin,
            section=world.section,
            starts_at=start + timedelta(hours=2 * n),
            minutes=60,
            url="https://zoom.us/j/1",
        )
        services.attendance_mark(actor=world.tutor, meeting=m, marks={entry.pk: "present"})
    ninth = services.meeting_schedule(
        actor=world.admin,
        section=world.section,
        starts_at=start + timedelta(hours=20),
        minutes=60,
        url="https://zoom.us/j/1",
    )
    with pytest.raises(ServiceError, match="Kuota Habis"):
        services.attendance_mark(actor=world.tutor, meeting=ninth, marks={entry.pk: "present"})
    order_mark_paid(order=_buy(world, entry, 1), actor=world.admin)
    services.attendance_mark(actor=world.tutor, meeting=ninth, marks={entry.pk: "present"})
    assert services.meetings_used(entry) == 9


def test_extra_meetings_refused_when_not_sold_not_active_or_not_own(world, make_user):
    waiting = services.register(user=world.student, template=world.template)
    with pytest.raises(ServiceError, match="sedang aktif"):
        _buy(world, waiting, 1)
    entry = services.approve(actor=world.admin, entry=waiting)
    with pytest.raises(ServiceError, match="sedang aktif"):
        _buy(world, entry, 1)
    entry = _active_from(world, entry)
    with pytest.raises(ServiceError, match="1 sampai 10"):
        _buy(world, entry, 11)
    other = world.new_student(make_user)
    with pytest.raises(NotFound):
        order_create(buyer=other, items=[ItemRequest(EXTRA_ITEM_KIND, f"{entry.pk}-1")], provider="manual")
    with pytest.raises(NotFound):
        order_create(buyer=world.student, items=[ItemRequest(EXTRA_ITEM_KIND, "x\x00-1")], provider="manual")
    world.template.extra_meetings_allowed = False
    world.template.save()
    with pytest.raises(ServiceError, match="tidak menjual"):
        _buy(world, entry, 1)


def _active_from(world, entry):
    order = order_create(buyer=world.student, items=[ItemRequest("kelas", str(entry.pk))], provider="manual")
    order_mark_paid(order=order, actor=world.admin)
    entry.refresh_from_db()
    return entry


def test_extra_meetings_page_and_api(world, client):
    entry = _active(world)
    client.force_login(world.student)
    page = client.get("/kelas-live/saya").content.decode()
    assert "Beli Pertemuan Tambahan" in page and "Rp 75.000" in page
    r = client.post(f"/kelas-live/saya/{entry.pk}/tambah-pertemuan", {"meetings": "3", "provider": "manual"})
    assert r.status_code == 302 and "/invoice/" in r.url
    assert Order.objects.filter(buyer=world.student, items__kind=EXTRA_ITEM_KIND).get().items.get().amount == 225_000
    r = client.post(f"/kelas-live/saya/{entry.pk}/tambah-pertemuan", {"meetings": "99999", "provider": "manual"})
    assert r.status_code == 302 and r.url.endswith("/kelas-live/saya")

    path = f"/me/classes/{entry.pk}/extra-meetings"
    assert call(client, "post", path, {"meetings": 1, "provider": "manual"}).status_code == 401
    assert call(client, "post", path, {"meetings": 0, "provider": "manual"}, user=world.student).status_code == 422
    assert call(client, "post", path, {"meetings": "x", "provider": "manual"}, user=world.student).status_code == 422
    ok = call(client, "post", path, {"meetings": 1, "provider": "manual"}, user=world.student)
    assert ok.status_code == 201, ok.content
    order_mark_paid(order=Order.objects.get(invoice_number=ok.json()["invoice_number"]), actor=world.admin)
    card = call(client, "get", "/me/classes", user=world.student).json()["results"][0]
    assert card["meetings_quota"] == 9 and card["meetings_left"] == 9
