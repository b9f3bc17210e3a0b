import pytest
from django.contrib.auth.hashers import check_password
from django.utils import timezone

from sanggar.learning.models import Certificate
from sanggar.learning.services import course_create
from sanggar.migration.hashers import phpass_crypt, wordpress_check, wordpress_encoded, wp_bcrypt_prehash
from sanggar.migration.models import MigrationRun
from sanggar.migration.source import php_unserialize, wp_datetime


def test_phpass_matches_the_reference_vector():
    # phpass's own test vector (test.php)
    stored = "$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0"
    assert phpass_crypt("test12345", stored) == stored
    assert wordpress_check("test12345", stored)
    assert not wordpress_check("test12346", stored)


def test_wordpress_68_bcrypt_and_plain_md5():
    import bcrypt

    stored = "$wp" + bcrypt.hashpw(wp_bcrypt_prehash("Rahasia 123"), bcrypt.gensalt(rounds=4)).decode()
    assert wordpress_check("Rahasia 123", stored)
    assert not wordpress_check("Rahasia 124", stored)
    assert wordpress_check("abc", "900150983cd24fb0d6963f7d28e17f72")
    assert check_password("test12345", wordpress_encoded("$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0"))
    assert not wordpress_check("x", "garbage")


def test_source_quirks():
    assert wp_datetime("0000-00-00 00:00:00") is None
    assert php_unserialize('a:2:{i:0;s:1:"a";i:1;s:1:"b";}') == ["a", "b"]
    assert php_unserialize('a:1:{s:4:"bank";s:3:"BCA";}') == {"bank": "BCA"}
    assert php_unserialize("teks biasa") == "teks biasa"
    assert php_unserialize('a:1:{s:4:"bro') == 'a:1:{s:4:"bro'


def test_the_page_is_for_admins_only(db, member_client):
    from django.test import Client

    assert Client().get("/admin/migrasi").status_code == 302
    assert member_client.get("/admin/migrasi").status_code == 403


@pytest.mark.parametrize("source", ["bukan-url", "mysql://root@127.0.0.1:3306/", "postgres://x@y/z", "mysql://a\x00b"])
def test_a_bad_source_is_refused_with_a_message(admin_client, source):
    response = admin_client.post("/admin/migrasi", {"source": source, "prefix": "wp_"})
    assert response.status_code == 400
    assert "mysql://USER:PASS@HOST:PORT/DB" in response.content.decode() or "tidak" in response.content.decode()
    assert not MigrationRun.objects.exists()


def test_a_bad_prefix_is_refused(admin_client):
    response = admin_client.post("/admin/migrasi", {"source": "mysql://root@127.0.0.1:3306/db", "prefix": "wp`;"})
    assert response.status_code == 400
    assert not MigrationRun.objects.exists()


def test_the_page_starts_a_run_and_shows_its_report(sejoli_source, plans, admin_client, django_assert_max_num_queries):
    url, _expected = sejoli_source
    response = admin_client.post("/admin/migrasi", {"source": url, "prefix": "wp_"})
    run = MigrationRun.objects.get()
    assert response.status_code == 302 and response.url == f"/admin/migrasi/{run.pk}"
    assert run.status == "done", run.error
    assert "root@" in run.source_label and run.report["revenue"]["source"] > 0
    page = admin_client.get(f"/admin/migrasi/{run.pk}").content.decode()
    assert "Pesanan per status Sejoli" in page and "completed" in page
    csv = b"".join(admin_client.get(f"/admin/migrasi/{run.pk}/laporan.csv").streaming_content).decode()
    assert "Pendapatan (completed)" in csv
    with django_assert_max_num_queries(8):
        assert admin_client.get("/admin/migrasi").status_code == 200


@pytest.mark.parametrize("path", ["/", "/tutor-certificate/", "/sertifikat-kelulusan/"])
def test_an_old_tutor_certificate_link_opens_the_imported_certificate(db, client, make_user, admin_user, path):
    """Tutor verified certificates with `?cert_hash=` on any page; the importer keeps that hash as the code."""
    member = make_user(full_name="Sari Wulandari")
    course = course_create(actor=admin_user, data={"title": "Dasar Ekspor", "summary": "Ringkasan"})
    Certificate.objects.create(user=member, course=course, code="d8898d20dcb287eb", learner_name="Sari Wulandari",
                               course_title=course.title, issued_at=timezone.now())  # fmt: skip
    response = client.get(path, {"cert_hash": "d8898d20dcb287eb"})
    assert response.status_code == 301 and response["Location"] == "/sertifikat/d8898d20dcb287eb"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Sari Wulandari" in page.content.decode()
    # Anything else in the parameter is not a code: the page answers as without it.
    assert client.get("/", {"cert_hash": "<script>"}).status_code != 301
