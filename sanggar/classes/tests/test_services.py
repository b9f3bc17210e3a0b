"""Live classes through the services: labels, waiting list, seats, payment, attendance and the daily sweep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.classes import services
from sanggar.classes.constants import EnrollmentStatus, PeriodMode, SectionStatus
from sanggar.classes.models import ClassSection
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.notifications.models import Notification
from sanggar.orders.constants import OrderStatus
from sanggar.orders.services import ItemRequest, order_create, order_mark_paid, order_refund

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user)


@pytest.mark.parametrize(
    ("index", "label"), [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA")]
)
def test_section_labels(index, label):
    assert services.section_label(index) == label


def test_sections_after_z_are_found_by_number_not_text(world):
    ClassSection.objects.filter(pk=world.section.pk).update(index=26, label="Z")
    nxt = services.section_create(actor=world.admin, template=world.template)
    assert nxt.label == "AA"
    ClassSection.objects.filter(pk=nxt.pk).update(index=52, label="AZ")
    assert services.section_create(actor=world.admin, template=world.template).label == "BA"


def test_register_once_per_program_and_only_signed_in(world):
    entry = services.register(user=world.student, template=world.template)
    assert entry.status == EnrollmentStatus.WAITING
    with pytest.raises(ServiceError, match="sudah terdaftar"):
        services.register(user=world.student, template=world.template)


def _pay(world, entry, now=None):
    order = order_create(buyer=entry.student, items=[ItemRequest("kelas", str(entry.pk))], provider="manual")
    return order_mark_paid(order=order, actor=world.admin, now=now)


def test_approve_pay_activate_and_quota(world, make_user):
    entry = services.register(user=world.student, template=world.template)
    entry = services.approve(actor=world.admin, entry=entry, section=world.section)
    assert entry.status == EnrollmentStatus.APPROVED and entry.pay_before is not None
    world.section.refresh_from_db()
    assert world.section.seats_taken == 1
    assert Notification.objects.filter(user=world.student, title__contains="Approved").exists()
    order = _pay(world, entry)
    assert order.status == OrderStatus.PAID and order.items.get().amount == 500_000
    entry.refresh_from_db()
    assert entry.status == EnrollmentStatus.ACTIVE and entry.meetings_quota == 8
    assert entry.period_end - entry.period_start == timedelta(days=30)
    start = timezone.now() - timedelta(minutes=5)
    for n in range(8):
        meeting = services.meeting_schedule(
            actor=world.tutor,
            section=world.section,
            starts_at=start + timedelta(days=n),
            minutes=60,
            url="https://meet.google.com/abc-defg-hij",
        )
        services.attendance_mark(actor=world.tutor, meeting=meeting, marks={entry.pk: "absent" if n else "present"})
    assert services.meetings_used(entry) == 8
    extra = services.meeting_schedule(
        actor=world.admin,
        section=world.section,
        starts_at=start + timedelta(days=9),
        minutes=60,
        url="https://zoom.us/j/1",
    )
    with pytest.raises(ServiceError, match="Kuota Habis untuk Bulan Ini"):
        services.attendance_mark(actor=world.tutor, meeting=extra, marks={entry.pk: "present"})
    # marking the same meeting again is idempotent, a cancelled meeting gives the meeting back
    services.attendance_mark(actor=world.tutor, meeting=meeting, marks={entry.pk: "present"})
    assert services.meetings_used(entry) == 8
    services.meeting_cancel(actor=world.admin, meeting=meeting)
    assert services.meetings_used(entry) == 7


def test_full_section_refuses_and_new_section_on_request_or_automatically(world, make_user):
    for _ in range(2):
        e = services.register(user=world.new_student(make_user), template=world.template)
        services.approve(actor=world.admin, entry=e, section=world.section)
    world.section.refresh_from_db()
    assert world.section.status == SectionStatus.FULL
    late = services.register(user=world.new_student(make_user), template=world.template)
    with pytest.raises(ServiceError, match="penuh"):
        services.approve(actor=world.admin, entry=late, section=world.section)
    with pytest.raises(ServiceError, match="Semua section penuh"):
        services.approve(actor=world.admin, entry=late)
    late = services.approve(actor=world.admin, entry=late, new_section=True)
    assert late.section.label == "B"
    world.template.auto_create_section = True
    world.template.save()
    services.approve(actor=world.admin, entry=late, section=None) if False else None
    auto = services.register(user=world.new_student(make_user), template=world.template)
    auto2 = services.register(user=world.new_student(make_user), template=world.template)
    services.approve(actor=world.admin, entry=auto)  # fills B
    auto2 = services.approve(actor=world.admin, entry=auto2)
    assert auto2.section.label == "C" and auto2.section.tutor is None
    assert Notification.objects.filter(user=world.admin, title__contains="Section C").exists()


def test_tutor_is_never_double_booked(world):
    other = services.section_create(actor=world.admin, template=world.template, tutor=world.tutor)
    at = timezone.now() + timedelta(days=1)
    services.meeting_schedule(
        actor=world.admin, section=world.section, starts_at=at, minutes=90, url="https://zoom.us/j/1"
    )
    with pytest.raises(ServiceError, match="sudah punya jadwal"):
        services.meeting_schedule(
            actor=world.admin,
            section=other,
            starts_at=at + timedelta(minutes=30),
            minutes=60,
            url="https://zoom.us/j/2",
        )
    services.meeting_schedule(
        actor=world.admin, section=other, starts_at=at + timedelta(minutes=90), minutes=60, url="https://zoom.us/j/2"
    )


def test_only_admin_or_section_tutor_schedules_and_marks(world, make_user):
    stranger = make_user(full_name="Orang Lain", email="lain@example.com")
    with pytest.raises(NotAllowed):
        services.meeting_schedule(
            actor=stranger, section=world.section, starts_at=timezone.now(), minutes=60, url="https://zoom.us/j/1"
        )
    with pytest.raises(ServiceError, match="https"):
        services.meeting_schedule(
            actor=world.admin, section=world.section, starts_at=timezone.now(), minutes=60, url="javascript:alert(1)"
        )
    with pytest.raises(ServiceError, match="tidak diizinkan"):
        services.reject(
            actor=world.admin, entry=services.register(user=stranger, template=world.template), reason="a\x00"
        )


def test_sweep_payment_window_reminder_expiry_and_promotion(world, make_user):
    now = timezone.now()
    first = services.approve(
        actor=world.admin, entry=services.register(user=world.student, template=world.template), now=now
    )
    second = services.approve(
        actor=world.admin, entry=services.register(user=world.new_student(make_user), template=world.template), now=now
    )
    waiting = services.register(user=world.new_student(make_user), template=world.template)
    _pay(world, second)
    assert services.sweep(now=now + timedelta(hours=23))["unpaid"] == 0
    assert services.sweep(now=now + timedelta(hours=24, seconds=1))["unpaid"] == 1
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == EnrollmentStatus.CANCELLED
    assert waiting.status == EnrollmentStatus.APPROVED and waiting.section_id == world.section.pk  # promoted
    second.refresh_from_db()
    end = second.period_end
    assert services.sweep(now=end - timedelta(days=3, hours=1))["reminded"] == 0
    assert services.sweep(now=end - timedelta(days=2, hours=23))["reminded"] == 1
    assert services.sweep(now=end - timedelta(days=2))["reminded"] == 0
    result = services.sweep(now=end + timedelta(seconds=1))
    assert result["expired"] == 1
    second.refresh_from_db()
    assert second.status == EnrollmentStatus.EXPIRED


def test_renewal_keeps_the_section_starts_at_the_end_and_carries_over(world):
    world.template.carry_over = True
    world.template.save()
    entry = services.approve(actor=world.admin, entry=services.register(user=world.student, template=world.template))
    _pay(world, entry)
    entry.refresh_from_db()
    renewal = services.renew(user=world.student, entry=entry)
    assert renewal.status == EnrollmentStatus.APPROVED and renewal.section_id == entry.section_id
    world.section.refresh_from_db()
    assert world.section.seats_taken == 1  # the renewal keeps the same seat
    _pay(world, renewal)
    renewal.refresh_from_db()
    assert renewal.period_start == entry.period_end
    assert renewal.meetings_quota == 16 and renewal.meetings_carried == 8


def test_suspension_extends_the_period(world):
    entry = services.approve(actor=world.admin, entry=services.register(user=world.student, template=world.template))
    _pay(world, entry)
    entry.refresh_from_db()
    end = entry.period_end
    now = timezone.now()
    services.suspend(actor=world.admin, entry=entry, now=now)
    entry = services.resume(actor=world.admin, entry=entry, now=now + timedelta(days=5))
    assert entry.period_end == end + timedelta(days=5)


def test_calendar_month_is_pro_rata(world):
    world.template.period_mode = PeriodMode.CALENDAR
    world.template.price = 310_000
    world.template.save()
    entry = services.register(user=world.student, template=world.template)
    start = timezone.make_aware(timezone.datetime(2026, 1, 22, 10, 0))
    assert services.period_price(entry, start) == 100_000  # 10 of 31 days


def test_refund_cancels_and_frees_the_seat(world):
    entry = services.approve(actor=world.admin, entry=services.register(user=world.student, template=world.template))
    order = _pay(world, entry)
    order_refund(order=order, actor=world.admin, reason="Permintaan siswa")
    entry.refresh_from_db()
    world.section.refresh_from_db()
    assert entry.status == EnrollmentStatus.CANCELLED and world.section.seats_taken == 0


def test_the_order_keeps_the_approvals_payment_deadline(world):
    """ "Bayar Sekarang" 20 hours after the approval: the order must be paid within the 4 hours left, not 24 new ones
    (found by the browser journey in tests/browser/test_live_class_and_training.py)."""
    now = timezone.now()
    entry = services.approve(
        actor=world.admin, entry=services.register(user=world.student, template=world.template), now=now
    )
    assert entry.pay_before == now + timedelta(hours=24)
    order = order_create(
        buyer=world.student,
        items=[ItemRequest("kelas", str(entry.pk))],
        provider="manual",
        now=now + timedelta(hours=20),
    )
    assert order.expires_at == entry.pay_before


def test_paying_after_the_window_is_refused(world):
    entry = services.approve(actor=world.admin, entry=services.register(user=world.student, template=world.template))
    services.sweep(now=timezone.now() + timedelta(days=2))
    with pytest.raises(ServiceError, match="tidak sedang menunggu pembayaran"):
        order_create(buyer=world.student, items=[ItemRequest("kelas", str(entry.pk))], provider="manual")


def test_sweep_command_reports_counts(world):
    from io import StringIO

    from django.core.management import call_command

    entry = services.approve(actor=world.admin, entry=services.register(user=world.student, template=world.template))
    Enrollment = type(entry)
    Enrollment.objects.filter(pk=entry.pk).update(pay_before=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    call_command("classes_sweep", stdout=out)
    assert "Dibatalkan (tidak bayar): 1" in out.getvalue()
    entry.refresh_from_db()
    assert entry.status == EnrollmentStatus.CANCELLED
