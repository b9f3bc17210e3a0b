import pytest
from django.core.files.storage import default_storage

from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.branding import services
from sanggar.branding.constants import DEFAULT_COLORS
from sanggar.branding.models import Branding
from sanggar.branding.selectors import branding_get
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role

from .images import SVG, image_bytes, png, upload

pytestmark = pytest.mark.django_db


def _update(actor, section, **values):
    return services.branding_update(actor=actor, section=section, **values)


def _errors(exc_info):
    return exc_info.value.errors


def _settings_rows():
    return ActivityLog.objects.filter(action=Action.SETTINGS_CHANGED)


# Colours and contrast


def test_colours_are_normalised_saved_and_logged(admin_user):
    branding = _update(admin_user, "colors", primary_color="#0b5d1e", secondary_color="ffd84d")
    branding.refresh_from_db()
    assert branding.primary_color == "#0B5D1E"
    assert branding.secondary_color == "#FFD84D"
    assert branding.updated_by == admin_user
    row = _settings_rows().get()
    assert row.actor == admin_user
    assert row.target_type == "branding.branding"
    assert row.target_id == "1"
    assert row.target_label == "Branding"
    assert row.data == {
        "section": "colors",
        "fields": ["primary_color", "secondary_color"],
        "changes": {"primary_color": ["#2047FC", "#0B5D1E"], "secondary_color": ["#FFC30D", "#FFD84D"]},
    }


def test_failing_primary_pair_is_refused_with_the_pair_and_ratio(admin_user):
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "colors", primary_color="#FFFFFF", primary_text_color="#FFFF00")
    assert exc_info.value.message == "Periksa kembali isian branding."
    assert _errors(exc_info) == {
        "primary_text_color": [
            "Kontras teks primary di atas warna primary hanya 1,07:1, minimal 4,5:1 (WCAG AA) agar teks mudah dibaca."
        ]
    }
    assert not Branding.objects.exists()  # the refused save rolled back entirely
    assert not _settings_rows().exists()


def test_failing_secondary_pair_is_refused(admin_user):
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "colors", secondary_text_color="#FFFFFF")
    assert _errors(exc_info) == {
        "secondary_text_color": [
            "Kontras teks secondary di atas warna secondary hanya 1,61:1, minimal 4,5:1 (WCAG AA) "
            "agar teks mudah dibaca."
        ]
    }


def test_background_change_is_reported_on_the_background_field(admin_user):
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "colors", primary_color="#7AA2FF")
    assert _errors(exc_info) == {
        "primary_color": [
            "Kontras teks primary di atas warna primary hanya 2,49:1, minimal 4,5:1 (WCAG AA) agar teks mudah dibaca."
        ]
    }


def test_component_pairs_are_checked(admin_user):
    with pytest.raises(ServiceError) as exc_info:
        _update(
            admin_user,
            "components",
            sidebar_text="#F5F7FB",
            sidebar_active_bg="#7AA2FF",
            card_bg="#111827",
            page_bg="#6B7280",
        )
    suffix = ", minimal 4,5:1 (WCAG AA) agar teks mudah dibaca."
    assert _errors(exc_info) == {
        "sidebar_text": ["Kontras teks sidebar di atas latar sidebar hanya 1,07:1" + suffix],
        "sidebar_active_bg": ["Kontras teks menu aktif di atas latar menu aktif hanya 2,49:1" + suffix],
        "card_bg": ["Kontras teks isi (#111827) di atas latar kartu hanya 1,00:1" + suffix],
        "page_bg": ["Kontras teks isi (#111827) di atas latar halaman hanya 3,67:1" + suffix],
    }
    assert not Branding.objects.exists()


def test_primary_text_is_checked_against_the_hover_colour(admin_user):
    _update(admin_user, "components", primary_hover_color="#3D5AFE")
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "components", primary_hover_color="#7AA2FF")
    assert _errors(exc_info) == {
        "primary_hover_color": [
            "Kontras teks primary di atas warna hover primary hanya 2,49:1, minimal 4,5:1 (WCAG AA) "
            "agar teks mudah dibaca."
        ]
    }
    assert Branding.objects.get().component_style_json["primary_hover_color"] == "#3D5AFE"


def test_invalid_hex_is_refused_before_contrast(admin_user):
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "colors", primary_color="biru", secondary_color="#FFC30D;}body{")
    assert _errors(exc_info) == {
        "primary_color": ["Warna primary harus kode warna hex, contoh #2047FC."],
        "secondary_color": ["Warna secondary harus kode warna hex, contoh #2047FC."],
    }


