"""GET /api/v1/me/access: the signed-in user's grants that are open now, paginated."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.access.schemas import PAGE_SIZE
from sanggar.access.services import grant_create, grants_revoke
from sanggar.access.tests.factories import make_resource
from sanggar.api.testing import call

pytestmark = pytest.mark.django_db


def _now():
    return timezone.now().replace(microsecond=0)


def _grant(user, resource, ref, **fields):
    fields.setdefault("starts_at", _now() - timedelta(days=1))
    return grant_create(user=user, resource=resource, source=fields.pop("source", "purchase"), source_ref=ref, **fields)


def test_lists_only_open_grants_of_the_user(client, member_user, make_user):
    course = make_resource("course", "dasar-ekspor", "Dasar Ekspor")
    group = make_resource("group", "komunitas", "Komunitas Pemula")
    ends = _now() + timedelta(days=30)
    open_grant = _grant(member_user, course, "membership:1", source="membership", ends_at=ends)
    _grant(member_user, group, "order:INV1", ends_at=timezone.now() - timedelta(minutes=1))
    _grant(member_user, group, "order:INV2")
    grants_revoke(source_ref="order:INV2", reason="Refund")
    _grant(member_user, group, "admin:1", starts_at=timezone.now() + timedelta(days=1), source="admin")
    _grant(make_user(), group, "order:INV3")

    response = call(client, "get", "/me/access", user=member_user)

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next_page"]) == (1, None)
    assert body["results"] == [
        {
            "resource": {"kind": "course", "key": "dasar-ekspor", "title": "Dasar Ekspor"},
            "source": "membership",
            "source_label": "Membership",
            "starts_at": open_grant.starts_at.isoformat().replace("+00:00", "Z"),
            "ends_at": ends.isoformat().replace("+00:00", "Z"),
        }
    ]


def test_pages_with_a_fixed_number_of_queries(client, member_user, django_assert_max_num_queries):
    for i in range(PAGE_SIZE + 5):
        _grant(member_user, make_resource("course", f"kelas-{i}", f"Kelas {i}"), f"order:INV{i}")
    with django_assert_max_num_queries(6):
        first = call(client, "get", "/me/access", user=member_user)
    assert (first.json()["count"], first.json()["next_page"], len(first.json()["results"])) == (55, 2, 50)
    second = call(client, "get", "/me/access", {"page": 2}, user=member_user).json()
    assert (second["next_page"], len(second["results"])) == (None, 5)
    assert call(client, "get", "/me/access", {"page": 9}, user=member_user).json()["results"] == []
    assert call(client, "get", "/me/access", {"page": 0}, user=member_user).status_code == 422


def test_needs_a_token(client):
    response = call(client, "get", "/me/access")
    assert response.status_code == 401
    assert "message" in response.json()
