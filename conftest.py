"""Fixtures shared by every app's tests."""

import pytest
from django.core.cache import cache

from sanggar.accounts.tests.factories import PASSWORD, UserFactory
from sanggar.core.roles import Role


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (branding, rate limits, idempotency are cached)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _generous_order_limits(settings):
    """Most tests place many unpaid orders for one buyer to test something else; the hoarding limits (unpaid orders
    per buyer and per item, orders per minute) are tested where they are the subject, with their real defaults
    (`order_limits` fixture)."""
    settings.ORDER_MAX_PENDING_PER_BUYER = 1000
    settings.ORDER_MAX_PENDING_PER_ITEM = 1000
    settings.ORDER_CREATE_RATE_LIMIT = "1000/600"
    settings.ORDER_CREATE_IP_RATE_LIMIT = "1000/600"


@pytest.fixture
def order_limits(settings):
    """The shipped defaults of the order hoarding limits (see config/settings.py)."""
    settings.ORDER_MAX_PENDING_PER_BUYER = 3
    settings.ORDER_MAX_PENDING_PER_ITEM = 1
    settings.ORDER_CREATE_RATE_LIMIT = "10/600"
    settings.ORDER_CREATE_IP_RATE_LIMIT = "30/600"
    return settings


@pytest.fixture(autouse=True)
def _no_whatsapp_night(settings):
    """Tests run at any hour, and many of their moments are the wall clock's plus minutes or days. The WhatsApp night
    (21:00-08:00 WIB: a reminder due in the day is not sent in the night, it waits for 08:00) would hold such a send
    whenever a test's due moment and its sweep fall on either side of 21:00 WIB. Tests of the night itself ask for
    the shipped hours back (`whatsapp_night` fixture)."""
    settings.REMINDERS_WHATSAPP_NIGHT_FROM = settings.REMINDERS_WHATSAPP_MORNING = 0


@pytest.fixture
def whatsapp_night(settings):
    """The shipped WhatsApp night (see config/settings.py)."""
    settings.REMINDERS_WHATSAPP_NIGHT_FROM = 21
    settings.REMINDERS_WHATSAPP_MORNING = 8
    return settings


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def make_user(db):
    """make_user("admin", "mentor", email=...) → a saved user holding Member plus those roles."""

    def make(*roles, **fields):
        return UserFactory(roles=list(roles), **fields)

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN, full_name="Admin Uji")


@pytest.fixture
def member_user(make_user):
    return make_user(full_name="Member Uji")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client
