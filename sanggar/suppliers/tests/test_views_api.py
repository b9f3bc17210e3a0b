"""Supplier pages and API: the onboarding walk as a supplier, the mentor's and admin's pages, the members' directory
and profile (contacts masked on the server until opened within the quota), files served only after the access check,
forced onboarding, and hostile API input."""

import json

import pytest

from sanggar.api.testing import bearer, call
from sanggar.core.roles import Role
from sanggar.directory.models import QuotaUse
from sanggar.suppliers import services
from sanggar.suppliers.constants import Status
from sanggar.suppliers.models import Supplier

from .conftest import PROFILE, pdf, png

pytestmark = pytest.mark.django_db


def test_onboarding_walk_through_the_pages(client, make_user, question):
    user = make_user(full_name="Bu Sri")
    client.force_login(user)
    page = client.get("/supplier/onboarding")
    assert page.status_code == 200 and "Mulai sebagai Supplier" in page.content.decode()
    assert client.post("/supplier/daftar")["Location"] == "/supplier/onboarding"
    # forced onboarding: a draft supplier (no other role, no membership) is sent back from other pages
    assert client.get("/dashboard/")["Location"] == "/supplier/onboarding"
    assert client.get("/profil/").status_code == 200
    assert client.post("/supplier/onboarding/jenis-usaha", {"supplier_type": "produsen"}).status_code == 302
    for tab, fields in services.TABS.items():
        data = {k: v for k, v in PROFILE.items() if k in fields}
        response = client.post(f"/supplier/onboarding/profil/{tab}", data)
        assert response.status_code == 302, response.content.decode()[:2000]
    bad = client.post("/supplier/onboarding/profil/legalitas", {"nib": "123"})
    assert bad.status_code == 200 and "13 angka" in bad.content.decode()
    assert (
        client.post(
            "/supplier/onboarding/dokumen",
            {"action": "document", "kind": "nib", "number": "9120001234567", "file": pdf()},
        ).status_code
        == 302
    )
    assert client.post("/supplier/onboarding/dokumen", {"action": "photo", "file": png()}).status_code == 302
    client.post("/supplier/onboarding/asesmen", {f"q{question.pk}": question.options.first().pk})
    assert client.post("/supplier/onboarding").status_code == 302
    supplier = Supplier.objects.get(user=user)
    assert supplier.status == Status.WAITING_REVIEW and supplier.documents.count() == 1
    assert "direview" in client.get("/supplier/onboarding").content.decode()
    assert client.get("/dashboard/").status_code == 200  # no longer forced


def test_mentor_and_admin_pages(client, make_supplier, mentor, admin_user, make_user):
    user, supplier = make_supplier("onboarding")
    doc = services.document_add(supplier=supplier, actor=user, kind="nib", file=pdf())
    services.supplier_submit(supplier=supplier, actor=user)
    client.force_login(make_user())
    assert client.get(f"/mentor/supplier/{supplier.pk}").status_code == 403
    assert client.get(f"/admin/supplier/{supplier.pk}").status_code == 403
    client.force_login(mentor)
    queue = client.get("/mentor/supplier").content.decode()
    assert supplier.company_name in queue
    page = client.get(f"/mentor/supplier/{supplier.pk}").content.decode()
    assert "skor" in page and "Rekomendasikan" in page
    assert client.get(f"/supplier/dokumen/{doc.pk}").status_code == 200
    assert client.get(f"/admin/supplier/{supplier.pk}").status_code == 403
    client.post(f"/mentor/supplier/{supplier.pk}", {"action": "recommend", "note": "Layak"})
    supplier.refresh_from_db()
    assert supplier.status == Status.RECOMMENDED
    client.force_login(admin_user)
    assert client.get("/admin/supplier").status_code == 200
    client.post(f"/admin/supplier/{supplier.pk}", {"action": "verify_document", "id": doc.pk})
    client.post(f"/admin/supplier/{supplier.pk}", {"action": "decide", "status": "verified", "reason": "Lengkap"})
    supplier.refresh_from_db()
    assert supplier.status == Status.VERIFIED and supplier.documents.get().status == "verified"
    response = client.post("/admin/supplier/paket", {"action": "settings", "free_max_products": "abc"})
    assert response.status_code == 200 and "angka" in response.content.decode()
    client.post(
        "/admin/supplier/paket",
        {
            "action": "plan",
            "name": "Premium 1 Bulan",
            "duration_days": "30",
            "price": "149000",
            "commission_percent": "10",
            "is_active": "on",
        },
    )
    assert "Premium 1 Bulan" in client.get("/admin/supplier/paket").content.decode()
    services.product_save(supplier=supplier, actor=user, data={"title": "=HYPERLINK(1)", "status": "active"})
    export = b"".join(client.get("/admin/supplier/produk.csv").streaming_content).decode()
    assert "'=HYPERLINK(1)" in export and supplier.company_name in export


