"""REM-D4: every shortcode of the builder, filled from the trigger's context (the plan, product, course, event or
order the send is about), links absolute from the site's base URL, missing ones as a fallback or empty, and never
raw braces in a sent message. One test per trigger, and the builder's help and live preview."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from sanggar.access.tests.factories import make_order, make_plan, make_product
from sanggar.community import services as community_services
from sanggar.core.exceptions import ServiceError
from sanggar.events import services as event_services
from sanggar.events.models import Registration
from sanggar.learning.models import Enrollment
from sanggar.learning.tests.world import build_course
from sanggar.memberships.models import UserMembership
from sanggar.notifications.models import Delivery
from sanggar.notifications.rendering import absolute_url
from sanggar.orders.models import OrderItem
from sanggar.reminders import engine, services
from sanggar.reminders.models import ReminderSend

WIB = ZoneInfo("Asia/Jakarta")
ALL_CODES = " ".join(code for code, _label in engine.SHORTCODE_HELP)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 12, day, hour, 0, tzinfo=WIB)


def url(name, *args) -> str:
    return absolute_url(reverse(name, args=args))


def sequence_with_every_code(admin, trigger, **fields):
    sequence = services.sequence_save(actor=admin, name=f"Kode {trigger}", trigger=trigger, **fields)
    services.step_save(
        actor=admin,
        sequence=sequence,
        delay_amount=0,
        channels=["in_app", "email", "whatsapp"],
        subject="Halo {name}",
        body=ALL_CODES,
    )
    return sequence


@pytest.fixture
def group(admin_user):
    return community_services.group_create(actor=admin_user, data={"name": "Eksportir Pemula", "slug": "eksportir"})


def single(admin, trigger, code, *, delay=0, **fields):
    """A sequence whose step's body is one shortcode in brackets (so the sent text is exactly its value)."""
    sequence = services.sequence_save(actor=admin, name=f"{code} {trigger}", trigger=trigger, **fields)
    services.step_save(
        actor=admin, sequence=sequence, delay_amount=delay, channels=["in_app"], subject="Uji", body=f"[{code}]"
    )
    return sequence


def filled(admin, trigger, now, user, codes, **fields) -> dict:
    """Runs one sequence per code (a "before" trigger: one hour before) and returns {code: what the member got}."""
    delay = 1 if trigger in ("before_expiry", "before_event") else 0
    for code in codes:
        single(admin, trigger, code, delay=delay, **fields)
    services.reminders_send_due(now=now)
    result = {}
    for send in ReminderSend.objects.filter(user=user).select_related("step__sequence", "notification"):
        code = send.step.sequence.name.split(" ")[0]
        result[code] = send.notification.message[1:-1] if send.notification else None
    assert set(result) == set(codes)
    return result


def test_after_purchase_of_a_plan_fills_member_plan_payment_and_group(admin_user, make_user, group):
    plan = make_plan("gold", title="Gold Tahunan", resources=[group.resource])
    buyer = make_user(full_name="Budi Santoso", whatsapp="6281200000001")
    order = make_order(buyer, plan_price=plan.prices.get(duration="12m"))
    codes = ["{name}", "{email}", "{phone}", "{plan_name}", "{payment_link}", "{group_link}", "{dashboard_link}"]
    codes += ["{invoice}", "{invoice_link}", "{total}", "{product_name}", "{zoom_link}", "{whatsapp}", "{link}"]
    got = filled(
        admin_user, "after_purchase", order.paid_at + timedelta(minutes=1), buyer, codes,
        target_type="plan", target_id=plan.pk,
    )  # fmt: skip
    assert got["{name}"] == "Budi Santoso"
    assert got["{email}"] == buyer.email
    assert got["{phone}"] == got["{whatsapp}"] == "6281200000001"
    assert got["{plan_name}"] == "Gold Tahunan"
    assert got["{payment_link}"] == url("orders:checkout_plan", plan.slug)
    assert got["{group_link}"] == url("community:group", group.slug)
    assert got["{dashboard_link}"] == url("dashboard:home")
    assert got["{dashboard_link}"].startswith(("http://", "https://"))
    assert got["{invoice}"] == order.invoice_number
    assert got["{invoice_link}"] == url("orders:invoice", order.invoice_number)
    assert got["{total}"].startswith("Rp ")
    assert got["{product_name}"] == ""  # nothing to name: empty, never the braces
    assert got["{zoom_link}"] == url("events:index")  # no event: the events page
    assert got["{link}"] == url("orders:invoice", order.invoice_number)


