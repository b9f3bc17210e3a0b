"""REM-D1 rich-text email body and the PDP notice of email tracking (5.5): the step's email body is written in the
catalog's rich-text editor (a plain textarea without JavaScript), stored as nh3-sanitised HTML, filled with escaped
shortcode values when sent; the email's footer says in Indonesian that opens and clicks are measured, with links to
the notification settings, the privacy page (when set) and, for marketing, the unsubscribe page; the admin can
switch the open pixel off site-wide."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.urls import reverse

from sanggar.access.tests.factories import make_order, make_plan
from sanggar.audit.models import ActivityLog
from sanggar.catalog.models import PlanPrice
from sanggar.core.exceptions import ServiceError
from sanggar.notifications.channels.email import EmailChannel
from sanggar.notifications.models import Delivery
from sanggar.reminders import analytics, services, tracking
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
    assert 'href="{renewal_link}"' not in email.body_html and "/r/k/" in email.body_html  # tracked (see below)
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


# --- every link of the body through the signed click redirect (issue 14: clicked per reminder) ---------------------

LINKS = (
    '<p><a href="https://contoh.id/materi?a=1&amp;b=2">Materi</a> <a href="mailto:cs@contoh.id">Email</a> '
    '<a href="tel:+62811000">Telepon</a> <a href="{renewal_link}">Perpanjang</a></p>'
)


def _tracked(html_text: str) -> list[str]:
    """The paths of the signed click redirects in an email's HTML, in order."""
    return [urlsplit(unescape(h)).path for h in re.findall(r'href="([^"]*/r/k/[^"]*)"', html_text)]


def test_body_links_go_through_the_signed_redirect_and_the_first_click_counts(admin_user, make_user, sequence, client):
    rich_step(admin_user, sequence, html=LINKS)
    buyer, email = _send(sequence, make_user)
    send = ReminderSend.objects.get(user=buyer)
    assert "https://contoh.id/materi" not in email.body_html and "/checkout/" not in email.body_html
    assert 'href="mailto:cs@contoh.id"' in email.body_html  # (tel: is dropped by the sanitiser itself)
    materi, renewal = _tracked(email.body_html)
    # the footer's own links and the pixel stay as they are
    message = EmailChannel().message_for(email)
    assert tracking.open_url(send.pk) in message.html
    assert f'href="{tracking.absolute_url(reverse("accounts:profile_notifications"))}"' in message.html
    first = client.get(materi + "?next=https://jahat.example")
    assert first.status_code == 302 and first["Location"] == "https://contoh.id/materi?a=1&b=2"
    send.refresh_from_db()
    clicked_at = send.clicked_at
    assert clicked_at is not None and send.clicked_channel == "email" and send.opened_at is not None
    # every click redirects; only the first one is recorded
    assert client.get(materi)["Location"] == "https://contoh.id/materi?a=1&b=2"
    assert "/checkout/" in client.get(renewal)["Location"]
    send.refresh_from_db()
    assert send.clicked_at == clicked_at
    assert analytics.sequence_analytics(sequence=sequence)["totals"]["clicked"] == 1


def test_a_tampered_or_hostile_click_token_is_refused(admin_user, make_user, sequence, client):
    rich_step(admin_user, sequence, html=LINKS)
    buyer, email = _send(sequence, make_user)
    send = ReminderSend.objects.get(user=buyer)
    materi = _tracked(email.body_html)[0]
    token = materi.rsplit("/", 1)[1]
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(f"/r/k/{forged}")
    assert response.status_code == 404 and "Tautan tidak valid" in response.content.decode()
    # the link swapped inside a token signed with another key or salt: refused, no open redirect
    other = signing.dumps(["s", send.pk, "email", "https://jahat.example"], salt="lain", compress=True)
    assert client.get(f"/r/k/{other}").status_code == 404
    # a validly signed token whose link is not http(s) is refused too
    for bad in ("javascript:alert(1)", "//jahat.example", "data:text/html,x", "https://a\\b"):
        value = signing.dumps(["s", send.pk, "email", bad], salt=tracking.SALT_CLICK, compress=True)
        assert client.get(f"/r/k/{value}").status_code == 404
    huge = client.get("/r/k/" + "a" * 5000)
    assert huge.status_code == 400 and "Tautan tidak valid" in huge.content.decode()
    assert client.get("/r/k/ab%00cd").status_code in (400, 404)
    assert client.get("/r/k/" + "x" * 300 + ":" * 50).status_code == 404
    send.refresh_from_db()
    assert send.clicked_at is None  # nothing above counted


def test_previews_and_links_of_our_own_stay_untracked(admin_user, sequence):
    step = rich_step(admin_user, sequence, html=LINKS)
    assert "https://contoh.id/materi" in services.step_preview(step)["email"]["body_html"]
    unsub = tracking.absolute_url(reverse("notifications:unsubscribe", args=["abc"]))
    long = "https://x.id/" + "a" * 2100
    html = f'<p><a href="{unsub}">B</a> <a href="/kursus/a">K</a> <a href="{long}">L</a> <a href="tel:+62">T</a></p>'
    assert tracking.tracked_html(html, 1) == html
    assert tracking.tracked_text(f"Berhenti: {unsub}", 1) == f"Berhenti: {unsub}"