def test_files_are_served_only_after_the_access_check(client, make_supplier, make_user, mentor):
    user, supplier = make_supplier("onboarding")
    doc = services.document_add(supplier=supplier, actor=user, kind="npwp", file=pdf())
    photo = services.file_add(supplier=supplier, actor=user, kind="photo", file=png())
    stranger = make_user()
    client.force_login(stranger)
    assert client.get(f"/supplier/dokumen/{doc.pk}").status_code == 404
    assert client.get(f"/supplier/berkas/{photo.pk}").status_code == 404  # not listed yet
    client.force_login(user)
    response = client.get(f"/supplier/dokumen/{doc.pk}")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.logout()
    assert client.get(f"/supplier/dokumen/{doc.pk}").status_code == 302
    # listed free supplier: photos for signed-in users; listed premium: public; documents never public
    user2, listed = make_supplier("verified", name="PT Terdaftar")
    photo2 = services.file_add(supplier=listed, actor=user2, kind="photo", file=png())
    doc2 = services.document_add(supplier=listed, actor=user2, kind="nib", file=pdf())
    assert client.get(f"/supplier/berkas/{photo2.pk}").status_code == 404
    services.premium_extend(supplier=listed, days=30, source="admin")
    assert client.get(f"/supplier/berkas/{photo2.pk}").status_code == 200
    client.force_login(stranger)
    assert client.get(f"/supplier/dokumen/{doc2.pk}").status_code == 404


def test_directory_profile_masked_contact_and_quota(client, make_supplier, make_user, django_assert_max_num_queries):
    for i in range(4):
        make_supplier("verified", name=f"Supplier {i}")
    user, supplier = make_supplier("verified", name="CV Lada Hitam", premium_days=30)
    member = make_user()
    client.force_login(member)
    with django_assert_max_num_queries(25):
        page = client.get("/direktori/supplier?q=lada").content.decode()
    assert "CV Lada Hitam" in page and "Supplier 1" not in page
    profile = client.get(f"/supplier/{supplier.slug}").content.decode()
    assert "081234567890" not in profile and "andi@rempah.co.id" not in profile
    assert "0 dari 5 kontak supplier bulan ini" in profile
    client.post(f"/supplier/{supplier.slug}/kontak")
    profile = client.get(f"/supplier/{supplier.slug}").content.decode()
    assert "081234567890" in profile and "andi@rempah.co.id" in profile
    assert QuotaUse.objects.filter(user=member, kind="supplier").count() == 1
    client.post(f"/supplier/{supplier.slug}/kontak")  # reopening this month is free
    assert QuotaUse.objects.filter(user=member, kind="supplier").count() == 1
    # the public bio page of a Premium supplier: no contact at all
    client.logout()
    public = client.get(f"/supplier/{supplier.slug}")
    assert public.status_code == 200 and "081234567890" not in public.content.decode()
    _u, free = make_supplier("verified", name="PT Free")
    assert client.get(f"/supplier/{free.slug}").status_code == 302
    _u, waiting = make_supplier("waiting_review", name="PT Antre")
    client.force_login(member)
    assert client.get(f"/supplier/{waiting.slug}").status_code == 404


def test_quota_exhausted_shows_the_locked_card(client, make_supplier, make_user):
    member = make_user()
    client.force_login(member)
    slugs = [make_supplier("verified", name=f"PT {i}")[1].slug for i in range(6)]
    for slug in slugs[:5]:
        client.post(f"/supplier/{slug}/kontak")
    response = client.post(f"/supplier/{slugs[5]}/kontak")
    assert response.status_code == 403 and "Kuota bulan ini sudah habis" in response.content.decode()