def test_after_purchase_of_a_webinar_product_fills_product_event_meeting_and_recording(admin_user, make_user):
    product = make_product("webinar-ekspor", title="Webinar Ekspor Eropa", kind="webinar")
    group = community_services.group_create(actor=admin_user, data={"name": "Alumni Webinar", "slug": "alumni"})
    event = event_services.event_create(
        actor=admin_user,
        data={
            "title": "Webinar Buyer Eropa",
            "slug": "buyer-eropa",
            "starts_at": at(20, 19),
            "ends_at": at(20, 21),
            "meeting_url": "https://zoom.us/j/987654321",
            "recording_url": "https://contoh.id/rekaman/buyer-eropa",
        },
        product=product,
    )
    event.group, event.recording_url = group, "https://contoh.id/rekaman/buyer-eropa"
    event.save(update_fields=["group", "recording_url"])
    buyer = make_user()
    order = make_order(buyer, list_price=250_000)
    OrderItem.objects.create(
        order=order, kind="product", product=product, title=product.title, list_price=250_000, amount=250_000
    )
    codes = ["{product_name}", "{payment_link}", "{event_link}", "{event_time}", "{zoom_link}", "{recording_link}"]
    codes += ["{group_link}", "{event_name}", "{plan_name}"]
    got = filled(
        admin_user, "after_purchase", order.paid_at + timedelta(minutes=1), buyer, codes,
        target_type="product", target_id=product.pk,
    )  # fmt: skip
    assert got["{product_name}"] == "Webinar Ekspor Eropa"
    assert got["{payment_link}"] == url("orders:checkout_product", product.slug)
    assert got["{event_name}"] == "Webinar Buyer Eropa"
    assert got["{event_link}"] == url("events:detail", event.slug)
    assert got["{event_time}"] == "20 Des 2026 19:00 WIB"
    assert got["{zoom_link}"] == "https://zoom.us/j/987654321"
    assert got["{recording_link}"] == "https://contoh.id/rekaman/buyer-eropa"
    assert got["{group_link}"] == url("community:group", group.slug)
    assert got["{plan_name}"] == ""


def test_before_an_event_fills_meeting_link_and_falls_back_to_the_event_page(admin_user, make_user):
    event = event_services.event_create(
        actor=admin_user,
        data={"title": "Kelas Live HS Code", "slug": "hs-code", "starts_at": at(10, 19), "ends_at": at(10, 21)},
    )
    user = make_user()
    Registration.objects.create(event=event, user=user, status="going")
    codes = ["{event_name}", "{event_time}", "{event_link}", "{zoom_link}", "{recording_link}", "{group_link}"]
    got = filled(admin_user, "before_event", at(10, 18), user, codes, target_type="event", target_id=event.pk)
    assert got["{event_name}"] == "Kelas Live HS Code"
    assert got["{event_time}"] == "10 Des 2026 19:00 WIB"
    assert got["{event_link}"] == url("events:detail", event.slug)
    assert got["{zoom_link}"] == got["{event_link}"]  # no meeting link yet: the event page
    assert got["{recording_link}"] == got["{event_link}"]
    assert got["{group_link}"] == url("community:groups")  # no group: the groups list


def test_before_and_after_expiry_fill_renewal_payment_dates_and_group(admin_user, make_user, group):
    plan = make_plan("perak", title="Perak", resources=[group.resource])
    user = make_user()
    UserMembership.objects.create(
        user=user, plan=plan, duration="1m", status="active", starts_at=at(1), ends_at=at(10, 10)
    )
    codes = ["{plan_name}", "{expiry_date}", "{days_left}", "{payment_link}", "{renewal_link}", "{group_link}"]
    got = filled(admin_user, "before_expiry", at(10, 9), user, codes, target_type="plan", target_id=plan.pk)
    assert got["{plan_name}"] == "Perak"
    assert got["{expiry_date}"] == "10 Des 2026"
    assert got["{days_left}"] == "1"
    assert got["{payment_link}"] == got["{renewal_link}"] == url("orders:checkout_plan", plan.slug)
    assert got["{group_link}"] == url("community:group", group.slug)
    other = make_user()
    UserMembership.objects.create(
        user=other, plan=plan, duration="1m", status="expired", starts_at=at(1), ends_at=at(10, 10)
    )
    got = filled(admin_user, "after_expiry", at(10, 11), other, ["{payment_link}", "{expiry_date}"])
    assert got["{payment_link}"] == url("orders:checkout_plan", plan.slug)
    assert got["{expiry_date}"] == "10 Des 2026"


def test_inactivity_in_a_course_fills_course_and_its_group(admin_user, make_user):
    course = build_course(admin_user, modules=1, lessons=1, quiz=False)
    group = community_services.group_create(actor=admin_user, data={"name": "Kelas Grup", "slug": "kelas-grup"})
    group.course = course
    group.save(update_fields=["course"])
    user = make_user()
    Enrollment.objects.create(user=user, course=course, source="plan", created_at=at(1), last_activity_at=at(1))
    codes = ["{course_name}", "{course_link}", "{group_link}", "{payment_link}"]
    got = filled(admin_user, "inactivity", at(8, 11), user, codes, target_type="course", target_id=course.pk, days=7)
    assert got["{course_name}"] == course.title
    assert got["{course_link}"] == url("learning:course_detail", course.slug)
    assert got["{group_link}"] == url("community:group", group.slug)
    assert got["{payment_link}"] == url("dashboard:home")  # nothing to pay: the dashboard


