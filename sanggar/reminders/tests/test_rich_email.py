"""REM-D1 rich-text email body and the PDP notice of email tracking (5.5): the step's email body is written in the
catalog's rich-text editor (a plain textarea without JavaScript), stored as nh3-sanitised HTML, filled with escaped
shortcode values when sent; the email's footer says in Indonesian that opens and clicks are measured, with links to
the notification settings, the privacy page (when set) and, for marketing, the unsubscribe page; the admin can
switch the open pixel off site-wide."""

from datetime import timedelta

import pytest
from django.urls import reverse

from sanggar.access.tests.factories import make_order, make_plan
from sanggar.audit.models import ActivityLog
from sanggar.catalog.models import PlanPrice
from sanggar.core.exceptions import ServiceError
from sanggar.notifications.channels.email import EmailChannel
from sanggar.notifications.models import Delivery
from sanggar.reminders import services, tracking
from sanggar.reminders.models import ReminderSend

HOSTILE = (
    '<h2 onclick="alert(1)">Halo {name}</h2><script>alert(1)</script><p>Perpanjang <strong>sekarang</strong> '
    '<a href="{renewal_link}">di sini</a> <a href="javascript:alert(1)">x</a></p><img src=x onerror=alert(1)>'
    "<ul><li>Satu</li></ul><blockquote>Kutipan</blockquote><u>garis</u><em>miring</em>"
)


@pytest.fixture
def sequence(admin_user):
    plan = make_plan("gold", title="Gold")
    return services.sequence_save(
        actor=admin_user, name="Rich", trigger="after_purchase", target_type="plan", target_id=plan.pk
    )


@pytest.fixture(autouse=True)
def _fresh_tracking_settings():
    tracking.tracking_settings_clear()
    yield
    tracking.tracking_settings_clear()


def rich_step(admin, sequence, html=HOSTILE, **email):
    return services.step_save(
        actor=admin,
        sequence=sequence,
        delay_amount=0,
        channels=["in_app", "email"],
        subject="Halo {name}",
        body="Isi umum",
        content={"email": {"subject": "Subjek {plan_name}", "body_html": html, **email}},
    )


def test_the_html_is_sanitised_and_its_plain_text_kept(admin_user, sequence):
    step = rich_step(admin_user, sequence)
    html = step.content["email"]["body_html"]
    for kept in (
        "<h2>Halo {name}</h2>",
        "<strong>sekarang</strong>",
        'href="{renewal_link}"',
        "<ul><li>Satu</li></ul>",
    ):
        assert kept in html
    for gone in ("<script", "onclick", "onerror", "<img", "javascript:"):
        assert gone not in html
    assert "<blockquote>" in html and "<u>garis</u>" in html and "<em>miring</em>" in html
    assert step.content["email"]["body"].splitlines()[0] == "Halo {name}"
    with pytest.raises(ServiceError, match="salah_kode"):
        rich_step(admin_user, sequence, html="<p>{salah_kode}</p>")
    with pytest.raises(ServiceError, match="terlalu panjang"):
        rich_step(admin_user, sequence, html="<p>" + "a" * 20001 + "</p>")
    with pytest.raises(ServiceError):
        rich_step(admin_user, sequence, html="<p>a\x00</p>")
    # only markup, no text: no rich body at all
    assert "body_html" not in rich_step(admin_user, sequence, html="<p><br></p>").content.get("email", {})


def _send(sequence, make_user, full_name="Budi <b>Santoso</b>"):
    buyer = make_user(full_name=full_name)
    price = PlanPrice.objects.filter(plan_id=sequence.target_id).order_by("pk").first()
    order = make_order(buyer, plan_price=price)
    assert services.reminders_send_due(now=order.paid_at + timedelta(minutes=1)) == 1
    return buyer, Delivery.objects.get(user=buyer, channel="email")


def test_the_sent_email_is_the_filled_rich_html_with_the_pdp_notice(admin_user, make_user, sequence):
    rich_step(admin_user, sequence)
    buyer, email = _send(sequence, make_user)
    assert "<h2>Halo Budi &lt;b&gt;Santoso&lt;/b&gt;</h2>" in email.body_html  # a value is escaped, never markup
    assert 'href="{renewal_link}"' not in email.body_html and "/checkout/" in email.body_html
    assert email.body.startswith("Halo Budi <b>Santoso</b>")  # the plain alternative
    message = EmailChannel().message_for(email)
    assert (
        "<h2>Halo Budi &lt;b&gt;Santoso&lt;/b&gt;</h2>" in message.html and "<strong>sekarang</strong>" in message.html
    )
    assert "<script" not in message.html
    assert "dibuka dan tautan mana yang diklik" in message.html and "UU Pelindungan Data Pribadi" in message.html
    assert reverse("accounts:profile_notifications") in message.html
    assert "Kebijakan privasi" not in message.html and "Berhenti berlangganan" not in message.html
    send = ReminderSend.objects.get(user=buyer)
    assert tracking.open_url(send.pk) in message.html  # the open pixel


