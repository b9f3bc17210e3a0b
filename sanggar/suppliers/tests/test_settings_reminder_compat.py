"""The old schedule fields of GET/PUT /api/v1/admin/supplier-settings (`reminders_enabled`, `reminder_steps`) stay
for the clients after the upgrade reminders moved onto the one reminder engine: read from and written to its
supplier sequences (reminders registers the functions into suppliers.hooks), audited, with the old messages."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.reminders.models import ReminderSequence

MIGRATION = import_module("sanggar.reminders.migrations.0012_supplier_default_sequences")
URL = "/admin/supplier-settings"
APPROVAL = "supplier_upgrade:approved"


@pytest.fixture(autouse=True)
def _supplier_sequences(db):
    MIGRATION.forwards(django_apps, None)  # the default supplier sequences (again after a flush; idempotent)


def _delays(origin=APPROVAL):
    return [s.delay_hours // 24 for s in ReminderSequence.objects.get(origin=origin).steps.order_by("delay_hours")]


def test_get_shows_the_migrated_schedule(client, admin_user):
    body = call(client, "get", URL, user=admin_user).json()
    assert body["reminders_enabled"] is True
    assert body["reminder_steps"] == {
        "approved": {"on": True, "days": 0},
        "first_product": {"on": True, "days": 0},
        "refused_chat": {"on": True, "days": 0},
        "day_1": {"on": True, "days": 1},
        "day_7": {"on": True, "days": 7},
        "day_14": {"on": True, "days": 14},
        "day_30": {"on": True, "days": 30},
    }


def test_put_changes_the_engine_sequences(client, admin_user):
    payload = {"reminder_steps": {"day_7": {"days": 5}, "day_1": {"on": False}, "refused_chat": {"days": 3},
                                  "first_product": {"on": False}}}  # fmt: skip
    response = call(client, "put", URL, payload, user=admin_user)
    assert response.status_code == 200, response.content
    steps = response.json()["reminder_steps"]
    assert _delays() == [0, 5, 14, 30]  # day_1 deleted, day_7 moved to 5 days
    assert steps["day_1"] == {"on": False, "days": 1} and steps["day_7"] == {"on": True, "days": 5}
    assert steps["day_14"] == {"on": True, "days": 14} and steps["day_30"] == {"on": True, "days": 30}
    refused = ReminderSequence.objects.get(origin="supplier_upgrade:refused_chat")
    assert (refused.days, refused.is_active) == (3, True) and steps["refused_chat"] == {"on": True, "days": 3}
    assert not ReminderSequence.objects.get(origin="supplier_upgrade:first_product").is_active
    assert steps["first_product"]["on"] is False
    assert ActivityLog.objects.filter(actor=admin_user, action__startswith="reminders.").exists()  # audited

    again = call(client, "put", URL, {"reminder_steps": {"day_1": {"on": True, "days": 2}}}, user=admin_user)
    assert again.json()["reminder_steps"]["day_1"] == {"on": True, "days": 2}
    assert _delays() == [0, 2, 5, 14, 30]
    approval = ReminderSequence.objects.get(origin=APPROVAL)
    new = approval.steps.get(delay_hours=48)
    assert "Supplier Anda sudah aktif di direktori." in new.body and new.delay_unit == "days"
    assert [s.delay_hours for s in approval.steps.order_by("sort_order")] == [0, 48, 120, 336, 720]


def test_reminders_enabled_switches_every_supplier_sequence(client, admin_user):
    off = call(client, "put", URL, {"reminders_enabled": False}, user=admin_user)
    assert off.json()["reminders_enabled"] is False
    assert not ReminderSequence.objects.filter(target_type="supplier", is_active=True).exists()
    on = call(client, "put", URL, {"reminders_enabled": True, "reminder_steps": {"refused_chat": {"on": False}}},
              user=admin_user)  # fmt: skip
    assert on.json()["reminders_enabled"] is True
    active = set(
        ReminderSequence.objects.filter(target_type="supplier", is_active=True).values_list("origin", flat=True)
    )
    assert "supplier_upgrade:refused_chat" not in active and {APPROVAL, "supplier_premium:ending"} <= active


@pytest.mark.parametrize(
    ("steps", "field", "message"),
    [
        ({"day_7": {"days": 0}}, "step_day_7", "Hari harus antara 1 dan 365."),
        ({"day_30": {"days": 400}}, "step_day_30", "Hari harus antara 1 dan 365."),
        ({"refused_chat": {"days": "abc"}}, "step_refused_chat", "Hari harus berupa angka."),
        ({"day_1": {"days": "1\x00"}}, "body", "karakter yang tidak diizinkan"),
        ({"besok": {"on": True}}, "step_besok", "Langkah pengingat tidak dikenal."),
        ({f"k{i}": {"on": True} for i in range(50)}, "reminder_steps", "Format jadwal pengingat tidak valid."),
    ],
)
def test_invalid_schedule_is_400_with_the_old_messages(client, admin_user, steps, field, message):
    response = call(client, "put", URL, {"reminder_steps": steps}, user=admin_user)
    assert response.status_code == 400, response.content
    assert message in str(response.json()["errors"][field]), response.json()
    assert _delays() == [0, 1, 7, 14, 30]  # nothing changed


def test_wrongly_typed_schedule_is_4xx(client, admin_user):
    for payload in ({"reminder_steps": [1, 2]}, {"reminder_steps": {"day_7": "x"}}, {"reminders_enabled": "kadang"}):
        response = call(client, "put", URL, payload, user=admin_user)
        assert response.status_code in (400, 422), payload
    assert _delays() == [0, 1, 7, 14, 30]


def test_non_admin_gets_403_and_changes_nothing(client, make_user):
    member = make_user()
    assert call(client, "get", URL, user=member).status_code == 403
    response = call(client, "put", URL, {"reminders_enabled": False}, user=member)
    assert response.status_code == 403
    assert ReminderSequence.objects.get(origin=APPROVAL).is_active
