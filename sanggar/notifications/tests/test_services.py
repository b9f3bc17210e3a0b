from datetime import timedelta
from unittest import mock

import httpx
import pytest
import respx
from django.core import mail
from django.utils import timezone

from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.notifications import notifications as groups
from sanggar.notifications import services
from sanggar.notifications.constants import Channel, DeliveryStatus
from sanggar.notifications.models import Delivery, MessageTemplate, Notification
from sanggar.notifications.registry import kinds

pytestmark = pytest.mark.django_db

FONNTE_OK = {
    "detail": "success! message in queue",
    "id": ["80367170"],
    "process": "pending",
    "requestid": 2937124,
    "status": True,
    "target": ["6282227097005"],
}


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Runs the after-commit work (Celery tasks run eagerly in tests) like a real commit would."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


@pytest.fixture
def no_providers(settings):
    settings.MAILKETING_API_TOKEN = ""
    settings.STARSENDER_API_KEY = ""
    settings.FONNTE_TOKEN = ""
    settings.WHATSAPP_PROVIDER = ""
    settings.ONESIGNAL_APP_ID = ""
    settings.ONESIGNAL_API_KEY = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


# --- notify and preferences -------------------------------------------------------------------------------


def test_notify_creates_the_in_app_notification_and_one_delivery_per_enabled_channel(
    make_user, run_on_commit, no_providers
):
    user = make_user(full_name="Rina Lestari", email="rina@contoh.test", whatsapp="+6281234567890")
    notification = run_on_commit(
        services.notify_text,
        user=user,
        kind=groups.TRANSACTION,
        title="Pembayaran diterima",
        message="Order INV-1 sudah lunas.",
        link="/dashboard/",
    )
    assert Notification.objects.get() == notification
    assert (notification.title, notification.message, notification.link, notification.read_at) == (
        "Pembayaran diterima",
        "Order INV-1 sudah lunas.",
        "/dashboard/",
        None,
    )
    deliveries = {d.channel: d for d in Delivery.objects.all()}
    assert set(deliveries) == {Channel.EMAIL, Channel.WHATSAPP, Channel.PUSH}
    assert deliveries[Channel.EMAIL].recipient == "rina@contoh.test"
    assert deliveries[Channel.WHATSAPP].recipient == "+6281234567890"
    assert deliveries[Channel.PUSH].recipient == str(user.pk)
    assert deliveries[Channel.WHATSAPP].body == (
        "*Pembayaran diterima*\n\nOrder INV-1 sudah lunas.\n\nhttp://127.0.0.1:8000/dashboard/"
    )
    for delivery in deliveries.values():
        assert delivery.notification == notification
        assert delivery.link == "http://127.0.0.1:8000/dashboard/"
        assert delivery.status == DeliveryStatus.LOGGED
        assert delivery.attempts == 1
        assert delivery.sent_at is not None
    assert deliveries[Channel.WHATSAPP].provider == "log"
    assert deliveries[Channel.PUSH].provider == "log"
    assert deliveries[Channel.EMAIL].provider == "locmem"
    assert [m.to for m in mail.outbox] == [["rina@contoh.test"]]
    assert mail.outbox[0].subject == "Pembayaran diterima"


def test_preferences_decide_the_channels(make_user, run_on_commit, no_providers):
    user = make_user(notification_prefs={"course": {"email": False, "whatsapp": True, "push": False}})
    run_on_commit(services.notify_text, user=user, kind=groups.COURSE, title="Modul baru")
    assert list(Delivery.objects.values_list("channel", flat=True)) == [Channel.WHATSAPP]
    assert Notification.objects.filter(user=user).count() == 1


def test_default_preferences_send_whatsapp_only_for_money_and_account(make_user, run_on_commit, no_providers):
    user = make_user()
    run_on_commit(services.notify_text, user=user, kind=groups.GROUP, title="Postingan baru")
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == [Channel.EMAIL, Channel.PUSH]