def test_contact_free_supplier_shows_cta_and_report(client, make_supplier, make_user):
    _u, supplier = make_supplier("verified")
    member = make_user()
    client.force_login(member)
    response = client.post(f"/supplier/{supplier.slug}/hubungi", follow=True)
    assert "belum dapat menerima chat" in response.content.decode()
    response = client.post(f"/supplier/{supplier.slug}/laporkan", {"reason": "wrong_contact"}, follow=True)
    assert "laporan Anda dikirim" in response.content.decode()
    client.post(f"/supplier/{supplier.slug}/simpan", {"saved": "1"})
    assert supplier.company_name in client.get("/direktori/supplier/favorit").content.decode()
    assert call(client, "get", "/me/supplier-favourites", user=member).json()["count"] == 1
    assert call(client, "post", f"/suppliers/{supplier.slug}/save", {"saved": False}, user=member).json() == {
        "saved": False
    }
    assert "Belum ada supplier" in client.get("/direktori/supplier/favorit").content.decode()


def test_supplier_pages_and_products(client, make_supplier):
    user, supplier = make_supplier("verified")
    client.force_login(user)
    for path in (
        "/supplier/dasbor",
        "/supplier/produk",
        "/supplier/produk/baru",
        "/supplier/statistik",
        "/supplier/paket",
    ):
        assert client.get(path).status_code == 200, path
    response = client.post(
        "/supplier/produk/baru",
        {"title": "Cengkeh", "hs_code": "090710", "status": "active", "categories": ["rempah"], "moq": "500"},
    )
    product = supplier.products.get()
    assert response["Location"] == f"/supplier/produk/{product.pk}"
    client.post(f"/supplier/produk/{product.pk}", {"action": "image", "file": png()})
    assert product.files.count() == 1
    again = client.post("/supplier/produk/baru", {"title": "Pala"})
    assert again.status_code == 200 and "paling banyak 1 produk" in again.content.decode()
    assert "Buka fitur ini dengan Premium Supplier" in client.get("/supplier/statistik").content.decode()
    services.premium_extend(supplier=supplier, days=30, source="admin")
    stats = client.get("/supplier/statistik").content.decode()
    assert "Rata-rata waktu balasan pertama" in stats and "Peringkat kunjungan" in stats


def test_api_directory_never_sends_contacts_before_opening(client, make_supplier, make_user):
    user, supplier = make_supplier("verified", premium_days=30)
    member = make_user()
    listing = call(client, "get", "/suppliers", {"q": "rempah"}, user=member)
    assert listing.status_code == 200 and listing.json()["count"] == 1
    detail = call(client, "get", f"/suppliers/{supplier.slug}", user=member)
    body = json.dumps(detail.json())
    assert detail.status_code == 200 and "081234567890" not in body and "andi@rempah.co.id" not in body
    assert detail.json()["contact"]["masked"] is True and detail.json()["can_receive_chat"] is True
    opened = call(client, "post", f"/suppliers/{supplier.slug}/contact-view", user=member)
    assert opened.status_code == 200 and opened.json()["contact"]["whatsapp"] == "081234567890"
    assert opened.json()["quota"] == "1 dari 5 kontak supplier bulan ini"
    assert call(client, "get", "/suppliers/tidak-ada", user=member).status_code == 404
    assert call(client, "get", "/suppliers", {"hs": "abc"}, user=member).status_code == 422
    assert call(client, "get", "/suppliers").status_code == 401


