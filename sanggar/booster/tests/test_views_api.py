"""Affiliate and admin pages (who may open them, bounded queries), CSV import/export, credit packages through the
checkout, conversion on a paid order, and the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.booster.constants import LeadStatus
from sanggar.booster.models import Broadcast, CreditEntry, EmailTemplate, Lead, Suppression
from sanggar.booster.services import credits, leads, pages
from sanggar.notifications.models import EmailSuppression
from sanggar.orders.services import ItemRequest, order_create
from sanggar.orders.services.fulfilment import order_mark_paid

pytestmark = pytest.mark.django_db

AFFILIATE_PAGES = ["/affiliate/bio", "/affiliate/optin", "/affiliate/optin/baru", "/affiliate/leads",
                   "/affiliate/leads/baru", "/affiliate/leads/impor", "/affiliate/leads/export.csv",
                   "/affiliate/credits", "/affiliate/broadcast", "/affiliate/broadcast/baru", "/affiliate/automation",
                   "/affiliate/automation/baru"]  # fmt: skip
ADMIN_PAGES = ["/admin/affiliate/credits", "/admin/affiliate/credits/paket", "/admin/affiliate/templates",
               "/admin/affiliate/templates/email/baru", "/admin/affiliate/templates/bio/baru",
               "/admin/affiliate/automation", "/admin/affiliate/suppression"]  # fmt: skip


def test_pages_by_role(client, aff_user, affiliate, make_user, admin_user):
    member = make_user()
    for path in AFFILIATE_PAGES + ADMIN_PAGES:
        assert client.get(path).status_code == 302, path
    client.force_login(member)
    for path in AFFILIATE_PAGES + ADMIN_PAGES:
        assert client.get(path).status_code == 403, path
    client.force_login(aff_user)
    for path in AFFILIATE_PAGES:
        assert client.get(path).status_code == 200, path
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 403, path
    client.force_login(admin_user)
    for path in ADMIN_PAGES + [f"/admin/affiliate/credits/{affiliate.pk}"]:
        assert client.get(path).status_code == 200, path


def test_someone_elses_objects_answer_404(client, affiliate, other_affiliate, make_user):
    lead, _c = leads.lead_upsert(affiliate=other_affiliate, email="x@contoh.id")
    form = pages.optin_save(affiliate=other_affiliate, data={"title": "F", "headline": "H", "ask_email": True})
    client.force_login(affiliate.user)
    assert client.get(f"/affiliate/leads/{lead.pk}").status_code == 404
    assert client.get(f"/affiliate/optin/{form.pk}").status_code == 404
    response = call(client, "get", "/affiliate/leads", user=affiliate.user)
    assert response.json()["count"] == 0


def test_lead_list_filters_search_and_bounded_queries(client, affiliate, django_assert_max_num_queries):
    for i in range(30):
        leads.lead_upsert(affiliate=affiliate, name=f"Lead {i}", email=f"l{i}@contoh.id", tags=["hot"] if i % 2 else [])
    client.force_login(affiliate.user)
    with django_assert_max_num_queries(20):
        response = client.get("/affiliate/leads")
    assert response.status_code == 200 and response.content.decode().count("/affiliate/leads/") >= 20
    assert "Lead 29" in client.get("/affiliate/leads?q=Lead+29").content.decode()
    html = client.get("/affiliate/leads?tag=hot&page=2").content.decode()
    assert "data-" in html or "Lead" in html
    export = client.get("/affiliate/leads/export.csv?tag=hot")
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 16  # header + 15 tagged leads


def test_csv_import_with_consent(client, affiliate):
    client.force_login(affiliate.user)
    csv_text = "nama,email,whatsapp,tags\nSari,sari@contoh.id,081234567890,hot;webinar\nBudi,bukan-email,,\n,,,\n"
    upload = SimpleUploadedFile("leads.csv", csv_text.encode(), content_type="text/csv")
    refused = client.post("/affiliate/leads/impor", {"file": upload})
    assert "Centang" in refused.content.decode() and Lead.objects.count() == 0
    upload = SimpleUploadedFile("leads.csv", csv_text.encode(), content_type="text/csv")
    response = client.post("/affiliate/leads/impor", {"file": upload, "consent": "on"})
    assert response.status_code == 200
    assert "Baris 3" in response.content.decode()
    lead = Lead.objects.get()
    assert lead.source == "import" and sorted(lead.tags.values_list("tag", flat=True)) == ["hot", "webinar"]


def test_status_change_sets_last_contacted(affiliate):
    lead, _c = leads.lead_upsert(affiliate=affiliate, email="a@contoh.id")
    assert lead.last_contacted_at is None
    leads.lead_update(lead=lead, status=LeadStatus.CONTACTED)
    assert lead.last_contacted_at is not None


def test_credit_package_sold_through_checkout_and_conversion(client, affiliate, package, make_user, admin_user):
    order = order_create(buyer=affiliate.user, items=[ItemRequest(kind="kredit", slug=package.slug)], provider="manual")
    assert order.total >= 50_000
    order_mark_paid(order=order, actor=admin_user)
    assert credits.balances_for(affiliate) == (70, 0)
    # a member cannot buy credits
    member = make_user(email="budi@contoh.id")
    with pytest.raises(Exception, match="affiliate"):
        order_create(buyer=member, items=[ItemRequest(kind="kredit", slug=package.slug)], provider="manual")
    # the lead buys through the affiliate: converted
    lead, _c = leads.lead_upsert(affiliate=affiliate, name="Budi", email="budi@contoh.id")
    from sanggar.orders.tests.shop import Shop

    product = Shop(admin_user).product("Ebook Ekspor", price=99_000)
    sale = order_create(buyer=member, items=[ItemRequest(kind="product", slug=product.slug)], provider="manual",
                        affiliate=affiliate.user)  # fmt: skip
    order_mark_paid(order=sale, actor=admin_user)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED and lead.converted_at is not None
    client.force_login(affiliate.user)
    assert client.get(f"/kredit/{package.slug}/checkout").status_code == 200


def test_admin_adjusts_credits_suspends_and_blocks(client, admin_user, affiliate):
    client.force_login(admin_user)
    url = f"/admin/affiliate/credits/{affiliate.pk}"
    client.post(url, {"form": "adjust", "amount": 50, "reason": "Bonus peluncuran"})
    assert credits.balances_for(affiliate) == (50, 0)
    response = client.post(url, {"form": "adjust", "amount": -80, "reason": "Koreksi"})
    assert "Kredit tidak cukup" in response.content.decode()
    client.post(url, {"form": "control", "suspended": "on", "reason": "Spam", "daily_cap": 100})
    account = credits.account_for(affiliate)
    account.refresh_from_db()
    assert account.sending_suspended and account.daily_cap == 100
    client.post("/admin/affiliate/suppression", {"email": "Spam@Contoh.id", "reason": "keluhan"})
    assert EmailSuppression.objects.filter(email="spam@contoh.id", reason="keluhan").exists()
    assert not Suppression.objects.filter(email="spam@contoh.id").exists()  # one global list, not two
    template = {
        "name": "Promo",
        "category": "membership",
        "subject": "Promo {name}",
        "body": "Isi",
        "is_published": "on",
    }
    client.post("/admin/affiliate/templates/email/baru", template)
    assert EmailTemplate.objects.filter(is_published=True).count() == 1
    client.post("/admin/affiliate/credits/paket", {"name": "Pro", "price": 100000, "credits": 150, "is_active": "on"})
    assert CreditEntry.objects.filter(kind="adjust").count() == 1


def test_affiliate_broadcast_pages_send_flow(client, affiliate, django_capture_on_commit_callbacks):
    credits.credit_topup(affiliate=affiliate, credits=10, ref="t")
    leads.lead_upsert(affiliate=affiliate, name="Sari", email="sari@contoh.id")
    client.force_login(affiliate.user)
    response = client.post("/affiliate/broadcast/baru", {"name": "Promo", "subject": "Halo {name}",
                                                         "body": "Isi https://contoh.id"})  # fmt: skip
    b = Broadcast.objects.get()
    assert response.status_code == 302
    page = client.get(f"/affiliate/broadcast/{b.pk}").content.decode()
    assert "Halo Budi Santoso" in page and "1 lead = 1 kredit" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/affiliate/broadcast/{b.pk}/aksi", {"action": "send"})
    b.refresh_from_db()
    assert b.status == "sent" and b.sent_count == 1 and credits.balances_for(affiliate) == (9, 0)


def test_broadcast_starts_from_a_published_template(client, affiliate):
    """The picker's ?template= fills the form, and template_id is kept on save (the list is sliced for the picker;
    the lookup is not)."""
    template = EmailTemplate.objects.create(name="Promo Membership", subject="Diskon {name}", body="Isi promo",
                                            is_published=True)  # fmt: skip
    draft = EmailTemplate.objects.create(name="Belum terbit", subject="x", body="x", is_published=False)
    client.force_login(affiliate.user)
    page = client.get(f"/affiliate/broadcast/baru?template={template.pk}")
    assert page.status_code == 200 and "Diskon {name}" in page.content.decode()
    assert "Belum terbit" not in client.get(f"/affiliate/broadcast/baru?template={draft.pk}").content.decode()
    response = client.post("/affiliate/broadcast/baru", {"name": "Promo", "subject": "Halo", "body": "Isi",
                                                         "template_id": str(template.pk)})  # fmt: skip
    assert response.status_code == 302 and Broadcast.objects.get().template == template


def test_api_bio_optin_leads_credits_broadcasts(client, affiliate, django_capture_on_commit_callbacks):
    pages.bio_page_for(affiliate)
    form = pages.optin_save(affiliate=affiliate, data={"title": "F", "headline": "Ebook", "ask_email": True,
                                                       "ask_name": True})  # fmt: skip
    body = call(client, "get", f"/bio/{affiliate.code.lower()}").json()
    assert body["optin_forms"][0]["slug"] == form.slug and body["optin_forms"][0]["title"] == "Ebook"
    r = call(client, "post", f"/optin/{form.slug}", {"name": "Sari", "email": "sari@contoh.id", "whatsapp": ""})
    assert r.status_code == 201
    assert call(client, "post", f"/optin/{form.slug}", {"name": "S", "email": "x"}).status_code == 400
    assert call(client, "post", f"/optin/{form.slug}", {"name": 5, "email": []}).status_code == 422
    assert call(client, "post", "/optin/tidak-ada", {"email": "a@contoh.id"}).status_code == 404
    user = affiliate.user
    r = call(
        client, "post", "/affiliate/leads", {"name": "Budi", "email": "budi@contoh.id", "tags": ["hot"]}, user=user
    )
    assert r.status_code == 201 and r.json()["tags"] == ["hot"]
    assert call(client, "post", "/affiliate/leads", {"email": "budi@contoh.id"}, user=user).status_code == 200
    assert call(client, "get", "/affiliate/leads?tag=hot", user=user).json()["count"] == 1
    assert call(client, "get", "/affiliate/credits", user=user).json()["balance"] == 0
    r = call(
        client, "post", "/affiliate/broadcasts", {"name": "P", "subject": "S", "body": "B", "send": "now"}, user=user
    )
    assert r.status_code == 400 and "Kredit tidak cukup" in r.json()["message"]
    credits.credit_topup(affiliate=affiliate, credits=5, ref="t")
    with django_capture_on_commit_callbacks(execute=True):
        r = call(client, "post", "/affiliate/broadcasts", {"name": "P", "subject": "S", "body": "B", "send": "now"},
                 user=user)  # fmt: skip
    assert r.status_code == 201
    detail = call(client, "get", f"/affiliate/broadcasts/{r.json()['id']}", user=user).json()
    assert detail["sent"] == 2 and detail["credits_used"] == 2
    later = (timezone.now() + timezone.timedelta(days=2)).isoformat()
    weekly = {"frequency": "weekly", "days_of_week": [1, 3], "time_of_day": "20:00"}
    data = {"name": "W", "subject": "S", "body": "B", "send": "schedule", "scheduled_at": later, "recurrence": weekly}
    r = call(client, "post", "/affiliate/broadcasts", data, user=user)
    assert r.status_code == 201 and r.json()["status"] == "scheduled" and r.json()["recurring"]
    assert call(client, "get", "/affiliate/credits", user=user).json()["reserved"] == 2
    assert call(client, "post", "/affiliate/broadcasts", {"name": "\x00", "subject": "S", "body": "B"},
                user=user).status_code == 400  # fmt: skip
    assert call(client, "get", "/affiliate/leads", user=None).status_code == 401


def test_member_cannot_use_affiliate_api(client, make_user):
    member = make_user()
    assert call(client, "get", "/affiliate/leads", user=member).status_code == 403


def test_bench_targets_for_bio_and_optin(affiliate, settings):
    """`make bench`'s bio and opt-in targets answer as expected in-process, within a fixed number of queries."""
    from bench.targets import TARGETS, Context, _booster_pages, queries_per_request

    settings.TRUSTED_PROXY_COUNT = 1
    context = Context(admin_cookie="", tokens=[], callback_token="", webhooks=[], **_booster_pages())
    targets = {t.key: t for t in TARGETS}
    assert queries_per_request(targets["bio"], context) <= 8
    assert queries_per_request(targets["optin"], context) <= 30
    assert Lead.objects.filter(affiliate=affiliate).count() == 2


