"""Finance pages: access per role, what they show, forms, query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sanggar.core.roles import Role
from sanggar.finance.constants import AccountKind, PayoutStatus
from sanggar.finance.models import Payout, RevenueSettings
from sanggar.finance.services import commissions_release_sweep, payout_request, revenue_settings_current

from .conftest import all_balances, balance

pytestmark = pytest.mark.django_db

BANK = {"bank_name": "BCA", "bank_account_number": "1234567890", "bank_account_holder": "Dinda"}


def _released(world, n=1):
    for i in range(n):
        world.paid_order(world.product(f"Kelas {i}"))
    commissions_release_sweep(now=timezone.now() + timedelta(days=8))


@pytest.mark.parametrize(
    ("url_name", "allowed"),
    [
        ("finance:wallet", (Role.AFFILIATE, Role.MENTOR, Role.FOUNDER, Role.COFOUNDER)),
        ("finance:admin_report", (Role.ADMIN, Role.FOUNDER, Role.COFOUNDER)),
        ("finance:admin_report_export", (Role.ADMIN, Role.FOUNDER, Role.COFOUNDER)),
        ("finance:admin_revenue_settings", (Role.ADMIN,)),
        ("finance:admin_payouts", (Role.ADMIN,)),
    ],
)
def test_page_access_per_role(client, make_user, url_name, allowed):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for role in (Role.ADMIN, Role.FOUNDER, Role.COFOUNDER, Role.AFFILIATE, Role.MENTOR, Role.SUPPORT, Role.MEMBER):
        user = make_user(role) if role != Role.MEMBER else make_user()
        client.force_login(user)
        expected = 200 if role in allowed else 403
        assert client.get(url).status_code == expected, (url_name, role)


def test_wallet_page_shows_balances_statement_and_history(client, world, django_assert_max_num_queries):
    _released(world, 2)
    payout_request(user=world.affiliate, wallet_kind="affiliate", amount=100_000, **BANK)
    client.force_login(world.affiliate)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("finance:wallet"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-balance="available">Rp 500.000<' in html
    assert 'data-balance="reserved">Rp 100.000<' in html
    amounts = [e.amount for e in response.context["entries"]]
    assert amounts[:2] == [100_000, -100_000]  # newest first: the payout request
    assert sorted(amounts) == sorted([300_000, 300_000, -300_000, 300_000, -300_000, 300_000, -100_000, 100_000])
    assert len(response.context["payouts"]) == 1
    assert response.context["form"].initial["bank_account_number"] == "1234567890"


def test_wallet_statement_query_count_is_fixed(client, world, django_assert_max_num_queries):
    _released(world, 1)
    client.force_login(world.affiliate)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("finance:wallet"))
    _released(world, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("finance:wallet"))


def test_payout_request_form(client, world):
    _released(world)
    client.force_login(world.affiliate)
    response = client.post(
        reverse("finance:payout_request"), {"wallet_kind": "affiliate", "amount": "Rp 400.000", **BANK}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"amount": ["Saldo tersedia hanya Rp 300.000."]}
    assert not Payout.objects.exists()
    response = client.post(reverse("finance:payout_request"), {"wallet_kind": "affiliate", "amount": "250.000", **BANK})
    assert response.status_code == 302 and response["Location"] == reverse("finance:wallet")
    payout = Payout.objects.get()
    assert (payout.amount, payout.status, payout.user) == (250_000, PayoutStatus.REQUESTED, world.affiliate)


def test_member_cannot_request_payout(client, world, member_user):
    client.force_login(member_user)
    response = client.post(reverse("finance:payout_request"), {"wallet_kind": "affiliate", "amount": "100000", **BANK})
    assert response.status_code == 403
    assert not Payout.objects.exists()


def test_report_page_and_csv(client, world, django_assert_max_num_queries):
    order = world.paid_order(world.product())
    client.force_login(world.founder)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("finance:admin_report") + "?period=today")
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["gross"] == order.total
    assert (summary["affiliate_commissions"], summary["mentor_shares"], summary["founder"]) == (
        300_000,
        140_000,
        285_600,
    )
    assert summary["orders"] == 1
    today = timezone.localdate().isoformat()
    response = client.get(reverse("finance:admin_report_export") + f"?from={today}&to={today}")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Tanggal,Pendapatan kotor,Komisi affiliate")
    assert lines[1] == f"{today},{order.total},300000,140000,{84_000 + order.unique_code},285600,190400,0,0"
    # a bad date is ignored, not a 500
    assert client.get(reverse("finance:admin_report") + "?from=2024-13-45&period=zzz").status_code == 200


def test_revenue_settings_page(client, world, admin_client):
    current = revenue_settings_current()
    data = {
        "enabled": "on", "company_fee_percent": "20", "founder_percent": "70", "cofounder_percent": "40",
        "holding_days": "7", "min_payout": "100.000", "attribution_window_days": "30", "attribution_model": "last",
    }  # fmt: skip
    response = admin_client.post(reverse("finance:admin_revenue_settings"), data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "cofounder_percent": ["Bagian Founder dan Co-Founder bersama-sama paling banyak 100%."]
    }
    assert list(RevenueSettings.objects.all()) == [current]
    response = admin_client.post(reverse("finance:admin_revenue_settings"), {**data, "cofounder_percent": "30"})
    assert response.status_code == 302
    new = revenue_settings_current()
    assert (new.company_fee_percent, new.founder_percent, new.cofounder_percent, new.min_payout) == (
        20,
        70,
        30,
        100_000,
    )
    assert new.created_by == world.admin


def test_founder_cannot_change_revenue_settings(client, world):
    client.force_login(world.founder)
    response = client.post(reverse("finance:admin_revenue_settings"), {"company_fee_percent": "0"})
    assert response.status_code == 403
    assert RevenueSettings.objects.count() <= 1


def test_payout_queue_approve_reject_and_batch(client, world, django_assert_max_num_queries):
    _released(world, 3)
    payouts = [
        payout_request(user=world.affiliate, wallet_kind="affiliate", amount=amount, **BANK)
        for amount in (100_000, 200_000, 300_000, 150_000)
    ]
    client.force_login(world.admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("finance:admin_payouts"))
    assert [p.pk for p in response.context["payouts"]] == [p.pk for p in payouts]

    detail = reverse("finance:admin_payout_detail", args=[payouts[0].pk])
    assert client.get(detail).status_code == 200
    response = client.post(reverse("finance:admin_payout_approve", args=[payouts[0].pk]), {"transfer_reference": ""})
    assert response.status_code == 400
    response = client.post(
        reverse("finance:admin_payout_approve", args=[payouts[0].pk]),
        {"transfer_reference": "TRX-001", "proof": SimpleUploadedFile("bukti.png", b"\x89PNG\r\n")},
    )
    assert response.status_code == 302
    response = client.post(reverse("finance:admin_payout_reject", args=[payouts[1].pk]), {"reason": "Rekening salah"})
    assert response.status_code == 302
    response = client.post(
        reverse("finance:admin_payout_batch_create"), {"payout_ids": [payouts[2].pk, payouts[3].pk], "note": "Jumat"}
    )
    batch_id = Payout.objects.get(pk=payouts[2].pk).batch_id
    assert response.status_code == 302 and response["Location"] == reverse(
        "finance:admin_payout_batch", args=[batch_id]
    )
    csv_lines = b"".join(client.get(reverse("finance:admin_payout_batch_csv", args=[batch_id])).streaming_content)
    rows = csv_lines.decode("utf-8-sig").strip().splitlines()
    assert rows[1].startswith(f"1,BCA,1234567890,Dinda,300000,BATCH-{batch_id}-{payouts[2].pk}")
    assert len(rows) == 3
    assert balance(world.affiliate, AccountKind.AFFILIATE)["paid_out"] == 550_000
    # the owner can open the proof; another user cannot
    assert client.get(reverse("finance:payout_proof", args=[payouts[0].pk])).status_code == 200
    client.force_login(world.mentor)
    assert client.get(reverse("finance:payout_proof", args=[payouts[0].pk])).status_code == 404


def test_non_admin_cannot_approve(client, world):
    _released(world)
    payout = payout_request(user=world.affiliate, wallet_kind="affiliate", amount=100_000, **BANK)
    before = all_balances()
    client.force_login(world.founder)
    assert (
        client.post(reverse("finance:admin_payout_approve", args=[payout.pk]), {"transfer_reference": "X"}).status_code
        == 403
    )
    assert client.post(reverse("finance:admin_payout_batch_create"), {"payout_ids": [payout.pk]}).status_code == 403
    assert all_balances() == before
    assert Payout.objects.get(pk=payout.pk).status == PayoutStatus.REQUESTED


def test_sales_list_shows_commission(client, world, django_assert_max_num_queries):
    order = world.paid_order(world.product())
    client.force_login(world.admin)
    response = client.get(reverse("orders:admin_sales"))
    assert "Rp 300.000 · Tertahan" in response.content.decode()
    detail = client.get(reverse("orders:admin_sale_detail", args=[order.invoice_number])).content.decode()
    assert "Rp 300.000 · Tertahan" in detail
    export = b"".join(client.get(reverse("orders:admin_sales_export")).streaming_content).decode("utf-8-sig")
    assert ",Dinda Affiliate,300000," in export


def test_dashboard_cards(client, world):
    world.paid_order(world.product(), affiliate=None)
    client.force_login(world.founder)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "Buka Dompet" in html and "Rp 408.000" in html  # mentor 200.000, fee 120.000, 60% of 680.000
    client.force_login(world.admin)
    assert "Buka antrean" in client.get(reverse("dashboard:home")).content.decode()


def test_report_says_when_a_range_is_too_long_or_cut(client, make_user):
    client.force_login(make_user(Role.ADMIN))
    too_long = client.get(reverse("finance:admin_report") + "?from=2000-01-01&to=2100-01-01")
    assert too_long.status_code == 400
    assert "Rentang tanggal terlalu panjang" in too_long.content.decode()
    export = client.get(reverse("finance:admin_report_export") + "?from=2000-01-01&to=2100-01-01")
    assert export.status_code == 400
    cut = client.get(reverse("finance:admin_report") + "?from=2020-01-01&to=2100-01-01")
    assert cut.status_code == 200
    assert "dipotong ke hari ini" in cut.content.decode()
