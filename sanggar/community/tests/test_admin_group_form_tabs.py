"""The admin's group form is split into tabs (Informasi, Akses & Keanggotaan, Fitur Posting, Moderasi) with the same
field names; saving from it still works."""

import re

import pytest

from sanggar.community.models import Group

pytestmark = pytest.mark.django_db


def test_group_form_tabs_keep_field_names(admin_user, client):
    client.force_login(admin_user)
    html = client.get("/admin/grup/baru").content.decode()
    panels = re.findall(r'data-tab="(\w+)"', html)
    assert panels == ["info", "access", "posting", "moderation"]
    for label in ("Informasi", "Akses & Keanggotaan", "Fitur Posting", "Moderasi"):
        assert label in html
    for name in ("name", "slug", "description", "rules", "visibility", "members_can_post", "allow_images"):
        assert f'name="{name}"' in html
    assert 'name="allow_polls"' in html and 'name="require_approval"' in html
    client.post(
        "/admin/grup/baru",
        {"name": "Grup Tab", "slug": "grup-tab", "visibility": "private", "require_approval": "1"},
    )
    group = Group.objects.get(slug="grup-tab")
    assert group.visibility == "private" and group.require_approval and not group.allow_polls
