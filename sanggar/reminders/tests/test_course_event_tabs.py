"""The "Pengingat" tab of a course's editor and an event's admin page (the same views as the plan's and product's
"Reminder" tab): admins only (checklist 5.5: a mentor neither sees the tab nor opens it), numbered cards of that
target's sequences, "+ Tambah Reminder Baru" bound to the course / event, drag reorder, analytics, bounded queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sanggar.core.roles import Role
from sanggar.events.services import event_create
from sanggar.learning.services import course_create
from sanggar.reminders import services
from sanggar.reminders.models import ReminderSequence


def _sequence(admin_user, name, target_type, target_id):
    trigger = "before_event" if target_type == "event" else "after_purchase"
    seq = services.sequence_save(
        actor=admin_user, name=name, trigger=trigger, target_type=target_type, target_id=target_id, is_active=True
    )
    services.step_save(
        actor=admin_user,
        sequence=seq,
        delay_amount=1,
        delay_unit="days",
        channels=["in_app"],
        subject="Halo {name}",
        body="Isi",
    )
    return seq


@pytest.fixture
def mentor(make_user):
    return make_user(Role.MENTOR, full_name="Mentor Budi")


@pytest.fixture
def course(mentor):
    return course_create(actor=mentor, data={"title": "Dasar Ekspor", "summary": "Ringkasan kelas"})


@pytest.fixture
def event(admin_user, mentor):
    start = timezone.now() + timedelta(days=3)
    return event_create(
        actor=admin_user,
        data={"title": "Klinik Dokumen", "slug": "klinik", "starts_at": start, "ends_at": start + timedelta(hours=2)},
    )


def test_paths_and_admins_only(client, make_user, admin_user, mentor, course, event):
    assert reverse("reminders:course_reminders", args=[course.pk]) == f"/admin/kursus/{course.pk}/pengingat"
    assert reverse("reminders:event_reminders", args=[event.pk]) == f"/admin/event/{event.pk}/pengingat"
    seq = _sequence(admin_user, "Ajakan belajar", "course", course.pk)
    urls = [
        reverse(f"reminders:{kind}_reminders{page}", args=[pk])
        for kind, pk in (("course", course.pk), ("event", event.pk))
        for page in ("", "_analytics")
    ]
    # the course's own mentor edits the course but never its reminders (checklist 5.5), a member neither
    for user in (mentor, make_user()):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
        reorder = reverse("reminders:course_reminders_reorder", args=[course.pk])
        assert client.post(reorder, {"sequence_ids": [seq.pk]}, content_type="application/json").status_code == 403
    # the mentor's course editor has no "Pengingat" tab
    client.force_login(mentor)
    html = client.get(reverse("learning:edit", args=[course.slug])).content.decode()
    assert html.count('class="tab ') >= 5 and 'data-tab="pengingat"' not in html and "/pengingat" not in html
    client.force_login(admin_user)
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("reminders:course_reminders", args=[999999])).status_code == 404
    assert client.get(reverse("reminders:event_reminders_analytics", args=[999999])).status_code == 404


def test_tab_shows_on_the_course_and_event_pages_for_admins(client, admin_user, course, event):
    client.force_login(admin_user)
    html = client.get(reverse("learning:edit", args=[course.slug])).content.decode()
    assert f'href="/admin/kursus/{course.pk}/pengingat" data-tab="pengingat">Pengingat<' in html
    html = client.get(reverse("learning:follow_ups", args=[course.slug])).content.decode()
    assert f'href="/admin/kursus/{course.pk}/pengingat"' in html
    html = client.get(reverse("events:admin_edit", args=[event.slug])).content.decode()
    assert f'href="/admin/event/{event.pk}/pengingat" data-tab="pengingat">Pengingat<' in html
    assert 'data-tab="ubah" aria-current="page"' in html
    html = client.get(reverse("events:admin_registrants", args=[event.slug])).content.decode()
    assert 'data-tab="peserta" aria-current="page"' in html and f'href="/admin/event/{event.pk}/pengingat"' in html


@pytest.mark.parametrize("kind", ["course", "event"])
def test_tab_lists_cards_with_bounded_queries_and_creates_bound(client, admin_user, course, event, kind):
    target = course if kind == "course" else event
    other = course if kind == "event" else event
    _sequence(admin_user, "Pertama", kind, target.pk)
    _sequence(admin_user, "Milik yang lain", "event" if kind == "course" else "course", other.pk)
    client.force_login(admin_user)
    url = reverse(f"reminders:{kind}_reminders", args=[target.pk])
    client.get(url)  # warm the per-process caches (branding, menu)
    with CaptureQueriesContext(connection) as one:
        html = client.get(url).content.decode()
    assert "Otomasi & Reminder" in html and 'data-tab="pengingat" aria-current="page"' in html
    assert target.title in html and "Pertama" in html and "Milik yang lain" not in html
    for i in range(4):
        _sequence(admin_user, f"Tambahan {i}", kind, target.pk)
    with CaptureQueriesContext(connection) as five:
        html = client.get(url).content.decode()
    assert len(five) == len(one) <= 20
    assert html.count("data-sequence=") == 5 and "#5" in html
    create = f"/admin/pengingat/baru?target={kind}:{target.pk}"
    assert f'href="{create}"' in html and "Tambah Pengingat</a>" in html
    form = client.get(create).content.decode()
    assert f'value="{kind}:{target.pk}" selected' in form and f'href="{url}" id="sequence-back"' in form
    trigger, stop_on = ("before_event", "none") if kind == "event" else ("after_purchase", "completed")
    response = client.post(
        create, {"name": "Baru dari tab", "target": f"{kind}:{target.pk}", "trigger": trigger, "stop_on": stop_on}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    seq = ReminderSequence.objects.get(name="Baru dari tab")
    assert (seq.target_type, seq.target_id) == (kind, target.pk)
    assert "Baru dari tab" in client.get(url).content.decode()
    analytics = client.get(reverse(f"reminders:{kind}_reminders_analytics", args=[target.pk]))
    assert analytics.status_code == 200 and 'data-total="sent">0<' in analytics.content.decode()


@pytest.mark.parametrize("kind", ["course", "event"])
def test_reorder_and_toggle_back_to_the_tab(client, admin_user, course, event, kind):
    target = course if kind == "course" else event
    a, b, c = (_sequence(admin_user, name, kind, target.pk) for name in ("Satu", "Dua", "Tiga"))
    stranger = _sequence(
        admin_user, "Lain", "event" if kind == "course" else "course", (event if kind == "course" else course).pk
    )
    url = reverse(f"reminders:{kind}_reminders_reorder", args=[target.pk])
    client.force_login(admin_user)
    tab = reverse(f"reminders:{kind}_reminders", args=[target.pk])
    assert f'data-reorder-url="{url}"' in client.get(tab).content.decode()
    response = client.post(url, {"sequence_ids": [c.pk, a.pk, b.pk]}, content_type="application/json")
    assert response.status_code == 200 and response.json()["sequence_ids"] == [c.pk, a.pk, b.pk]
    order = list(services.target_sequences(target_type=kind, target_id=target.pk).values_list("pk", flat=True))
    assert order == [c.pk, a.pk, b.pk]
    bad = client.post(url, {"sequence_ids": [c.pk, a.pk, b.pk, stranger.pk]}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["message"]
    assert client.post(url, b"\x00{", content_type="application/json").status_code == 400
    response = client.post(reverse("reminders:sequence_toggle", args=[a.pk]), {"is_active": "0"})
    assert response.status_code == 302 and response["Location"] == tab
    response = client.get(reverse("reminders:sequence_delete", args=[a.pk]))
    assert response.status_code == 200 and f'href="{tab}"' in response.content.decode()
