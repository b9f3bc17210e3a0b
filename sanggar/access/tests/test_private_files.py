"""Private product files: the download page checks the policy and redirects to a signed link bound to the user;
the link expires, cannot be tampered with or used by someone else, and every download is logged."""

import time
from unittest import mock

import pytest
from django.core import signing
from django.utils import timezone

from sanggar.access.constants import PRIVATE_LINK_SALT
from sanggar.access.models import DownloadLog
from sanggar.access.services import grant_admin_revoke, grant_create, private_file_link
from sanggar.access.tests.factories import make_file, make_product
from sanggar.core.exceptions import NotAllowed

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4 daftar buyer rahasia"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_LINK_TTL_SECONDS = 600


@pytest.fixture
def product(db):
    return make_product("ebook-buyer", title="Ebook Daftar Buyer")


@pytest.fixture
def pdf(product):
    return make_file(product, title="Daftar Buyer 2025", content=CONTENT, name="daftar-buyer.pdf")


@pytest.fixture
def owner(make_user, product):
    user = make_user(full_name="Pembeli Ebook")
    grant_create(
        user=user, resource=product.resource, source="purchase", source_ref="order:INV000009",
        starts_at=timezone.now(),
    )  # fmt: skip
    return user


def _download(client, user, pdf):
    client.force_login(user)
    return client.get(f"/produk-saya/file/{pdf.pk}")


def test_owner_downloads_through_a_signed_link_and_it_is_logged(client, owner, pdf):
    response = _download(client, owner, pdf)
    assert response.status_code == 302
    link = response["Location"]
    assert link.startswith("/unduh/")

    served = client.get(link, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Pengujian/1.0")

    assert served.status_code == 200
    assert b"".join(served.streaming_content) == CONTENT
    assert served["Content-Disposition"] == 'attachment; filename="Daftar Buyer 2025.pdf"'
    assert served["Cache-Control"] == "private, no-store"
    log = DownloadLog.objects.get()
    assert (log.user, log.product_file, log.product, log.file_title, log.product_title) == (
        owner, pdf, pdf.product, "Daftar Buyer 2025", "Ebook Daftar Buyer"
    )  # fmt: skip
    assert (log.ip, log.user_agent) == ("203.0.113.7", "Pengujian/1.0")


def test_someone_without_access_sees_why_and_gets_no_link(client, member_user, pdf):
    response = _download(client, member_user, pdf)
    assert response.status_code == 403
    body = response.content.decode()
    assert "Beli produk ini untuk membuka aksesnya." in body
    assert 'href="/produk/ebook-buyer"' in body
    with pytest.raises(NotAllowed):
        private_file_link(user=member_user, file_field_owner=pdf)
    assert DownloadLog.objects.count() == 0


def test_a_link_is_useless_to_another_user(client, owner, member_user, pdf):
    link = private_file_link(user=owner, file_field_owner=pdf)
    client.force_login(member_user)
    response = client.get(link)
    assert response.status_code == 403
    assert "Link unduhan ini dibuat untuk akun lain." in response.content.decode()
    assert DownloadLog.objects.count() == 0


def test_a_link_alone_opens_nothing_for_anonymous_visitors(client, owner, pdf):
    link = private_file_link(user=owner, file_field_owner=pdf)
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert DownloadLog.objects.count() == 0


def test_an_expired_link_is_refused(client, owner, pdf):
    link = private_file_link(user=owner, file_field_owner=pdf)
    client.force_login(owner)
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 601):
        response = client.get(link)
    assert response.status_code == 403
    assert "Link unduhan sudah kedaluwarsa. Buka lagi dari halaman Produk Saya." in response.content.decode()
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 590):
        assert client.get(link).status_code == 200
    assert DownloadLog.objects.count() == 1


def test_a_tampered_link_is_refused(client, owner, pdf, product):
    other_file = make_file(product, title="Berkas lain", name="lain.pdf")
    link = private_file_link(user=owner, file_field_owner=pdf)
    token = link.removeprefix("/unduh/")
    forged = signing.dumps({"u": owner.pk, "k": "catalog.productfile", "i": other_file.pk}, salt="other-salt")
    client.force_login(owner)
    for bad in (token[:-2] + "xx", forged, "bukan-token"):
        response = client.get(f"/unduh/{bad}")
        assert response.status_code == 403
        assert "Link unduhan tidak valid." in response.content.decode()
    assert DownloadLog.objects.count() == 0


def test_access_ending_after_the_link_was_made_is_checked_again(client, owner, admin_user, pdf):
    link = private_file_link(user=owner, file_field_owner=pdf)
    grant = owner.grants.get()
    grant_admin_revoke(grant=grant, actor=admin_user, reason="Refund manual")
    client.force_login(owner)
    response = client.get(link)
    assert response.status_code == 403
    assert "telah dicabut" in response.content.decode()
    assert DownloadLog.objects.count() == 0


def test_a_missing_file_is_a_clear_404(client, owner, pdf):
    link = private_file_link(user=owner, file_field_owner=pdf)
    pdf.file.storage.delete(pdf.file.name)
    client.force_login(owner)
    response = client.get(link)
    assert response.status_code == 404
    assert "Berkas ini sudah tidak tersedia." in response.content.decode()
    assert DownloadLog.objects.count() == 0


def test_unknown_file_id_is_404(client, owner):
    client.force_login(owner)
    assert client.get("/produk-saya/file/999999").status_code == 404


def test_the_token_carries_only_ids(owner, pdf):
    token = private_file_link(user=owner, file_field_owner=pdf).removeprefix("/unduh/")
    assert signing.loads(token, salt=PRIVATE_LINK_SALT) == {"u": owner.pk, "k": "catalog.productfile", "i": pdf.pk}
