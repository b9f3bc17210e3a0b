import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.core.roles import ALL_ROLES, Role
from sanggar.notifications import notifications as groups
from sanggar.notifications import services
from sanggar.notifications.constants import TEMPLATES_PER_PAGE, Channel, DeliveryStatus
from sanggar.notifications.models import Delivery, MessageTemplate, Notification
from sanggar.notifications.registry import kinds

pytestmark = pytest.mark.django_db


def _notify(user, title="Info", kind=groups.SYSTEM, **kwargs):
    return services.notify_text(user=user, kind=kind, title=title, channels=(), **kwargs)


def _delivery(**fields):
    values = {
        "channel": Channel.EMAIL,
        "recipient": "budi@contoh.test",
        "subject": "Halo",
        "body": "Isi",
        "status": DeliveryStatus.LOGGED,
    }
    values.update(fields)
    return Delivery.objects.create(**values)


def _count_queries(client, url):
    client.get(url)  # warm the caches (branding) so only the page's own queries are counted
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- notification centre ---------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    response = client.get("/notifications")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/notifications"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_role_sees_its_notification_centre(client, make_user, role):
    user = make_user(role)
    _notify(user, title="Untuk saya")
    _notify(make_user(), title="Punya orang lain")
    client.force_login(user)
    page = client.get("/notifications").content.decode()
    assert "Untuk saya" in page
    assert "Punya orang lain" not in page


def test_list_shows_title_message_time_and_unread_dot(member_client, member_user):
    n = _notify(member_user, title="Pembayaran diterima", message="Order INV-7 lunas.")
    response = member_client.get("/notifications")
    page = response.content.decode()
    assert "Pembayaran diterima" in page
    assert "Order INV-7 lunas." in page
    from sanggar.core.formatting import tanggal_jam

    assert tanggal_jam(n.created_at) in page
    assert page.count("data-unread-dot") == 1
    assert f'data-notification="{n.pk}" data-unread="1"' in page


def test_filter_by_kind_and_unread(member_client, member_user):
    chat = _notify(member_user, title="Pesan dari mentor", kind=groups.CHAT)
    _notify(member_user, title="Event besok", kind=groups.EVENT)
    read = _notify(member_user, title="Chat lama", kind=groups.CHAT)
    services.notification_mark_read(user=member_user, notification_id=read.pk)

    page = member_client.get("/notifications?kind=chat").content.decode()
    assert ("Pesan dari mentor" in page, "Chat lama" in page, "Event besok" in page) == (True, True, False)
    page = member_client.get("/notifications?kind=chat&unread=1").content.decode()
    assert ("Pesan dari mentor" in page, "Chat lama" in page, "Event besok" in page) == (True, False, False)
    page = member_client.get("/notifications?unread=1").content.decode()
    assert ("Pesan dari mentor" in page, "Chat lama" in page, "Event besok" in page) == (True, False, True)
    # an unknown kind is ignored, not an error
    page = member_client.get("/notifications?kind=bogus&page=abc").content.decode()
    assert ("Pesan dari mentor" in page, "Chat lama" in page, "Event besok" in page) == (True, True, True)
    assert chat.pk


def test_list_is_paginated_with_a_fixed_query_count(member_client, member_user, django_assert_max_num_queries):
    _notify(member_user, title="Satu")
    few = _count_queries(member_client, "/notifications")
    for i in range(45):
        _notify(member_user, title=f"Notifikasi {i}")
    many = _count_queries(member_client, "/notifications")
    assert many == few
    with django_assert_max_num_queries(8):
        response = member_client.get("/notifications?page=2")
    assert len(response.context["notifications"]) == 20
    assert response.context["page_obj"].paginator.count == 46


def test_mark_one_read_redirects_to_its_link(member_client, member_user):
    n = _notify(member_user, link="/profil/")
    response = member_client.post(f"/notifications/{n.pk}/read")
    assert response.status_code == 302
    assert response["Location"] == "/profil/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_accepts_links_on_the_sites_own_address(member_client, member_user, settings):
    n = _notify(member_user, link=f"{settings.SITE_URL}/profil/")
    response = member_client.post(f"/notifications/{n.pk}/read")
    assert response["Location"] == f"{settings.SITE_URL}/profil/"


