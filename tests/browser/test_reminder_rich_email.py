"""REM-D1 in a browser: the step builder's email body is the rich-text editor (the plain textarea hides), bold and a
heading apply, a shortcode button inserts at the caret, the live preview shows the formatted email, and saving
stores sanitised HTML."""

import pytest

from sanggar.core.roles import Role
from sanggar.reminders import services


@pytest.mark.django_db(transaction=True)
def test_rich_email_editor_with_shortcodes_and_live_preview(page, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin-rich@uji.test", full_name="Admin Rich")
    seq = services.sequence_save(actor=admin, name="Surat kaya", trigger="after_purchase")
    login(page, admin.email)
    page.goto(f"{live_server.url}/admin/pengingat/{seq.pk}/langkah")
    page.fill("#id_subject", "Halo")
    page.fill("#id_body", "Isi umum")
    page.click("[data-tab=konten]")
    assert page.is_hidden("[data-plain-body]") and page.is_visible("[data-rich-body]")
    editor = page.locator("[data-richtext-editor]")
    editor.click()
    page.keyboard.type("Selamat datang ")
    page.click("[data-shortcode='{name}']")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type("Penting")
    page.wait_for_selector("[data-preview-email-html] b, [data-preview-email-html] strong")
    preview = page.inner_html("[data-preview-email-html]")
    assert "Selamat datang" in preview and "{name}" not in preview  # filled with the sample name
    page.click("#step-form button[type=submit]:not([name])")
    page.wait_for_url(f"**/admin/pengingat/{seq.pk}")
    step = seq.steps.get()
    html = step.content["email"]["body_html"]
    assert "Selamat datang {name}" in html and ("<b>Penting</b>" in html or "<strong>Penting</strong>" in html)
    assert step.content["email"]["body"].startswith("Selamat datang {name}")
