import pytest
from django.utils import timezone

from sanggar.chat import registry
from sanggar.core.roles import Role
from sanggar.learning import services as learning
from sanggar.learning.models import Enrollment


@pytest.fixture(autouse=True)
def _chat_limits(settings):
    settings.CHAT_MESSAGE_RATE_LIMIT = "1000/60"
    settings.CHAT_NEW_ACCOUNT_MESSAGE_RATE_LIMIT = "1000/60"
    settings.CHAT_MESSAGE_IP_RATE_LIMIT = "1000/60"
    settings.CHAT_CONVERSATION_RATE_LIMIT = "1000/60"
    settings.CHAT_NEW_ACCOUNT_CONVERSATION_RATE_LIMIT = "1000/60"


@pytest.fixture
def mentor(make_user):
    return make_user(Role.MENTOR, full_name="Andi Mentor")


@pytest.fixture
def student(make_user, mentor):
    """A member enrolled in one of the mentor's courses."""
    user = make_user(full_name="Siti Murid")
    course = learning.course_create(actor=mentor, data={"title": "Dasar Ekspor", "summary": "Ringkasan"})
    Enrollment.objects.create(user=user, course=course, source="admin", created_at=timezone.now())
    return user


@pytest.fixture
def premium(monkeypatch):
    """Members listed here count as premium (the membership selector is tested in memberships)."""
    ids: set[int] = set()
    monkeypatch.setattr("sanggar.chat.policy.is_premium", lambda *, user: user.pk in ids)
    return ids


@pytest.fixture
def connections():
    """Pairs of user ids that count as connected (what the community app will register)."""
    pairs: set[frozenset] = set()

    def check(user, other):
        return frozenset((user.pk, other.pk)) in pairs

    registry.connection_register(check)
    yield pairs
    registry._connections.remove(check)
