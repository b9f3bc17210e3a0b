"""Who may start a chat with whom, for every pair of roles and states (PRODUCT.md "Chat"): one table, one row per
pair, through `policy.start_decision` (what the service, page, API and websocket all ask)."""

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.chat import policy, services
from sanggar.core.roles import Role
from sanggar.learning import services as learning
from sanggar.learning.models import Enrollment

pytestmark = pytest.mark.django_db

# (starter, target, expected kind or None for refused)
MATRIX = [
    ("free", "peer", None),  # connected, but starting needs premium or a role
    ("premium", "peer", "direct"),
    ("premium", "stranger", None),  # not connected
    ("support", "peer", "direct"),
    ("affiliate", "peer", "direct"),
    ("free_student", "mentor", None),  # ChatMentor needs premium
    ("premium_student", "mentor", "mentor"),
    ("premium", "mentor", None),  # not one of their courses, not connected
    ("mentor", "premium_student", "mentor"),
    ("mentor", "stranger", None),
    ("admin", "stranger", "direct"),
    ("admin", "mentor", "mentor"),
    ("supplier", "peer", None),  # suppliers never start
    ("premium", "free_supplier", None),
    ("premium", "premium_supplier", "supplier"),
    ("free", "premium_supplier", None),
    ("premium", "premium", None),  # oneself
    ("premium", "inactive", None),
    ("premium", "blocked_peer", None),
]


@pytest.fixture
def people(make_user, mentor, premium, connections, monkeypatch):

    made = {
        "free": make_user(full_name="Free"),
        "premium": make_user(full_name="Premium"),
        "peer": make_user(full_name="Peer"),
        "stranger": make_user(full_name="Stranger"),
        "support": make_user(Role.SUPPORT, full_name="Support"),
        "affiliate": make_user(Role.AFFILIATE, full_name="Affiliate"),
        "admin": make_user(Role.ADMIN, full_name="Admin"),
        "mentor": mentor,
        "free_student": make_user(full_name="Free Student"),
        "premium_student": make_user(full_name="Premium Student"),
        "supplier": make_user(Role.SUPPLIER, full_name="Supplier"),
        "free_supplier": make_user(Role.SUPPLIER, full_name="Free Supplier"),
        "premium_supplier": make_user(Role.SUPPLIER, full_name="Premium Supplier"),
        "inactive": make_user(full_name="Inactive"),
        "blocked_peer": make_user(full_name="Blocked Peer"),
    }
    course = learning.course_create(actor=mentor, data={"title": "Kelas Matriks", "summary": "Ringkasan"})
    for key in ("free_student", "premium_student"):
        Enrollment.objects.create(user=made[key], course=course, source="admin", created_at=timezone.now())
    premium.update(made[k].pk for k in ("premium", "premium_student"))
    for a in ("free", "premium", "support", "affiliate", "supplier"):
        for b in ("peer", "inactive", "blocked_peer"):
            connections.add(frozenset((made[a].pk, made[b].pk)))
    made["inactive"].is_active = False
    made["inactive"].save(update_fields=["is_active"])
    services.user_block(user=made["blocked_peer"], other=made["premium"])
    premium_supplier = made["premium_supplier"].pk
    monkeypatch.setattr("sanggar.chat.registry.supplier_is_premium", lambda user: user.pk == premium_supplier)
    return made


def test_every_pair_of_roles_and_states(people):
    wrong = []
    for starter, target, expected in MATRIX:
        decision = policy.start_decision(people[starter], people[target])
        got = decision.kind if decision.allowed else None
        if got != expected or (not decision.allowed and not decision.message):
            wrong.append((starter, target, expected, got, decision.message))
    assert not wrong, wrong


def test_refusals_reach_the_api_as_403_with_a_reason(client, people):
    for starter, target, expected in MATRIX:
        if expected is not None or starter == target:
            continue
        r = call(client, "post", "/chat/conversations", {"user": people[target].pk}, user=people[starter])
        assert r.status_code in (403, 404) and r.json()["message"], (starter, target, r.content)
