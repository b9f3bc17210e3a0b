""" "Membership Saya" (every signed-in user) and the membership dashboard cards."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.access.tests.factories import make_order, price_of
from sanggar.memberships.services import membership_activate

pytestmark = pytest.mark.django_db


def activate(user, plan, duration="1m", *, days_ago=0, order=None):
    plan_price = price_of(plan, duration)
    return membership_activate(
        user=user, plan_price=plan_price, amount_paid=plan_price.price, order=order,
        now=timezone.now() - timedelta(days=days_ago),
    )  # fmt: skip


def test_needs_login(client):
    response = client.get("/membership-saya")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/membership-saya"


@pytest.mark.parametrize("role", ["admin", "mentor", "affiliate", "supplier", "support", "founder", "cofounder"])
def test_opens_for_every_role(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get("/membership-saya").status_code == 200


def test_free_member_sees_the_plans(client, member_user, catalog):
    client.force_login(member_user)
    response = client.get("/membership-saya")
    body = response.content.decode()
    overview = response.context["o"]
    assert overview.current is None and overview.last_ended is None
    assert [(o.plan.slug, o.from_price, o.url) for o in overview.offers] == [
        ("silver", 100_000, "/checkout/silver"),
        ("gold", 200_000, "/checkout/gold"),
        ("platinum", 400_000, "/checkout/platinum"),
    ]
    assert "Anda belum memiliki membership aktif" in body
    assert 'href="/checkout/all"' in body
    assert "Rp 100.000" in body


def test_active_member_sees_plan_days_left_includes_and_actions(client, member_user, catalog):
    silver_order = make_order(member_user, plan_price=price_of(catalog["silver"], "12m"))
    activate(member_user, catalog["silver"], "12m", days_ago=100, order=silver_order)
    membership = activate(member_user, catalog["gold"], "1m", days_ago=10)
    client.force_login(member_user)

    response = client.get("/membership-saya")

    body = response.content.decode()
    overview = response.context["o"]
    assert overview.current == membership
    expected_days = (timezone.localtime(membership.ends_at).date() - timezone.localdate()).days
    assert overview.days_left == expected_days
    assert f'data-days-left="{expected_days}"' in body
    assert 0 < overview.remaining_percent < 100
    assert overview.renew_url == "/checkout/gold"
    assert overview.upgrade_url == "/checkout/platinum"
    assert [(i.title, i.decision.allowed) for i in overview.included] == [
        ("Dasar Ekspor", True),
        ("Kelas Buyer", True),
        ("Strategi Ekspor", True),
        ("Komunitas Premium", True),
        ("Ebook Daftar Buyer", True),
    ]
    assert 'id="renew"' in body and 'id="upgrade"' in body
    assert [m.plan.slug for m in overview.history] == ["gold", "silver"]
    assert [(u.old_plan.slug, u.new_plan.slug) for u in overview.upgrades] == [("silver", "gold")]
    assert "Riwayat upgrade" in body
    assert "Upgrade dari Silver." in body


def test_top_plan_lifetime_has_nothing_to_renew_or_upgrade(client, member_user, catalog):
    activate(member_user, catalog["platinum"], "lifetime")
    client.force_login(member_user)
    response = client.get("/membership-saya")
    overview = response.context["o"]
    assert (overview.days_left, overview.renew_url, overview.upgrade_url) == (None, "", "")
    assert "Anda sudah memiliki paket tertinggi tanpa batas waktu." in response.content.decode()


def test_expired_member_sees_the_renewal(client, member_user, catalog):
    activate(member_user, catalog["gold"], "1m", days_ago=45)
    client.force_login(member_user)
    response = client.get("/membership-saya")
    overview = response.context["o"]
    assert overview.current is None
    assert overview.last_ended.plan.slug == "gold"
    assert overview.renew_url == "/checkout/gold"
    assert "Membership Gold Anda sudah berakhir" in response.content.decode()


def test_page_runs_a_bounded_number_of_queries(client, member_user, catalog, django_assert_max_num_queries):
    activate(member_user, catalog["silver"], "12m", days_ago=100)
    activate(member_user, catalog["gold"], "1m", days_ago=10)
    client.force_login(member_user)
    # 31: one query names the pages of the included courses (resource kinds' urls), however many there are
    with django_assert_max_num_queries(31) as first:
        client.get("/membership-saya")
    for _ in range(5):
        activate(member_user, catalog["gold"], "1m")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/membership-saya")


def test_member_dashboard_card(client, member_user, catalog):
    client.force_login(member_user)
    free = client.get("/dashboard/").content.decode()
    assert 'data-card="Membership"' in free
    assert "Jadi Member Premium untuk membuka kelas, grup dan produk eksklusif." in free
    membership = activate(member_user, catalog["gold"], "1m")
    body = client.get("/dashboard/").content.decode()
    days = (timezone.localtime(membership.ends_at).date() - timezone.localdate()).days
    assert f"Sisa {days} hari" in body
    assert 'href="/membership-saya"' in body


def test_admin_dashboard_card_counts(admin_client, make_user, catalog):
    activate(make_user(), catalog["gold"], "1m", days_ago=25)  # ends in about 5 days
    activate(make_user(), catalog["gold"], "12m")
    activate(make_user(), catalog["silver"], "lifetime")
    activate(make_user(), catalog["silver"], "1m", days_ago=60)  # over
    response = admin_client.get("/dashboard/")
    card = next(c for c in response.context["cards"] if c.title == "Membership aktif")
    assert card.value == "3"
    assert [(s.label, s.value) for s in card.stats] == [("Berakhir dalam 7 hari", "1"), ("Lifetime", "1")]