@pytest.mark.parametrize("link", ["https://evil.example/phish", "//evil.example/x", "javascript:alert(1)"])
def test_mark_read_never_redirects_off_site(member_client, member_user, link):
    n = _notify(member_user, link=link)
    response = member_client.post(f"/notifications/{n.pk}/read", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications"
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_without_a_link_goes_back(member_client, member_user):
    n = _notify(member_user)
    response = member_client.post(f"/notifications/{n.pk}/read", {"next": "/notifications?unread=1"})
    assert response["Location"] == "/notifications?unread=1"


def test_someone_elses_notification_cannot_be_marked(member_client, make_user):
    other = make_user()
    n = _notify(other)
    response = member_client.post(f"/notifications/{n.pk}/read")
    assert response.status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_read_needs_post_and_login(client, member_user):
    n = _notify(member_user)
    client.force_login(member_user)
    assert client.get(f"/notifications/{n.pk}/read").status_code == 405
    client.logout()
    response = client.post(f"/notifications/{n.pk}/read")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read(member_client, member_user, make_user):
    for i in range(3):
        _notify(member_user, title=f"N{i}")
    other = make_user()
    _notify(other)
    response = member_client.post("/notifications/read-all", {"next": "/notifications?kind=system"})
    assert response["Location"] == "/notifications?kind=system"
    assert Notification.objects.filter(user=member_user, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 1
    page = member_client.get("/notifications").content.decode()
    assert "3 notifikasi ditandai sudah dibaca." in page


def test_mark_all_read_anonymous_changes_nothing(client, member_user):
    _notify(member_user)
    response = client.post("/notifications/read-all")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_bell_shows_the_unread_count(member_client, member_user):
    page = member_client.get("/dashboard/").content.decode()
    assert 'id="bell-count"' in page
    assert 'aria-live="polite"></span>' in page
    for _i in range(3):
        _notify(member_user)
    page = member_client.get("/dashboard/").content.decode()
    assert 'aria-live="polite">3</span>' in page


def test_bell_caps_big_counts(member_client, member_user):
    Notification.objects.bulk_create(Notification(user=member_user, title=f"N{i}") for i in range(120))
    page = member_client.get("/dashboard/").content.decode()
    assert 'aria-live="polite">99+</span>' in page


def test_badge_endpoint(client, member_user):
    assert client.get("/notifications/badge").status_code == 401
    client.force_login(member_user)
    assert client.get("/notifications/badge").json() == {"unread": 0, "latest": None}
    _notify(member_user, title="Lama")
    latest = _notify(member_user, title="Baru", message="Isi", link="/profil/")
    data = client.get("/notifications/badge").json()
    assert data["unread"] == 2
    assert data["latest"]["id"] == latest.pk
    assert data["latest"]["title"] == "Baru"
    assert data["latest"]["has_link"] is True
    assert data["latest"]["read_url"] == f"/notifications/{latest.pk}/read"


def test_dropdown_needs_login(client):
    response = client.get("/notifications/dropdown")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_dropdown_lists_the_latest(member_client, member_user, make_user):
    for i in range(8):
        _notify(member_user, title=f"Notifikasi ke-{i}")
    _notify(make_user(), title="Bukan milik saya")
    page = member_client.get("/notifications/dropdown").content.decode()
    assert "Notifikasi ke-7" in page and "Notifikasi ke-2" in page
    assert "Notifikasi ke-1" not in page
    assert "Bukan milik saya" not in page


def test_toasts_script_is_on_every_app_page(member_client):
    page = member_client.get("/dashboard/").content.decode()
    assert 'data-ws-path="/ws/notifications/"' in page
    assert 'data-badge-url="/notifications/badge"' in page


# --- admin: templates --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/admin/settings/notification-templates",
                                 "/admin/settings/notification-templates/welcome"])  # fmt: skip
@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != Role.ADMIN])
def test_template_pages_are_admin_only(client, make_user, role, url):
    client.force_login(make_user(role))
    assert client.get(url).status_code == 403


def test_template_list(admin_client):
    system = [kind for kind in kinds() if kind.group == "system"]
    pages, number = [], 1
    while True:  # the list is paginated: read every page of the group
        page = admin_client.get(f"/admin/settings/notification-templates?group=system&page={number}").content.decode()
        pages.append(page)
        if len(pages) * TEMPLATES_PER_PAGE >= len(system):
            break
        number += 1
    everything = "".join(pages)
    for key in ("welcome", "email_verification", "password_reset", "account_deactivated"):
        assert f'data-template="{key}"' in everything
    assert pages[0].count("data-template=") == min(len(system), TEMPLATES_PER_PAGE)
    assert everything.count("Teks bawaan") == everything.count("data-template=") == len(system)


