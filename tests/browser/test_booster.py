"""The Booster Suite in a real browser: an affiliate builds a bio page and an opt-in form, a visitor (at 390 px)
opens the bio page, follows its button and opts in, the affiliate emails the lead from the broadcast page and sees
the email opened once the lead's mail client loads the tracking pixel."""

import re

import pytest
from django.core import mail

from sanggar.booster.models import BioButton, Broadcast, Lead
from sanggar.booster.services import credits
from sanggar.core.roles import Role

PHONE = {"width": 390, "height": 844}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


@pytest.mark.django_db(transaction=True)
def test_bio_optin_broadcast_opened(page, browser, live_server, make_user, login, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    dinda = make_user(Role.AFFILIATE, email="dinda@uji.test", full_name="Dinda Lestari")
    base = live_server.url
    login(page, "dinda@uji.test")

    # the opt-in form
    page.goto(base + "/affiliate/optin/baru")
    page.fill("#id_title", "Ebook Ekspor")
    page.fill("#id_slug", "ebook-dinda")
    page.fill("#id_headline", "Ebook Gratis: 7 Langkah Ekspor")
    page.click("#optin-edit button[type=submit]")
    page.wait_for_url(re.compile(r"/affiliate/optin/\d+$"))
    assert "ebook-dinda" in page.input_value("#optin-link")
    assert "<iframe" in page.input_value("#optin-embed")

    # the bio page with a button to the form
    page.goto(base + "/affiliate/bio")
    page.fill("#id_headline", "Dinda - Mentor Ekspor")
    page.check("#id_is_published")
    page.click("#bio-form button[type=submit]")
    page.select_option("#id_kind", "optin")
    page.fill("#id_target", "ebook-dinda")
    page.fill("#id_label", "Ambil Ebook Gratis")
    page.click("text=Tambah Tombol")
    page.wait_for_selector("#bio-buttons >> text=Ambil Ebook Gratis")
    page.select_option("#id_kind", "optin")
    page.fill("#id_target", "ebook-dinda")
    page.fill("#id_label", "Daftar Sekarang")
    page.click("text=Tambah Tombol")
    page.wait_for_selector("#bio-buttons >> text=Daftar Sekarang")

    # drag "Daftar Sekarang" above the first button: saved without a reload, the preview follows
    def order():
        return list(BioButton.objects.filter(page__affiliate__user=dinda).values_list("label", flat=True))

    items = page.locator("#bio-buttons [data-button]")
    items.nth(1).drag_to(items.nth(0), target_position={"x": 10, "y": 2})
    page.wait_for_selector("#bio-order-status >> text=Urutan tombol tersimpan")
    assert order() == ["Daftar Sekarang", "Ambil Ebook Gratis"]
    assert page.locator("[data-preview-button]").first.inner_text() == "Daftar Sekarang"
    # the keyboard: focus "move down" of the first and press Enter (no reload either)
    page.evaluate("document.getElementById('bio-order-status').textContent = ''")
    page.locator("#bio-buttons [data-button]").first.locator("[data-move=down]").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#bio-order-status >> text=Urutan tombol tersimpan")
    assert order() == ["Ambil Ebook Gratis", "Daftar Sekarang"]
    code = dinda.affiliate_profile.code

    # a visitor on a phone
    visitor_ctx = browser.new_context(viewport=PHONE, locale="id-ID")
    visitor = visitor_ctx.new_page()
    visitor.goto(f"{base}/bio/{code.lower()}")
    assert visitor.evaluate(WIDTH) <= PHONE["width"]
    visitor.click("text=Ambil Ebook Gratis")
    visitor.wait_for_url(re.compile(r"/optin/ebook-dinda\?ref="))
    visitor.fill("#id_name", "Sari Wulandari")
    visitor.fill("#id_email", "sari@contoh.id")
    visitor.click("#optin-form button[type=submit]")
    visitor.wait_for_selector("#optin-done")
    assert visitor.evaluate(WIDTH) <= PHONE["width"]
    assert Lead.objects.get().email == "sari@contoh.id"

    # the affiliate emails the lead
    credits.credit_topup(affiliate=dinda.affiliate_profile, credits=10, ref="uji")
    page.goto(base + "/affiliate/broadcast/baru")
    page.fill("#id_name", "Sapaan pertama")
    page.fill("#id_subject", "Halo {first_name}")
    page.fill("#id_body", "Terima kasih sudah mengunduh ebook. Lanjut baca: https://contoh.id/bab-2")
    page.click("#broadcast-form button[type=submit]")
    page.wait_for_selector("#broadcast-cost")
    page.click("#send-now")
    page.wait_for_selector("#broadcast-status")
    assert Broadcast.objects.get().sent_count == 1
    message = next(m for m in mail.outbox if m.to == ["sari@contoh.id"])
    assert message.subject == "Halo Sari" and message.to == ["sari@contoh.id"]

    # the lead's mail client loads the pixel: the affiliate sees it opened
    pixel = re.search(r'src="([^"]*/t/o/[^"]+)"', message.alternatives[0][0]).group(1)
    visitor.goto(re.sub(r"^https?://[^/]+", base, pixel))
    page.reload()
    assert page.inner_text("[data-stat=opened]").startswith("1")
    visitor_ctx.close()
