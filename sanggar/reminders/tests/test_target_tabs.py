"""The "Reminder" tab on a plan's and a product's edit pages (REM-P1, REM-P3) and its analytics (REM-P4): admins
only, numbered cards in their order, on/off, up/down, delete after a confirmation page, "+ Tambah Reminder Baru"
pre-targeted, and a fixed number of queries however many sequences there are."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sanggar.access.tests.factories import make_plan, make_product
from sanggar.audit.models import ActivityLog
from sanggar.memberships.models import UserMembership
from sanggar.reminders import services
from sanggar.reminders.models import ReminderSend, ReminderSequence, ReminderStep


def _sequence(admin_user, name, target_type, target_id, *, trigger=None, active=True):
    trigger = trigger or ("after_expiry" if target_type == "plan" else "after_purchase")
    seq = services.sequence_save(
        actor=admin_user,
        name=name,
        trigger=trigger,
        stop_on="renewed",
        target_type=target_type,
        target_id=target_id,
        is_active=active,
    )
    services.step_save(
        actor=admin_user,
        sequence=seq,
        delay_amount=1,
        delay_unit="days",
        channels=["in_app", "email"],
        subject="Halo {name}",
        body="Isi",
    )
    return seq


@pytest.fixture
def plan():
    return make_plan("emas", title="Emas")


@pytest.fixture
def product():
    return make_product("ebook-ekspor", title="Ebook Ekspor")


def _urls(plan, product, seq):
    return [
        reverse("reminders:plan_reminders", args=[plan.pk]),
        reverse("reminders:plan_reminders_analytics", args=[plan.pk]),
        reverse("reminders:product_reminders", args=[product.pk]),
        reverse("reminders:product_reminders_analytics", args=[product.pk]),
        reverse("reminders:sequence_delete", args=[seq.pk]),
    ]


def test_paths_and_admin_only(client, make_user, admin_user, plan, product):
    seq = _sequence(admin_user, "A", "plan", plan.pk)
    assert reverse("reminders:plan_reminders", args=[plan.pk]) == f"/admin/membership/{plan.pk}/reminder"
    assert reverse("reminders:plan_reminders_analytics", args=[plan.pk]).endswith("/reminder/analitik")
    assert reverse("reminders:product_reminders", args=[product.pk]) == f"/admin/produk/{product.pk}/reminder"
    anonymous = client.get(reverse("reminders:plan_reminders", args=[plan.pk]))
    assert anonymous.status_code == 302
    client.force_login(make_user())
    for url in _urls(plan, product, seq):
        assert client.get(url).status_code == 403, url
    for name in ("sequence_toggle", "sequence_move", "sequence_delete"):
        assert client.post(reverse(f"reminders:{name}", args=[seq.pk]), {"is_active": "0"}).status_code == 403
    seq.refresh_from_db()
    assert seq.is_active and ReminderSequence.objects.filter(pk=seq.pk).exists()
    client.force_login(admin_user)
    assert client.get(reverse("reminders:plan_reminders", args=[999999])).status_code == 404
    assert client.get(reverse("reminders:product_reminders_analytics", args=[999999])).status_code == 404


def test_tab_shows_on_catalog_pages(client, admin_user, plan, product):
    client.force_login(admin_user)
    html = client.get(reverse("catalog:admin_plan_edit", args=[plan.pk])).content.decode()
    assert f'href="/admin/membership/{plan.pk}/reminder"' in html and 'data-tab="reminder"' in html
    html = client.get(reverse("catalog:admin_product_edit", args=[product.pk])).content.decode()
    assert f'href="/admin/produk/{product.pk}/reminder"' in html


def test_plan_tab_lists_cards_in_order_with_bounded_queries(client, admin_user, plan, product):
    first = _sequence(admin_user, "Pertama", "plan", plan.pk)
    _sequence(admin_user, "Produk lain", "product", product.pk)
    _sequence(admin_user, "Untuk seluruh paket", "plan", None)
    client.force_login(admin_user)
    url = reverse("reminders:plan_reminders", args=[plan.pk])
    client.get(url)  # warm the per-process caches (branding, menu)
    with CaptureQueriesContext(connection) as one:
        html = client.get(url).content.decode()
    assert "Otomasi & Reminder" in html and 'aria-current="page" data-tab="reminder"' in html
    assert "Pertama" in html and "Produk lain" not in html and "Untuk seluruh paket" not in html
    for i in range(4):
        _sequence(admin_user, f"Tambahan {i}", "plan", plan.pk, active=i % 2 == 0)
    with CaptureQueriesContext(connection) as five:
        html = client.get(url).content.decode()
    assert len(five) == len(one) <= 15
    order = ["Pertama", "Tambahan 0", "Tambahan 1", "Tambahan 2", "Tambahan 3"]
    positions = [html.index(name) for name in order]
    assert positions == sorted(positions) and html.count("data-sequence=") == 5
    assert first.sort_order < ReminderSequence.objects.get(name="Tambahan 0").sort_order


def test_toggle_move_and_delete_with_confirmation_page(client, admin_user, plan):
    a = _sequence(admin_user, "Satu", "plan", plan.pk)
    b = _sequence(admin_user, "Dua", "plan", plan.pk)
    tab = reverse("reminders:plan_reminders", args=[plan.pk])
    client.force_login(admin_user)

    response = client.post(reverse("reminders:sequence_toggle", args=[a.pk]), {"is_active": "0", "next": tab})
    assert response.status_code == 302 and response["Location"] == tab
    a.refresh_from_db()
    assert not a.is_active
    assert ActivityLog.objects.filter(action="reminders.sequence_toggled").exists()
    # a foreign `next` is ignored (back to the tab)
    response = client.post(
        reverse("reminders:sequence_toggle", args=[a.pk]), {"is_active": "1", "next": "https://jahat.example/"}
    )
    assert response["Location"] == tab
    a.refresh_from_db()
    assert a.is_active

    client.post(reverse("reminders:sequence_move", args=[b.pk]), {"direction": "up", "next": tab})
    assert list(services.target_sequences(target_type="plan", target_id=plan.pk).values_list("pk", flat=True)) == [
        b.pk,
        a.pk,
    ]
    # moving the first one up again changes nothing; a bad direction is a clear message, never a 500
    client.post(reverse("reminders:sequence_move", args=[b.pk]), {"direction": "up"})
    bad = client.post(reverse("reminders:sequence_move", args=[b.pk]), {"direction": "samping"}, follow=True)
    assert bad.status_code == 200 and "Arah urutan tidak valid." in bad.content.decode()
    assert ReminderSequence.objects.get(pk=b.pk).sort_order == 0

    delete_url = reverse("reminders:sequence_delete", args=[a.pk])
    confirm = client.get(f"{delete_url}?next={tab}")
    html = confirm.content.decode()
    assert confirm.status_code == 200 and 'id="confirm-delete-page"' in html and "1 langkah ikut terhapus" in html
    assert "<dialog" not in html and ReminderSequence.objects.filter(pk=a.pk).exists()
    response = client.post(delete_url, {"next": tab})
    assert response.status_code == 302 and response["Location"] == tab
    assert not ReminderSequence.objects.filter(pk=a.pk).exists()
    assert not ReminderStep.objects.filter(sequence_id=a.pk).exists()
    assert ActivityLog.objects.filter(action="reminders.sequence_deleted").exists()


def test_create_is_prefilled_with_the_target(client, admin_user, plan, product):
    client.force_login(admin_user)
    html = client.get(reverse("reminders:plan_reminders", args=[plan.pk])).content.decode()
    create = f"/admin/pengingat/baru?target=plan:{plan.pk}"
    assert f'href="{create}"' in html and "Tambah Reminder Baru" in html
    form = client.get(create).content.decode()
    assert f'value="plan:{plan.pk}" selected' in form
    assert f'href="/admin/membership/{plan.pk}/reminder" id="sequence-back"' in form
    response = client.post(
        create,
        {"name": "Sebelum berakhir", "target": f"plan:{plan.pk}", "trigger": "before_expiry", "stop_on": "renewed"},
    )
    assert response.status_code == 302
    seq = ReminderSequence.objects.get(name="Sebelum berakhir")
    assert (seq.target_type, seq.target_id) == ("plan", plan.pk)
    tab = client.get(reverse("reminders:plan_reminders", args=[plan.pk])).content.decode()
    assert "Sebelum berakhir" in tab
    # the product tab the same way
    form = client.get(f"/admin/pengingat/baru?target=product:{product.pk}").content.decode()
    assert f'value="product:{product.pk}" selected' in form
    # a hostile target in the query string is only an unselected form, never a 500
    assert client.get("/admin/pengingat/baru?target=" + "x" * 500).status_code == 200


def test_target_analytics_aggregates_with_bounded_queries(
    client, admin_user, make_user, plan, product, django_assert_max_num_queries
):
    one = _sequence(admin_user, "Ajakan kembali", "plan", plan.pk)
    two = _sequence(admin_user, "Ajakan kedua", "plan", plan.pk)
    other = make_plan("perak", title="Perak")
    _sequence(admin_user, "Paket lain", "plan", other.pk)
    now = timezone.now()
    for target in (plan, plan, other):
        UserMembership.objects.create(
            user=make_user(),
            plan=target,
            duration="1m",
            status="expired",
            starts_at=now - timedelta(days=40),
            ends_at=now - timedelta(days=1, hours=1),
        )
    services.reminders_send_due(now=now)
    mine = ReminderSend.objects.filter(step__sequence__in=[one, two])
    assert mine.count() == 4
    first = mine.order_by("id").first()
    services.reminder_opened(send_id=first.pk)
    services.reminder_clicked(send_id=first.pk, channel="email")
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        html = client.get(reverse("reminders:plan_reminders_analytics", args=[plan.pk])).content.decode()
    assert 'data-total="sent">4<' in html and 'data-total="opened">1 ' in html and 'data-total="clicked">1 ' in html
    assert "Ajakan kembali ·" in html and "Ajakan kedua ·" in html and "Paket lain" not in html
    assert "chart-channels" in html and "Otomasi & Reminder" in html
    with django_assert_max_num_queries(20):
        page = client.get(reverse("reminders:product_reminders_analytics", args=[product.pk]))
    assert page.status_code == 200 and 'data-total="sent">0<' in page.content.decode()


def test_cards_reorder_by_drag_without_reload(client, make_user, admin_user, plan, product):
    """The tab's drag and drop posts the whole order as JSON (REM-P1); admin only, audited, hostile bodies 400."""
    a, b, c = (_sequence(admin_user, name, "plan", plan.pk) for name in ("Satu", "Dua", "Tiga"))
    other = _sequence(admin_user, "Punya produk", "product", product.pk)
    url = reverse("reminders:plan_reminders_reorder", args=[plan.pk])
    assert url == f"/admin/membership/{plan.pk}/reminder/urutan"
    client.force_login(admin_user)
    html = client.get(reverse("reminders:plan_reminders", args=[plan.pk])).content.decode()
    assert f'data-reorder-url="{url}"' in html and "reminders/sortable.js" in html and 'data-move="up"' in html
    order = lambda: list(  # noqa: E731
        services.target_sequences(target_type="plan", target_id=plan.pk).values_list("pk", flat=True)
    )
    response = client.post(url, {"sequence_ids": [c.pk, a.pk, b.pk]}, content_type="application/json")
    assert response.status_code == 200 and response.json()["sequence_ids"] == [c.pk, a.pk, b.pk]
    assert order() == [c.pk, a.pk, b.pk]
    log = ActivityLog.objects.filter(action="reminders.sequences_reordered").latest("id")
    assert log.data["order"] == [c.pk, a.pk, b.pk]
    for body in (
        b"not json",
        b'{"sequence_ids": "1,2"}',
        b"[]",
        f'{{"sequence_ids": [{a.pk}, {b.pk}]}}'.encode(),  # one missing
        f'{{"sequence_ids": [{a.pk}, {b.pk}, {other.pk}]}}'.encode(),  # another target's
        b'{"sequence_ids": [' + b",".join([b"1"] * 1500) + b"]}",
    ):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, body[:40]
        assert response.json()["message"].startswith(("Data urutan", "Urutan reminder"))
    nul = f'{{"sequence_ids": [{a.pk}, {b.pk}, "x\\u0000"]}}'.encode()
    assert client.post(url, nul, content_type="application/json").status_code == 400  # the house's input guard
    assert order() == [c.pk, a.pk, b.pk]
    product_url = reverse("reminders:product_reminders_reorder", args=[product.pk])
    assert client.post(product_url, {"sequence_ids": [other.pk]}, content_type="application/json").status_code == 200
    assert (
        client.post(
            reverse("reminders:plan_reminders_reorder", args=[999999]), {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get(url).status_code == 405
    client.force_login(make_user())
    response = client.post(url, {"sequence_ids": [a.pk, b.pk, c.pk]}, content_type="application/json")
    assert response.status_code == 403 and order() == [c.pk, a.pk, b.pk]