def test_components_store_json_with_every_key(admin_user):
    branding = _update(admin_user, "components", border_radius="4", card_bg="#FAFAFA")
    branding.refresh_from_db()
    assert branding.component_style_json == {
        "border_radius": 4,
        "primary_hover_color": "#1836C9",
        "sidebar_bg": "#FFFFFF",
        "sidebar_text": "#1F2937",
        "sidebar_active_bg": "#2047FC",
        "sidebar_active_text": "#FFFFFF",
        "card_bg": "#FAFAFA",
        "page_bg": "#F5F7FB",
    }
    assert _settings_rows().get().data["fields"] == ["border_radius", "card_bg"]


# Typography and numbers


def test_typography_saved(admin_user):
    branding = _update(admin_user, "typography", heading_size=30, body_size="16")
    branding.refresh_from_db()
    assert branding.typography_json == {"heading_size": 30, "body_size": 16}


@pytest.mark.parametrize("value", [17, 49, "abc", "", "2.5", True, None, "-20"])
def test_heading_size_out_of_range_is_refused(admin_user, value):
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "typography", heading_size=value)
    assert _errors(exc_info) == {"heading_size": ["Ukuran heading harus bilangan bulat antara 18 dan 48 px."]}
    assert not Branding.objects.exclude(typography_json={"heading_size": 24, "body_size": 15}).exists()


def test_radius_range_message(admin_user):
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "components", border_radius=25)
    assert _errors(exc_info) == {"border_radius": ["Border radius harus bilangan bulat antara 0 dan 24 px."]}


# Identity


def test_identity_texts(admin_user):
    branding = _update(admin_user, "identity", platform_name="  Ekspor Yuk ", short_name="EksporYuk", tagline="")
    assert (branding.platform_name, branding.short_name, branding.tagline) == ("Ekspor Yuk", "EksporYuk", "")


def test_identity_required_and_length(admin_user):
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "identity", platform_name=" ", short_name="x" * 21, tagline="t" * 161)
    assert _errors(exc_info) == {
        "platform_name": ["Nama platform wajib diisi."],
        "short_name": ["Nama pendek paling banyak 20 karakter."],
        "tagline": ["Tagline paling banyak 160 karakter."],
    }


def test_unknown_section_and_fields_are_refused(admin_user):
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "fonts", heading_size=20)
    assert exc_info.value.message == "Bagian pengaturan branding tidak dikenal."
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "colors", sidebar_bg="#FFFFFF")
    assert exc_info.value.message == "Isian tidak dikenal untuk bagian ini: sidebar_bg."
    assert not Branding.objects.exists()


def test_only_admins_may_change_branding(make_user):
    for user in (make_user(), make_user(Role.FOUNDER), make_user(Role.ADMIN, is_active=False), None):
        with pytest.raises(NotAllowed) as exc_info:
            _update(user, "colors", primary_color="#0B5D1E")
        assert exc_info.value.message == "Hanya admin yang bisa mengubah branding."
        with pytest.raises(NotAllowed):
            services.branding_reset_colors(actor=user)
    assert not Branding.objects.exists()
    assert not _settings_rows().exists()


def test_saving_the_same_values_writes_no_row(admin_user):
    _update(admin_user, "colors", primary_color="#0B5D1E")
    _update(admin_user, "colors", primary_color="#0b5d1e")
    _update(admin_user, "typography", heading_size=24, body_size=15)
    assert _settings_rows().count() == 1
    assert Branding.objects.get().typography_json == {"heading_size": 24, "body_size": 15}


# Uploads


def test_valid_png_logo_is_stored_under_a_generated_name(admin_user):
    branding = _update(admin_user, "identity", logo_main=png("../../etc/nama asli.png"))
    name = branding.logo_main.name
    assert name.startswith("branding/logo-main-")
    assert name.endswith(".png")
    assert "asli" not in name
    assert default_storage.exists(name)
    assert _settings_rows().get().data == {"section": "identity", "fields": ["logo_main"], "changes": {}}


@pytest.mark.parametrize(("fmt", "extension"), [("JPEG", "jpg"), ("WEBP", "webp")])
def test_jpeg_and_webp_logos_are_accepted(admin_user, fmt, extension):
    branding = _update(admin_user, "identity", logo_affiliate=upload("logo.bin", image_bytes(fmt)))
    assert branding.logo_affiliate.name.startswith("branding/logo-affiliate-")
    assert branding.logo_affiliate.name.endswith("." + extension)


def test_text_file_renamed_png_is_refused(admin_user):
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "identity", logo_main=upload("logo.png", b"just some text, not an image"))
    assert _errors(exc_info) == {
        "logo_main": ["Logo utama harus berupa gambar PNG, JPEG atau WebP (SVG tidak diterima)."]
    }
    assert not Branding.objects.exclude(logo_main="").exists()


