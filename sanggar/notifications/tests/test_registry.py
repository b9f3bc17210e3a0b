"""The notification kinds registry, the template rows made from it, and the rule that no message text is written in
the code that sends it."""

import ast
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.core.roles import Role
from sanggar.notifications import registry, services
from sanggar.notifications.constants import Channel
from sanggar.notifications.models import Delivery, MessageTemplate, Notification
from sanggar.notifications.registry import MessageDefaults, NotificationKind

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# The functions that send a message, and the arguments that would carry its text.
SENDERS = {
    "notify",
    "notify_users",
    "notify_text",
    "TextMessage",  # one recipient of notify_texts
    "notify_from_template",
    "admins_notify",
    "email_send_template",
}
TEXT_ARGUMENTS = {"title", "message", "subject", "body", "text"}


def _is_written_text(node) -> bool:
    """A string literal, an f-string, `_("…")` / `gettext(…)`, or `"…" % …` / `"…".format(…)`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in {"_", "gettext", "gettext_lazy", "ngettext", "pgettext"}:
            return True
        if name == "format" and isinstance(func, ast.Attribute):
            return _is_written_text(func.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return _is_written_text(node.left) or _is_written_text(node.right)
    return False


def _message_texts_in_python() -> list[str]:
    found = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name not in SENDERS:
                continue
            for keyword in node.keywords:
                if keyword.arg in TEXT_ARGUMENTS and _is_written_text(keyword.value):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}({keyword.arg}=…)")
                if keyword.arg == "context" and isinstance(keyword.value, ast.Dict):
                    for value in keyword.value.values:
                        if _is_written_text(value):
                            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}(context=…)")
    return found


def test_no_message_text_is_written_in_python():
    """Every message is a template: a call that sends one passes values for its shortcodes, never its words."""
    assert _message_texts_in_python() == []


def test_the_scan_catches_a_message_written_in_python(tmp_path, monkeypatch):
    bad = tmp_path / "app" / "services.py"
    bad.parent.mkdir()
    bad.write_text(
        "def f(user):\n"
        "    notify(user=user, kind='x', context={'reason': _('Ditolak')})\n"
        "    notify_text(user=user, kind='system', title=f'Halo {user}', message='Isi')\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert _message_texts_in_python() == [
        "app/services.py:2 notify(context=…)",
        "app/services.py:3 notify_text(title=…)",
        "app/services.py:3 notify_text(message=…)",
    ]


def test_every_sent_kind_has_texts_and_indonesian_labels():
    kinds = registry.kinds()
    assert {"orders.payment_succeeded", "memberships.ending_soon", "finance.payout_paid", "welcome"} <= {
        k.key for k in kinds
    }
    for kind in kinds:
        assert kind.defaults.inapp_title, kind.key
        assert registry.group_get(kind.group) is not None, kind.key
        if Channel.EMAIL in kind.channels:
            assert kind.defaults.email_subject and kind.defaults.email_body, kind.key
        if Channel.WHATSAPP in kind.channels:
            assert kind.defaults.whatsapp, kind.key


def test_an_unknown_kind_is_a_programming_error(make_user):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        services.notify(user=make_user(), kind="kelas.nope")
    assert Notification.objects.count() == 0


@pytest.fixture
def class_kind():
    """An app adding a kind from its own module: no migration, its template row comes from the sync."""
    kind = registry.register_kind(
        NotificationKind(
            key="kelas.dibuka",
            label="Kelas dibuka",
            group="course",
            shortcodes=(("kelas", "Nama kelas"),),
            sample={"kelas": "Ekspor 101"},
            defaults=MessageDefaults(
                inapp_title="Kelas {kelas} dibuka",
                inapp_body="Halo {name}, kelas {kelas} sudah bisa diikuti.",
                email_subject="Kelas {kelas} dibuka",
                email_body="Halo {name},\n\nKelas {kelas} sudah bisa diikuti: {link}",
            ),
        )
    )
    yield kind
    registry._KINDS.pop(kind.key)


def test_a_new_kind_gets_its_template_row_from_the_sync_and_edited_rows_stay(class_kind, admin_user):
    services.message_template_update(
        template=MessageTemplate.objects.get(key="welcome"), actor=admin_user, inapp_title="Hai {name}"
    )
    assert not MessageTemplate.objects.filter(key="kelas.dibuka").exists()
    assert services.message_templates_sync() == 1
    assert services.message_templates_sync() == 0
    row = MessageTemplate.objects.get(key="kelas.dibuka")
    assert (row.name, row.inapp_title, row.email_subject) == (
        "Kelas dibuka",
        "Kelas {kelas} dibuka",
        "Kelas {kelas} dibuka",
    )
    assert MessageTemplate.objects.get(key="welcome").inapp_title == "Hai {name}"


def test_a_new_kind_notifies_with_its_texts(class_kind, make_user, django_capture_on_commit_callbacks):
    user = make_user(full_name="Rina")
    with django_capture_on_commit_callbacks(execute=False):
        notification = services.notify(user=user, kind="kelas.dibuka", link="/kelas/1", context={"kelas": "Ekspor 101"})
    assert (notification.kind, notification.title, notification.message) == (
        "course",
        "Kelas Ekspor 101 dibuka",
        "Halo Rina, kelas Ekspor 101 sudah bisa diikuti.",
    )
    assert notification.data == {"template": "kelas.dibuka"}
    email = Delivery.objects.get(channel=Channel.EMAIL)
    assert email.body == "Halo Rina,\n\nKelas Ekspor 101 sudah bisa diikuti: http://127.0.0.1:8000/kelas/1"


def test_reset_puts_the_defaults_back_and_logs_it(admin_user):
    template = MessageTemplate.objects.get(key="orders.payment_succeeded")
    services.message_template_update(
        template=template, actor=admin_user, email_subject="Lunas {invoice}", is_active=False
    )
    services.message_template_reset(key="orders.payment_succeeded", actor=admin_user)
    template.refresh_from_db()
    default = registry.kind_get("orders.payment_succeeded").defaults
    assert (template.email_subject, template.is_active) == (default.email_subject, True)
    rows = list(
        ActivityLog.objects.filter(action=Action.TEMPLATE_CHANGED).order_by("id").values_list("data", flat=True)
    )
    assert rows[-1] == {"key": "orders.payment_succeeded", "fields": ["email_subject", "is_active"], "reset": True}


def _queries_to_notify(make_user, n: int, monkeypatch) -> tuple[int, int]:
    monkeypatch.setattr(services, "_enqueue", lambda delivery_id: None)
    admins = [make_user(Role.ADMIN) for _ in range(n)]
    with CaptureQueriesContext(connection) as ctx:
        services.notify_users(
            users=admins,
            kind="orders.admin_new_sale",
            link="/admin/sales/INV000001",
            context={"invoice": "INV000001", "buyer": "Budi", "items": "Gold", "total": "Rp 1"},
        )
    return len(ctx.captured_queries), Delivery.objects.filter(user__in=admins).count()


def test_notifying_many_admins_takes_the_same_number_of_queries_as_notifying_two(make_user, monkeypatch):
    _queries_to_notify(make_user, 1, monkeypatch)  # warm the per-process caches (branding) first
    few, few_deliveries = _queries_to_notify(make_user, 2, monkeypatch)
    many, many_deliveries = _queries_to_notify(make_user, 12, monkeypatch)
    assert (few_deliveries, many_deliveries) == (2, 12)  # one push delivery each
    assert many == few <= 6  # the template, one insert of notifications, one of deliveries, the transaction
    assert Notification.objects.filter(title="Penjualan baru INV000001").count() == 15
