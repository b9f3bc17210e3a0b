"""Bio page, opt-in form (embeddable on that route only, honeypot, signed token, rate limit per address), short
links to them, and the automation an opt-in starts."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from sanggar.affiliates.services.short_links import short_link_create
from sanggar.booster.constants import EnrollmentStatus, LeadSource, LeadStatus
from sanggar.booster.models import BioButton, Enrollment, Lead, OptinForm
from sanggar.booster.services import credits, pages, sequences
from sanggar.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(affiliate):
    return pages.optin_save(
        affiliate=affiliate,
        data={"title": "Ebook Ekspor", "slug": "ebook-ekspor", "headline": "Ebook Gratis: 7 Langkah Ekspor",
              "ask_name": True, "ask_email": True, "ask_whatsapp": True, "action": "message",
              "success_message": "Cek email Anda.", "magnet_url": "https://drive.example.com/ebook.pdf",
              "benefits": "Daftar buyer\\nTemplate invoice", "is_active": True},
    )  # fmt: skip


def _token(client, slug):
    html = client.get(f"/optin/{slug}").content.decode()
    return html.split('name="token" value="', 1)[1].split('"', 1)[0]


def test_bio_page_links_carry_the_code_and_count(client, affiliate, form):
    page = pages.bio_page_save(
        affiliate=affiliate, theme="bold", primary_color="#112233", font="serif", headline="Mentor Ekspor",
        bio="Bantu UMKM ekspor", whatsapp="081234567890", wa_group_url="", socials={"instagram": "dinda.ekspor"},
        is_published=True,
    )  # fmt: skip
    button = pages.bio_button_save(affiliate=affiliate, kind="optin", target=form.slug, label="Ambil Ebook")
    pages.bio_button_save(affiliate=affiliate, kind="whatsapp", target="", label="Chat saya")
    response = client.get(f"/bio/{affiliate.code.lower()}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mentor Ekspor" in html and "https://www.instagram.com/dinda.ekspor" in html
    go = client.get(f"/bio/{affiliate.code.lower()}/go/{button.pk}")
    assert go.status_code == 302 and go["Location"] == f"/optin/{form.slug}?ref={affiliate.code}"
    page.refresh_from_db()
    button.refresh_from_db()
    assert page.view_count == 1 and button.click_count == 1
    assert client.get("/bio/tidak-ada").status_code == 404


def test_bio_refuses_outside_links(affiliate):
    with pytest.raises(Exception, match="nama pengguna"):
        pages.bio_page_save(
            affiliate=affiliate, theme="modern", primary_color="#112233", font="sans", headline="", bio="",
            whatsapp="", wa_group_url="", socials={"instagram": "https://evil.example.com"}, is_published=True,
        )  # fmt: skip
    with pytest.raises(Exception, match="chat.whatsapp.com"):
        pages.bio_page_save(
            affiliate=affiliate, theme="modern", primary_color="#112233", font="sans", headline="", bio="",
            whatsapp="", wa_group_url="https://evil.example.com/x", socials={}, is_published=True,
        )  # fmt: skip
    with pytest.raises(Exception, match="tujuan"):
        pages.bio_button_save(affiliate=affiliate, kind="product", target="tidak-ada", label="Beli")


def test_short_links_can_target_bio_and_optin(affiliate, form):
    pages.bio_page_for(affiliate)
    link = short_link_create(affiliate=affiliate, domain=None, slug="dinda-bio", target_kind="bio",
                             target_slug=affiliate.code.lower())  # fmt: skip
    assert link.pk
    link2 = short_link_create(affiliate=affiliate, domain=None, slug="ebook-dinda", target_kind="optin",
                              target_slug=form.slug)  # fmt: skip
    assert link2.pk


def test_optin_is_embeddable_on_its_route_only(client, form, affiliate):
    response = client.get(f"/optin/{form.slug}")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    other = client.get(f"/bio/{affiliate.code.lower()}")
    assert "frame-ancestors 'none'" in other.get("Content-Security-Policy", "frame-ancestors 'none'")


def test_optin_submit_creates_a_lead_and_starts_the_automation(client, form, affiliate):
    credits.credit_topup(affiliate=affiliate, credits=10, ref="t")
    seq = sequences.sequence_save(
        affiliate=affiliate, name="Welcome", trigger="optin", form=form,
        steps=[{"delay_minutes": 0, "subject": "Selamat datang {first_name}", "body": "Ini ebooknya."},
               {"delay_minutes": 1440, "subject": "Hari 2", "body": "Langkah kedua."}],
    )  # fmt: skip
    sequences.sequence_set_active(affiliate=affiliate, sequence=seq, active=True)
    token = _token(client, form.slug)
    response = client.post(f"/optin/{form.slug}", {"name": "Budi Santoso", "email": "budi@contoh.id",
                                                   "whatsapp": "0812-1111-2222", "token": token})  # fmt: skip
    assert response.status_code == 200 and "Cek email Anda." in response.content.decode()
    lead = Lead.objects.get()
    assert (lead.source, lead.status, lead.form_id, lead.whatsapp) == (LeadSource.OPTIN, LeadStatus.NEW, form.pk,
                                                                        "+6281211112222")  # fmt: skip
    form.refresh_from_db()
    assert form.submission_count == 1
    notice = Notification.objects.get(user=affiliate.user, title__startswith="Lead baru")
    assert "Budi Santoso" in notice.title
    # the same email again: the same lead
    client.post(f"/optin/{form.slug}", {"name": "Budi", "email": "BUDI@contoh.id", "token": token})
    assert Lead.objects.count() == 1
    # the automation's first step goes out at the next sweep (outside quiet hours), one credit
    noon = timezone.localtime().replace(hour=12, minute=0) + timedelta(days=1)
    assert sequences.sequences_send_due(now=noon) == 1
    assert mail.outbox[-1].subject == "Selamat datang Budi"
    assert credits.balances_for(affiliate) == (9, 0)
    assert sequences.sequences_send_due(now=noon) == 0  # the next step is a day later
    # the lead buys: the sequence stops
    Lead.objects.filter(pk=lead.pk).update(converted_at=timezone.now())
    assert sequences.sequences_send_due(now=noon + timedelta(days=2)) == 0
    assert Enrollment.objects.get().status == EnrollmentStatus.STOPPED


def test_quiet_hours_hold_automation(affiliate, form, settings):
    settings.BOOSTER_QUIET_HOURS = "21:00-07:00"
    credits.credit_topup(affiliate=affiliate, credits=10, ref="t")
    seq = sequences.sequence_save(affiliate=affiliate, name="W", trigger="lead_created",
                                  steps=[{"delay_minutes": 0, "subject": "Hai", "body": "Isi"}])  # fmt: skip
    sequences.sequence_set_active(affiliate=affiliate, sequence=seq, active=True)
    pages.optin_submit(form=form, name="A", email="a@contoh.id", ip="10.0.0.9")
    night = timezone.localtime().replace(hour=23, minute=0) + timedelta(days=1)
    assert sequences.sequences_send_due(now=night) == 0
    assert sequences.sequences_send_due(now=night + timedelta(hours=10)) == 1


def test_honeypot_bad_token_and_flood_from_one_address(client, form, settings):
    settings.BOOSTER_OPTIN_RATE_LIMIT = "3/600"
    token = _token(client, form.slug)
    bot = client.post(f"/optin/{form.slug}", {"name": "Bot", "email": "bot@contoh.id", "token": token,
                                              "website": "http://spam"})  # fmt: skip
    assert bot.status_code == 200 and Lead.objects.count() == 0
    forged = client.post(f"/optin/{form.slug}", {"name": "A", "email": "a@contoh.id", "token": "palsu"})
    assert forged.status_code == 400 and Lead.objects.count() == 0
    statuses = [
        client.post(f"/optin/{form.slug}", {"name": f"P{i}", "email": f"p{i}@contoh.id", "token": token}).status_code
        for i in range(4)
    ]
    assert statuses[:2] == [200, 200] and statuses[-1] == 429
    assert (
        "Terlalu banyak"
        in client.post(f"/optin/{form.slug}", {"email": "z@contoh.id", "token": token}).content.decode()
    )


def test_hostile_input_is_a_clear_400(client, form):
    token = _token(client, form.slug)
    for data in ({"name": "A\x00B", "email": "x@contoh.id", "token": token},
                 {"name": "A", "email": "bukan email", "token": token},
                 {"name": "A" * 5000, "email": "y@contoh.id", "token": token},
                 {"name": "A", "email": "z@contoh.id", "whatsapp": "abc", "token": token}):  # fmt: skip
        response = client.post(f"/optin/{form.slug}", data)
        assert response.status_code == 400, data
    OptinForm.objects.filter(pk=form.pk).update(is_active=False)
    assert client.get(f"/optin/{form.slug}").status_code == 404


def test_whatsapp_redirect_with_prefilled_message(client, affiliate):
    f = pages.optin_save(affiliate=affiliate, data={
        "title": "Konsultasi", "headline": "Konsultasi Gratis", "ask_name": True, "ask_email": True,
        "action": "whatsapp", "wa_number": "081299998888", "wa_message": "Halo, saya {name} mau konsultasi",
        "is_active": True,
    })  # fmt: skip
    token = _token(client, f.slug)
    response = client.post(f"/optin/{f.slug}", {"name": "Sari", "email": "sari@contoh.id", "token": token})
    assert response.status_code == 302
    assert response["Location"].startswith("https://wa.me/6281299998888?text=Halo%2C+saya+Sari")


def test_bio_button_order(affiliate, form):
    a = pages.bio_button_save(affiliate=affiliate, kind="optin", target=form.slug, label="A")
    b = pages.bio_button_save(affiliate=affiliate, kind="optin", target=form.slug, label="B")
    pages.bio_button_move(affiliate=affiliate, button=b, up=True)
    assert list(BioButton.objects.order_by("position").values_list("label", flat=True)) == ["B", "A"]
    assert a.pk