def test_channels_argument_limits_the_channels_and_empty_means_in_app_only(make_user, run_on_commit, no_providers):
    user = make_user()
    run_on_commit(services.notify_text, user=user, kind=groups.SYSTEM, title="A", channels=(Channel.PUSH,))
    assert list(Delivery.objects.values_list("channel", flat=True)) == [Channel.PUSH]
    run_on_commit(services.notify_text, user=user, kind=groups.SYSTEM, title="B", channels=())
    assert Delivery.objects.count() == 1
    assert Notification.objects.count() == 2


def test_missing_whatsapp_number_is_skipped_not_sent(make_user, run_on_commit, no_providers):
    user = make_user(whatsapp="")
    run_on_commit(services.notify_text, user=user, kind=groups.SYSTEM, title="Info", channels=(Channel.WHATSAPP,))
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SKIPPED
    assert delivery.attempts == 0
    assert delivery.last_error == "Pengguna belum mengisi nomor WhatsApp."


def test_unknown_kind_or_channel_is_a_programming_error(make_user):
    user = make_user()
    with pytest.raises(ValueError):
        services.notify_text(user=user, kind="nope", title="x")
    with pytest.raises(ValueError):
        services.notify_text(user=user, kind=groups.SYSTEM, title="x", channels=("sms",))


def test_nothing_is_sent_before_commit(make_user, django_capture_on_commit_callbacks, no_providers):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify_text(user=user, kind=groups.SYSTEM, title="Info")
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.QUEUED}
    assert mail.outbox == []
    # after commit: one callback that queues a task per queued delivery (email, WhatsApp, push), one realtime event
    assert len(callbacks) == 2
    with mock.patch("sanggar.notifications.services._enqueue") as enqueue:
        callbacks[0]()
    assert sorted(c.args[0] for c in enqueue.call_args_list) == sorted(Delivery.objects.values_list("pk", flat=True))


def test_notify_publishes_a_realtime_event_after_commit(make_user, run_on_commit):
    user = make_user()
    with mock.patch("sanggar.notifications.services.realtime.publish_new_many") as publish:
        notification = run_on_commit(services.notify_text, user=user, kind=groups.SYSTEM, title="Halo", channels=())
    publish.assert_called_once_with([(notification, 1)])


def test_a_realtime_outage_does_not_lose_the_notification(make_user, run_on_commit):
    user = make_user()
    with mock.patch("sanggar.notifications.realtime.get_channel_layer", side_effect=RuntimeError("redis down")):
        run_on_commit(services.notify_text, user=user, kind=groups.SYSTEM, title="Halo", channels=())
    assert Notification.objects.filter(user=user, title="Halo").count() == 1


def test_sent_when_smtp_is_the_backend(make_user, run_on_commit, no_providers):
    no_providers.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    user = make_user()
    with (
        mock.patch("django.core.mail.backends.smtp.EmailBackend.open", return_value=True),
        mock.patch("django.core.mail.backends.smtp.EmailBackend.send_messages", return_value=1) as send,
    ):
        run_on_commit(services.notify_text, user=user, kind=groups.SYSTEM, title="Info", channels=("email",))
    delivery = Delivery.objects.get()
    assert send.call_count == 1
    assert (delivery.status, delivery.provider) == (DeliveryStatus.SENT, "smtp")
    assert delivery.provider_message_id.startswith("<") and delivery.provider_message_id.endswith("@sanggar>")


def test_smtp_failure_is_retried_then_failed(make_user, run_on_commit, no_providers):
    no_providers.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    no_providers.NOTIFICATION_DELIVERY_MAX_ATTEMPTS = 3
    user = make_user()
    with (
        mock.patch("django.core.mail.backends.smtp.EmailBackend.open", return_value=True),
        mock.patch(
            "django.core.mail.backends.smtp.EmailBackend.send_messages", side_effect=ConnectionRefusedError("refused")
        ) as send,
    ):
        run_on_commit(services.notify_text, user=user, kind=groups.SYSTEM, title="Info", channels=("email",))
    delivery = Delivery.objects.get()
    assert send.call_count == 3
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert delivery.last_error == "ConnectionRefusedError: refused"
    assert delivery.next_attempt_at is None
    assert delivery.sent_at is None


