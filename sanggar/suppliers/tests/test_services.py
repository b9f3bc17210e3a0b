"""Supplier services: registration and onboarding, the status rules (what may be edited when), review and decision,
format checks, package limits, uploads checked by content, chat through chat's rule, Premium through the checkout,
reminders, and the directory's filters and ordering."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanggar.audit.models import ActivityLog
from sanggar.chat.models import Conversation, SupplierRefusal
from sanggar.chat.services import message_send
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.roles import Role
from sanggar.orders.checkout import checkout_place
from sanggar.orders.services import ItemRequest, order_mark_paid, order_refund
from sanggar.suppliers import selectors, services
from sanggar.suppliers.constants import Status
from sanggar.suppliers.models import PremiumPeriod, ReminderSent, ReviewEntry, Supplier

from .conftest import pdf, png

pytestmark = pytest.mark.django_db


def test_register_makes_a_draft_supplier_with_the_role_and_is_idempotent(make_user):
    user = make_user(full_name="Budi Keripik")
    supplier = services.supplier_register(user=user)
    assert supplier.status == Status.DRAFT and supplier.slug == "budi-keripik"
    user.__dict__.pop("role_set", None)
    assert {Role.SUPPLIER, Role.MEMBER} <= user.role_set
    assert services.supplier_register(user=user).pk == supplier.pk
    assert Supplier.objects.count() == 1


def test_full_flow_submit_review_recommend_decide(make_user, mentor, admin_user, question):
    user = make_user(full_name="Kopi Gayo")
    supplier = services.supplier_register(user=user)
    with pytest.raises(ServiceError, match="Lengkapi dulu"):
        services.supplier_submit(supplier=supplier, actor=user)
    services.supplier_set_type(supplier=supplier, actor=user, supplier_type="aggregator")
    assert supplier.status == Status.ONBOARDING
    from .conftest import PROFILE

    for tab, fields in services.TABS.items():
        services.profile_update(
            supplier=supplier, actor=user, tab=tab, data={k: v for k, v in PROFILE.items() if k in fields}
        )
    assert any("Asesmen" in m for m in services.missing_for_submit(supplier))
    services.answers_save(supplier=supplier, actor=user, answers={question.pk: question.options.last().pk})
    services.supplier_submit(supplier=supplier, actor=user)
    supplier.refresh_from_db()
    assert supplier.status == Status.WAITING_REVIEW and supplier.assessment_score == 4
    assert mentor.notifications.filter(data__template="suppliers.submitted").exists()
    with pytest.raises(NotAllowed):
        services.mentor_recommend(supplier=supplier, actor=user, note="saya sendiri")
    with pytest.raises(ServiceError, match="direkomendasikan mentor"):
        services.admin_decide(supplier=supplier, actor=admin_user, status="verified", reason="cepat")
    services.mentor_recommend(supplier=supplier, actor=mentor, note="Kapasitas sesuai")
    assert admin_user.notifications.filter(data__template="suppliers.recommended").exists()
    with pytest.raises(ServiceError):
        services.admin_decide(supplier=supplier, actor=admin_user, status="verified", reason="  ")
    with pytest.raises(NotAllowed):
        services.admin_decide(supplier=supplier, actor=mentor, status="verified", reason="ok")
    services.admin_decide(supplier=supplier, actor=admin_user, status="verified", reason="Legalitas sesuai")
    supplier.refresh_from_db()
    assert supplier.status == Status.VERIFIED and supplier.decided_by == admin_user
    assert user.notifications.filter(data__template="suppliers.decided").exists()
    actions = list(ReviewEntry.objects.filter(supplier=supplier).values_list("action", flat=True))
    assert set(actions) == {"submitted", "recommended", "decided"}
    assert ActivityLog.objects.filter(action="suppliers.decided").count() == 1
    # the upgrade reminders are the reminder engine's (test_upgrade_reminders.py): nothing sent from here
    services.admin_decide(supplier=supplier, actor=admin_user, status="suspended", reason="Keluhan buyer")
    assert not ReminderSent.objects.filter(supplier=supplier).exists()


def test_mentor_request_changes_reopens_the_profile(make_supplier, mentor):
    user, supplier = make_supplier("waiting_review")
    with pytest.raises(ServiceError):
        services.mentor_request_changes(supplier=supplier, actor=mentor, note="")
    services.mentor_request_changes(supplier=supplier, actor=mentor, note="Tambahkan foto gudang")
    supplier.refresh_from_db()
    assert supplier.status == Status.ONBOARDING
    services.profile_update(supplier=supplier, actor=user, tab="identitas", data={"main_products": "Pala"})
    assert user.notifications.filter(data__template="suppliers.changes").exists()


def test_edit_rules_by_status(make_supplier, admin_user):
    user, supplier = make_supplier("waiting_review")
    with pytest.raises(ServiceError) as exc:
        services.profile_update(supplier=supplier, actor=user, tab="identitas", data={"company_name": "Baru"})
    assert "company_name" in exc.value.errors
    services.profile_update(supplier=supplier, actor=user, tab="kontak", data={"pic_name": "Budi"})
    with pytest.raises(NotAllowed):
        services.supplier_set_type(supplier=supplier, actor=user, supplier_type="trader")
    user2, recommended = make_supplier("recommended", name="PT Dua")
    with pytest.raises(ServiceError):
        services.profile_update(supplier=recommended, actor=user2, tab="kontak", data={"pic_name": "X"})
    with pytest.raises(NotAllowed):
        services.document_add(supplier=recommended, actor=user2, kind="nib", file=pdf())
    user3, verified = make_supplier("verified", name="PT Tiga")
    before = ActivityLog.objects.filter(action="suppliers.profile_updated").count()
    services.profile_update(supplier=verified, actor=user3, tab="identitas", data={"company_name": "PT Tiga Jaya"})
    assert ActivityLog.objects.filter(action="suppliers.profile_updated").count() == before + 1
    # only an admin changes the type after onboarding, and it is recorded
    services.supplier_set_type(supplier=verified, actor=admin_user, supplier_type="trader")
    assert ReviewEntry.objects.filter(supplier=verified, action="type_changed").exists()
    user4, suspended = make_supplier("suspended", name="PT Empat")
    with pytest.raises(ServiceError):
        services.profile_update(supplier=suspended, actor=user4, tab="kontak", data={"pic_name": "Y"})


@pytest.mark.parametrize(
    "tab,data,field",
    [
        ("legalitas", {"nib": "12345"}, "nib"),
        ("legalitas", {"nib": "12345678901ab"}, "nib"),
        ("legalitas", {"npwp": "01.234.567.8-901"}, "npwp"),
        ("kontak", {"whatsapp": "12345"}, "whatsapp"),
        ("kontak", {"business_email": "bukan-email"}, "business_email"),
        ("kontak", {"website": "javascript:alert(1)"}, "website"),
        ("alamat", {"postal_code": "9024"}, "postal_code"),
        ("alamat", {"province": "Atlantis"}, "province"),
        ("identitas", {"company_name": "PT\x00X"}, "company_name"),
        ("identitas", {"company_name": "x" * 151}, "company_name"),
        ("identitas", {"company_name": ["daftar"]}, "company_name"),
        ("identitas", {"legal_form": "llc"}, "legal_form"),
        ("identitas", {"year_founded": "1800"}, "year_founded"),
        ("profil", {"short_description": "x" * 2001}, "short_description"),
    ],
)
def test_hostile_and_malformed_profile_input_is_refused_per_field(make_supplier, tab, data, field):
    user, supplier = make_supplier("onboarding")
    with pytest.raises(ServiceError) as exc:
        services.profile_update(supplier=supplier, actor=user, tab=tab, data=data)
    assert field in exc.value.errors


def test_nib_and_npwp_formats_are_normalised(make_supplier):
    user, supplier = make_supplier("onboarding")
    services.profile_update(
        supplier=supplier, actor=user, tab="legalitas", data={"nib": "9120 0012 3456 7", "npwp": "01.234.567.8-901.000"}
    )
    assert supplier.nib == "9120001234567" and supplier.npwp == "012345678901000"
    services.profile_update(supplier=supplier, actor=user, tab="legalitas", data={"npwp": "3171234567890001"})
    assert supplier.npwp == "3171234567890001"


def test_uploads_are_checked_by_content(make_supplier):
    user, supplier = make_supplier("onboarding")
    fake = SimpleUploadedFile("nib.pdf", b"<html>bukan pdf</html>", content_type="application/pdf")
    with pytest.raises(ServiceError, match="tidak cocok"):
        services.document_add(supplier=supplier, actor=user, kind="nib", file=fake)
    with pytest.raises(ServiceError, match="tidak didukung"):
        services.document_add(
            supplier=supplier,
            actor=user,
            kind="nib",
            file=SimpleUploadedFile("a.exe", b"MZ", content_type="application/pdf"),
        )
    svg = SimpleUploadedFile("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/png")
    with pytest.raises(ServiceError):
        services.file_add(supplier=supplier, actor=user, kind="logo", file=svg)
    doc = services.document_add(supplier=supplier, actor=user, kind="nib", number="9120001234567", file=pdf())
    assert doc.file.name.startswith("private/") and doc.original_name == "nib.pdf"
    supplier.refresh_from_db()
    assert supplier.nib == "9120001234567"
    with pytest.raises(ServiceError):
        services.document_add(supplier=supplier, actor=user, kind="npwp", number="123", file=pdf())
    big = services.file_add(supplier=supplier, actor=user, kind="photo", file=png(size=(3000, 1500)))
    from PIL import Image

    with Image.open(big.file.path) as stored:
        assert stored.size == (1600, 800)  # compressed for display
    first = services.file_add(supplier=supplier, actor=user, kind="logo", file=png())
    second = services.file_add(supplier=supplier, actor=user, kind="logo", file=png())
    assert list(supplier.files.filter(kind="logo").values_list("pk", flat=True)) == [second.pk]
    assert first.pk != second.pk


def test_package_limits_products_images_catalogues_and_premium_fields(make_supplier, admin_user):
    user, supplier = make_supplier("verified")
    product = services.product_save(
        supplier=supplier,
        actor=user,
        data={
            "title": "Cengkeh",
            "hs_code": "0907.10",
            "status": "active",
            "categories": ["rempah"],
            "price_min": "145.000",
            "price_max": 165000,
        },
    )
    assert product.hs_code == "090710" and product.price_min == 145000
    with pytest.raises(ServiceError, match="paling banyak 1 produk"):
        services.product_save(supplier=supplier, actor=user, data={"title": "Pala"})
    for _i in range(3):
        services.file_add(supplier=supplier, actor=user, kind="product_image", product=product, file=png())
    with pytest.raises(ServiceError, match="3 foto"):
        services.file_add(supplier=supplier, actor=user, kind="product_image", product=product, file=png())
    with pytest.raises(ServiceError, match="Premium"):
        services.file_add(supplier=supplier, actor=user, kind="catalogue", product=product, file=pdf("k.pdf"))
    with pytest.raises(ServiceError) as exc:
        services.product_save(
            supplier=supplier, actor=user, product=product, data={"title": "Cengkeh", "title_en": "Cloves"}
        )
    assert "title_en" in exc.value.errors
    services.premium_extend(supplier=supplier, days=30, source="admin", actor=admin_user)
    supplier.refresh_from_db()
    services.product_save(
        supplier=supplier, actor=user, data={"title": "Pala", "link_url": "/kelas/dasar-ekspor", "title_en": "Nutmeg"}
    )
    services.file_add(supplier=supplier, actor=user, kind="catalogue", product=product, file=pdf("katalog.pdf"))
    with pytest.raises(ServiceError):
        services.product_save(supplier=supplier, actor=user, data={"title": "Lada", "link_url": "https://jahat.test"})


@pytest.mark.parametrize(
    "data,field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 101}, "title"),
        ({"title": "A", "hs_code": "12"}, "hs_code"),
        ({"title": "A", "moq": "-3"}, "moq"),
        ({"title": "A", "price_min": "10", "price_max": "5"}, "price_max"),
        ({"title": "A", "categories": ["senjata"]}, "categories"),
        ({"title": "A", "status": "published"}, "status"),
        ({"title": "A", "description": "a\x00b"}, "description"),
    ],
)
def test_product_input_is_validated(make_supplier, data, field):
    user, supplier = make_supplier("verified")
    with pytest.raises(ServiceError) as exc:
        services.product_save(supplier=supplier, actor=user, data=data)
    assert field in exc.value.errors


def test_description_html_is_sanitised_and_products_need_approval(make_supplier):
    user, supplier = make_supplier("verified")
    p = services.product_save(
        supplier=supplier,
        actor=user,
        data={"title": "A", "description": "<p onclick='x()'>Halo<script>x()</script></p>"},
    )
    assert p.description == "<p>Halo</p>"
    user2, waiting = make_supplier("waiting_review", name="PT Antre")
    with pytest.raises(NotAllowed):
        services.product_save(supplier=waiting, actor=user2, data={"title": "A"})


def test_chat_only_premium_suppliers_receive_and_refusals_remind_once(make_supplier, make_user, monkeypatch):
    monkeypatch.setattr("sanggar.chat.policy.is_premium", lambda *, user: True)  # the member holds a membership
    member = make_user(full_name="Pembeli Premium")
    s_user, supplier = make_supplier("verified")
    with pytest.raises(NotAllowed, match="belum dapat menerima chat"):
        services.contact(supplier=supplier, member=member)
    with pytest.raises(NotAllowed):
        services.contact(supplier=supplier, member=member)
    assert SupplierRefusal.objects.filter(supplier=s_user).count() == 2
    assert selectors.supplier_stats(supplier)["refused"] == 2
    services.premium_extend(supplier=supplier, days=30, source="admin")
    supplier.refresh_from_db()
    conversation = services.contact(supplier=supplier, member=member)
    message_send(user=member, conversation_id=conversation.pk, body="Minta harga cengkeh 1 ton")
    message_send(user=s_user, conversation_id=conversation.pk, body="Siap, kami kirim penawaran")
    stats = selectors.supplier_stats(supplier, detailed=True)
    assert stats["inquiries"] == 1 and stats["reply_rate"] == 100 and stats["response_minutes"] == 0
    # a suspended premium supplier receives nothing (and is not listed)
    Supplier.objects.filter(pk=supplier.pk).update(status=Status.SUSPENDED)
    supplier.refresh_from_db()
    with pytest.raises(NotFound):
        services.contact(supplier=supplier, member=member)
    assert not services.premium_for_user(s_user)
    assert Conversation.objects.count() == 1


def test_premium_is_bought_through_the_checkout_and_refund_revokes_it(make_supplier, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    plan = services.plan_save(actor=admin_user, name="Premium 1 Bulan", duration_days=30, price=149000)
    user, supplier = make_supplier("verified")
    result = checkout_place(buyer=user, items=[ItemRequest(kind="supplier", slug=plan.slug)], provider="manual")
    order = result.order
    line = order.items.get()
    assert line.amount == 149000 and line.ref == plan.slug
    order_mark_paid(order=order, actor=admin_user)
    supplier.refresh_from_db()
    assert services.is_premium(supplier) and supplier.package == "premium"
    assert PremiumPeriod.objects.get(supplier=supplier).invoice == order.invoice_number
    assert services.premium_for_user(user)
    order_refund(order=order, actor=admin_user, reason="Salah beli")
    supplier.refresh_from_db()
    assert not services.is_premium(supplier) and PremiumPeriod.objects.get().revoked_at is not None
    # not approved: cannot buy
    other, waiting = make_supplier("waiting_review", name="PT Antre")
    with pytest.raises(ServiceError):
        checkout_place(buyer=other, items=[ItemRequest(kind="supplier", slug=plan.slug)], provider="manual")


def test_trial_once_and_premium_periods_stack(make_supplier):
    user, supplier = make_supplier("verified")
    period = services.trial_start(supplier=supplier, actor=user)
    assert (period.ends_at - period.starts_at).days == 7
    with pytest.raises(NotAllowed):
        services.trial_start(supplier=supplier, actor=user)
    later = services.premium_extend(supplier=supplier, days=30, source="admin")
    assert later.starts_at == period.ends_at


def _admin():
    from sanggar.accounts.models import User

    return User.objects.filter(roles__role=Role.ADMIN).first()


def test_directory_lists_approved_premium_first_with_filters(make_supplier, django_assert_max_num_queries):
    _u, free = make_supplier("verified", name="Kopi Free")
    _u, premium = make_supplier("limited", name="Rempah Premium", premium_days=30)
    make_supplier("waiting_review", name="Masih Antre")
    make_supplier("suspended", name="Ditangguhkan")
    rows = list(selectors.directory())
    assert [s.pk for s in rows] == [premium.pk, free.pk]
    assert [s.pk for s in selectors.directory(status="verified")] == [free.pk]
    assert [s.pk for s in selectors.directory(premium=True)] == [premium.pk]
    assert list(selectors.directory(province="Aceh")) == []
    services.product_save(
        supplier=free,
        actor=free.user,
        data={"title": "Arabika Gayo", "hs_code": "090111", "status": "active", "categories": ["kopi_teh"]},
    )
    assert [s.pk for s in selectors.directory(q="arabika")] == [free.pk]
    assert [s.pk for s in selectors.directory(hs="0901")] == [free.pk]
    assert [s.pk for s in selectors.directory(field="kopi_teh")] == [free.pk]
    for i in range(6):
        make_supplier("verified", name=f"Supplier {i}")
    with django_assert_max_num_queries(3):
        rows = list(selectors.directory())
        assert len(rows) == 8 and all(hasattr(r, "logo_files") for r in rows)


def test_likes_and_views_count_once(make_supplier, make_user):
    user, supplier = make_supplier("verified")
    product = services.product_save(supplier=supplier, actor=user, data={"title": "A", "status": "active"})
    member = make_user()
    assert services.product_like_toggle(product=product, user=member) is True
    product.refresh_from_db()
    assert product.likes_count == 1
    assert services.product_like_toggle(product=product, user=member) is False
    assert services.view_record(supplier=supplier, viewer=member) is True
    assert services.view_record(supplier=supplier, viewer=member) is False
    assert services.view_record(supplier=supplier, viewer=user) is False  # the supplier's own visits
    supplier.refresh_from_db()
    assert supplier.views_count == 1


def test_assessment_questions_by_mentor_and_answers_validated(make_supplier, mentor, make_user):
    q = services.question_create(
        actor=mentor, supplier_type="trader", text="Pemasok tetap?", options=[("1-2", 1), ("3-10", 2), (">10", 4)]
    )
    with pytest.raises(NotAllowed):
        services.question_create(actor=make_user(), supplier_type="", text="x", options=[("a", 1), ("b", 2)])
    with pytest.raises(ServiceError):
        services.question_create(actor=mentor, supplier_type="", text="x", options=[("a", 1)])
    user, supplier = make_supplier("onboarding")  # type produsen: the trader question is not asked
    with pytest.raises(ServiceError):
        services.answers_save(supplier=supplier, actor=user, answers={q.pk: q.options.first().pk})
    with pytest.raises(ServiceError):
        services.answers_save(supplier=supplier, actor=user, answers={"x": "y"})


def test_slug_change_is_premium_and_unique(make_supplier):
    user, supplier = make_supplier("verified")
    with pytest.raises(NotAllowed):
        services.slug_change(supplier=supplier, actor=user, slug="rempah-hebat")
    services.premium_extend(supplier=supplier, days=30, source="admin")
    supplier.refresh_from_db()
    services.slug_change(supplier=supplier, actor=user, slug="rempah-hebat")
    _u2, other = make_supplier("verified", name="Lain", premium_days=3)
    for bad in ("rempah-hebat", "daftar", "A B", "x", "-awal"):
        with pytest.raises(ServiceError):
            services.slug_change(supplier=other, actor=other.user, slug=bad)
