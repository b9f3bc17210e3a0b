"""Archiving notifications: out of the bell and the list (archiving marks read), under the "Arsip" filter, back again;
over the service, the page and the API; nobody archives someone else's."""

import pytest

from sanggar.api.testing import call
from sanggar.core.exceptions import NotFound
from sanggar.notifications import notifications as groups
from sanggar.notifications import selectors, services
from sanggar.notifications.services import notify_text

pytestmark = pytest.mark.django_db


def test_archive_and_restore(member_user, make_user):
    keep = notify_text(user=member_user, kind=groups.SYSTEM, title="Tetap")
    gone = notify_text(user=member_user, kind=groups.CHAT, title="Diarsipkan")
    archived = services.notification_archive(user=member_user, notification_id=gone.pk)
    assert archived.archived_at is not None and archived.read_at is not None
    assert list(selectors.notification_list(user=member_user)) == [keep]
    assert list(selectors.notification_list(user=member_user, archived=True)) == [gone]
    assert selectors.notification_latest(user=member_user) == [keep]  # the bell's dropdown
    assert selectors.unread_count(user=member_user) == 1
    services.notification_archive(user=member_user, notification_id=gone.pk, archived=False)
    assert set(selectors.notification_list(user=member_user)) == {keep, gone}
    with pytest.raises(NotFound):
        services.notification_archive(user=make_user(), notification_id=keep.pk)
    with pytest.raises(NotFound):
        services.notification_archive(user=member_user, notification_id="x\x00")


def test_page_archive_tab_and_buttons(client, member_user, make_user, django_assert_max_num_queries):
    notes = [notify_text(user=member_user, kind=groups.SYSTEM, title=f"Info {i}") for i in range(3)]
    client.force_login(member_user)
    response = client.post(f"/notifications/{notes[0].pk}/archive", {"next": "/notifications"})
    assert response.status_code == 302 and response.url == "/notifications"
    page = client.get("/notifications").content.decode()
    assert "Info 0" not in page and "Info 1" in page and 'id="tab-archived"' in page
    with django_assert_max_num_queries(12):
        archive = client.get("/notifications?archived=1").content.decode()
    assert "Info 0" in archive and "Info 1" not in archive and "Kembalikan dari arsip" in archive
    client.post(f"/notifications/{notes[0].pk}/archive", {"archived": "0"})
    assert "Info 0" in client.get("/notifications").content.decode()
    other = notify_text(user=make_user(), kind=groups.SYSTEM, title="Milik orang lain")
    assert client.post(f"/notifications/{other.pk}/archive").status_code == 404
    assert client.get(f"/notifications/{notes[1].pk}/archive").status_code == 405


def test_api_archive_filter_and_restore(client, member_user, make_user):
    note = notify_text(user=member_user, kind=groups.EVENT, title="Webinar besok")
    notify_text(user=member_user, kind=groups.SYSTEM, title="Lain")
    response = call(client, "post", f"/notifications/{note.pk}/archive", user=member_user)
    assert response.status_code == 200
    body = response.json()
    assert body["archived_at"] is not None and body["is_read"] is True
    listed = call(client, "get", "/notifications", user=member_user).json()
    assert [r["title"] for r in listed["results"]] == ["Lain"] and listed["unread"] == 1
    only = call(client, "get", "/notifications", {"archived": "true"}, user=member_user).json()
    assert [r["id"] for r in only["results"]] == [note.pk]
    restored = call(client, "delete", f"/notifications/{note.pk}/archive", user=member_user)
    assert restored.status_code == 200 and restored.json()["archived_at"] is None
    assert call(client, "post", f"/notifications/{note.pk}/archive", user=make_user()).status_code == 404
    assert call(client, "get", "/notifications", {"archived": "kadang"}, user=member_user).status_code == 422