# --- delivery_send -------------------------------------------------------------------------------------------


def _queued(user, channel=Channel.WHATSAPP, **fields):
    values = {
        "user": user,
        "channel": channel,
        "recipient": "+6282227097005",
        "subject": "Halo",
        "body": "Isi pesan",
        "status": DeliveryStatus.QUEUED,
    }
    values.update(fields)
    return Delivery.objects.create(**values)


def test_delivery_send_is_idempotent(make_user, settings):
    settings.FONNTE_TOKEN = "tok-fonnte"
    settings.STARSENDER_API_KEY = ""
    settings.WHATSAPP_PROVIDER = "fonnte"
    delivery = _queued(make_user())
    with respx.mock(assert_all_called=True) as router:
        route = router.post("https://api.fonnte.com/send").mock(return_value=httpx.Response(200, json=FONNTE_OK))
        first = services.delivery_send(delivery_id=delivery.pk)
        second = services.delivery_send(delivery_id=delivery.pk)
    assert route.call_count == 1
    assert first.status == second.status == DeliveryStatus.SENT
    assert second.attempts == 1
    assert second.provider == "fonnte"
    assert second.provider_message_id == "80367170"
    assert second.response == FONNTE_OK


def test_a_failure_leaves_the_delivery_queued_with_a_backoff(make_user, settings):
    settings.FONNTE_TOKEN = "tok-fonnte"
    settings.WHATSAPP_PROVIDER = "fonnte"
    settings.NOTIFICATION_DELIVERY_MAX_ATTEMPTS = 5
    delivery = _queued(make_user())
    before = timezone.now()
    with respx.mock() as router:
        router.post("https://api.fonnte.com/send").mock(
            return_value=httpx.Response(200, json={"status": False, "reason": "insufficient quota"})
        )
        services.delivery_send(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.QUEUED, 1)
        assert delivery.last_error == "Fonnte menolak: insufficient quota"
        assert before + timedelta(seconds=30) <= delivery.next_attempt_at <= timezone.now() + timedelta(seconds=30)
        services.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at >= before + timedelta(seconds=60)


def test_retry_delay_doubles_and_is_capped():
    assert [services.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert services.retry_delay(20).total_seconds() == 3600


def test_provider_failures_are_retried_by_the_task_until_failed(make_user, run_on_commit, settings):
    settings.FONNTE_TOKEN = "tok-fonnte"
    settings.WHATSAPP_PROVIDER = "fonnte"
    settings.NOTIFICATION_DELIVERY_MAX_ATTEMPTS = 4
    user = make_user(whatsapp="+6282227097005")
    with respx.mock() as router:
        route = router.post("https://api.fonnte.com/send").mock(
            return_value=httpx.Response(200, json={"status": False, "reason": "token invalid"})
        )
        run_on_commit(services.notify_text, user=user, kind=groups.SYSTEM, title="Info", channels=(Channel.WHATSAPP,))
    delivery = Delivery.objects.get()
    assert route.call_count == 4
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 4)
    assert delivery.last_error == "Fonnte menolak: token invalid"
    assert delivery.response == {"status": False, "reason": "token invalid"}


def test_a_failure_then_a_success_is_sent(make_user, run_on_commit, settings):
    settings.FONNTE_TOKEN = "tok-fonnte"
    settings.WHATSAPP_PROVIDER = "fonnte"
    user = make_user(whatsapp="+6282227097005")
    with respx.mock() as router:
        router.post("https://api.fonnte.com/send").mock(
            side_effect=[httpx.Response(502, text="Bad Gateway"), httpx.Response(200, json=FONNTE_OK)]
        )
        run_on_commit(services.notify_text, user=user, kind=groups.SYSTEM, title="Info", channels=(Channel.WHATSAPP,))
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")


