"""Selectors of the affiliate's figures, tiers, challenges and leaderboard (selectors_stats)."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from sanggar.affiliates import selectors_stats as s
from sanggar.affiliates.constants import CommissionStatus
from sanggar.affiliates.models import Challenge, Click, Commission, Tier
from sanggar.affiliates.selectors_stats import mask_name
from sanggar.affiliates.services_ui import challenge_create, tier_create
from sanggar.orders.models import Order

from .ui_world import ui_world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def at(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_mask_name():
    assert s.mask_name("Budi Santoso") == "Bu*** S***"
    assert s.mask_name("Sinta") == "Si***"
    assert s.mask_name("  ") == "***"
    assert s.mask_name("Ni Made Ayu") == "Ni*** M*** A***"


def test_public_name():
    assert s.public_name("Dinda Lestari Putri", "DINDA") == "Dinda P."
    assert s.public_name("Dinda", "DINDA") == "Dinda"
    assert s.public_name("", "DINDA") == "DINDA"


def test_conversion_rate():
    assert s.conversion_rate(1, 3) == 33.3
    assert s.conversion_rate(0, 0) == 0.0
    assert s.conversion_rate(2, 2) == 100.0


def test_tier_for_counts_sales_in_the_period_and_picks_the_highest_bonus(ui_world):
    now = timezone.now()
    tier_create(actor=ui_world.admin, name="Silver", min_sales=2, period_days=30, bonus_percent=10)
    gold = tier_create(actor=ui_world.admin, name="Gold", min_sales=3, period_days=7, bonus_percent=25)
    assert s.tier_for(affiliate=ui_world.affiliate, now=now) is None

    ui_world.sale(now=now - timedelta(days=20))
    ui_world.sale(now=now - timedelta(days=2))
    assert s.tier_for(affiliate=ui_world.affiliate, now=now).name == "Silver"

    ui_world.sale(now=now - timedelta(days=1))
    # 3 sales in 30 days but only 2 in the last 7: still Silver.
    assert s.tier_for(affiliate=ui_world.affiliate, now=now).name == "Silver"
    ui_world.sale(now=now - timedelta(hours=1))
    assert s.tier_for(affiliate=ui_world.affiliate, now=now) == gold

    # An inactive tier is ignored; a refunded sale no longer counts.
    Tier.objects.filter(pk=gold.pk).update(is_active=False)
    assert s.tier_for(affiliate=ui_world.affiliate, now=now).name == "Silver"


def test_refunded_sales_do_not_count_for_tiers(ui_world):
    now = timezone.now()
    tier_create(actor=ui_world.admin, name="Silver", min_sales=2, period_days=30, bonus_percent=10)
    first = ui_world.sale(now=now - timedelta(days=3))
    ui_world.sale(now=now - timedelta(days=2))
    assert s.tier_for(affiliate=ui_world.affiliate, now=now).name == "Silver"
    ui_world.refund(first)
    first.refresh_from_db()
    assert first.status == CommissionStatus.REVERSED
    assert s.tier_for(affiliate=ui_world.affiliate, now=now) is None


def test_tier_bonus_raises_the_next_commission(ui_world):
    now = timezone.now()
    tier_create(actor=ui_world.admin, name="Silver", min_sales=1, period_days=30, bonus_percent=10)
    first = ui_world.sale(now=now - timedelta(days=1))
    assert first.amount == 300_000  # no sale before it: no bonus
    second = ui_world.sale(now=now)
    assert second.amount == 330_000
    assert second.rule == "30% × Rp 1.000.000 + bonus tier Silver 10%"


def test_tier_progress(ui_world, django_assert_max_num_queries):
    now = timezone.now()
    tier_create(actor=ui_world.admin, name="Silver", min_sales=1, period_days=30, bonus_percent=10)
    tier_create(actor=ui_world.admin, name="Gold", min_sales=3, period_days=30, bonus_percent=20)
    ui_world.sale(now=now - timedelta(days=1))
    with django_assert_max_num_queries(2):
        progress = s.tier_progress(affiliate=ui_world.affiliate, now=now)
    assert progress.tier.name == "Silver"
    assert progress.next_tier.name == "Gold"
    assert progress.needed == 2
    assert progress.sales == {30: 1}


def test_totals_series_and_recent_sales(ui_world, django_assert_max_num_queries):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    ui_world.click(ip="10.0.0.1", now=at(yesterday, 9))
    ui_world.click(ip="10.0.0.1", now=at(yesterday, 10))  # repeat: not counted
    ui_world.click(ip="10.0.0.2", now=at(today, 8))
    ui_world.click(ip="10.0.0.3", now=at(today - timedelta(days=40), 8))  # outside the range
    ui_world.sale(now=at(yesterday, 11), buyer=ui_world.buyer("Budi Santoso"))
    refunded = ui_world.sale(now=at(today, 9), buyer=ui_world.buyer("Sinta Dewi"))
    ui_world.sale(now=at(today, 10), buyer=ui_world.buyer("Andi"))
    ui_world.refund(refunded)

    date_from = today - timedelta(days=6)
    with django_assert_max_num_queries(2):
        totals = s.affiliate_totals(affiliate=ui_world.affiliate, date_from=date_from, date_to=today)
    assert totals == s.AffiliateTotals(
        clicks=3, counted_clicks=2, conversions=2, conversion_rate=100.0, commission=600_000
    )
    with django_assert_max_num_queries(2):
        points = s.daily_series(affiliate=ui_world.affiliate, date_from=date_from, date_to=today)
    assert len(points) == 7
    assert points[-2] == s.DayPoint(yesterday, 1, 1, 300_000)
    assert points[-1] == s.DayPoint(today, 1, 1, 300_000)
    assert all(p.clicks == p.conversions == p.commission == 0 for p in points[:-2])
    chart = s.chart_data(points)
    assert chart["labels"][-1] == today.strftime("%d/%m")
    assert chart["commission"][-2:] == [300_000, 300_000]

    with django_assert_max_num_queries(1):
        recent = s.recent_sales(affiliate=ui_world.affiliate)
    assert [(r.buyer, r.commission, r.status) for r in recent] == [
        ("An***", 300_000, "pending"),
        ("Si*** D***", 300_000, "reversed"),
        ("Bu*** S***", 300_000, "pending"),
    ]
    # Issue 9: newest payment first, whatever order the commissions were written in.
    paid = [r.paid_at for r in recent if r.paid_at]
    assert paid == sorted(paid, reverse=True)
    first = Commission.objects.filter(affiliate=ui_world.affiliate).order_by("created_at").first()
    Order.objects.filter(pk=first.order_id).update(paid_at=max(paid) + timedelta(minutes=5))
    assert s.recent_sales(affiliate=ui_world.affiliate)[0].buyer == mask_name(first.order.buyer_name)


def test_daily_series_is_capped_at_a_year(ui_world):
    today = timezone.localdate()
    points = s.daily_series(affiliate=ui_world.affiliate, date_from=today - timedelta(days=900), date_to=today)
    assert len(points) == s.SERIES_MAX_DAYS
    assert points[-1].day == today


def test_link_and_landing_stats(ui_world, django_assert_max_num_queries):
    ui_world.click(ip="10.0.0.1", path="/produk/kelas-ekspor")
    ui_world.click(ip="10.0.0.1", path="/produk/kelas-ekspor")
    ui_world.click(ip="10.0.0.2", path="/membership/gold")
    with django_assert_max_num_queries(1):
        rows = s.landing_stats(affiliate=ui_world.affiliate)
    assert rows == [
        {"landing_path": "/produk/kelas-ekspor", "clicks": 2, "counted": 1},
        {"landing_path": "/membership/gold", "clicks": 1, "counted": 1},
    ]


def test_challenges_for_shows_progress_and_states(ui_world, django_assert_max_num_queries):
    now = timezone.now()
    running = challenge_create(
        actor=ui_world.admin,
        title="Sprint Mingguan",
        period="weekly",
        starts_at=now - timedelta(days=2),
        ends_at=now + timedelta(days=5),
        target_sales=4,
        reward=500_000,
    )
    upcoming = challenge_create(
        actor=ui_world.admin,
        title="Bulan Depan",
        period="monthly",
        starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=40),
        target_sales=10,
        reward=2_000_000,
    )
    closed = challenge_create(
        actor=ui_world.admin,
        title="Bulan Lalu",
        period="monthly",
        starts_at=now - timedelta(days=40),
        ends_at=now - timedelta(days=10),
        target_sales=1,
        reward=100_000,
    )
    Challenge.objects.create(
        title="Tersembunyi", period="weekly", starts_at=now, ends_at=now + timedelta(days=1), target_sales=1,
        reward=1, is_active=False,
    )  # fmt: skip
    ui_world.sale(now=now - timedelta(days=1))
    ui_world.sale(now=now - timedelta(hours=2))
    ui_world.sale(now=now - timedelta(days=20))
    other_user, _other = ui_world.other_affiliate()
    ui_world.sale(now=now - timedelta(hours=1), affiliate_user=other_user)

    with django_assert_max_num_queries(1):
        items = s.challenges_for(affiliate=ui_world.affiliate, now=now)
    assert [(p.challenge, p.state, p.sales, p.percent, p.reached) for p in items] == [
        (running, "running", 2, 50, False),
        (upcoming, "upcoming", 0, 0, False),
        (closed, "closed", 1, 100, True),
    ]
    assert s.challenge_sales_counts(challenge=running)[0] == {"affiliate_id": ui_world.affiliate.pk, "sales": 2}


def test_leaderboard_periods_and_orders(ui_world, django_assert_max_num_queries):
    # A fixed Thursday noon (WIB): with the clock's own "now" the minutes before it fall into last week
    # when the suite runs just after Monday 00:00 WIB.
    now = timezone.make_aware(datetime(2026, 11, 19, 12, 0))
    month_start = s.period_start("month", now=now)
    week_start = s.period_start("week", now=now)
    other_user, other = ui_world.other_affiliate()
    cheap = ui_world.shop.product(
        "Ebook Murah", price=100_000, affiliate_commission_type="flat", affiliate_commission_value=50_000
    )
    # Dinda: 2 sales this week (Rp 300.000 each); Rina: 3 cheap sales this week (Rp 50.000 each), 1 long ago.
    assert now - timedelta(days=3) == week_start + timedelta(hours=12)
    ui_world.sale(now=now - timedelta(minutes=30))
    ui_world.sale(now=now - timedelta(minutes=20))
    for minutes in (10, 9, 8):
        ui_world.sale(now=now - timedelta(minutes=minutes), affiliate_user=other_user, product=cheap)
    ui_world.sale(now=month_start - timedelta(days=40), affiliate_user=other_user, product=cheap)

    with django_assert_max_num_queries(1):
        by_sales = s.leaderboard(period="week", by="sales", now=now)
    assert [(r.rank, r.code, r.sales, r.commission) for r in by_sales] == [
        (1, other.code, 3, 150_000),
        (2, ui_world.affiliate.code, 2, 600_000),
    ]
    assert by_sales[0].name == "Rina W."
    by_commission = s.leaderboard(period="week", by="commission", now=now)
    assert [r.code for r in by_commission] == [ui_world.affiliate.code, other.code]
    everything = s.leaderboard(period="all", by="sales", now=now)
    assert [(r.code, r.sales) for r in everything] == [(other.code, 4), (ui_world.affiliate.code, 2)]


def test_period_start_is_monday_and_first_of_month_in_wib():
    now = timezone.make_aware(datetime(2025, 11, 20, 15, 0))  # Thursday
    assert timezone.localtime(s.period_start("week", now=now)) == timezone.make_aware(datetime(2025, 11, 17))
    assert timezone.localtime(s.period_start("month", now=now)) == timezone.make_aware(datetime(2025, 11, 1))
    assert s.period_start("all", now=now) is None


def test_affiliate_list_admin_totals_in_one_query(ui_world, django_assert_max_num_queries):
    ui_world.click(ip="10.0.0.1")
    ui_world.click(ip="10.0.0.1")
    ui_world.sale()
    refunded = ui_world.sale()
    ui_world.refund(refunded)
    ui_world.other_affiliate()
    with django_assert_max_num_queries(1):
        rows = {a.code: a for a in s.affiliate_list_admin()}
    dinda = rows[ui_world.affiliate.code]
    assert (dinda.click_total, dinda.counted_total, dinda.sale_total) == (2, 1, 1)
    assert (dinda.commission_pending, dinda.commission_available) == (300_000, 0)
    assert list(s.affiliate_list_admin(q="rina")) == [a for a in rows.values() if a.user.full_name == "Rina Wijaya"]
    assert list(s.affiliate_list_admin(status="suspended")) == []
    assert Click.objects.count() == 2
