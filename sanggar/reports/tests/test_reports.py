"""The weekly summary and the monthly report: the figures of the period to admins and founders (email, editable
template, link to the analytics page), sent once per period whatever the number of runs."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from sanggar.core.formatting import rupiah
from sanggar.core.roles import Role
from sanggar.notifications.models import Delivery, MessageTemplate
from sanggar.orders.tests.shop import Shop, product_item
from sanggar.reports import tasks
from sanggar.reports.constants import ReportKind
from sanggar.reports.models import ReportDispatch
from sanggar.reports.services import last_month, last_week, report_send

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)  # a Monday


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def people(make_user, admin_user):
    return {
        "admin": admin_user,
        "founder": make_user(Role.FOUNDER, full_name="Pendiri Satu", email="founder@example.com"),
        "cofounder": make_user(Role.COFOUNDER, full_name="Pendiri Dua", email="cofounder@example.com"),
        "member": make_user(full_name="Anggota Biasa", email="anggota@example.com"),
        "gone": make_user(Role.ADMIN, full_name="Admin Lama", email="lama@example.com", is_active=False),
    }


def emails(kind: str) -> dict[str, Delivery]:
    return {d.recipient: d for d in Delivery.objects.filter(channel="email", template_key=kind)}


def test_periods():
    assert (last_week(TODAY).start, last_week(TODAY).end) == (date(2026, 11, 30), date(2026, 12, 6))
    assert last_week(date(2026, 12, 13)).start == date(2026, 11, 30)  # a Sunday: still the week before
    assert last_week(TODAY).label == "30 November – 6 Desember 2026"
    assert last_week(date(2026, 11, 30)).label == "23–29 November 2026"
    assert (last_month(TODAY).start, last_month(TODAY).end) == (date(2026, 11, 1), date(2026, 11, 30))
    assert last_month(date(2026, 1, 1)).label == "Desember 2025"


def test_weekly_summary_goes_once_to_admins_and_founders_with_the_figures(people, admin_user, make_user):
    shop = Shop(admin_user)
    product = shop.product("Kelas Ekspor", price=1_000_000)
    buyer = make_user(full_name="Pembeli", email="pembeli@example.com")
    in_week = shop.buy_paid(buyer, product_item(product.slug), now=at(date(2026, 12, 2)))
    shop.buy_paid(buyer, product_item(product.slug), now=at(date(2026, 11, 20)))  # before the week

    assert tasks.weekly_summary_send(today=TODAY) == 3
    sent = emails("reports.weekly_summary")
    assert set(sent) == {admin_user.email, "founder@example.com", "cofounder@example.com"}
    mail = sent["founder@example.com"]
    assert mail.subject == "Ringkasan mingguan Sanggar: 30 November – 6 Desember 2026"
    assert mail.body.startswith("Halo Pendiri Satu,\n\nRingkasan minggu 30 November – 6 Desember 2026:")
    assert f"Pendapatan: {rupiah(in_week.total)} dari 1 pesanan lunas" in mail.body
    assert mail.link.startswith("http") and mail.link.endswith(
        "/admin/analytics?from=2026-11-30&to=2026-12-06&per=week"
    )
    assert f"Lihat rinciannya: {mail.link}" in mail.body

    # Twice for the same week: nothing more.
    assert tasks.weekly_summary_send(today=TODAY) == 0
    assert tasks.weekly_summary_send(today=date(2026, 12, 9)) == 0
    assert Delivery.objects.filter(template_key="reports.weekly_summary").count() == 3
    assert ReportDispatch.objects.filter(kind=ReportKind.WEEKLY).count() == 3

    # A founder who joins later in the period still gets it, alone.
    late = make_user(Role.FOUNDER, full_name="Pendiri Baru", email="baru@example.com")
    assert tasks.weekly_summary_send(today=TODAY) == 1
    assert set(emails("reports.weekly_summary")) == {admin_user.email, "founder@example.com",
                                                     "cofounder@example.com", late.email}  # fmt: skip
    # The next week is another period.
    assert tasks.weekly_summary_send(today=date(2026, 12, 14)) == 4


def test_monthly_report_uses_its_editable_template(people, admin_user):
    template = MessageTemplate.objects.get(key="reports.monthly_report")
    template.email_subject = "Laporan {period} untuk {name}"
    template.save()
    assert tasks.monthly_report_send(today=TODAY) == 3
    sent = emails("reports.monthly_report")
    assert sent["founder@example.com"].subject == "Laporan November 2026 untuk Pendiri Satu"
    assert "Pendapatan: Rp 0 dari 0 pesanan lunas" in sent["founder@example.com"].body
    assert tasks.monthly_report_send(today=date(2026, 12, 31)) == 0
    assert "anggota@example.com" not in sent and "lama@example.com" not in sent


def test_beat_runs_the_tasks(people, settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["reports-weekly-summary"]["task"] == "sanggar.reports.tasks.weekly_summary_task"
    assert schedule["reports-monthly-report"]["task"] == "sanggar.reports.tasks.monthly_report_task"
    assert tasks.weekly_summary_task() == 3
    assert tasks.weekly_summary_task() == 0
    assert report_send(period=last_month(timezone.localdate())) == 3