def test_an_unexpected_error_is_recorded_as_a_failed_attempt(make_user, settings):
    settings.NOTIFICATION_DELIVERY_MAX_ATTEMPTS = 1
    delivery = _queued(make_user(), channel=Channel.PUSH, recipient="7")
    with mock.patch("sanggar.notifications.channels.push.PushChannel.send", side_effect=KeyError("boom")):
        services.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.FAILED, 1, "KeyError: 'boom'")


def test_delivery_send_of_a_missing_delivery_is_not_found():
    with pytest.raises(NotFound):
        services.delivery_send(delivery_id=999999)


def test_delivery_send_leaves_final_states_alone(make_user, no_providers):
    user = make_user()
    for status in (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED, DeliveryStatus.LOGGED):
        delivery = _queued(user, status=status, attempts=2)
        result = services.delivery_send(delivery_id=delivery.pk)
        assert (result.status, result.attempts) == (status, 2)


def test_delivery_retry_requeues_a_failed_delivery(make_user, run_on_commit, no_providers):
    delivery = _queued(make_user(), status=DeliveryStatus.FAILED, attempts=5, last_error="token invalid")
    run_on_commit(services.delivery_retry, delivery=delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.LOGGED, 1, "")


def test_delivery_retry_refuses_other_states(make_user):
    delivery = _queued(make_user(), status=DeliveryStatus.SENT, attempts=1)
    with pytest.raises(ServiceError):
        services.delivery_retry(delivery=delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)


def test_sweep_requeues_only_overdue_deliveries(make_user, no_providers):
    user = make_user()
    now = timezone.now()
    overdue_retry = _queued(user, next_attempt_at=now - timedelta(minutes=10))
    waiting_retry = _queued(user, next_attempt_at=now + timedelta(minutes=1))
    lost = _queued(user)
    Delivery.objects.filter(pk=lost.pk).update(created_at=now - timedelta(minutes=10))
    fresh = _queued(user)
    done = _queued(user, status=DeliveryStatus.SENT)
    Delivery.objects.filter(pk=done.pk).update(created_at=now - timedelta(hours=1))
    assert services.deliveries_sweep(now=now) == 2
    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert statuses[overdue_retry.pk] == statuses[lost.pk] == DeliveryStatus.LOGGED
    assert statuses[waiting_retry.pk] == statuses[fresh.pk] == DeliveryStatus.QUEUED
    assert statuses[done.pk] == DeliveryStatus.SENT


# --- templates -------------------------------------------------------------------------------------------------


def test_default_templates_exist_in_indonesian():
    templates = {t.key: t for t in MessageTemplate.objects.all()}
    assert set(templates) == {kind.key for kind in kinds()}  # one row per registered kind, synced after migrate
    assert {"welcome", "email_verification", "password_reset", "account_deactivated"} <= set(templates)
    assert templates["welcome"].email_subject == "Selamat datang di {platform_name}, {name}!"
    assert "{verification_link}" in templates["email_verification"].email_body
    assert "{reset_link}" in templates["password_reset"].email_body
    assert "{reason}" in templates["account_deactivated"].email_body