def test_on_a_date_to_a_products_buyers_fills_the_product(admin_user, make_user):
    product = make_product("ebook-hs", title="Ebook HS Code")
    buyer = make_user()
    order = make_order(buyer, list_price=99_000)
    OrderItem.objects.create(
        order=order, kind="product", product=product, title=product.title, list_price=99_000, amount=99_000
    )
    codes = ["{product_name}", "{payment_link}", "{name}"]
    got = filled(
        admin_user, "on_date", at(15, 9), buyer, codes,
        target_type="product", target_id=product.pk, specific_at=at(15, 9),
    )  # fmt: skip
    assert got["{product_name}"] == "Ebook HS Code"
    assert got["{payment_link}"] == url("orders:checkout_product", product.slug)
    assert got["{name}"] == buyer.full_name


def test_an_unpaid_order_reminder_links_to_its_payment_page(admin_user, make_user):
    buyer = make_user()
    order = make_order(buyer, list_price=50_000, status="pending")
    got = filled(admin_user, "order_pending", order.created_at + timedelta(minutes=1), buyer, ["{payment_link}"])
    assert got["{payment_link}"] == url("orders:invoice_pay", order.invoice_number)


def test_every_code_of_a_full_message_is_filled_and_no_braces_are_sent(admin_user, make_user):
    plan = make_plan("gold", title="Gold")
    buyer = make_user(whatsapp="6281200000009")
    order = make_order(buyer, plan_price=plan.prices.get(duration="1m"))
    sequence_with_every_code(admin_user, "after_purchase", target_type="plan", target_id=plan.pk)
    assert services.reminders_send_due(now=order.paid_at + timedelta(minutes=1)) == 1
    for delivery in Delivery.objects.filter(user=buyer):
        assert "{" not in delivery.body and "{" not in delivery.subject
    notification = buyer.notifications.get()
    assert "{" not in notification.message and "Gold" in notification.message


def test_unknown_codes_are_refused_when_saving_and_never_sent():
    assert engine.render_text("Halo {nama} {name}", {"name": "Budi"}) == "Halo  Budi"
    assert engine.render_text("Halo {nama}", {}, keep_unknown=True) == "Halo {nama}"
    assert engine.unknown_shortcodes("{name} {nama} {zoom_link} {linkk}") == ["{linkk}", "{nama}"]


def test_step_save_refuses_an_unknown_code_with_a_clear_message(admin_user):
    sequence = services.sequence_save(actor=admin_user, name="Salah ketik", trigger="after_purchase")
    for fields in (
        {"subject": "Halo {nama}", "body": "x"},
        {"subject": "x", "body": "x", "content": {"whatsapp": {"text": "Link {grup_link}"}}},
    ):
        with pytest.raises(ServiceError) as error:
            services.step_save(actor=admin_user, sequence=sequence, delay_amount=0, channels=["in_app"], **fields)
        assert "tidak dikenal" in error.value.message


def test_builder_lists_every_code_with_its_meaning_and_previews_them(client, admin_user):
    sequence = services.sequence_save(actor=admin_user, name="Bantuan kode", trigger="after_purchase")
    client.force_login(admin_user)
    page = client.get(reverse("reminders:step_create", args=[sequence.pk])).content.decode()
    for code, label in engine.SHORTCODE_HELP:
        assert code in page and str(label) in page
    response = client.post(
        reverse("reminders:step_preview", args=[sequence.pk]),
        {
            "delay_amount": 0,
            "delay_unit": "hours",
            "channels": ["in_app"],
            "subject": "Halo {name}",
            "body": "{zoom_link} {recording_link} {group_link} {payment_link} {product_name} {nama}",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    for value in ("zoom.us/j/1234567890", "/event/rekaman", "/komunitas/grup/", "/checkout/gold-tahunan"):
        assert value in html
    assert "Kelas Ekspor Pemula" in html
    assert "data-preview-unknown" in html and "{nama}" in html


def test_after_an_event_sends_the_recording_link_to_registrants_once(admin_user, make_user):
    event = event_services.event_create(
        actor=admin_user,
        data={"title": "Webinar Rekaman", "slug": "rekaman", "starts_at": at(10, 19), "ends_at": at(10, 21)},
    )
    event.recording_url = "https://contoh.id/rekaman/webinar"
    event.save(update_fields=["recording_url"])
    user, cancelled = make_user(), make_user()
    Registration.objects.create(event=event, user=user, status="going")
    Registration.objects.create(event=event, user=cancelled, status="cancelled")
    got = filled(admin_user, "after_event", at(10, 21), user, ["{recording_link}", "{event_name}"])
    assert got == {"{recording_link}": "https://contoh.id/rekaman/webinar", "{event_name}": "Webinar Rekaman"}
    assert services.reminders_send_due(now=at(11, 9)) == 0  # once per event
    assert not ReminderSend.objects.filter(user=cancelled).exists()
    with pytest.raises(ServiceError):
        services.sequence_save(actor=admin_user, name="x", trigger="after_event", target_type="plan")
