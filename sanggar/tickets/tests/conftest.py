import pytest

from sanggar.core.roles import Role
from sanggar.tickets.services import ticket_open


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def member(make_user):
    return make_user(full_name="Budi Santoso", email="budi@example.com")


@pytest.fixture
def agent(make_user):
    return make_user(Role.SUPPORT, full_name="Sinta Support", email="sinta@example.com")


@pytest.fixture
def other_agent(make_user):
    return make_user(Role.SUPPORT, full_name="Raka Support", email="raka@example.com")


@pytest.fixture
def ticket(member):
    return ticket_open(
        user=member, category="pembayaran", subject="Pembayaran belum terkonfirmasi", body="Sudah transfer."
    )