def test_notify_from_template_renders_the_users_shortcodes(make_user, run_on_commit, no_providers):
    user = make_user(full_name="Budi Santoso", email="budi@contoh.test", whatsapp="+6281100000001")
    notification = run_on_commit(
        services.notify_from_template,
        user=user,
        key="welcome",
        kind=groups.SYSTEM,
        link="/dashboard/",
    )
    assert notification.title == "Selamat datang di Sanggar, Budi Santoso!"
    assert notification.message.startswith("Halo Budi Santoso, selamat datang di Sanggar!")
    assert notification.data == {"template": "welcome"}
    email = Delivery.objects.get(channel=Channel.EMAIL)
    assert email.template_key == "welcome"
    assert email.subject == "Selamat datang di Sanggar, Budi Santoso!"
    assert "Akun Anda dengan email budi@contoh.test sudah aktif." in email.body
    assert "http://127.0.0.1:8000/dashboard/" in email.body
    whatsapp = Delivery.objects.get(channel=Channel.WHATSAPP)
    assert whatsapp.body.startswith("Halo Budi Santoso, selamat datang di *Sanggar*!")
    assert whatsapp.body.endswith("Buka dashboard Anda di sini:\nhttp://127.0.0.1:8000/dashboard/")
    message = mail.outbox[0]
    assert message.subject == "Selamat datang di Sanggar, Budi Santoso!"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Halo Budi Santoso," in html


def test_a_template_without_whatsapp_text_is_not_sent_on_whatsapp(make_user, run_on_commit, no_providers):
    user = make_user()
    run_on_commit(
        services.notify_from_template,
        user=user,
        key="password_reset",
        kind=groups.SYSTEM,
        channels=(Channel.EMAIL, Channel.WHATSAPP),
    )
    assert list(Delivery.objects.values_list("channel", flat=True)) == [Channel.EMAIL]


def test_an_inactive_template_only_shows_in_the_app(make_user, run_on_commit, no_providers):
    MessageTemplate.objects.filter(key="welcome").update(is_active=False)
    user = make_user()
    notification = run_on_commit(services.notify_from_template, user=user, key="welcome", kind=groups.SYSTEM)
    assert notification.title.startswith("Selamat datang di Sanggar")
    assert Delivery.objects.count() == 0


def test_unknown_shortcodes_stay_as_typed_and_known_empty_ones_vanish(make_user, run_on_commit, no_providers):
    MessageTemplate.objects.filter(key="welcome").update(
        email_subject="Hai {name} {plan_name}", email_body="Kode {kupon}, link: [{link}], {NAME} { name }"
    )
    user = make_user(full_name="Sari")
    run_on_commit(
        services.notify_from_template,
        user=user,
        key="welcome",
        kind=groups.SYSTEM,
        channels=(Channel.EMAIL,),
    )
    delivery = Delivery.objects.get()
    assert delivery.subject == "Hai Sari {plan_name}"
    assert delivery.body == "Kode {kupon}, link: [], {NAME} { name }"


def test_context_fills_and_overrides_shortcodes(make_user):
    template = MessageTemplate.objects.get(key="account_deactivated")
    user = make_user(full_name="Sari")
    rendered = services.message_template_render(
        template=template, user=user, context={"reason": "Melanggar aturan", "name": "Bu Sari"}
    )
    assert rendered.subject == "Akun Sanggar Anda dinonaktifkan"
    assert "Halo Bu Sari," in rendered.email_text
    assert "Alasan: Melanggar aturan" in rendered.email_text


def test_values_are_escaped_in_the_html_email(make_user, run_on_commit, no_providers):
    user = make_user(full_name='<script>alert("x")</script> & Co')
    run_on_commit(
        services.notify_from_template,
        user=user,
        key="welcome",
        kind=groups.SYSTEM,
        channels=(Channel.EMAIL,),
    )
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "<script>" not in html
    assert "Halo &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co," in html
    # the plain text keeps the name as it is
    assert 'Halo <script>alert("x")</script> & Co,' in message.body
    # links in the body become clickable
    assert '<a href="http://127.0.0.1:8000/dashboard/" rel="nofollow">http://127.0.0.1:8000/dashboard/</a>' in html


def test_the_html_email_carries_the_brand_colour_and_name(make_user, run_on_commit, no_providers):
    from sanggar.branding.selectors import branding_get

    brand = branding_get()
    user = make_user()
    run_on_commit(services.notify_text, user=user, kind=groups.SYSTEM, title="Info", link="/profil/",
                  channels=(Channel.EMAIL,))  # fmt: skip
    html = mail.outbox[0].alternatives[0][0]
    assert f"background:{brand.primary_color}" in html
    assert f"Email ini dikirim oleh {brand.platform_name}." in html
    assert 'href="http://127.0.0.1:8000/profil/"' in html


