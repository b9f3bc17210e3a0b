"""`POST /api/v1/link-previews`: the composer's preview before posting; the shared row is fetched once in the
background after commit, asked again it is read; bad URLs refused; limited per user."""

import pytest

from sanggar.api.testing import call
from sanggar.community.models import LinkPreview
from sanggar.community.tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World(make_user, admin_user)


def test_preview_is_fetched_once_in_the_background(world, client, monkeypatch, django_capture_on_commit_callbacks):
    calls = []
    monkeypatch.setattr("sanggar.community.tasks.link_preview_task.delay", lambda pk: calls.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        r = call(client, "post", "/link-previews", {"url": "https://contoh.id/artikel"}, user=world.free)
    assert r.status_code == 200 and r.json()["status"] == "pending"
    row = LinkPreview.objects.get(url="https://contoh.id/artikel")
    assert calls == [row.pk]
    LinkPreview.objects.filter(pk=row.pk).update(status="ok", title="Artikel Ekspor", site_name="Contoh")
    with django_capture_on_commit_callbacks(execute=True):
        again = call(client, "post", "/link-previews", {"url": "https://contoh.id/artikel"}, user=world.free)
    assert again.json()["title"] == "Artikel Ekspor" and calls == [row.pk]


@pytest.mark.parametrize("url", ["", "javascript:alert(1)", "ftp://contoh.id/x", "https://" + "a" * 600])
def test_bad_urls_refused(world, client, url):
    r = call(client, "post", "/link-previews", {"url": url}, user=world.free)
    assert r.status_code in (400, 422)
    assert not LinkPreview.objects.exists()


def test_rate_limited_and_signed_in_only(world, client, settings, monkeypatch):
    monkeypatch.setattr("sanggar.community.tasks.link_preview_task.delay", lambda pk: None)
    settings.COMMUNITY_PREVIEW_RATE_LIMIT = "2/3600"
    assert call(client, "post", "/link-previews", {"url": "https://contoh.id/1"}).status_code == 401
    for n in range(2):
        assert (
            call(client, "post", "/link-previews", {"url": f"https://contoh.id/{n}"}, user=world.free).status_code
            == 200
        )
    assert call(client, "post", "/link-previews", {"url": "https://contoh.id/9"}, user=world.free).status_code == 429
