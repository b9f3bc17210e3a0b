"""Access pages: "Produk Saya" for every signed-in user; the admin's grants list, grant form, revoke page, export and
download log. Anonymous visitors are sent to log in, other roles get 403, and a denied request changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.access.models import DownloadLog, Grant
from sanggar.access.services import grant_admin_create, grant_create
from sanggar.access.tests.factories import make_file, make_product, make_resource, price_of
from sanggar.audit.models import ActivityLog
from sanggar.memberships.services import membership_activate

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ("/admin/akses", "/admin/akses/export.csv", "/admin/akses/baru", "/admin/akses/unduhan")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def buy(user, product, *, ends_at=None, ref=None):
    return grant_create(
        user=user, resource=product.resource, source="purchase", source_ref=ref or f"order:INV{product.pk:06d}",
        starts_at=timezone.now() - timedelta(days=40), ends_at=ends_at,
    )  # fmt: skip


# --- Produk Saya ---------------------------------------------------------------------------------------------------


def test_my_products_needs_login(client):
    response = client.get("/produk-saya")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/produk-saya"


@pytest.mark.parametrize("role", ["admin", "mentor", "affiliate", "supplier", "support", "founder", "cofounder"])
def test_my_products_opens_for_every_role(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get("/produk-saya").status_code == 200


def test_my_products_lists_bought_included_and_ended_products(client, member_user, catalog):
    plan_price = price_of(catalog["gold"], "1m")
    membership_activate(user=member_user, plan_price=plan_price, amount_paid=plan_price.price)
    template = make_product("template-kontrak", title="Template Kontrak")
    make_file(template, title="Sales Contract")
    buy(member_user, template, ends_at=timezone.now() + timedelta(days=30))
    webinar = make_product("rekaman-webinar", title="Rekaman Webinar")
    buy(member_user, webinar, ends_at=timezone.now() - timedelta(minutes=1))
    make_product("tidak-dibeli")
    client.force_login(member_user)

    response = client.get("/produk-saya")

    body = response.content.decode()
    rows = {row.product.slug: row for row in response.context["rows"]}
    assert set(rows) == {"template-kontrak", "rekaman-webinar", "ebook-buyer"}
    assert rows["template-kontrak"].decision.allowed is True
    assert rows["ebook-buyer"].decision.allowed is True
    assert rows["ebook-buyer"].via_membership is True
    assert rows["rekaman-webinar"].decision.reason == "grant_expired"
    assert "Sales Contract" in body
    assert f'href="/produk-saya/file/{template.files.get().pk}"' in body
    assert "Termasuk dalam membership Anda" in body
    assert "Masa akses Anda ke Rekaman Webinar berakhir pada" in body


def test_my_products_empty_state(client, member_user):
    client.force_login(member_user)
    response = client.get("/produk-saya")
    assert response.status_code == 200
    assert "Belum ada produk" in response.content.decode()


def test_my_products_runs_a_fixed_number_of_queries(client, member_user, django_assert_max_num_queries):
    for i in range(15):
        product = make_product(f"produk-{i}")
        make_file(product, title=f"Berkas {i}")
        buy(member_user, product)
    client.force_login(member_user)
    with django_assert_max_num_queries(20) as first:
        client.get("/produk-saya")
    for i in range(15, 30):
        product = make_product(f"produk-{i}")
        make_file(product, title=f"Berkas {i}")
        buy(member_user, product)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get("/produk-saya")
    assert len(response.context["rows"]) == 12
    assert response.context["page_obj"].paginator.num_pages == 3


# --- admin pages ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_need_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_are_for_admins_only(client, make_user, path):
    client.force_login(make_user("mentor", "affiliate", "support"))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_open_for_admins(admin_client, path):
    assert admin_client.get(path).status_code == 200


def test_admin_grants_list_filters_and_is_bounded(admin_client, admin_user, make_user, django_assert_max_num_queries):
    course = make_resource("course", "dasar-ekspor", "Dasar Ekspor")
    group = make_resource("group", "komunitas", "Komunitas Pemula")
    budi = make_user(full_name="Budi Santoso", email="budi@contoh.test")
    grant_admin_create(user=budi, resource=course, actor=admin_user, note="Hadiah webinar")
    for i in range(30):
        grant_create(
            user=make_user(), resource=group, source="membership", source_ref=f"membership:{i}",
            starts_at=timezone.now() - timedelta(days=1),
        )  # fmt: skip

    with django_assert_max_num_queries(12):
        response = admin_client.get("/admin/akses")
    assert len(response.context["rows"]) == 25
    assert response.context["page_obj"].paginator.count == 31

    found = admin_client.get("/admin/akses", {"q": "budi", "source": "admin", "kind": "course", "state": "active"})
    rows = found.context["rows"]
    assert [r["grant"].user for r in rows] == [budi]
    assert rows[0]["state"] == "active"
    assert "Hadiah webinar" in found.content.decode()
    assert admin_client.get("/admin/akses", {"state": "revoked"}).context["rows"] == []
    # Unknown filter values are ignored, never a 500.
    assert admin_client.get("/admin/akses", {"state": "x", "kind": "y", "page": "z"}).status_code == 200


def test_admin_grants_export_follows_the_filters(admin_client, admin_user, make_user):
    course = make_resource("course", "dasar-ekspor", "Dasar Ekspor")
    budi = make_user(full_name="Budi Santoso", email="budi@contoh.test")
    grant_admin_create(user=budi, resource=course, actor=admin_user, note="=HYPERLINK()")
    grant_create(
        user=make_user(), resource=course, source="purchase", source_ref="order:INV1", starts_at=timezone.now()
    )

    response = admin_client.get("/admin/akses/export.csv", {"source": "admin"})

    content = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert content[0].startswith("Nama,Email,Jenis,Akses ke,Sumber")
    assert len(content) == 2
    assert content[1].startswith("Budi Santoso,budi@contoh.test,Kelas,Dasar Ekspor,Diberikan admin")
    assert "'=HYPERLINK()" in content[1]


def test_admin_grant_form_gives_access(admin_client, admin_user, member_user):
    course = make_resource("course", "dasar-ekspor", "Dasar Ekspor")
    response = admin_client.post(
        "/admin/akses/baru",
        {"email": member_user.email.upper(), "resource": course.pk, "ends_on": "2099-12-31", "note": "Kompensasi"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/akses"
    grant = Grant.objects.get()
    assert (grant.user, grant.resource, grant.source, grant.note) == (member_user, course, "admin", "Kompensasi")
    assert timezone.localtime(grant.ends_at).isoformat() == "2100-01-01T00:00:00+07:00"
    assert ActivityLog.objects.filter(action="access.granted", actor=admin_user).count() == 1


def test_admin_grant_form_explains_bad_input_and_changes_nothing(admin_client, member_user):
    course = make_resource("course", "dasar-ekspor", "Dasar Ekspor")
    unknown = admin_client.post("/admin/akses/baru", {"email": "tidak.ada@contoh.test", "resource": course.pk})
    assert unknown.status_code == 200
    assert "Tidak ada pengguna dengan email ini." in unknown.content.decode()
    past = admin_client.post(
        "/admin/akses/baru", {"email": member_user.email, "resource": course.pk, "ends_on": "2020-01-01"}
    )
    assert past.context["form"].errors == {"ends_on": ["Pilih tanggal setelah hari ini."]}
    bad = admin_client.post("/admin/akses/baru", {"email": member_user.email, "resource": 999999, "ends_on": "31-31"})
    body = bad.content.decode()
    assert "Pilihan tidak tersedia lagi; muat ulang halaman." in body
    assert "Tanggal tidak valid." in body
    assert Grant.objects.count() == 0


def test_non_admin_cannot_post_grants_or_revocations(client, make_user, admin_user, member_user):
    course = make_resource("course", "dasar-ekspor", "Dasar Ekspor")
    grant = grant_admin_create(user=member_user, resource=course, actor=admin_user)
    client.force_login(make_user("mentor"))
    assert client.post("/admin/akses/baru", {"email": member_user.email, "resource": course.pk}).status_code == 403
    assert client.post(f"/admin/akses/{grant.pk}/cabut", {"reason": "x"}).status_code == 403
    assert Grant.objects.count() == 1
    assert Grant.objects.get().revoked_at is None


def test_admin_revoke_page(admin_client, admin_user, member_user):
    course = make_resource("course", "dasar-ekspor", "Dasar Ekspor")
    grant = grant_admin_create(user=member_user, resource=course, actor=admin_user)
    page = admin_client.get(f"/admin/akses/{grant.pk}/cabut")
    assert page.status_code == 200
    assert "Dasar Ekspor" in page.content.decode()

    empty = admin_client.post(f"/admin/akses/{grant.pk}/cabut", {"reason": ""})
    assert "Tuliskan alasan pencabutan." in empty.content.decode()
    assert Grant.objects.get().revoked_at is None

    done = admin_client.post(f"/admin/akses/{grant.pk}/cabut", {"reason": "Salah kirim"})
    assert done.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_reason == "Salah kirim"
    again = admin_client.post(f"/admin/akses/{grant.pk}/cabut", {"reason": "Lagi"})
    assert again.status_code == 200
    grant.refresh_from_db()
    assert grant.revoked_reason == "Salah kirim"
    assert admin_client.get("/admin/akses/999999/cabut").status_code == 404


def test_download_log_page(admin_client, member_user, django_assert_max_num_queries):
    product = make_product("ebook-buyer", title="Ebook Buyer")
    product_file = make_file(product, title="Daftar Buyer")
    for _ in range(30):
        DownloadLog.objects.create(
            user=member_user, product_file=product_file, product=product, file_title="Daftar Buyer",
            product_title="Ebook Buyer", ip="198.51.100.4",
        )  # fmt: skip
    with django_assert_max_num_queries(12):
        response = admin_client.get("/admin/akses/unduhan")
    body = response.content.decode()
    assert len(response.context["page_obj"].object_list) == 25
    assert "198.51.100.4" in body
    assert "Daftar Buyer" in body
    assert admin_client.get("/admin/akses/unduhan", {"q": "tidak-ada"}).context["page_obj"].paginator.count == 0