def test_email_send_template_ignores_preferences(make_user, run_on_commit, no_providers):
    user = make_user(full_name="Dewi", notification_prefs={"system": {"email": False}})
    delivery = run_on_commit(
        services.email_send_template,
        to_email="dewi@contoh.test",
        key="email_verification",
        user=user,
        context={"verification_link": "http://127.0.0.1:8000/accounts/confirm-email/abc/"},
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.LOGGED
    assert delivery.notification is None
    assert delivery.subject == "Konfirmasi alamat email Anda di Sanggar"
    assert "http://127.0.0.1:8000/accounts/confirm-email/abc/" in delivery.body
    assert "Halo Dewi," in delivery.body
    assert mail.outbox[0].to == ["dewi@contoh.test"]
    assert Notification.objects.count() == 0


def test_email_send_template_works_without_a_user_and_without_the_row(run_on_commit, no_providers):
    MessageTemplate.objects.filter(key="password_reset").delete()
    delivery = run_on_commit(
        services.email_send_template,
        to_email="tamu@contoh.test",
        key="password_reset",
        context={"reset_link": "http://127.0.0.1:8000/accounts/password/reset/key/x/", "name": "tamu@contoh.test"},
    )
    delivery.refresh_from_db()
    assert delivery.user is None
    assert delivery.status == DeliveryStatus.LOGGED
    assert "Halo tamu@contoh.test," in delivery.body
    assert "http://127.0.0.1:8000/accounts/password/reset/key/x/" in delivery.body


def test_allauth_password_reset_goes_through_the_template(client, make_user, run_on_commit, no_providers):
    user = make_user(email="lupa@contoh.test", full_name="Lupa Sandi")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = run_on_commit(client.post, "/accounts/password/reset/", {"email": "lupa@contoh.test"})
    assert response.status_code == 302
    delivery = Delivery.objects.get(template_key="password_reset")
    assert delivery.recipient == "lupa@contoh.test"
    assert delivery.subject == "Reset kata sandi akun Sanggar"
    assert "Halo Lupa Sandi," in delivery.body
    assert "http://testserver/accounts/password/reset/key/" in delivery.body
    assert delivery.status == DeliveryStatus.LOGGED
    assert [m.subject for m in mail.outbox] == ["Reset kata sandi akun Sanggar"]


def test_message_template_update_saves_and_writes_an_activity_row(admin_user):
    template = MessageTemplate.objects.get(key="welcome")
    updated = services.message_template_update(
        template=template,
        actor=admin_user,
        name="Sambutan",
        email_subject="Halo {name}",
        email_body="Selamat datang, {name}.\r\nSalam.",
        whatsapp_body="",
        is_active=True,
    )
    updated.refresh_from_db()
    assert (updated.name, updated.email_subject, updated.email_body, updated.whatsapp_body) == (
        "Sambutan",
        "Halo {name}",
        "Selamat datang, {name}.\nSalam.",
        "",
    )
    assert updated.updated_by == admin_user
    log = ActivityLog.objects.get(action=Action.TEMPLATE_CHANGED)
    assert log.actor == admin_user
    assert log.data == {"key": "welcome", "fields": ["email_body", "email_subject", "name", "whatsapp_body"]}


def test_message_template_update_without_changes_writes_nothing(admin_user):
    template = MessageTemplate.objects.get(key="welcome")
    services.message_template_update(template=template, actor=admin_user, name=template.name)
    assert not ActivityLog.objects.filter(action=Action.TEMPLATE_CHANGED).exists()
    template.refresh_from_db()
    assert template.updated_by is None


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"email_subject": ""}, "email_subject"),
        ({"email_subject": "Baris\nkedua"}, "email_subject"),
        ({"email_body": "  "}, "email_body"),
        ({"whatsapp_body": "x" * 1025}, "whatsapp_body"),
        ({"name": ""}, "name"),
    ],
)
def test_message_template_update_validates(admin_user, fields, error_field):
    template = MessageTemplate.objects.get(key="welcome")
    before = (template.email_subject, template.email_body, template.whatsapp_body, template.name)
    with pytest.raises(ServiceError) as exc:
        services.message_template_update(template=template, actor=admin_user, **fields)
    assert list(exc.value.errors) == [error_field]
    template.refresh_from_db()
    assert (template.email_subject, template.email_body, template.whatsapp_body, template.name) == before
    assert not ActivityLog.objects.filter(action=Action.TEMPLATE_CHANGED).exists()


