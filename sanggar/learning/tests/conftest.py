"""Fixtures shared by the learning tests."""

import pytest

from sanggar.core.roles import Role


@pytest.fixture
def people(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    class P:
        admin = admin_user
        mentor = make_user(Role.MENTOR, full_name="Mentor Budi", email="budi@example.com")
        other = make_user(Role.MENTOR, full_name="Mentor Lain", email="lain@example.com")
        co = make_user(Role.MENTOR, full_name="Mentor Sari", email="sari@example.com")
        member = make_user(full_name="Member Biasa", email="member@example.com")

    return P
