"""Pages of the affiliate-ui: statistics, leaderboard, challenges, marketing kit, and the admin's affiliate, tier,
challenge and kit pages. Access is checked on the server; lists run a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sanggar.affiliates import services_ui as svc
from sanggar.affiliates.models import AffiliateProfile, Challenge, MarketingKitItem, Tier
from sanggar.audit.models import ActivityLog
from sanggar.core.roles import Role

from .ui_world import ui_world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

AFFILIATE_PAGES = ("affiliates:stats", "affiliates:challenges", "affiliates:kit")
ADMIN_PAGES = (
    "affiliates:admin_affiliates",
    "affiliates:admin_tiers",
    "affiliates:admin_tier_create",
    "affiliates:admin_challenges",
    "affiliates:admin_challenge_create",
    "affiliates:admin_kit",
    "affiliates:admin_kit_create",
)


@pytest.mark.parametrize("name", AFFILIATE_PAGES + ("affiliates:leaderboard",))
def test_affiliate_pages_refuse_members_and_send_visitors_to_login(client, make_user, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(make_user(Role.MENTOR))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_refuse_affiliates(client, ui_world, name):
    client.force_login(ui_world.user)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ADMIN_PAGES + ("affiliates:leaderboard",))
def test_admin_pages_open_for_admins(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_stats_page(client, ui_world, django_assert_max_num_queries):
    ui_world.click(ip="10.0.0.1")
    ui_world.click(ip="10.0.0.2")
    ui_world.sale(buyer=ui_world.buyer("Budi Santoso"))
    client.force_login(ui_world.user)
    client.get(reverse("affiliates:stats"))  # warm the branding cache
    with django_assert_max_num_queries(22):
        response = client.get(reverse("affiliates:stats"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-stat="conversions"' in html
    assert response.context["totals"].conversions == 1
    assert response.context["totals"].counted_clicks == 2
    assert response.context["totals"].conversion_rate == 50.0
    assert "Bu*** S***" in html and "Budi Santoso" not in html
    assert "build/vendor/chart.umd.min.js" in html
    assert response.context["wallet"].pending == 300_000
    assert len(response.context["chart"]["labels"]) == 30


def test_stats_page_date_range_is_parsed_and_bad_dates_are_ignored(client, ui_world):
    client.force_login(ui_world.user)
    response = client.get(reverse("affiliates:stats"), {"from": "2025-11-10", "to": "2025-11-01"})
    assert (response.context["date_from"], response.context["date_to"]) == ("2025-11-01", "2025-11-10")
    assert len(response.context["chart"]["labels"]) == 10
    response = client.get(reverse("affiliates:stats"), {"from": "kemarin", "to": "2025-13-45"})
    assert response.status_code == 200
    assert response.context["date_to"] == timezone.localdate().isoformat()


def test_affiliate_without_profile_sees_an_explanation(client, make_user):
    client.force_login(make_user(Role.AFFILIATE))
    response = client.get(reverse("affiliates:stats"))
    assert response.status_code == 200
    assert b'id="no-affiliate-profile"' in response.content


def test_leaderboard_page(client, ui_world, django_assert_max_num_queries):
    ui_world.sale()
    other_user, other = ui_world.other_affiliate()
    client.force_login(other_user)
    client.get(reverse("affiliates:leaderboard"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("affiliates:leaderboard"), {"period": "week", "by": "commission"})
    assert response.status_code == 200
    assert (response.context["period"], response.context["by"]) == ("week", "commission")
    assert [r.code for r in response.context["rows"]] == ["DINDA"]
    assert b"Dinda L." in response.content
    assert b"DINDA" not in response.content  # codes only for admins
    response = client.get(reverse("affiliates:leaderboard"), {"period": "tahun", "by": "apa"})
    assert (response.context["period"], response.context["by"]) == ("month", "sales")


def test_challenges_page(client, ui_world):
    now = timezone.now()
    svc.challenge_create(
        actor=ui_world.admin, title="Sprint Mingguan", period="weekly", starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=6), target_sales=4, reward=500_000,
    )  # fmt: skip
    ui_world.sale()
    client.force_login(ui_world.user)
    response = client.get(reverse("affiliates:challenges"))
    html = response.content.decode()
    assert "Sprint Mingguan" in html
    assert 'aria-valuenow="25"' in html
    assert "Rp 500.000" in html


def test_kit_page_fills_the_affiliate_link(client, ui_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://eksporyuk.test"
    admin = ui_world.admin
    svc.kit_item_create(actor=admin, title="Caption umum", kind="copy", text="Gabung sekarang: {link} !")
    svc.kit_item_create(
        actor=admin, title="Caption produk", kind="copy", text="Beli di {link}", target_kind="product",
        target_slug=ui_world.product.slug,
    )  # fmt: skip
    logo = svc.kit_item_create(
        actor=admin, title="Logo Ekspor", kind="logo", file=SimpleUploadedFile("logo.png", b"\x89PNG-logo")
    )
    hidden = svc.kit_item_create(
        actor=admin, title="Lama", kind="banner", file=SimpleUploadedFile("b.png", b"old"), is_active=False
    )
    client.force_login(ui_world.user)
    response = client.get(reverse("affiliates:kit"), {"target": f"product:{ui_world.product.slug}"})
    assert response.status_code == 200
    product_url = f"https://eksporyuk.test/produk/{ui_world.product.slug}?ref=DINDA"
    assert response.context["chosen_url"] == product_url
    texts = {c["item"].title: c["text"] for c in response.context["copies"]}
    assert texts == {"Caption produk": f"Beli di {product_url}", "Caption umum": f"Gabung sekarang: {product_url} !"}
    assert [i.title for i in response.context["logos"]] == ["Logo Ekspor"]
    assert response.context["banners"] == []
    # An unknown target falls back to the first option.
    response = client.get(reverse("affiliates:kit"), {"target": "plan:tidak-ada"})
    assert response.context["chosen"] == response.context["options"][0][0]

    download = client.get(reverse("affiliates:kit_download", args=[logo.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"\x89PNG-logo"
    assert download["Content-Disposition"].startswith("attachment;")
    assert client.get(reverse("affiliates:kit_download", args=[hidden.pk])).status_code == 404
    client.force_login(ui_world.buyer())
    assert client.get(reverse("affiliates:kit_download", args=[logo.pk])).status_code == 403


def test_admin_affiliate_list_and_export(admin_client, ui_world, django_assert_max_num_queries):
    ui_world.click()
    ui_world.sale()
    for i in range(3):
        ui_world.other_affiliate(name=f"Affiliate {i}", email=f"aff{i}@example.com")
    admin_client.get(reverse("affiliates:admin_affiliates"))
    with django_assert_max_num_queries(14):
        response = admin_client.get(reverse("affiliates:admin_affiliates"))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 4
    response = admin_client.get(reverse("affiliates:admin_affiliates"), {"q": "dinda"})
    rows = list(response.context["page_obj"].object_list)
    assert [(a.code, a.click_total, a.sale_total, a.commission_pending) for a in rows] == [("DINDA", 1, 1, 300_000)]
    export = admin_client.get(reverse("affiliates:admin_affiliates_export"), {"q": "dinda"})
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[1] == "DINDA,Dinda Lestari,dinda@example.com,Aktif,1,1,1,300000,0"
    assert len(lines) == 2


def test_admin_suspends_and_reactivates(admin_client, ui_world):
    url = reverse("affiliates:admin_affiliate_status", args=[ui_world.affiliate.pk])
    response = admin_client.post(url, {"status": "suspended", "reason": ""})
    assert response.status_code == 200
    assert "Alasan wajib diisi untuk menangguhkan." in response.content.decode()
    assert AffiliateProfile.objects.get(pk=ui_world.affiliate.pk).status == "active"
    response = admin_client.post(url, {"status": "suspended", "reason": "Spam"})
    assert response.status_code == 302
    assert AffiliateProfile.objects.get(pk=ui_world.affiliate.pk).status == "suspended"
    detail = admin_client.get(reverse("affiliates:admin_affiliate_detail", args=[ui_world.affiliate.pk]))
    assert b"Aktifkan kembali" in detail.content
    admin_client.post(url, {"status": "active"})
    assert AffiliateProfile.objects.get(pk=ui_world.affiliate.pk).status == "active"
    assert admin_client.get(reverse("affiliates:admin_affiliate_detail", args=[99999])).status_code == 404


def test_affiliate_cannot_suspend(client, ui_world):
    client.force_login(ui_world.user)
    url = reverse("affiliates:admin_affiliate_status", args=[ui_world.affiliate.pk])
    assert client.post(url, {"status": "suspended", "reason": "x"}).status_code == 403
    assert AffiliateProfile.objects.get(pk=ui_world.affiliate.pk).status == "active"
    assert not ActivityLog.objects.filter(action__startswith="affiliate.s").exists()


def test_admin_tier_pages(admin_client):
    response = admin_client.post(
        reverse("affiliates:admin_tier_create"),
        {"name": "Gold", "min_sales": "0", "period_days": "30", "bonus_percent": "abc"},
    )
    assert response.status_code == 200
    assert Tier.objects.count() == 0
    assert set(response.context["form"].errors) == {"min_sales", "bonus_percent"}
    response = admin_client.post(
        reverse("affiliates:admin_tier_create"),
        {"name": "Gold", "min_sales": "10", "period_days": "30", "bonus_percent": "15", "is_active": "on"},
    )
    assert response.status_code == 302
    tier = Tier.objects.get()
    assert (tier.name, tier.min_sales, tier.bonus_percent, tier.is_active) == ("Gold", 10, 15, True)
    edit = admin_client.get(reverse("affiliates:admin_tier_edit", args=[tier.pk]))
    assert edit.context["form"].initial["min_sales"] == 10
    admin_client.post(
        reverse("affiliates:admin_tier_edit", args=[tier.pk]),
        {"name": "Gold", "min_sales": "12", "period_days": "30", "bonus_percent": "15"},
    )
    tier.refresh_from_db()
    assert (tier.min_sales, tier.is_active) == (12, False)
    assert admin_client.get(reverse("affiliates:admin_tier_delete", args=[tier.pk])).status_code == 405
    admin_client.post(reverse("affiliates:admin_tier_delete", args=[tier.pk]))
    assert Tier.objects.count() == 0


def test_admin_challenge_pages(admin_client, ui_world):
    data = {
        "title": "Sprint Desember",
        "period": "monthly",
        "starts_at": "2025-12-01T00:00",
        "ends_at": "2025-11-30T00:00",
        "target_sales": "10",
        "reward": "Rp 1.000.000",
        "is_active": "on",
    }
    response = admin_client.post(reverse("affiliates:admin_challenge_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"ends_at": ["Waktu selesai harus setelah waktu mulai."]}
    data["ends_at"] = "2026-01-01T00:00"
    response = admin_client.post(reverse("affiliates:admin_challenge_create"), data)
    assert response.status_code == 302
    challenge = Challenge.objects.get()
    assert (challenge.reward, challenge.target_sales) == (1_000_000, 10)
    assert timezone.localtime(challenge.starts_at).strftime("%Y-%m-%d %H:%M") == "2025-12-01 00:00"
    edit = admin_client.get(reverse("affiliates:admin_challenge_edit", args=[challenge.pk]))
    assert edit.status_code == 200 and edit.context["standings"] == []
    assert edit.context["form"].initial["starts_at"] == "2025-12-01T00:00"
    response = admin_client.post(reverse("affiliates:admin_challenge_create"), {**data, "reward": "1,5 juta"})
    assert response.context["form"].errors == {"reward": ["Tulis angka rupiah tanpa koma, misalnya 250000."]}
    admin_client.post(reverse("affiliates:admin_challenge_delete", args=[challenge.pk]))
    assert Challenge.objects.count() == 0


def test_admin_challenge_list_queries(admin_client, django_assert_max_num_queries):
    now = timezone.now()
    for i in range(5):
        Challenge.objects.create(
            title=f"C{i}", period="weekly", starts_at=now, ends_at=now + timedelta(days=7), target_sales=1, reward=1
        )
    admin_client.get(reverse("affiliates:admin_challenges"))
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("affiliates:admin_challenges"))
    assert len(response.context["rows"]) == 5


def test_admin_kit_pages(admin_client, ui_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = admin_client.post(
        reverse("affiliates:admin_kit_create"), {"title": "Banner", "kind": "banner", "target": "", "is_active": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["Unggah file logo atau banner."]}
    response = admin_client.post(
        reverse("affiliates:admin_kit_create"),
        {
            "title": "Banner",
            "kind": "banner",
            "target": f"product:{ui_world.product.slug}",
            "is_active": "on",
            "file": SimpleUploadedFile("banner.jpg", b"jpg"),
        },
    )
    assert response.status_code == 302
    item = MarketingKitItem.objects.get()
    assert (item.target_kind, item.target_slug, item.is_active) == ("product", ui_world.product.slug, True)
    response = admin_client.get(reverse("affiliates:admin_kit"), {"kind": "banner"})
    assert [i.title for i in response.context["page_obj"].object_list] == ["Banner"]
    response = admin_client.get(reverse("affiliates:admin_kit"), {"kind": "logo"})
    assert list(response.context["page_obj"].object_list) == []
    admin_client.post(reverse("affiliates:admin_kit_delete", args=[item.pk]))
    assert MarketingKitItem.objects.count() == 0
