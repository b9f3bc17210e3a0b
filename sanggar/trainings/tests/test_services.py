"""Training services: pricing per tier through the normal checkout, seats, manual addition, hostile input."""

from datetime import date

import pytest

from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.orders.checkout import checkout_place
from sanggar.orders.services import ItemRequest, order_mark_paid
from sanggar.trainings import services
from sanggar.trainings.constants import BatchStatus, ParticipantStatus, Source
from sanggar.trainings.models import Participant

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user)


def _buy(world, user, tier):
    participant = services.register(user=user, batch_slug=world.batch.slug, tier_slug=tier.slug)
    result = checkout_place(
        buyer=user, items=[ItemRequest(kind="training", slug=str(participant.pk))], provider="manual"
    )
    return participant, result.order


@pytest.mark.parametrize("tier_name,price", [("platinum", 4_500_000), ("basic", 1_500_000)])
def test_each_tier_is_sold_at_its_own_price_and_paid_makes_a_participant(world, tier_name, price):
    participant, order = _buy(world, world.member, getattr(world, tier_name))
    line = order.items.get()
    assert line.kind == "training" and line.amount == price and line.ref == str(participant.pk)
    assert order.subtotal == price
    order_mark_paid(order=order, actor=world.admin)
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.PAID and participant.order_invoice == order.invoice_number
    assert world.member.notifications.filter(data__template="trainings.paid", title__contains="berhasil").exists()


def test_switching_tier_before_paying_keeps_one_participation(world):
    first = services.register(user=world.member, batch_slug=world.batch.slug, tier_slug="platinum")
    second = services.register(user=world.member, batch_slug=world.batch.slug, tier_slug="trainer-only")
    assert first.pk == second.pk and second.tier == world.basic
    assert Participant.objects.count() == 1


def test_paid_member_cannot_register_again_and_draft_batch_is_not_sold(world, admin_user):
    services.participant_add(actor=admin_user, user=world.member, tier=world.basic)
    with pytest.raises(ServiceError, match="sudah terdaftar"):
        services.register(user=world.member, batch_slug=world.batch.slug, tier_slug="platinum")
    draft = services.batch_create(
        actor=admin_user, name="Draf", starts_on=date(2027, 2, 1), ends_on=date(2027, 2, 1), capacity=5
    )
    assert draft.status == BatchStatus.DRAFT
    services.tier_create(actor=admin_user, batch=draft, name="Gold", price=100)
    with pytest.raises(NotFound):
        services.register(user=world.member, batch_slug=draft.slug, tier_slug="gold")


def test_capacity_is_never_exceeded_and_the_later_order_goes_to_review(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    world = World(make_user, admin_user, capacity=1)
    other = make_user(full_name="Budi", email="budi@example.com")
    p1, order1 = _buy(world, world.member, world.platinum)
    p2, order2 = _buy(world, other, world.platinum)  # both pending: a seat is taken only when paid
    order_mark_paid(order=order1, actor=admin_user)
    order_mark_paid(order=order2, actor=admin_user)
    assert Participant.objects.filter(status=ParticipantStatus.PAID).count() == 1
    p2.refresh_from_db()
    assert p2.status == ParticipantStatus.PENDING
    with pytest.raises(ServiceError, match="penuh"):
        services.register(user=make_user(email="c@example.com"), batch_slug=world.batch.slug, tier_slug="platinum")
    with pytest.raises(ServiceError, match="penuh"):
        services.participant_add(actor=admin_user, user=other, tier=world.basic)


def test_manual_addition_and_refund_cancels(world, admin_user):
    participant = services.participant_add(actor=admin_user, user=world.member, tier=world.platinum)
    assert participant.source == Source.MANUAL and participant.status == ParticipantStatus.PAID
    with pytest.raises(ServiceError):
        services.participant_add(actor=admin_user, user=world.member, tier=world.basic)
    services.participant_cancel(participant_id=participant.pk, actor=admin_user)
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.CANCELLED


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "Batch\x00"},
        {"name": ""},
        {"name": "x" * 200},
        {"capacity": 0},
        {"capacity": "banyak"},
        {"location": "Jakarta\x00"},
        {"ends_on": date(2026, 1, 1)},
        {"status": "hilang"},
    ],
)
def test_hostile_batch_input_is_refused(admin_user, kwargs):
    data = {"name": "Batch", "starts_on": date(2027, 1, 1), "ends_on": date(2027, 1, 2), "capacity": 10, **kwargs}
    with pytest.raises(ServiceError):
        services.batch_create(actor=admin_user, **data)


@pytest.mark.parametrize(
    "kwargs", [{"name": "Gold\x00"}, {"price": -1}, {"price": "mahal"}, {"price": True}, {"slug": "\x00"}]
)
def test_hostile_tier_input_is_refused(world, kwargs):
    data = {"name": "Gold", "price": 1000, **kwargs}
    with pytest.raises(ServiceError):
        services.tier_create(actor=world.admin, batch=world.batch, **data)