def test_api_onboarding_review_and_decision(client, make_user, mentor, admin_user, question):
    user = make_user()
    assert call(client, "get", "/me/supplier", user=user).status_code == 404
    assert call(client, "post", "/me/supplier", user=user).status_code == 201
    assert call(client, "post", "/me/supplier/type", {"supplier_type": "pabrik"}, user=user).status_code == 200
    assert call(client, "post", "/me/supplier/type", {"supplier_type": "alien"}, user=user).status_code == 422
    for tab, fields in services.TABS.items():
        data = {k: v for k, v in PROFILE.items() if k in fields}
        response = call(client, "post", f"/me/supplier/profile/{tab}", data, user=user)
        assert response.status_code == 200, response.json()
    bad = call(client, "post", "/me/supplier/profile/legalitas", {"npwp": "12"}, user=user)
    assert bad.status_code == 400 and "npwp" in bad.json()["errors"]
    assert call(
        client, "post", "/me/supplier/profile/identitas", {"company_name": "A\x00B"}, user=user
    ).status_code in (400, 422)
    assert call(client, "post", "/me/supplier/profile/identitas", {"company_name": ["x"]}, user=user).status_code == 422
    assert call(client, "post", "/me/supplier/profile/identitas", raw="{" * 5000, user=user).status_code in (400, 422)
    form = client.post("/api/v1/me/supplier/documents", {"kind": "nib", "file": pdf()}, headers=bearer(user))
    assert form.status_code == 201
    fake = client.post("/api/v1/me/supplier/documents", {"kind": "nib", "file": png("x.pdf")}, headers=bearer(user))
    assert fake.status_code == 400
    assessment = call(client, "get", "/me/supplier/assessment", user=user).json()
    assert "score" not in json.dumps(assessment)
    q = assessment["questions"][0]
    call(client, "post", "/me/supplier/assessment", {"answers": {str(q["id"]): q["options"][0]["id"]}}, user=user)
    submitted = call(client, "post", "/me/supplier/submit", user=user)
    assert submitted.status_code == 200 and submitted.json()["status"] == "waiting_review"
    supplier = Supplier.objects.get(user=user)
    assert call(client, "get", "/mentor/suppliers", user=user).status_code == 403
    queue = call(client, "get", "/mentor/suppliers", user=mentor).json()
    assert queue["count"] == 1
    review = call(
        client, "post", f"/mentor/suppliers/{supplier.pk}/review", {"action": "recommend", "note": "ok"}, user=mentor
    )
    assert review.status_code == 200 and review.json()["status"] == "recommended"
    assert (
        call(
            client,
            "post",
            f"/admin/suppliers/{supplier.pk}/decision",
            {"status": "verified", "reason": "ok"},
            user=mentor,
        ).status_code
        == 403
    )
    decided = call(
        client,
        "post",
        f"/admin/suppliers/{supplier.pk}/decision",
        {"status": "limited", "reason": "NIB belum ada"},
        user=admin_user,
    )
    assert decided.status_code == 200 and decided.json()["status"] == "limited"
    product = call(
        client,
        "post",
        "/me/supplier/products",
        {"title": "Arang Batok", "hs_code": "440290", "status": "active", "categories": ["kimia"]},
        user=user,
    )
    assert product.status_code == 201
    second = call(client, "post", "/me/supplier/products", {"title": "Arang 2"}, user=user)
    assert second.status_code == 400
    assert call(client, "get", "/me/supplier/stats", user=user).json()["detailed"] is False
    member = make_user()
    contact = call(client, "post", f"/suppliers/{supplier.slug}/contact", user=member)
    assert contact.status_code == 403 and "belum dapat menerima chat" in contact.json()["message"]


def test_role_menu_items_for_supplier_with_a_supplier(client, make_supplier):
    user, _supplier = make_supplier("verified")
    client.force_login(user)
    session = client.session
    session["active_role"] = Role.SUPPLIER
    session.save()
    assert "Dasbor Supplier" in client.get("/supplier/dasbor").content.decode()


def test_lists_stay_within_their_query_budgets(
    client, make_supplier, mentor, admin_user, django_assert_max_num_queries
):
    for i in range(8):
        make_supplier("waiting_review" if i % 2 else "verified", name=f"PT Anggaran {i}")
    client.force_login(admin_user)
    with django_assert_max_num_queries(30):
        assert client.get("/admin/supplier").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get("/mentor/supplier").status_code == 200
    with django_assert_max_num_queries(12):
        assert call(client, "get", "/suppliers", user=mentor).status_code == 200
    user = Supplier.objects.first().user
    page = client.get(f"/admin/users/{user.pk}").content.decode()
    assert 'id="user-supplier"' in page
