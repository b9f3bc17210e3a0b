"""Shared file storage on an S3-compatible store, tested against moto's S3 server on loopback (never a real cloud):
private files get signed links that expire, public media plain cacheable URLs, downloads after an access check
redirect to a signed link with the download name, and a backup reads the bucket."""

import json
import socket
from urllib.parse import parse_qs, urlparse

import boto3
import httpx
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from moto.server import ThreadedMotoServer

from sanggar.core.files import private_file_response
from sanggar.core.storage import PUBLIC_MEDIA_PREFIXES, SanggarS3Storage, is_private_name, public_read_policy

BUCKET = "sanggar-media"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="uji", aws_secret_access_key="rahasia", region_name="us-east-1"
    )
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read_policy(BUCKET)))
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3(settings, s3_endpoint):
    endpoint, client = s3_endpoint
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "sanggar.core.storage.SanggarS3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "uji",
                "secret_key": "rahasia",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "public_max_age": 3600,
            },
        },
    }
    settings.PRIVATE_LINK_TTL_SECONDS = 120
    storage = storages["default"]
    assert isinstance(storage, SanggarS3Storage)
    return storage, client


def test_private_and_public_names():
    assert is_private_name("private/documents/a.pdf") and is_private_name("/private/x")
    assert is_private_name("marketing-kit/a.zip") and is_private_name("community/posts/a.png")
    assert not is_private_name("avatars/a.png") and not is_private_name("catalog/products/a.png")


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PUBLIC_MEDIA_PREFIXES)
def test_every_public_prefix_is_served_from_the_local_disk(prefix, client, settings, tmp_path):
    """`make run` keeps uploads on the local disk: every public prefix (course covers, banners, group covers…) must
    be served under /media/, or those images are broken on every page; private names never are."""
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / prefix).mkdir(parents=True)
    (tmp_path / prefix / "gambar.jpg").write_bytes(b"jpeg")
    response = client.get(f"/media/{prefix}gambar.jpg")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"jpeg"
    (tmp_path / "private" / prefix).mkdir(parents=True)
    (tmp_path / "private" / prefix / "rahasia.jpg").write_bytes(b"x")
    assert client.get(f"/media/private/{prefix}rahasia.jpg").status_code == 404


def test_private_file_gets_a_signed_expiring_link_and_no_public_cache(s3):
    storage, client = s3
    name = storage.save("private/documents/kontrak.pdf", ContentFile(b"%PDF isi kontrak"))
    url = storage.url(name)
    query = parse_qs(urlparse(url).query)
    assert query["X-Amz-Expires"] == ["120"] and "X-Amz-Signature" in query
    assert httpx.get(url).content == b"%PDF isi kontrak"
    # Without the signature the store refuses it: only public media may be read anonymously.
    assert httpx.get(url.split("?")[0]).status_code == 403
    head = client.head_object(Bucket=BUCKET, Key=name)
    assert head["CacheControl"] == "private, no-store"


def test_public_media_gets_a_plain_cacheable_url(s3):
    storage, client = s3
    name = storage.save("avatars/siti.png", ContentFile(b"\x89PNG foto"))
    url = storage.url(name)
    assert "X-Amz-Signature" not in url and url.endswith(f"/{BUCKET}/{name}")
    assert client.head_object(Bucket=BUCKET, Key=name)["CacheControl"] == "public, max-age=3600"
    answer = httpx.get(url)
    assert answer.status_code == 200 and answer.content == b"\x89PNG foto"


def test_public_url_under_a_cdn(s3, settings):
    storage = SanggarS3Storage(**{**settings.STORAGES["default"]["OPTIONS"], "public_url": "https://media.contoh.id/"})
    assert storage.url("catalog/products/sampul.jpg") == "https://media.contoh.id/catalog/products/sampul.jpg"
    assert "X-Amz-Signature" in storage.url("private/products/materi.zip")


def test_private_download_redirects_to_a_signed_link_with_its_name(s3):
    storage, _client = s3
    name = storage.save("private/products/materi ekspor.pdf", ContentFile(b"materi"))

    class Field:
        pass

    field = Field()
    field.name, field.storage = name, storage
    response = private_file_response(field, filename="Materi Ekspor.pdf", content_type="application/pdf")
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    followed = httpx.get(response["Location"])
    assert followed.content == b"materi"
    assert "Materi Ekspor.pdf" in followed.headers["content-disposition"]
    assert followed.headers["content-type"] == "application/pdf"


def test_local_disk_streams_the_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    storage = storages.create_storage({"BACKEND": "django.core.files.storage.FileSystemStorage"})
    name = storage.save("private/tickets/bukti.txt", ContentFile(b"bukti"))

    class Field:
        pass

    field = Field()
    field.name, field.storage = name, storage
    field.open = lambda mode="rb": storage.open(name, mode)
    response = private_file_response(field, as_attachment=False)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"bukti"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_backup_reads_every_file_of_the_bucket(s3, settings, tmp_path):
    from sanggar.ops import backup

    storage, _client = s3
    storage.save("private/documents/satu.pdf", ContentFile(b"1"))
    storage.save("branding/logo.png", ContentFile(b"2"))
    names = backup.storage_files(storage)
    assert {"private/documents/satu.pdf", "branding/logo.png"} <= set(names)


def test_public_read_policy_command(s3, settings):
    import json as _json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    _storage, client = s3
    settings.S3_BUCKET = BUCKET
    client.delete_bucket_policy(Bucket=BUCKET)
    call_command("s3_public_policy", apply=True)
    policy = _json.loads(client.get_bucket_policy(Bucket=BUCKET)["Policy"])
    resources = policy["Statement"][0]["Resource"]
    assert f"arn:aws:s3:::{BUCKET}/avatars/*" in resources
    assert not any("private" in r for r in resources)
    settings.S3_BUCKET = ""
    with pytest.raises(CommandError, match="S3_BUCKET"):
        call_command("s3_public_policy")