def test_pixel_off_site_wide_and_privacy_link(admin_user, make_user, sequence, client):
    rich_step(admin_user, sequence)
    client.force_login(admin_user)
    url = reverse("reminders:tracking_settings")
    assert url == "/admin/pengingat/pelacakan"
    page = client.get(url).content.decode()
    assert 'name="open_pixel"' in page and 'name="privacy_url"' in page
    bad = client.post(url, {"privacy_url": "javascript:alert(1)"}).content.decode()
    assert "harus diawali / atau https://" in bad
    response = client.post(url, {"privacy_url": "/halaman/kebijakan-privasi"})  # open_pixel unticked
    assert response.status_code == 302
    assert ActivityLog.objects.filter(action="reminders.tracking_settings_saved").exists()
    buyer, email = _send(sequence, make_user, full_name="Sari")
    message = EmailChannel().message_for(email)
    send = ReminderSend.objects.get(user=buyer)
    assert tracking.open_url(send.pk) not in message.html and "/r/o/" not in message.html
    assert "dibuka" not in message.html.split("UU Pelindungan")[0].rsplit("<p", 1)[-1]
    assert "tautan mana di email ini yang diklik" in message.html
    assert "/halaman/kebijakan-privasi" in message.html and "Kebijakan privasi" in message.html


def test_marketing_email_footer_links_the_unsubscribe_page(admin_user, make_user, sequence):
    services.sequence_save(
        actor=admin_user,
        sequence=sequence,
        name=sequence.name,
        trigger=sequence.trigger,
        target_type="plan",
        target_id=sequence.target_id,
        kind="marketing",
    )
    rich_step(admin_user, sequence)
    _buyer, email = _send(sequence, make_user, full_name="Rina")
    message = EmailChannel().message_for(email)
    assert "Berhenti berlangganan" in message.html and "/berhenti-langganan/" in message.html


def test_other_emails_get_no_tracking_notice(make_user):
    from sanggar.notifications.services import notify_text

    user = make_user()
    notify_text(user=user, kind="system", title="Biasa", message="Tanpa pelacakan", channels=["email"])
    message = EmailChannel().message_for(Delivery.objects.get(user=user, channel="email"))
    assert "UU Pelindungan Data Pribadi" not in message.html


def test_builder_form_rich_with_js_and_plain_without(client, admin_user, sequence):
    client.force_login(admin_user)
    create = reverse("reminders:step_create", args=[sequence.pk])
    page = client.get(create).content.decode()
    assert "data-rich-body" in page and "data-richtext-editor" in page and 'name="email_rich"' in page
    assert "catalog/catalog-admin.js" in page and "data-shortcode-buttons" in page and 'data-shortcode="{name}"' in page
    base = {"delay_amount": 0, "delay_unit": "hours", "channels": ["email"], "subject": "Halo", "body": "Isi"}
    # the editor ran: its HTML is the body (sanitised)
    rich = {
        **base,
        "email_rich": "1",
        "email_body": "Halo",
        "email_body_html": "<p><b>Halo</b> {name}</p><script>x</script>",
    }
    preview = client.post(reverse("reminders:step_preview", args=[sequence.pk]), rich).content.decode()
    assert "data-preview-email-html" in preview and "<b>Halo</b>" in preview and "<script>x" not in preview
    assert client.post(create, rich).status_code == 302
    step = sequence.steps.get()
    assert step.content["email"]["body_html"] == "<p><b>Halo</b> {name}</p>"
    edit = client.get(reverse("reminders:step_edit", args=[sequence.pk, step.pk])).content.decode()
    assert "&lt;p&gt;&lt;b&gt;Halo&lt;/b&gt; {name}&lt;/p&gt;" in edit  # the editor's textarea, escaped
    # no JavaScript: the stale HTML posted by the hidden editor is ignored, the textarea wins
    plain = {**base, "email_body": "Teks biasa saja", "email_body_html": "<p>lama</p>"}
    assert client.post(reverse("reminders:step_edit", args=[sequence.pk, step.pk]), plain).status_code == 302
    step.refresh_from_db()
    assert step.content["email"] == {"body": "Teks biasa saja"}