def test_account_templates_cannot_be_switched_off(admin_user):
    template = MessageTemplate.objects.get(key="email_verification")
    with pytest.raises(ServiceError) as exc:
        services.message_template_update(template=template, actor=admin_user, is_active=False)
    assert list(exc.value.errors) == ["is_active"]
    template.refresh_from_db()
    assert template.is_active is True


def test_message_template_update_recreates_a_deleted_row(admin_user):
    MessageTemplate.objects.filter(key="welcome").delete()
    from sanggar.notifications.selectors import message_template_get

    template = message_template_get(key="welcome")
    assert template.pk is None
    services.message_template_update(template=template, actor=admin_user, email_subject="Baru")
    assert MessageTemplate.objects.get(key="welcome").email_subject == "Baru"


# --- reading -------------------------------------------------------------------------------------------------


def test_mark_read_marks_only_the_users_own(make_user, run_on_commit):
    owner, other = make_user(), make_user()
    notification = services.notify_text(user=owner, kind=groups.SYSTEM, title="Info", channels=())
    with pytest.raises(NotFound):
        services.notification_mark_read(user=other, notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.read_at is None
    with mock.patch("sanggar.notifications.services.realtime.publish_unread") as publish:
        result = run_on_commit(services.notification_mark_read, user=owner, notification_id=notification.pk)
    assert result.read_at is not None
    publish.assert_called_once_with(user_id=owner.pk, unread=0)
    first_read = result.read_at
    again = services.notification_mark_read(user=owner, notification_id=notification.pk)
    again.refresh_from_db()
    assert again.read_at == first_read


def test_mark_read_with_a_bad_id_is_not_found(make_user):
    with pytest.raises(NotFound):
        services.notification_mark_read(user=make_user(), notification_id="abc")


def test_mark_all_read_counts_and_touches_only_the_user(make_user):
    user, other = make_user(), make_user()
    for i in range(3):
        services.notify_text(user=user, kind=groups.SYSTEM, title=f"N{i}", channels=())
    services.notify_text(user=other, kind=groups.SYSTEM, title="Lain", channels=())
    services.notification_mark_read(user=user, notification_id=Notification.objects.filter(user=user).first().pk)
    assert services.notification_mark_all_read(user=user) == 2
    assert services.notification_mark_all_read(user=user) == 0
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 1


def test_realtime_events_of_many_notifications_go_out_together_and_one_failure_spares_the_others(make_user):
    from sanggar.notifications import realtime

    first, second = make_user(), make_user()
    notifications = [
        Notification.objects.create(user=user, kind=groups.SYSTEM, title=f"Halo {n}")
        for n, user in enumerate((first, second))
    ]
    sent = []

    class Layer:
        async def group_send(self, group, event):
            if group == realtime.user_group(first.pk):
                raise RuntimeError("redis down")
            sent.append((group, event["unread"], event["notification"]["title"]))

    with mock.patch("sanggar.notifications.realtime.get_channel_layer", return_value=Layer()):
        realtime.publish_new_many([(notifications[0], 3), (notifications[1], 1)])
    assert sent == [(realtime.user_group(second.pk), 1, "Halo 1")]
