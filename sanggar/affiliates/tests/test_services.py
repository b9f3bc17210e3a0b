"""Profiles, clicks, referral binding, attribution and commissions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.accounts.models import AffiliateApplication
from sanggar.accounts.services import affiliate_application_decide, role_grant
from sanggar.affiliates.constants import CLICK_FLOOD_THRESHOLD, AffiliateStatus, DecisionKind, ReferralSource
from sanggar.affiliates.models import AffiliateProfile, AttributionDecision, Click, Referral, Tier
from sanggar.affiliates.services import (
    attribution_for_order,
    attribution_resolve,
    click_record,
    commission_compute,
    ip_hash,
    line_commission,
    referral_bind,
    referral_cookie_value,
)
from sanggar.audit.services import activity_record
from sanggar.core.roles import Role
from sanggar.finance.services import revenue_settings_update
from sanggar.orders.checkout import checkout_place
from sanggar.orders.services import ItemRequest

pytestmark = pytest.mark.django_db

GOLD_12M = ItemRequest("plan", "gold", "12m")


def _click(code="DINDA", ip="10.0.0.1", now=None, **kw):
    return click_record(code=code, landing_path="/membership/gold", ip=ip, now=now, **kw)


# --- profiles ---------------------------------------------------------------------------------------------------


def test_codes_come_from_the_first_name_and_stay_unique(make_affiliate, make_user):
    first = make_affiliate(full_name="Dinda Pratiwi")
    second = make_affiliate(full_name="Dinda Lestari")
    third = make_affiliate(full_name="Dînda S.")
    assert (first.code, second.code, third.code) == ("DINDA", "DINDA2", "DINDA3")


def test_short_names_fall_back_to_the_email(make_affiliate):
    assert make_affiliate(full_name="Al", email="alfian.r@example.com").code == "ALFIANR"


def test_ensure_is_idempotent(affiliate):
    from sanggar.affiliates.services import affiliate_profile_ensure

    assert affiliate_profile_ensure(user=affiliate.user).pk == affiliate.pk
    assert AffiliateProfile.objects.count() == 1


def test_granting_the_affiliate_role_creates_the_profile(make_user, admin_user):
    user = make_user(full_name="Rina Wati")
    role_grant(user=user, role=Role.AFFILIATE, actor=admin_user)
    assert AffiliateProfile.objects.get(user=user).code == "RINA"


def test_approving_an_application_creates_the_profile(make_user, admin_user):
    user = make_user(full_name="Sari Dewi")
    application = AffiliateApplication.objects.create(user=user, motivation="Saya ingin mempromosikan kelas ekspor.")
    affiliate_application_decide(application=application, actor=admin_user, approve=True)
    assert AffiliateProfile.objects.get(user=user).code == "SARI"


# --- clicks -----------------------------------------------------------------------------------------------------


def test_a_click_is_recorded_with_a_hashed_address(affiliate):
    click = click_record(
        code="dinda", landing_path="/membership/gold", referrer="https://wa.me/", user_agent="UA", ip="10.0.0.1"
    )
    assert click.affiliate == affiliate
    assert click.counted is True
    assert click.ip_hash == ip_hash("10.0.0.1")
    assert "10.0.0.1" not in click.ip_hash and len(click.ip_hash) == 64
    assert (click.landing_path, click.referrer, click.user_agent) == ("/membership/gold", "https://wa.me/", "UA")


def test_unknown_or_suspended_codes_record_nothing(affiliate):
    assert _click(code="NOBODY") is None
    assert _click(code="bad code!") is None
    AffiliateProfile.objects.filter(pk=affiliate.pk).update(status=AffiliateStatus.SUSPENDED)
    assert _click() is None
    assert Click.objects.count() == 0


def test_a_repeat_from_the_same_address_counts_once_per_window(affiliate):
    now = timezone.now()
    assert _click(now=now - timedelta(days=40)).counted is True  # outside the 30-day window
    assert _click(now=now - timedelta(days=2)).counted is True
    assert _click(now=now).counted is False
    assert _click(ip="10.0.0.2", now=now).counted is True
    assert Click.objects.filter(counted=True).count() == 3


def test_the_cache_gate_stops_parallel_repeats(affiliate):
    assert _click().counted is True
    Click.objects.all().delete()  # even when the first row is not visible yet
    assert _click().counted is False


def test_a_click_flood_counts_once_and_writes_one_decision(affiliate):
    for _ in range(CLICK_FLOOD_THRESHOLD + 5):
        _click(ip="10.9.9.9")
    assert Click.objects.count() == CLICK_FLOOD_THRESHOLD + 6 - 1
    assert Click.objects.filter(counted=True).count() == 1
    decisions = AttributionDecision.objects.filter(kind=DecisionKind.CLICK_FLOOD)
    assert [d.affiliate_id for d in decisions] == [affiliate.pk]
    assert decisions[0].reason.startswith(f"{CLICK_FLOOD_THRESHOLD} klik dari satu alamat IP dalam 30 hari")


# --- referral binding ---------------------------------------------------------------------------------------------


def test_last_click_wins(affiliate, make_affiliate, buyer):
    other = make_affiliate(full_name="Eko Prasetyo")
    now = timezone.now()
    referral_bind(user=buyer, code="DINDA", clicked_at=now - timedelta(days=3))
    referral = referral_bind(
        user=buyer, code="EKO", clicked_at=now - timedelta(days=1), source=ReferralSource.SHORT_LINK
    )
    assert (referral.affiliate, referral.source) == (other, ReferralSource.SHORT_LINK)
    assert referral.expires_at == now - timedelta(days=1) + timedelta(days=30)
    # An older click arriving later does not take it back.
    assert referral_bind(user=buyer, code="DINDA", clicked_at=now - timedelta(days=2)).affiliate == other
    assert Referral.objects.count() == 1


def test_first_click_keeps_the_first_affiliate_inside_its_window(affiliate, make_affiliate, buyer, admin_user):
    make_affiliate(full_name="Eko Prasetyo")
    revenue_settings_update(actor=admin_user, attribution_model="first")
    now = timezone.now()
    referral_bind(user=buyer, code="DINDA", clicked_at=now - timedelta(days=3))
    assert referral_bind(user=buyer, code="EKO", clicked_at=now).affiliate == affiliate
    # Once the first referral expired, the next click binds.
    Referral.objects.filter(user=buyer).update(expires_at=now - timedelta(seconds=1))
    assert referral_bind(user=buyer, code="EKO", clicked_at=now).affiliate.code == "EKO"


def test_a_click_outside_the_window_binds_nothing(affiliate, buyer):
    assert referral_bind(user=buyer, code="DINDA", clicked_at=timezone.now() - timedelta(days=31)) is None
    assert Referral.objects.count() == 0


def test_self_referral_binds_nothing_and_is_recorded(affiliate):
    assert referral_bind(user=affiliate.user, code="DINDA", clicked_at=timezone.now()) is None
    assert Referral.objects.count() == 0
    decision = AttributionDecision.objects.get()
    assert (decision.kind, decision.affiliate) == (DecisionKind.SELF_REFERRAL, affiliate)


# --- attribution ------------------------------------------------------------------------------------------------


def _cookie(code="DINDA", days_ago=0, source=ReferralSource.LINK):
    return referral_cookie_value(code=code, clicked_at=timezone.now() - timedelta(days=days_ago), source=source)


def test_the_cookie_inside_the_window_attributes(affiliate, buyer):
    result = attribution_resolve(buyer=buyer, cookie_value=_cookie(days_ago=29))
    assert (result.affiliate, result.source) == (affiliate, ReferralSource.LINK)
    assert [d.kind for d in result.decisions] == [DecisionKind.ATTRIBUTED]


@pytest.mark.parametrize("cookie", ["expired", "forged", "garbage"])
def test_expired_or_forged_cookies_attribute_nothing(affiliate, buyer, cookie):
    value = {
        "expired": _cookie(days_ago=31),
        "forged": _cookie().replace("DINDA", "EKO"),
        "garbage": "not-a-cookie",
    }[cookie]
    result = attribution_resolve(buyer=buyer, cookie_value=value)
    assert (result.affiliate, result.decisions) == (None, ())


def test_an_explicit_code_beats_the_cookie_and_the_cookie_beats_the_coupon(affiliate, make_affiliate, buyer, shop):
    eko = make_affiliate(full_name="Eko Prasetyo")
    rina = make_affiliate(full_name="Rina Wati")
    coupon = shop.coupon("RINA10", affiliate_id=rina.user_id)
    assert attribution_resolve(buyer=buyer, ref_code="eko", cookie_value=_cookie(), coupon=coupon).affiliate == eko
    assert attribution_resolve(buyer=buyer, cookie_value=_cookie(), coupon=coupon).affiliate == affiliate
    result = attribution_resolve(buyer=buyer, coupon=coupon)
    assert (result.affiliate, result.source) == (rina, ReferralSource.COUPON)


def test_the_bound_referral_attributes_without_a_cookie(affiliate, buyer):
    referral_bind(user=buyer, code="DINDA", clicked_at=timezone.now() - timedelta(days=5))
    result = attribution_resolve(buyer=buyer)
    assert result.affiliate == affiliate
    assert "referral akun" in result.decisions[0].reason
    Referral.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert attribution_resolve(buyer=buyer).affiliate is None


def test_first_click_setting_prefers_the_earliest_click(affiliate, make_affiliate, buyer, admin_user):
    make_affiliate(full_name="Eko Prasetyo")
    revenue_settings_update(actor=admin_user, attribution_model="first")
    referral_bind(user=buyer, code="DINDA", clicked_at=timezone.now() - timedelta(days=10))
    assert attribution_resolve(buyer=buyer, cookie_value=_cookie("EKO", days_ago=1)).affiliate == affiliate


def test_a_shorter_window_setting_applies(affiliate, buyer, admin_user):
    revenue_settings_update(actor=admin_user, attribution_window_days=7)
    assert attribution_resolve(buyer=buyer, cookie_value=_cookie(days_ago=8)).affiliate is None
    assert attribution_resolve(buyer=buyer, cookie_value=_cookie(days_ago=6)).affiliate == affiliate


def test_self_referral_gives_nobody(affiliate, make_user):
    result = attribution_resolve(buyer=affiliate.user, cookie_value=_cookie())
    assert result.affiliate is None
    assert [d.kind for d in result.decisions] == [DecisionKind.SELF_REFERRAL]
    # The same mailbox under another address (Gmail ignores dots and +tags) is the affiliate too.
    affiliate.user.email = "dinda.p@gmail.com"
    affiliate.user.save(update_fields=["email"])
    alias = make_user(email="dindap+beli@gmail.com")
    assert attribution_resolve(buyer=alias, cookie_value=_cookie()).affiliate is None


def test_an_order_from_the_affiliates_address_is_flagged(affiliate, buyer):
    activity_record(action="auth.login", actor=affiliate.user, ip="10.1.1.1")
    result = attribution_resolve(buyer=buyer, cookie_value=_cookie(), client_ip="10.1.1.1")
    assert result.affiliate == affiliate
    assert [d.kind for d in result.decisions] == [DecisionKind.ATTRIBUTED, DecisionKind.SAME_IP]
    assert attribution_resolve(buyer=buyer, cookie_value=_cookie(), client_ip="10.2.2.2").decisions[-1].kind == (
        DecisionKind.ATTRIBUTED
    )


def test_attribution_for_order_records_its_decisions(affiliate, buyer):
    assert attribution_for_order(buyer=buyer, cookie_value=_cookie(), client_ip="10.3.3.3") == affiliate
    decision = AttributionDecision.objects.get()
    assert (decision.kind, decision.order, decision.ip_hash) == (DecisionKind.ATTRIBUTED, None, ip_hash("10.3.3.3"))


# --- checkout wiring ----------------------------------------------------------------------------------------------


def test_checkout_attributes_the_order_and_records_the_decision(affiliate, buyer, gold):
    result = checkout_place(buyer=buyer, items=[GOLD_12M], provider="manual", cookie_value=_cookie())
    order = result.order
    assert order.affiliate == affiliate.user
    decision = AttributionDecision.objects.get(order=order)
    assert decision.kind == DecisionKind.ATTRIBUTED


def test_checkout_with_an_affiliate_coupon_attributes_without_a_cookie(affiliate, buyer, gold, shop):
    shop.coupon("DINDA100", discount_type="fixed", value=100_000, affiliate_id=affiliate.user_id)
    order = checkout_place(buyer=buyer, items=[GOLD_12M], provider="manual", coupon_code="dinda100").order
    assert order.affiliate == affiliate.user
    assert AttributionDecision.objects.get(order=order).reason == "Diatribusikan lewat kupon affiliate."


def test_a_refused_order_leaves_no_decision(affiliate, buyer, gold):
    from sanggar.core.exceptions import ServiceError

    with pytest.raises(ServiceError):
        checkout_place(
            buyer=buyer, items=[ItemRequest("plan", "gold", "6m")], provider="manual", cookie_value=_cookie()
        )
    assert AttributionDecision.objects.count() == 0


# --- commissions --------------------------------------------------------------------------------------------------


def _paid(shop, buyer, *items, affiliate_user=None, coupon=""):
    from sanggar.orders.services import order_create, order_mark_paid

    order = order_create(
        buyer=buyer, items=list(items), provider="manual", affiliate=affiliate_user, coupon_code=coupon
    )
    return order_mark_paid(order=order, actor=shop.admin)


@pytest.mark.parametrize(
    ("kind", "value", "amount", "bonus", "expected"),
    [
        ("percent", 30, 1_000_000, 0, (300_000, "30% × Rp 1.000.000")),
        ("percent", 33, 999, 0, (329, "33% × Rp 999")),
        ("flat", 250_000, 1_000_000, 0, (250_000, "Rp 250.000 flat")),
        ("flat", 250_000, 150_000, 0, (150_000, "Rp 250.000 flat")),  # never above what the item paid
        ("percent", 30, 1_000_000, 10, (330_000, "30% × Rp 1.000.000 + bonus tier 10%")),
        ("percent", 0, 1_000_000, 10, (0, "0% × Rp 1.000.000")),
    ],
)
def test_line_commission(kind, value, amount, bonus, expected):
    assert line_commission(kind=kind, value=value, amount=amount, bonus_percent=bonus) == expected


def test_commission_of_a_plan_uses_the_option_override_else_the_plan(affiliate, buyer, gold, shop):
    order = _paid(shop, buyer, GOLD_12M, affiliate_user=affiliate.user)
    quote = commission_compute(order=order)
    assert (quote.amount, quote.base_amount, quote.rule) == (360_000, 1_200_000, "30% × Rp 1.200.000")
    assert quote.affiliate == affiliate and quote.flag_reason == ""


def test_commission_flat_override_and_product_rules(affiliate, make_user, gold, ebook, shop):
    order = _paid(shop, make_user(), ItemRequest("plan", "gold", "1m"), affiliate_user=affiliate.user)
    assert (commission_compute(order=order).amount, commission_compute(order=order).rule) == (
        25_000,
        "Rp 25.000 flat",
    )
    order = _paid(shop, make_user(), ItemRequest("product", ebook.slug), affiliate_user=affiliate.user)
    assert commission_compute(order=order).amount == 250_000
    shop.coupon("HEMAT100", discount_type="fixed", value=100_000)
    order = _paid(
        shop, make_user(), ItemRequest("product", ebook.slug), affiliate_user=affiliate.user, coupon="HEMAT100"
    )
    assert commission_compute(order=order).amount == 200_000  # Rp 250.000 flat, capped at the Rp 200.000 paid


def test_the_tier_bonus_raises_the_commission(affiliate, buyer, gold, shop):
    Tier.objects.create(name="Perak", min_sales=0, period_days=30, bonus_percent=10)
    order = _paid(shop, buyer, GOLD_12M, affiliate_user=affiliate.user)
    quote = commission_compute(order=order)
    assert (quote.amount, quote.rule) == (396_000, "30% × Rp 1.200.000 + bonus tier Perak 10%")


def test_no_commission_without_affiliate_or_for_self_referral(affiliate, buyer, gold, shop):
    assert commission_compute(order=_paid(shop, buyer, GOLD_12M)).amount == 0
    own = _paid(shop, affiliate.user, GOLD_12M, affiliate_user=affiliate.user)
    quote = commission_compute(order=own)
    assert (quote.amount, quote.affiliate) == (0, None)


def test_a_same_ip_order_is_flagged_and_its_commission_held_for_review(affiliate, buyer, gold, shop):
    from sanggar.affiliates.constants import CommissionStatus
    from sanggar.orders.services import order_mark_paid

    activity_record(action="auth.login", actor=affiliate.user, ip="10.1.1.1")
    order = checkout_place(
        buyer=buyer, items=[GOLD_12M], provider="manual", cookie_value=_cookie(), client_ip="10.1.1.1"
    ).order
    assert commission_compute(order=order).flag_reason.startswith("Pesanan dibuat dari alamat IP yang juga dipakai")
    order = order_mark_paid(order=order, actor=shop.admin)
    assert order.commission.status == CommissionStatus.REVIEW
    assert order.commission.amount == 360_000
