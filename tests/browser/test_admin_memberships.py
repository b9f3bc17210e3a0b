"""An admin extends a member's membership from /admin/memberships; the member then sees the new end date on
"Membership Saya"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.access.tests.factories import make_plan, price_of
from sanggar.core.formatting import tanggal
from sanggar.core.roles import Role
from sanggar.memberships.models import UserMembership
from sanggar.memberships.services import membership_activate


@pytest.mark.django_db(transaction=True)
def test_admin_extends_a_membership_and_the_member_sees_the_new_end(browser, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin@uji.test", full_name="Admin Sanggar")
    member = make_user(email="siti@uji.test", full_name="Siti Rahmawati")
    gold = make_plan("gold", title="Gold")
    membership_activate(user=member, plan_price=price_of(gold, "1m"), amount_paid=0)
    old_end = UserMembership.objects.get(user=member).ends_at
    new_end = old_end + timedelta(days=30)
    assert tanggal(new_end) != tanggal(old_end)

    admin_page = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID").new_page()
    login(admin_page, admin.email)
    admin_page.goto(f"{live_server.url}/admin/memberships?q=siti")
    admin_page.click("#memberships-table a:has-text('Siti Rahmawati')")
    admin_page.fill("#id_extend-days", "30")
    admin_page.fill("#id_extend-reason", "Kompensasi server down")
    admin_page.click("#action-extend button[type=submit]")
    admin_page.wait_for_selector("text=Membership diperpanjang.")
    assert admin_page.locator("#current-membership [data-ends]").inner_text().strip() == tanggal(new_end)

    member_page = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID").new_page()
    login(member_page, member.email)
    member_page.goto(f"{live_server.url}/membership-saya")
    assert member_page.locator("#membership-current [data-ends]").inner_text().strip() == tanggal(new_end)
    assert UserMembership.objects.get(user=member).ends_at == new_end
    assert timezone.now() < new_end