def test_template_list_shows_every_kind_paginated_in_a_fixed_number_of_queries(admin_client, django_assert_num_queries):
    keys = [kind.key for kind in kinds()]
    assert len(keys) > 20  # every message the platform sends has a template
    pages = [
        admin_client.get(f"/admin/settings/notification-templates?page={n}").content.decode()
        for n in range(1, (len(keys) + 19) // 20 + 1)
    ]
    every = "".join(pages)
    listed = [key for key in keys if f'data-template="{key}"' in every]
    assert listed == keys
    assert pages[0].count("data-template=") == 20
    assert every.count("data-template=") == len(keys)  # each once, across the pages
    assert "Pembayaran berhasil" in every  # labels, not codes
    MessageTemplate.objects.filter(key="welcome").update(inapp_title="Diubah")
    with django_assert_num_queries(5):  # session, user, roles, branding, templates (whatever the page)
        admin_client.get("/admin/settings/notification-templates?page=2")


def test_template_edit_shows_shortcodes_and_a_preview_for_the_admin(admin_client, admin_user):
    page = admin_client.get("/admin/settings/notification-templates/welcome").content.decode()
    for code in ("{name}", "{email}", "{whatsapp}", "{dashboard_link}", "{platform_name}", "{link}"):
        assert code in page
    # each kind adds its own shortcodes
    verification = admin_client.get("/admin/settings/notification-templates/email_verification").content.decode()
    assert "{verification_link}" in verification
    assert "{verification_link}" not in page
    assert f"Selamat datang di Sanggar, {admin_user.full_name}!" in page
    # the email preview is the escaped HTML document inside the iframe's srcdoc
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in page


def test_unknown_template_is_404(admin_client):
    assert admin_client.get("/admin/settings/notification-templates/nope").status_code == 404


def _template_form(**overrides):
    template = MessageTemplate.objects.get(key="welcome")
    data = {
        "name": template.name,
        "inapp_title": template.inapp_title,
        "inapp_body": template.inapp_body,
        "push_body": template.push_body,
        "email_subject": template.email_subject,
        "email_body": template.email_body,
        "whatsapp_body": template.whatsapp_body,
        "is_active": "on",
        "save": "1",
    }
    data.update(overrides)
    return data


def test_template_save(admin_client, admin_user):
    response = admin_client.post(
        "/admin/settings/notification-templates/welcome",
        _template_form(email_subject="Halo {name}, selamat bergabung", whatsapp_body=""),
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/settings/notification-templates/welcome"
    template = MessageTemplate.objects.get(key="welcome")
    assert (template.email_subject, template.whatsapp_body, template.updated_by) == (
        "Halo {name}, selamat bergabung",
        "",
        admin_user,
    )
    assert ActivityLog.objects.filter(action=Action.TEMPLATE_CHANGED, actor=admin_user).count() == 1


def test_template_preview_does_not_save(admin_client, admin_user):
    before = MessageTemplate.objects.get(key="welcome").email_subject
    data = _template_form(email_subject="Coba {name} {kupon}")
    del data["save"]
    data["preview"] = "1"
    response = admin_client.post("/admin/settings/notification-templates/welcome", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Coba {admin_user.full_name} {{kupon}}" in page
    assert 'id="unknown-shortcodes"' in page
    assert MessageTemplate.objects.get(key="welcome").email_subject == before
    assert not ActivityLog.objects.filter(action=Action.TEMPLATE_CHANGED).exists()


def test_template_save_with_bad_input_shows_errors_and_changes_nothing(admin_client):
    before = MessageTemplate.objects.get(key="welcome").email_subject
    response = admin_client.post(
        "/admin/settings/notification-templates/welcome", _template_form(email_subject="", whatsapp_body="x" * 2000)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"email_subject", "whatsapp_body"}
    assert MessageTemplate.objects.get(key="welcome").email_subject == before


def test_required_template_stays_active_even_if_the_box_is_unticked(admin_client):
    data = _template_form(is_active="")
    template = MessageTemplate.objects.get(key="password_reset")
    data.update(name=template.name, email_subject="Reset sandi {platform_name}", email_body=template.email_body,
                whatsapp_body="", inapp_title=template.inapp_title, inapp_body="")  # fmt: skip
    del data["is_active"]
    response = admin_client.post("/admin/settings/notification-templates/password_reset", data)
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.email_subject, template.is_active) == ("Reset sandi {platform_name}", True)


def test_member_cannot_change_a_template(member_client):
    before = MessageTemplate.objects.get(key="welcome").email_subject
    response = member_client.post("/admin/settings/notification-templates/welcome", _template_form(email_subject="X"))
    assert response.status_code == 403
    assert MessageTemplate.objects.get(key="welcome").email_subject == before
    assert not ActivityLog.objects.filter(action=Action.TEMPLATE_CHANGED).exists()


# --- admin: delivery log ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != Role.ADMIN])
def test_delivery_pages_are_admin_only(client, make_user, role):
    delivery = _delivery()
    client.force_login(make_user(role))
    assert client.get("/admin/notifications/deliveries").status_code == 403
    assert client.get(f"/admin/notifications/deliveries/{delivery.pk}").status_code == 403


def test_delivery_pages_send_anonymous_to_login(client):
    delivery = _delivery()
    urls = (
        "/admin/notifications/deliveries",
        f"/admin/notifications/deliveries/{delivery.pk}",
        "/admin/settings/notification-templates",
        "/admin/settings/notification-templates/welcome",
    )
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_delivery_log_filters_and_search(admin_client, make_user):
    budi = make_user(full_name="Budi Ekspor", email="budi@ekspor.test")
    _delivery(recipient="budi@ekspor.test", user=budi, subject="Email untuk Budi")
    _delivery(channel=Channel.WHATSAPP, recipient="+6281100000001", subject="WA gagal", status=DeliveryStatus.FAILED)
    _delivery(channel=Channel.PUSH, recipient="99", subject="Push antre", status=DeliveryStatus.QUEUED)

    def subjects(query):
        response = admin_client.get(f"/admin/notifications/deliveries{query}")
        assert response.status_code == 200
        return sorted(d.subject for d in response.context["deliveries"])

    assert subjects("") == ["Email untuk Budi", "Push antre", "WA gagal"]
    assert subjects("?channel=whatsapp") == ["WA gagal"]
    assert subjects("?status=queued") == ["Push antre"]
    assert subjects("?q=ekspor") == ["Email untuk Budi"]
    assert subjects("?q=Budi+Ekspor") == ["Email untuk Budi"]
    assert subjects("?q=0811") == ["WA gagal"]
    assert subjects("?q=62811") == ["WA gagal"]
    assert subjects("?channel=sms&status=weird") == ["Email untuk Budi", "Push antre", "WA gagal"]


def test_delivery_log_query_count_is_fixed(admin_client, make_user):
    user = make_user()
    _delivery(user=user)
    few = _count_queries(admin_client, "/admin/notifications/deliveries")
    for i in range(40):
        _delivery(user=make_user(), subject=f"S{i}")
    many = _count_queries(admin_client, "/admin/notifications/deliveries")
    assert many == few
    assert few <= 9


def test_delivery_detail(admin_client, make_user):
    user = make_user(full_name="Sari Penerima")
    delivery = _delivery(
        user=user,
        status=DeliveryStatus.FAILED,
        attempts=5,
        last_error="Fonnte menolak: token invalid",
        response={"status": False, "reason": "token invalid"},
        body="Isi <b>pesan</b>",
    )
    page = admin_client.get(f"/admin/notifications/deliveries/{delivery.pk}").content.decode()
    assert "Fonnte menolak: token invalid" in page
    assert "Sari Penerima" in page
    assert "Isi &lt;b&gt;pesan&lt;/b&gt;" in page
    assert "&quot;reason&quot;: &quot;token invalid&quot;" in page
    assert 'id="retry-delivery"' in page
    assert admin_client.get("/admin/notifications/deliveries/999999").status_code == 404


def test_admin_retries_a_failed_delivery(admin_client, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MAILKETING_API_TOKEN = ""
    delivery = _delivery(status=DeliveryStatus.FAILED, attempts=5, last_error="SMTP down")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/notifications/deliveries/{delivery.pk}/retry")
    assert response["Location"] == f"/admin/notifications/deliveries/{delivery.pk}"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.LOGGED, 1, "")


def test_retry_of_a_delivery_that_did_not_fail_shows_a_message(admin_client):
    delivery = _delivery(status=DeliveryStatus.SENT, attempts=1)
    response = admin_client.post(f"/admin/notifications/deliveries/{delivery.pk}/retry", follow=True)
    assert "Hanya pengiriman yang gagal yang bisa dikirim ulang." in response.content.decode()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)


def test_member_cannot_retry(member_client):
    delivery = _delivery(status=DeliveryStatus.FAILED, attempts=5)
    assert member_client.post(f"/admin/notifications/deliveries/{delivery.pk}/retry").status_code == 403
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 5)


# --- dashboard --------------------------------------------------------------------------------------------------


def test_dashboard_cards(admin_client, admin_user, member_user):
    member_client = Client()
    member_client.force_login(member_user)
    _notify(member_user)
    _notify(member_user)
    _delivery(status=DeliveryStatus.FAILED)
    _delivery(status=DeliveryStatus.LOGGED)
    _delivery(status=DeliveryStatus.LOGGED)
    member_cards = {c.title: c for c in member_client.get("/dashboard/").context["cards"]}
    assert member_cards["Notifikasi belum dibaca"].value == "2"
    assert "Pengiriman 7 hari terakhir" not in member_cards
    admin_cards = {c.title: c for c in admin_client.get("/dashboard/").context["cards"]}
    card = admin_cards["Pengiriman 7 hari terakhir"]
    assert card.value == "3"
    assert {s.label: s.value for s in card.stats} == {
        "Antre": "0",
        "Terkirim": "0",
        "Tercatat di log": "2",
        "Dilewati": "0",
        "Gagal": "1",
    }
    assert admin_cards["Notifikasi belum dibaca"].value == "0"
