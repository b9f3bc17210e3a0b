"""Tickets and member documents in a real browser at 390 px, on the demo data: a member opens a ticket with an
attachment, Support claims and answers it, the member rates it; a member downloads a document and the PDF carries
their name."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from sanggar.documents.models import Document
from sanggar.tickets.models import Ticket

PHONE = {"width": 390, "height": 844}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def _page(browser, base, email):
    context = browser.new_context(viewport=PHONE, locale="id-ID", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "sanggar-demo")
    page.click("#auth-card button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")
    return context, page


def _fits(page):
    assert page.evaluate(WIDTH) <= PHONE["width"], page.url


@pytest.mark.django_db(transaction=True)
def test_ticket_opened_answered_and_rated(browser, live_server, tmp_path):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = live_server.url
    member_ctx, member = _page(browser, base, "member@sanggar.test")
    member.goto(base + "/tiket/baru")
    _fits(member)
    member.select_option("select[name=category]", "teknis")
    member.fill("input[name=subject]", "Video pelajaran tidak bisa diputar")
    member.fill("textarea[name=body]", "Layar hitam di pelajaran kedua.")
    shot = tmp_path / "layar.png"
    shot.write_bytes(PNG)
    member.set_input_files("input[name=attachments]", str(shot))
    member.click("#ticket-form button[type=submit]")
    member.wait_for_selector("#thread")
    _fits(member)
    ticket = Ticket.objects.get(subject="Video pelajaran tidak bisa diputar")
    assert ticket.messages.get().attachments.count() == 1

    agent_ctx, agent = _page(browser, base, "support@sanggar.test")
    agent.goto(base + "/support/tiket")
    _fits(agent)
    agent.click(f"tr[data-ticket='{ticket.number}'] a")
    agent.click("button[value=claim]")
    agent.fill("#reply-form textarea[name=body]", "Sudah kami perbaiki, silakan coba lagi.")
    agent.click("#reply-form button[value=reply]")
    agent.wait_for_selector("text=Sudah kami perbaiki")
    agent.select_option("select[name=status]", "resolved")
    agent.click("button[value=update]")
    agent.wait_for_selector("text=Tiket diperbarui.")
    _fits(agent)

    member.goto(f"{base}/tiket/{ticket.number}")
    assert member.locator("text=Sudah kami perbaiki").count() == 1
    member.select_option("select[name=rating]", "5")
    member.click("button[value=rate]")
    member.wait_for_selector("text=Terima kasih atas penilaian Anda.")
    _fits(member)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating) == ("resolved", 5)
    member_ctx.close()
    agent_ctx.close()


@pytest.mark.django_db(transaction=True)
def test_member_downloads_a_stamped_document(browser, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = live_server.url
    context, page = _page(browser, base, "member@sanggar.test")
    page.goto(base + "/dokumen")
    _fits(page)
    document = Document.objects.filter(min_rank=1, extension="pdf").order_by("id").first()
    page.goto(f"{base}/dokumen/{document.pk}")
    _fits(page)
    with page.expect_download() as info:
        page.click("#download")
    data = open(info.value.path(), "rb").read()  # noqa: SIM115
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "member@sanggar.test" in text
    context.close()
