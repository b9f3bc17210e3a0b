"""The access policy: who may open a resource or product, and — when not — the reason, message and way to unlock."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser

from sanggar.access.constants import DenyReason
from sanggar.access.policy import (
    AccessDecision,
    access_check,
    access_decisions,
    product_access_check,
    product_access_decisions,
)
from sanggar.access.services import grant_admin_create, grant_admin_revoke, grant_create
from sanggar.access.tests.factories import make_product, make_resource, price_of
from sanggar.memberships.services import membership_activate

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
T0 = datetime(2025, 1, 1, 10, 0, tzinfo=WIB)
LATER = T0 + timedelta(days=1)


def activate(user, plan, duration="1m", now=T0):
    plan_price = price_of(plan, duration)
    return membership_activate(user=user, plan_price=plan_price, amount_paid=plan_price.price, now=now)


def purchase(user, resource, *, ref="order:INV000001", starts_at=T0, ends_at=None):
    return grant_create(
        user=user, resource=resource, source="purchase", source_ref=ref, starts_at=starts_at, ends_at=ends_at
    )


def test_anonymous_must_log_in(catalog):
    decision = access_check(user=AnonymousUser(), resource=catalog["strategi"], now=LATER)
    assert decision == AccessDecision(
        allowed=False,
        reason=DenyReason.LOGIN_REQUIRED,
        message="Masuk terlebih dahulu untuk membuka kelas ini.",
        action_label="Masuk",
        action_url="/accounts/login/",
    )


def test_admin_may_open_everything(admin_user, catalog):
    assert access_check(user=admin_user, resource=catalog["webinar"], now=LATER).allowed is True
    draft = make_product("draft-x", status="draft")
    assert product_access_check(user=admin_user, product=draft, now=LATER).allowed is True


def test_member_of_a_plan_opens_what_it_includes(member_user, catalog):
    activate(member_user, catalog["gold"])
    assert access_check(user=member_user, resource=catalog["strategi"], now=LATER).allowed is True
    assert product_access_check(user=member_user, product=catalog["ebook"], now=LATER).allowed is True


def test_a_resource_added_to_the_plan_later_opens_for_current_members(member_user, catalog):
    activate(member_user, catalog["gold"])
    new_course = make_resource("course", "kelas-baru", "Kelas Baru")
    catalog["gold"].included_resources.add(new_course)
    assert access_check(user=member_user, resource=new_course, now=LATER).allowed is True


def test_premium_required_for_a_free_member_points_to_all_plans(member_user, catalog):
    decision = access_check(user=member_user, resource=catalog["strategi"], now=LATER)
    assert decision == AccessDecision(
        allowed=False,
        reason=DenyReason.PREMIUM_REQUIRED,
        message="Kelas ini hanya untuk Member Premium. Silakan upgrade membership.",
        action_label="Lihat Paket Membership",
        action_url="/checkout/all",
    )
    group = access_check(user=member_user, resource=catalog["premium_group"], now=LATER)
    assert group.message == "Grup ini hanya untuk Member Premium. Silakan upgrade membership."


def test_premium_required_for_a_lower_plan_points_to_the_upgrade(member_user, catalog):
    activate(member_user, catalog["silver"])
    only_platinum = access_check(user=member_user, resource=catalog["webinar"], now=LATER)
    assert only_platinum.reason == DenyReason.PREMIUM_REQUIRED
    assert only_platinum.message == "Event ini hanya untuk Member Premium. Silakan upgrade membership."
    assert (only_platinum.action_label, only_platinum.action_url) == ("Upgrade Membership", "/checkout/platinum")
    two_plans = access_check(user=member_user, resource=catalog["strategi"], now=LATER)
    assert two_plans.action_url == "/checkout/compare?plans=gold%2Cplatinum"


def test_expired_membership_says_when_and_links_the_renewal(member_user, catalog):
    activate(member_user, catalog["gold"], now=datetime(2025, 10, 23, 9, 0, tzinfo=WIB))  # ends 23 Nov 2025
    now = datetime(2025, 11, 24, tzinfo=WIB)
    decision = access_check(user=member_user, resource=catalog["strategi"], now=now)
    assert decision == AccessDecision(
        allowed=False,
        reason=DenyReason.MEMBERSHIP_EXPIRED,
        message="Membership Anda berakhir pada 23 Nov 2025. Perpanjang untuk membuka kembali.",
        action_label="Perpanjang Membership",
        action_url="/checkout/gold",
    )
    product = product_access_check(user=member_user, product=catalog["ebook"], now=now)
    assert product.reason == DenyReason.MEMBERSHIP_EXPIRED
    # Something the old plan never included is not a renewal matter.
    assert access_check(user=member_user, resource=catalog["webinar"], now=now).reason == DenyReason.PREMIUM_REQUIRED


def test_product_not_bought_asks_to_buy_it(member_user, catalog):
    product = make_product("template-invoice", title="Template Invoice Ekspor")
    decision = product_access_check(user=member_user, product=product, now=LATER)
    assert decision == AccessDecision(
        allowed=False,
        reason=DenyReason.PURCHASE_REQUIRED,
        message="Beli produk ini untuk membuka aksesnya.",
        action_label="Beli Produk",
        action_url="/produk/template-invoice",
    )
    assert access_check(user=member_user, resource=product.resource, now=LATER) == decision


def test_a_product_on_sale_and_in_a_plan_asks_to_buy_it_and_a_bonus_product_to_upgrade(member_user, catalog):
    on_sale = product_access_check(user=member_user, product=catalog["ebook"], now=LATER)
    assert (on_sale.reason, on_sale.action_url) == (DenyReason.PURCHASE_REQUIRED, "/produk/ebook-buyer")
    bonus = make_product("bonus-member", title="Bonus Member", status="draft")
    catalog["gold"].included_products.add(bonus)
    decision = product_access_check(user=member_user, product=bonus, now=LATER)
    assert (decision.reason, decision.message, decision.action_url) == (
        DenyReason.PREMIUM_REQUIRED, "Produk ini hanya untuk Member Premium. Silakan upgrade membership.",
        "/checkout/all",
    )  # fmt: skip


def test_a_resource_sold_inside_a_product_names_the_product(member_user, catalog):
    course = make_resource("course", "kelas-dokumen", "Kelas Dokumen Ekspor")
    bundle = make_product("bundel-dokumen", title="Bundel Dokumen")
    bundle.included_resources.add(course)
    decision = access_check(user=member_user, resource=course, now=LATER)
    assert decision.reason == DenyReason.PURCHASE_REQUIRED
    assert decision.message == (
        "Kelas ini termasuk dalam produk “Bundel Dokumen”. Beli produk tersebut untuk membuka aksesnya."
    )
    assert decision.action_url == "/produk/bundel-dokumen"


def test_purchase_grant_opens_until_it_ends(member_user, catalog):
    product = make_product("webinar-rekaman", access_days=30)
    purchase(member_user, product.resource, ends_at=T0 + timedelta(days=30))
    assert product_access_check(user=member_user, product=product, now=T0 + timedelta(days=29)).allowed is True
    ended = product_access_check(user=member_user, product=product, now=T0 + timedelta(days=30))
    assert ended == AccessDecision(
        allowed=False,
        reason=DenyReason.GRANT_EXPIRED,
        message="Masa akses Anda ke Webinar Rekaman berakhir pada 31 Jan 2025.",
        action_label="Beli Lagi",
        action_url="/produk/webinar-rekaman",
    )


def test_a_grant_that_has_not_started_does_not_open(member_user, catalog):
    product = make_product("kelas-depan")
    purchase(member_user, product.resource, starts_at=T0 + timedelta(days=5))
    assert product_access_check(user=member_user, product=product, now=LATER).allowed is False


def test_revoked_grant_says_so(member_user, admin_user, catalog):
    resource = make_resource("document", "sop-ekspor", "SOP Ekspor")
    grant = grant_admin_create(user=member_user, resource=resource, actor=admin_user, now=T0)
    assert access_check(user=member_user, resource=resource, now=LATER).allowed is True
    grant_admin_revoke(grant=grant, actor=admin_user, reason="Salah orang", now=LATER)
    decision = access_check(user=member_user, resource=resource, now=LATER + timedelta(seconds=1))
    assert decision == AccessDecision(
        allowed=False,
        reason=DenyReason.REVOKED,
        message="Akses Anda ke SOP Ekspor telah dicabut. Hubungi admin bila ada pertanyaan.",
    )


def test_nothing_offers_it(member_user):
    resource = make_resource("feature", "database-buyer", "Database Buyer")
    decision = access_check(user=member_user, resource=resource, now=LATER)
    assert decision.reason == DenyReason.NO_ACCESS
    assert (
        decision.message == "Anda belum memiliki akses ke Database Buyer. Hubungi admin bila menurut Anda ini keliru."
    )
    assert decision.action_url == ""


def test_inactive_resource_is_closed_even_with_a_grant(member_user, catalog):
    activate(member_user, catalog["gold"])
    strategi = catalog["strategi"]
    strategi.is_active = False
    strategi.save()
    decision = access_check(user=member_user, resource=strategi, now=LATER)
    assert (decision.allowed, decision.reason, decision.message) == (
        False, DenyReason.INACTIVE_RESOURCE, "Kelas ini sedang tidak tersedia."
    )  # fmt: skip


def test_product_status_matters_only_to_those_without_access(member_user, catalog):
    coming = make_product("webinar-desember", status="coming_soon")
    decision = product_access_check(user=member_user, product=coming, now=LATER)
    assert (decision.reason, decision.message, decision.action_url) == (
        DenyReason.INACTIVE_RESOURCE, "Produk ini segera hadir.", "/produk/webinar-desember"
    )  # fmt: skip
    draft = make_product("draft-produk", status="draft")
    assert product_access_check(user=member_user, product=draft, now=LATER).message == "Produk ini belum tersedia."
    # A buyer keeps access when the admin takes the product off sale.
    purchase(member_user, draft.resource)
    assert product_access_check(user=member_user, product=draft, now=LATER).allowed is True


def test_premium_level_product_needs_an_active_membership_besides_the_purchase(member_user, admin_user, catalog):
    product = make_product("database-premium", access_level="premium")
    purchase(member_user, product.resource)
    decision = product_access_check(user=member_user, product=product, now=LATER)
    assert (decision.reason, decision.message, decision.action_url) == (
        DenyReason.PREMIUM_REQUIRED, "Produk ini hanya untuk Member Premium. Silakan upgrade membership.",
        "/checkout/all",
    )  # fmt: skip
    activate(member_user, catalog["silver"])
    assert product_access_check(user=member_user, product=product, now=LATER).allowed is True
    # After the membership ends, the renewal is the way back.
    ended = product_access_check(user=member_user, product=product, now=datetime(2025, 3, 1, tzinfo=WIB))
    assert ended.reason == DenyReason.MEMBERSHIP_EXPIRED


def test_admin_grant_opens_a_premium_level_product_without_membership(member_user, admin_user):
    product = make_product("database-premium", access_level="premium")
    grant_admin_create(user=member_user, resource=product.resource, actor=admin_user, now=T0)
    assert product_access_check(user=member_user, product=product, now=LATER).allowed is True


def test_creator_opens_their_own_product(make_user):
    mentor = make_user("mentor")
    product = make_product("kelas-mentor", creator=mentor, status="draft")
    assert product_access_check(user=mentor, product=product, now=LATER).allowed is True


def test_batch_decisions_use_a_fixed_number_of_queries(member_user, catalog, django_assert_max_num_queries):
    activate(member_user, catalog["silver"])
    resources = [make_resource("course", f"kelas-{i}", f"Kelas {i}") for i in range(30)]
    catalog["gold"].included_resources.add(*resources[:10])
    products = [make_product(f"produk-{i}") for i in range(20)]
    for product in products[:5]:
        purchase(member_user, product.resource, ref=f"order:INV{product.pk:06d}")
    member_user = type(member_user).objects.get(pk=member_user.pk)
    with django_assert_max_num_queries(9):
        decisions = access_decisions(user=member_user, resources=resources, now=LATER)
    assert sum(d.allowed for d in decisions.values()) == 0
    assert {d.reason for d in decisions.values()} == {DenyReason.PREMIUM_REQUIRED, DenyReason.NO_ACCESS}
    for product in products:
        product.resource  # noqa: B018 - loaded before counting, as list pages select it
    member_user = type(member_user).objects.get(pk=member_user.pk)
    with django_assert_max_num_queries(9):
        product_decisions = product_access_decisions(user=member_user, products=products, now=LATER)
    assert [product_decisions[p.pk].allowed for p in products] == [True] * 5 + [False] * 15
