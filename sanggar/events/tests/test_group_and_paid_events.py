"""Group events (posted in the group feed, on the group's Events tab, created by the group's staff from their page
or the API, refused when the group switched events off), audit rows for every event change, paid webinars (buying
registers the buyer through the orders' sale step, a refund cancels and frees the seat), and the events API (detail,
cancel, my events, recordings, registrants CSV for organisers only)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.catalog.services.products import product_update
from sanggar.community import features
from sanggar.community import services as community
from sanggar.community.models import GroupMember, Post
from sanggar.community.tests.world import World
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.events import services
from sanggar.events.models import Event, Registration
from sanggar.orders.services import order_refund
from sanggar.orders.tests.shop import product_item


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVENTS_REGISTER_RATE_LIMIT = settings.EVENTS_REGISTER_IP_RATE_LIMIT = "1000/3600"
    w = World(make_user, admin_user)
    row = community.member_add(actor=admin_user, group=w.public, user=w.mentor, role="admin")
    assert row.role == "admin"
    return w


def data(title="Temu Eksportir", slug="", days=3, **extra):
    start = timezone.now() + timedelta(days=days)
    return {
        "title": title,
        "slug": slug,
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "meeting_url": "https://meet.google.com/abc",
        **extra,
    }


def test_group_event_is_posted_in_the_feed_and_listed_on_the_events_tab(world, client):
    event = services.event_create(actor=world.mentor, data=data(), group=world.public, announce=True)
    post = Post.objects.get(pk=event.post_id)
    assert post.group == world.public and post.status == "published" and "Temu Eksportir" in post.body
    assert f"/event/{event.slug}" in post.body_html
    client.force_login(world.premium)
    feed = client.get(f"/komunitas/grup/{world.public.slug}").content.decode()
    assert "Acara: Temu Eksportir" in feed
    tab = client.get(f"/komunitas/grup/{world.public.slug}?tab=acara").content.decode()
    assert f"/event/{event.slug}" in tab and 'id="group-event-new"' not in tab  # a member may not create
    client.force_login(world.mentor)
    tab = client.get(f"/komunitas/grup/{world.public.slug}?tab=acara").content.decode()
    assert 'id="group-event-new"' in tab
    assert ActivityLog.objects.filter(action="events.created").count() == 1


def test_group_event_follows_pre_moderation_and_the_event_switch(world):
    features.group_features_update(actor=world.admin, group=world.public, require_approval=True)
    world.public.refresh_from_db()
    world.public.permissions = {"event": ["admin", "member"]}
    world.public.save(update_fields=["permissions"])
    event = services.event_create(actor=world.premium, data=data(), group=world.public, announce=True)
    assert Post.objects.get(pk=event.post_id).status == "pending"
    features.group_features_update(actor=world.admin, group=world.public, features={"event": False})
    world.public.refresh_from_db()
    with pytest.raises(NotAllowed, match="acara dimatikan"):
        services.event_create(actor=world.mentor, data=data("Lagi"), group=world.public, announce=True)
    assert not Event.objects.filter(title="Lagi").exists()


def test_group_staff_event_page(world, client):
    url = f"/komunitas/grup/{world.public.slug}/acara/baru"
    client.force_login(world.premium)
    assert client.get(url).status_code == 403
    client.force_login(world.outsider)
    assert client.get(f"/komunitas/grup/{world.hidden.slug}/acara/baru").status_code == 404
    client.force_login(world.mentor)
    assert client.get(url).status_code == 200
    fmt = "%Y-%m-%dT%H:%M"
    start = timezone.localtime(timezone.now() + timedelta(days=2))
    r = client.post(
        url,
        {
            "title": "Kopdar Ekspor",
            "starts_at": start.strftime(fmt),
            "ends_at": (start + timedelta(hours=1)).strftime(fmt),
            "location_kind": "offline",
            "address": "Jakarta",
        },
    )
    event = Event.objects.get(title="Kopdar Ekspor")
    assert r.status_code == 302 and event.group == world.public and event.post_id
    r = client.post(url, {"title": "Tanpa waktu"})
    assert r.status_code == 200 and "Waktu mulai dan selesai wajib diisi." in r.content.decode()


def test_every_event_change_is_audited(world):
    event = services.event_create(actor=world.admin, data=data(slug="audit"))
    values = data(slug="audit", days=5, recording_url="https://rekaman.example.com/1", status="cancelled")
    services.event_update(actor=world.admin, event=event, data=values)
    actions = set(ActivityLog.objects.values_list("action", flat=True))
    assert {"events.created", "events.updated", "events.rescheduled", "events.cancelled", "events.recording"} <= (
        actions
    )


def webinar(world, stock=None):
    product = world.shop.product("Webinar Buyer Eropa", price=35_000, kind="webinar", stock=stock)
    event = services.event_create(actor=world.admin, data=data("Webinar Buyer Eropa", capacity=1), product=product)
    return product, event


def test_buying_the_webinar_registers_and_a_refund_frees_the_seat(world):
    product, event = webinar(world, stock=5)
    order = world.shop.buy_paid(world.premium, product_item(product.slug))
    row = Registration.objects.get(event=event, user=world.premium)
    assert (row.status, row.source, row.order_id) == ("going", "purchase", order.pk)
    world.shop.buy_paid(world.premium, product_item(product.slug))  # buying again adds nothing
    assert Registration.objects.filter(event=event, user=world.premium).count() == 1
    Registration.objects.create(event=event, user=world.free, status="waitlist")  # e.g. added by an admin
    product.refresh_from_db()
    sold = product.sold_count
    order_refund(order=order, actor=world.admin, reason="Batal ikut")
    row.refresh_from_db()
    product.refresh_from_db()
    assert row.status == "cancelled" and product.sold_count == sold - 1  # the seat is free again
    assert Registration.objects.get(event=event, user=world.free).status == "going"  # the freed seat moved up
    assert ActivityLog.objects.filter(action="events.refund_cancelled").count() == 1
    assert ActivityLog.objects.filter(action="events.purchase_registered").count() == 1


def test_a_product_including_the_event_resource_registers_too(world):
    event = services.event_create(actor=world.admin, data=data("Webinar VIP", slug="webinar-vip"))
    product = world.shop.product("Paket Webinar", price=50_000)
    product_update(product=product, actor=world.admin, resource_ids=[event.resource_id])
    world.shop.buy_paid(world.free, product_item(product.slug))
    assert Registration.objects.get(event=event, user=world.free).source == "purchase"


def test_api_detail_cancel_my_events_and_recordings(world, client):
    event = services.event_create(actor=world.admin, data=data(slug="api-ev", capacity=5))
    r = call(client, "get", "/events/api-ev", user=world.free)
    body = r.json()
    assert r.status_code == 200 and body["can_register"] and body["meeting_url"] is None and body["seats_left"] == 5
    call(client, "post", "/events/api-ev/register", user=world.free)
    body = call(client, "get", "/events/api-ev", user=world.free).json()
    assert body["registration"] == "going" and body["meeting_url"] == "https://meet.google.com/abc"
    assert [e["slug"] for e in call(client, "get", "/me/events", user=world.free).json()["results"]] == ["api-ev"]
    r = call(client, "post", "/events/api-ev/cancel", user=world.free)
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert call(client, "post", "/events/api-ev/cancel", user=world.free).status_code == 400
    assert call(client, "get", "/me/events", user=world.free).json()["count"] == 0
    assert call(client, "get", "/events/nope", user=world.free).status_code == 404
    hidden = services.event_create(actor=world.admin, data=data(slug="vip-h"), group=world.hidden)
    assert call(client, "get", f"/events/{hidden.slug}", user=world.outsider).status_code == 404
    past = services.event_create(actor=world.admin, data=data(slug="lalu", days=-3))
    services.register(user=world.premium, event=event)
    Registration.objects.create(event=past, user=world.premium, status="going")
    Event.objects.filter(pk=past.pk).update(recording_url="https://rekaman.example.com/lalu")
    rec = call(client, "get", "/events/recordings", user=world.premium).json()
    assert [e["slug"] for e in rec["results"]] == ["lalu"]
    assert call(client, "get", "/events/recordings", user=world.free).json()["count"] == 0
    assert call(client, "get", "/events/lalu", user=world.premium).json()["recording_url"].endswith("/lalu")
    assert call(client, "get", "/events/lalu", user=world.free).json()["recording_url"] is None


def test_registrants_csv_for_organisers_only(world, client):
    event = services.event_create(actor=world.mentor, data=data(slug="csv-ev"), group=world.public)
    services.register(user=world.premium, event=event)
    world.premium.full_name = "=HYPERLINK(1)"
    world.premium.save(update_fields=["full_name"])
    for user in (world.free, world.premium):
        assert call(client, "get", "/events/csv-ev/registrants", user=user).status_code == 403
        client.force_login(user)
        assert client.get("/admin/event/csv-ev/peserta.csv").status_code == 404
    for user in (world.mentor, world.admin):  # the group's admin (event permission) and site admins
        r = call(client, "get", "/events/csv-ev/registrants", user=user)
        text = b"".join(r.streaming_content).decode()
        assert r.status_code == 200 and "'=HYPERLINK(1)" in text and "dinda@example.com" in text
        client.force_login(user)
        assert client.get("/admin/event/csv-ev/peserta.csv").status_code == 200
    assert ActivityLog.objects.filter(action="events.registrants_exported").count() == 4


def test_api_group_event_create(world, client):
    payload = {
        "title": "Live Tanya Jawab",
        "starts_at": (timezone.now() + timedelta(days=1)).isoformat(),
        "ends_at": (timezone.now() + timedelta(days=1, hours=1)).isoformat(),
    }
    r = call(client, "post", f"/groups/{world.public.slug}/events", payload, user=world.mentor)
    assert r.status_code == 201 and r.json()["group"] == world.public.slug
    assert Event.objects.get(title="Live Tanya Jawab").post_id
    assert call(client, "post", f"/groups/{world.public.slug}/events", payload, user=world.premium).status_code == 403
    assert call(client, "post", f"/groups/{world.hidden.slug}/events", payload, user=world.outsider).status_code == 404
    bad = {**payload, "title": "x\x00"}
    assert call(client, "post", f"/groups/{world.public.slug}/events", bad, user=world.mentor).status_code == 400


def test_a_paid_webinar_is_bought_not_rsvped(world, client):
    product, event = webinar(world)
    with pytest.raises(NotAllowed, match="beli tiketnya"):
        services.register(user=world.free, event=event)
    client.force_login(world.free)
    page = client.get(f"/event/{event.slug}").content.decode()
    assert f"/produk/{product.slug}" in page and 'id="register"' not in page
    body = call(client, "get", f"/events/{event.slug}", user=world.free).json()
    assert body["can_register"] is False and body["product"] == product.slug
    assert not Registration.objects.filter(event=event).exists()


def test_reminder_offsets_per_event(world):
    event = services.event_create(actor=world.admin, data=data(slug="pengingat", reminder_minutes="60, 1440,60"))
    assert event.reminder_minutes == [1440, 60]
    for bad in ("1, 2", "abc", "60,120,180,240,300,360", [True]):
        with pytest.raises(ServiceError):
            services.event_create(actor=world.admin, data=data(slug="x", reminder_minutes=bad))


def test_my_events_page_group_filter_and_counts(world, client):
    event = services.event_create(actor=world.mentor, data=data(slug="grup-ev"), group=world.public)
    services.event_create(actor=world.admin, data=data("Umum", slug="umum-ev"))
    hidden = services.event_create(actor=world.admin, data=data("Rahasia VIP", slug="vip-ev"), group=world.hidden)
    services.register(user=world.premium, event=event)
    client.force_login(world.premium)
    mine = client.get("/event/saya").content.decode()
    assert "Temu Eksportir" in mine and "Umum" not in mine
    only = client.get(f"/event?grup={world.public.slug}").content.decode()
    assert "Temu Eksportir" in only and "/event/umum-ev" not in only
    client.force_login(world.outsider)
    assert "Rahasia VIP" not in client.get(f"/event?grup={world.hidden.slug}").content.decode()
    assert call(client, "get", f"/events?group={world.hidden.slug}", user=world.outsider).status_code == 404
    body = call(client, "get", f"/events?group={world.public.slug}", user=world.free).json()
    assert [e["slug"] for e in body["results"]] == ["grup-ev"]
    client.force_login(world.mentor)
    page = client.get("/admin/event/grup-ev/peserta").content.decode()
    assert 'id="registration-counts"' in page
    assert "Rahasia VIP" not in page and hidden.group == world.hidden


def test_member_moderation_api(world, client):
    community.group_join(user=world.free, group=world.private)  # a request
    url = f"/groups/{world.private.slug}/members/{world.free.pk}/moderate"
    assert call(client, "post", url, {"action": "approve"}, user=world.premium).status_code in (403, 404)
    r = call(client, "post", url, {"action": "approve"}, user=world.admin)
    assert r.status_code == 200 and r.json()["status"] == "active"
    r = call(client, "post", url, {"action": "role", "role": "moderator"}, user=world.admin)
    assert r.json()["role"] == "moderator"
    r = call(client, "post", url, {"action": "mute", "hours": 2}, user=world.admin)
    assert r.json()["muted_until"]
    assert call(client, "post", url, {"action": "mute", "hours": 0}, user=world.admin).status_code == 400
    assert call(client, "post", url, {"action": "terbang"}, user=world.admin).status_code == 400
    r = call(client, "post", url, {"action": "ban", "note": "spam"}, user=world.admin)
    assert r.json()["status"] == "banned"
    assert GroupMember.objects.get(group=world.private, user=world.free).status == "banned"
    missing = f"/groups/{world.private.slug}/members/999999/moderate"
    assert call(client, "post", missing, {"action": "ban"}, user=world.admin).status_code == 404


def test_dashboard_cards(world, client):
    event = services.event_create(actor=world.admin, data=data(slug="dash-ev"))
    services.register(user=world.free, event=event)
    client.force_login(world.admin)
    assert "Event aktif" in client.get("/dashboard/").content.decode()
    client.force_login(world.free)
    page = client.get("/dashboard/").content.decode()
    assert "Event Saya" in page and "/event/dash-ev" in page
