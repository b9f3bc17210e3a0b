import pytest
from django.test import Client
from django.urls import reverse

from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.branding import services
from sanggar.branding.models import Branding
from sanggar.core.context_processors import ACTIVE_ROLE_SESSION_KEY
from sanggar.core.roles import Role

from .images import SVG, png, upload

pytestmark = pytest.mark.django_db

TAB_URL_NAMES = (
    "branding:admin_settings",
    "branding:admin_settings_colors",
    "branding:admin_settings_typography",
    "branding:admin_settings_components",
    "branding:admin_settings_realtime",
)
COLORS_URL = "/admin/settings/branding/warna"


def _unchanged():
    return not Branding.objects.exists() and not ActivityLog.objects.filter(action=Action.SETTINGS_CHANGED).exists()


def test_urls():
    assert [reverse(name) for name in TAB_URL_NAMES] == [
        "/admin/settings/branding",
        "/admin/settings/branding/warna",
        "/admin/settings/branding/tipografi",
        "/admin/settings/branding/komponen",
        "/admin/settings/branding/notifikasi",
    ]
    assert reverse("branding:admin_reset_colors") == "/admin/settings/branding/reset-warna"


@pytest.mark.parametrize("url_name", TAB_URL_NAMES)
def test_anonymous_is_sent_to_log_in(client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url_name", TAB_URL_NAMES)
@pytest.mark.parametrize("role", [Role.MEMBER, Role.AFFILIATE, Role.FOUNDER, Role.MENTOR, Role.SUPPORT])
def test_other_roles_get_403(client, make_user, url_name, role):
    client.force_login(make_user(role))
    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", TAB_URL_NAMES)
def test_admin_sees_every_tab(admin_client, url_name):
    response = admin_client.get(reverse(url_name))
    assert response.status_code == 200
    content = response.content.decode()
    for label in (
        "Logo &amp; Identitas",
        "Warna &amp; Tema",
        "Typography &amp; Teks",
        "Komponen UI",
        "Notifikasi Realtime",
    ):
        assert label in content
    assert content.count("tab tab-active") == 1


def test_denied_posts_change_nothing(client, member_client):
    data = {"primary_color": "#0B5D1E", "primary_text_color": "#FFFFFF"} | {
        "secondary_color": "#FFC30D",
        "secondary_text_color": "#111827",
    }
    assert member_client.post(COLORS_URL, data).status_code == 403
    assert member_client.post(reverse("branding:admin_reset_colors"), {"tab": "colors"}).status_code == 403
    client.logout()
    response = client.post(COLORS_URL, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert _unchanged()


def _colors(**overrides):
    return {
        "primary_color": "#2047FC",
        "primary_text_color": "#FFFFFF",
        "secondary_color": "#FFC30D",
        "secondary_text_color": "#111827",
        **overrides,
    }


def test_colours_page_shows_saved_values_and_measured_contrast(admin_client):
    content = admin_client.get(COLORS_URL).content.decode()
    assert 'name="primary_color" id="id_primary_color" value="#2047FC"' in content
    assert "6,23:1" in content  # white on #2047FC
    assert "11,04:1" in content  # #111827 on #FFC30D
    assert 'id="brand-preview"' in content
    assert "--brand-primary:#2047FC" in content


def test_saved_colour_reaches_every_role_page(admin_client, make_user, django_capture_on_commit_callbacks):
    client = Client()  # a second browser: admin_client is the default test client
    client.force_login(make_user())
    assert "--brand-primary:#2047FC;" in client.get(reverse("dashboard:home")).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(COLORS_URL, _colors(primary_color="#0b5d1e"))
    assert response.status_code == 302
    assert response["Location"] == COLORS_URL
    content = client.get(reverse("dashboard:home")).content.decode()
    assert "--brand-primary:#0B5D1E;" in content
    assert "--brand-primary:#2047FC;" not in content
    follow = admin_client.get(COLORS_URL).content.decode()
    assert "Pengaturan branding disimpan dan langsung dipakai di semua halaman." in follow


def test_failing_contrast_is_shown_on_the_field_and_keeps_what_was_typed(admin_client):
    response = admin_client.post(COLORS_URL, _colors(primary_color="#ffffff", primary_text_color="#FFFF00"))
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "Kontras teks primary di atas warna primary hanya 1,07:1, minimal 4,5:1 (WCAG AA) agar teks mudah dibaca."
        in content
    )
    assert 'name="primary_color" id="id_primary_color" value="#ffffff"' in content
    assert 'name="primary_text_color" id="id_primary_text_color" value="#FFFF00"' in content
    assert "1,07:1" in content
    assert _unchanged()


def test_contrast_error_sits_on_the_colour_that_changed(admin_client):
    response = admin_client.post(COLORS_URL, _colors(primary_color="#7AA2FF"))
    form = response.context["form"]
    message = "Kontras teks primary di atas warna primary hanya 2,49:1, minimal 4,5:1 (WCAG AA) agar teks mudah dibaca."
    assert form.errors == {"primary_color": [message]}
    assert _unchanged()


def test_invalid_hex_message(admin_client):
    response = admin_client.post(COLORS_URL, _colors(secondary_color="kuning"))
    assert "Warna secondary harus kode warna hex, contoh #2047FC." in response.content.decode()
    assert _unchanged()


def test_missing_colour_is_required(admin_client):
    data = _colors()
    del data["primary_color"]
    response = admin_client.post(COLORS_URL, data)
    assert response.status_code == 200
    assert "Kode warna wajib diisi." in response.content.decode()
    assert _unchanged()


def test_typography_tab_saves_and_reports_bad_numbers(admin_client):
    url = reverse("branding:admin_settings_typography")
    response = admin_client.post(url, {"heading_size": "abc", "body_size": "16"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ukuran heading harus bilangan bulat antara 18 dan 48 px." in content
    assert 'value="abc"' in content
    assert _unchanged()
    assert admin_client.post(url, {"heading_size": "32", "body_size": "16"}).status_code == 302
    assert Branding.objects.get().typography_json == {"heading_size": 32, "body_size": 16}


def test_components_tab_saves_and_reports_errors(admin_client):
    url = reverse("branding:admin_settings_components")
    data = {
        "border_radius": "30",
        "primary_hover_color": "#1836C9",
        "sidebar_bg": "#0F172A",
        "sidebar_text": "#E5E7EB",
        "sidebar_active_bg": "#FFC30D",
        "sidebar_active_text": "#111827",
        "card_bg": "#FFFFFF",
        "page_bg": "#F5F7FB",
    }
    response = admin_client.post(url, data)
    assert "Border radius harus bilangan bulat antara 0 dan 24 px." in response.content.decode()
    assert _unchanged()
    assert admin_client.post(url, {**data, "border_radius": "6"}).status_code == 302
    style = Branding.objects.get().component_style_json
    assert (style["border_radius"], style["sidebar_bg"], style["sidebar_active_bg"]) == (6, "#0F172A", "#FFC30D")


def test_reset_button(admin_client, admin_user):
    services.branding_update(actor=admin_user, section="colors", primary_color="#0B5D1E")
    response = admin_client.post(reverse("branding:admin_reset_colors"), {"tab": "components"})
    assert response.status_code == 302
    assert response["Location"] == reverse("branding:admin_settings_components")
    assert Branding.objects.get().primary_color == "#2047FC"
    assert admin_client.get(reverse("branding:admin_reset_colors")).status_code == 405


def test_identity_tab_uploads_and_names(admin_client):
    url = reverse("branding:admin_settings")
    response = admin_client.post(
        url,
        {"platform_name": "Ekspor Yuk", "short_name": "EksporYuk", "tagline": "Belajar ekspor", "logo_main": png()},
    )
    assert response.status_code == 302
    branding = Branding.objects.get()
    assert (branding.platform_name, branding.tagline) == ("Ekspor Yuk", "Belajar ekspor")
    assert branding.logo_main.name.startswith("branding/logo-main-")
    content = admin_client.get(url).content.decode()
    assert f'src="/media/{branding.logo_main.name}"' in content
    assert "<title>Branding · Ekspor Yuk</title>" in content


def test_identity_tab_refuses_svg_and_keeps_typed_text(admin_client):
    response = admin_client.post(
        reverse("branding:admin_settings"),
        {"platform_name": "Nama Baru", "short_name": "Baru", "tagline": "", "favicon": upload("f.svg", SVG)},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Favicon harus berupa gambar ICO atau PNG (SVG tidak diterima)." in content
    assert 'value="Nama Baru"' in content
    assert _unchanged()


def test_identity_requires_a_platform_name(admin_client):
    response = admin_client.post(reverse("branding:admin_settings"), {"platform_name": "", "short_name": "X"})
    assert "Nama platform wajib diisi." in response.content.decode()
    assert _unchanged()


def _with_logos(admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.branding_update(
            actor=admin_user,
            section="identity",
            logo_main=png(),
            logo_affiliate=png(color="#FFC30D"),
            favicon=png(size=(32, 32)),
        )


def test_affiliate_sees_the_affiliate_logo_and_others_the_main_logo(
    client, make_user, admin_user, django_capture_on_commit_callbacks
):
    branding = _with_logos(admin_user, django_capture_on_commit_callbacks)
    main, affiliate = f"/media/{branding.logo_main.name}", f"/media/{branding.logo_affiliate.name}"
    favicon = f'<link rel="icon" href="/media/{branding.favicon.name}">'

    client.force_login(make_user(Role.AFFILIATE))
    content = client.get(reverse("dashboard:home")).content.decode()
    assert f'<img src="{affiliate}" alt="Sanggar" class="h-9 w-auto" data-logo="affiliate">' in content
    assert main not in content
    assert favicon in content

    for role in (Role.MEMBER, Role.SUPPLIER, Role.ADMIN):
        client.force_login(make_user(role))
        content = client.get(reverse("dashboard:home")).content.decode()
        assert f'<img src="{main}" alt="Sanggar" class="h-9 w-auto" data-logo="main">' in content
        assert affiliate not in content


def test_logo_follows_the_active_role(client, make_user, admin_user, django_capture_on_commit_callbacks):
    branding = _with_logos(admin_user, django_capture_on_commit_callbacks)
    user = make_user(Role.ADMIN, Role.AFFILIATE)
    client.force_login(user)
    assert 'data-logo="main"' in client.get(reverse("dashboard:home")).content.decode()
    session = client.session
    session[ACTIVE_ROLE_SESSION_KEY] = Role.AFFILIATE
    session.save()
    content = client.get(reverse("dashboard:home")).content.decode()
    assert f'src="/media/{branding.logo_affiliate.name}"' in content
    assert 'data-logo="affiliate"' in content


def test_realtime_tab_shows_status_without_secrets(admin_client, settings):
    settings.MAILKETING_API_TOKEN = "mk-very-secret"
    settings.ONESIGNAL_APP_ID = ""
    settings.ONESIGNAL_API_KEY = ""
    settings.STARSENDER_API_KEY = ""
    settings.FONNTE_TOKEN = ""
    content = admin_client.get(reverse("branding:admin_settings_realtime")).content.decode()
    assert "mk-very-secret" not in content
    mailketing = content.split('data-integration="mailketing"')[1].split("</tr>")[0]
    onesignal = content.split('data-integration="onesignal"')[1].split("</tr>")[0]
    realtime = content.split('data-integration="realtime"')[1].split("</tr>")[0]
    assert '<span class="badge badge-green">aktif</span>' in mailketing
    assert '<span class="badge badge-gray">belum dikonfigurasi</span>' in onesignal
    assert '<span class="badge badge-green">aktif</span>' in realtime
    assert "<form" not in content.split('data-tab="realtime"')[1].split("</main>")[0]


def test_settings_page_query_count_is_fixed(admin_client, django_assert_max_num_queries):
    """The page reads the branding row once; the shell's `brand` comes from the cache."""
    admin_client.get(COLORS_URL)  # warms the branding cache
    with django_assert_max_num_queries(8) as captured:
        assert admin_client.get(COLORS_URL).status_code == 200
    assert sum('"branding_branding"' in query["sql"] for query in captured.captured_queries) == 1