def test_svg_is_refused_for_logos_and_favicon(admin_user):
    with pytest.raises(ServiceError) as exc_info:
        _update(
            admin_user,
            "identity",
            logo_affiliate=upload("logo.svg", SVG, "image/svg+xml"),
            favicon=upload("favicon.svg", SVG, "image/svg+xml"),
        )
    assert _errors(exc_info) == {
        "logo_affiliate": ["Logo affiliate harus berupa gambar PNG, JPEG atau WebP (SVG tidak diterima)."],
        "favicon": ["Favicon harus berupa gambar ICO atau PNG (SVG tidak diterima)."],
    }


def test_gif_logo_and_jpeg_favicon_are_refused(admin_user):
    with pytest.raises(ServiceError) as exc_info:
        _update(
            admin_user,
            "identity",
            logo_main=upload("logo.gif", image_bytes("GIF")),
            favicon=upload("favicon.jpg", image_bytes("JPEG")),
        )
    assert set(_errors(exc_info)) == {"logo_main", "favicon"}


def test_too_large_logo_is_refused(admin_user):
    big = image_bytes("PNG") + b"\0" * (2 * 1024 * 1024)
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "identity", logo_main=upload("logo.png", big))
    assert _errors(exc_info) == {"logo_main": ["Ukuran logo utama maksimal 2 MB."]}


def test_too_large_favicon_is_refused(admin_user):
    big = image_bytes("PNG") + b"\0" * (512 * 1024)
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "identity", favicon=upload("favicon.png", big))
    assert _errors(exc_info) == {"favicon": ["Ukuran favicon maksimal 512 KB."]}


def test_huge_dimensions_are_refused(admin_user):
    with pytest.raises(ServiceError) as exc_info:
        _update(admin_user, "identity", logo_main=png(size=(5000, 10)))
    assert _errors(exc_info) == {"logo_main": ["Logo utama terlalu besar: paling besar 4096 × 4096 piksel."]}


def test_ico_favicon_is_accepted(admin_user):
    branding = _update(admin_user, "identity", favicon=upload("favicon.ico", image_bytes("ICO", (32, 32))))
    assert branding.favicon.name.endswith(".ico")


def test_one_bad_upload_saves_nothing(admin_user):
    with pytest.raises(ServiceError):
        _update(admin_user, "identity", platform_name="Baru", logo_main=png(), favicon=upload("f.png", b"nope"))
    assert not Branding.objects.filter(platform_name="Baru").exists()
    assert not default_storage.exists("branding") or default_storage.listdir("branding") == ([], [])


def test_replacing_and_removing_logos_deletes_old_files_after_commit(admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _update(admin_user, "identity", logo_main=png()).logo_main.name
    with django_capture_on_commit_callbacks(execute=True):
        second = _update(admin_user, "identity", logo_main=png(color="#FFC30D")).logo_main.name
    assert first != second
    assert not default_storage.exists(first)
    assert default_storage.exists(second)
    with django_capture_on_commit_callbacks(execute=True):
        branding = _update(admin_user, "identity", remove_logo_main=True)
    assert branding.logo_main.name == ""
    assert not default_storage.exists(second)
    assert _settings_rows().count() == 3


# Cache


def test_cache_is_cleared_after_commit(admin_user, django_capture_on_commit_callbacks):
    assert branding_get().primary_color == "#2047FC"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _update(admin_user, "colors", primary_color="#0B5D1E")
    assert branding_get().primary_color == "#2047FC"  # not committed yet: the cached value still stands
    for callback in callbacks:
        callback()
    assert branding_get().primary_color == "#0B5D1E"
    assert branding_get().css_vars["brand-primary"] == "#0B5D1E"


# Reset


def test_reset_colors_restores_every_default_and_keeps_the_radius(admin_user, django_capture_on_commit_callbacks):
    _update(admin_user, "colors", primary_color="#0B5D1E")
    _update(admin_user, "components", border_radius=4, page_bg="#FFFFFF")
    with django_capture_on_commit_callbacks(execute=True):
        branding = services.branding_reset_colors(actor=admin_user)
    branding.refresh_from_db()
    assert branding.primary_color == DEFAULT_COLORS["primary_color"]
    assert branding.component_style_json["page_bg"] == "#F5F7FB"
    assert branding.component_style_json["border_radius"] == 4
    row = _settings_rows().order_by("-id").first()
    assert row.data == {
        "section": "colors_reset",
        "fields": ["page_bg", "primary_color"],
        "changes": {"primary_color": ["#0B5D1E", "#2047FC"], "page_bg": ["#FFFFFF", "#F5F7FB"]},
    }
    assert branding_get().css_vars["brand-primary"] == "#2047FC"
    services.branding_reset_colors(actor=admin_user)
    assert _settings_rows().count() == 3