def test_a_lead_who_registers_is_bound_to_the_affiliate(affiliate):
    from sanggar.accounts.services import user_register
    from sanggar.affiliates.models import Referral

    leads.lead_upsert(affiliate=affiliate, name="Sari", email="sari.baru@contoh.id")
    user = user_register(
        email="Sari.Baru@contoh.id", full_name="Sari Baru", whatsapp="081277778888", password="Rahasia-Kuat-2027"
    )
    assert Referral.objects.get(user=user).affiliate == affiliate


def test_api_lead_detail_update_tags_delete(client, affiliate, other_affiliate):
    user = affiliate.user
    lead, _c = leads.lead_upsert(affiliate=affiliate, name="Sari", email="sari@contoh.id")
    other, _c = leads.lead_upsert(affiliate=other_affiliate, email="lain@contoh.id")
    assert call(client, "get", f"/affiliate/leads/{other.pk}", user=user).status_code == 404
    r = call(
        client, "patch", f"/affiliate/leads/{lead.pk}", {"status": "contacted", "notes": "Telepon Senin"}, user=user
    )
    assert r.status_code == 200 and r.json()["status"] == "contacted" and r.json()["last_contacted_at"]
    assert call(client, "post", f"/affiliate/leads/{lead.pk}/tags", {"tag": "Hot"}, user=user).json()["tags"] == ["hot"]
    assert call(client, "delete", f"/affiliate/leads/{lead.pk}/tags/hot", user=user).json()["tags"] == []
    assert call(client, "patch", f"/affiliate/leads/{lead.pk}", {"email": "salah"}, user=user).status_code == 400
    assert call(client, "delete", f"/affiliate/leads/{lead.pk}", user=user).status_code == 204
    assert not Lead.objects.filter(pk=lead.pk).exists()
    assert call(client, "get", "/affiliate/broadcasts", user=user).json()["count"] == 0
