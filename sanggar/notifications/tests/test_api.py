"""Notifications API: list (paginated, filtered), mark one read, mark all read. A user only ever sees their own."""

import pytest

from sanggar.api.testing import call
from sanggar.notifications import notifications as groups
from sanggar.notifications.models import Notification
from sanggar.notifications.services import notify_text as notify

pytestmark = pytest.mark.django_db


def _notify(user, n=1, kind=groups.SYSTEM, title="", **fields):
    return [notify(user=user, kind=kind, title=title or f"Info {i}", channels=(), **fields) for i in range(n)]


def test_list_newest_first_with_counts(client, member_user, make_user):
    other = make_user()
    first = _notify(member_user, title="Pertama", message="Isi pertama", link="/dashboard/")[0]
    second = _notify(member_user, kind=groups.COURSE, title="Kedua", data={"course": 7})[0]
    _notify(other, n=3)

    response = call(client, "get", "/notifications", user=member_user)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["unread"] == 2
    assert body["next_page"] is None
    assert [r["id"] for r in body["results"]] == [second.pk, first.pk]
    item = body["results"][1]
    assert item["kind"] == "system"
    assert item["kind_label"] == "Sistem"
    assert item["title"] == "Pertama"
    assert item["message"] == "Isi pertama"
    assert item["link"] == "/dashboard/"
    assert item["url"] == "http://testserver/dashboard/"
    assert item["is_read"] is False
    assert item["read_at"] is None
    assert body["results"][0]["data"] == {"course": 7}
    assert body["results"][0]["url"] is None


def test_list_pages_of_20(client, member_user):
    made = _notify(member_user, n=45)

    page1 = call(client, "get", "/notifications", user=member_user).json()
    page3 = call(client, "get", "/notifications", {"page": 3}, user=member_user).json()
    page9 = call(client, "get", "/notifications", {"page": 9}, user=member_user).json()

    assert (page1["count"], len(page1["results"]), page1["next_page"]) == (45, 20, 2)
    assert (len(page3["results"]), page3["next_page"]) == (5, None)
    assert [r["id"] for r in page3["results"]] == [n.pk for n in reversed(made[:5])]
    assert (page9["count"], page9["results"], page9["next_page"]) == (45, [], None)


def test_list_filters_unread_and_kind(client, member_user):
    read = _notify(member_user, kind=groups.EVENT)[0]
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    unread_event = _notify(member_user, kind=groups.EVENT)[0]
    _notify(member_user, kind=groups.CHAT)

    events = call(client, "get", "/notifications", {"kind": "event"}, user=member_user).json()
    unread_events = call(client, "get", "/notifications", {"kind": "event", "unread": "true"}, user=member_user).json()

    assert [r["id"] for r in events["results"]] == [unread_event.pk, read.pk]
    assert events["count"] == 2
    assert events["unread"] == 2  # all unread, whatever the filter
    assert [r["id"] for r in unread_events["results"]] == [unread_event.pk]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"page": "dua"}, "page", "Harus berupa bilangan bulat."),
        ({"page": 0}, "page", "Harus lebih besar dari atau sama dengan 1."),
        ({"unread": "mungkin"}, "unread", "Harus bernilai true atau false."),
        (
            {"kind": "gosip"},
            "kind",
            "Jenis notifikasi tidak dikenal. Pilihan: "
            "chat, course, group, event, transaction, affiliate, support, system.",
        ),
    ],
)
def test_list_bad_query_is_422(client, member_user, params, field, message):
    response = call(client, "get", "/notifications", params, user=member_user)

    assert response.status_code == 422
    assert response.json()["errors"] == {field: [message]}


def test_list_query_count_does_not_grow_with_rows(client, member_user, django_assert_max_num_queries):
    _notify(member_user, n=3)
    with django_assert_max_num_queries(4):  # user, count, page, unread
        small = call(client, "get", "/notifications", user=member_user)
    _notify(member_user, n=40)
    with django_assert_max_num_queries(4):
        large = call(client, "get", "/notifications", user=member_user)

    assert len(small.json()["results"]) == 3
    assert len(large.json()["results"]) == 20


def test_list_needs_a_token(client):
    assert call(client, "get", "/notifications").status_code == 401


def test_mark_one_read(client, member_user):
    n = _notify(member_user, n=2)[0]

    response = call(client, "post", f"/notifications/{n.pk}/read", user=member_user)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == n.pk
    assert body["is_read"] is True
    n.refresh_from_db()
    assert n.read_at is not None
    assert Notification.objects.filter(user=member_user, read_at__isnull=True).count() == 1


def test_mark_someone_elses_notification_is_404_and_changes_nothing(client, member_user, make_user):
    other = make_user()
    theirs = _notify(other)[0]

    response = call(client, "post", f"/notifications/{theirs.pk}/read", user=member_user)
    missing = call(client, "post", "/notifications/999999/read", user=member_user)

    assert response.status_code == 404
    assert response.json() == {"message": "Notifikasi tidak ditemukan.", "errors": {}}
    assert missing.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_needs_a_token_and_changes_nothing(client, member_user):
    n = _notify(member_user)[0]

    assert call(client, "post", f"/notifications/{n.pk}/read").status_code == 401
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_only_touches_own(client, member_user, make_user):
    other = make_user()
    _notify(member_user, n=3)
    _notify(other, n=2)

    response = call(client, "post", "/notifications/read-all", user=member_user)

    assert response.status_code == 200
    assert response.json() == {"marked": 3, "unread": 0}
    assert Notification.objects.filter(user=member_user, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 2
    assert call(client, "post", "/notifications/read-all", user=member_user).json() == {"marked": 0, "unread": 0}


def test_mark_all_read_replayed_with_the_same_idempotency_key(client, member_user):
    _notify(member_user, n=2)
    headers = {"Idempotency-Key": "read-all-1"}

    first = call(client, "post", "/notifications/read-all", user=member_user, headers=headers)
    _notify(member_user)
    retry = call(client, "post", "/notifications/read-all", user=member_user, headers=headers)

    assert first.json() == retry.json() == {"marked": 2, "unread": 0}
    assert Notification.objects.filter(user=member_user, read_at__isnull=True).count() == 1
