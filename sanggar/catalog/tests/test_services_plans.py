from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.access.models import Resource
from sanggar.access.services import resource_ensure
from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.catalog import services
from sanggar.catalog.models import FollowUpStep, MembershipPlan, PlanFeature, PlanPrice
from sanggar.catalog.services import FollowUpInput, PriceInput
from sanggar.catalog.services.followups import follow_ups_replace
from sanggar.core.exceptions import NotAllowed, ServiceError

from .conftest import png

pytestmark = pytest.mark.django_db


def _rows(what):
    return list(ActivityLog.objects.filter(action=Action.SETTINGS_CHANGED, data__what=what))


def test_create_generates_a_unique_slug_and_starts_as_draft(admin_user):
    first = services.plan_create(actor=admin_user, title="Paket Gold Ekspor")
    second = services.plan_create(actor=admin_user, title="Paket Gold Ekspor")
    assert (first.slug, second.slug) == ("paket-gold-ekspor", "paket-gold-ekspor-2")
    assert first.status == "draft"
    row = _rows("plan.created")[0]
    assert row.actor == admin_user
    assert row.target_id == str(second.pk)
    assert row.target_label == "Paket Paket Gold Ekspor"


def test_reserved_slugs_are_never_generated_nor_accepted(admin_user):
    plan = services.plan_create(actor=admin_user, title="All")
    assert plan.slug == "all-2"
    with pytest.raises(ServiceError) as exc:
        services.plan_create(actor=admin_user, title="Bandingkan", slug="compare")
    assert exc.value.errors == {"slug": ["Slug “compare” dipakai sistem; pilih slug lain."]}


def test_slug_is_editable_unique_and_validated(admin_user, make_plan):
    gold = make_plan("Gold")
    silver = make_plan("Silver")
    services.plan_update(plan=gold, actor=admin_user, slug="emas")
    gold.refresh_from_db()
    assert gold.slug == "emas"
    with pytest.raises(ServiceError) as exc:
        services.plan_update(plan=silver, actor=admin_user, slug="emas")
    assert exc.value.errors == {"slug": ["Slug “emas” sudah dipakai paket lain."]}
    with pytest.raises(ServiceError) as exc:
        services.plan_update(plan=silver, actor=admin_user, slug="Perak Premium!")
    assert exc.value.errors["slug"] == ["Slug hanya boleh huruf kecil, angka dan tanda hubung, contoh: paket-gold."]
    silver.refresh_from_db()
    assert silver.slug == "silver"


def test_only_admins_may_write(make_user):
    member = make_user()
    with pytest.raises(NotAllowed):
        services.plan_create(actor=member, title="Gold")
    assert not MembershipPlan.objects.exists()
    assert not ActivityLog.objects.exists()


def test_description_is_sanitised(admin_user):
    plan = services.plan_create(
        actor=admin_user,
        title="Gold",
        description='<h2 onclick="x()">Isi</h2><script>alert(1)</script><p><a href="javascript:x">a</a>'
        '<a href="https://eksporyuk.com">b</a></p>',
    )
    assert plan.description == (
        '<h2>Isi</h2><p><a rel="noopener noreferrer nofollow">a</a>'
        '<a href="https://eksporyuk.com" rel="noopener noreferrer nofollow">b</a></p>'
    )


def test_marketing_fields_and_validation(admin_user, make_plan):
    plan = make_plan("Gold", status="draft")
    services.plan_update(
        plan=plan,
        actor=admin_user,
        badge_best_seller="on",
        badge_cheapest=False,
        external_sales_url="https://eksporyuk.com/gold",
        rank="3",
        upgrade_mode="full",
        affiliate_commission_type="percent",
        affiliate_commission_value="30",
        status="active",
    )
    plan.refresh_from_db()
    assert (plan.badge_best_seller, plan.badge_cheapest, plan.rank, plan.upgrade_mode, plan.status) == (
        True, False, 3, "full", "active",
    )  # fmt: skip
    assert (plan.affiliate_commission_type, plan.affiliate_commission_value) == ("percent", 30)
    with pytest.raises(ServiceError) as exc:
        services.plan_update(
            plan=plan,
            actor=admin_user,
            rank="0",
            affiliate_commission_value="101",
            external_sales_url="eksporyuk.com",
            upgrade_mode="half",
        )
    assert exc.value.errors == {
        "rank": ["Peringkat minimal 1."],
        "affiliate_commission_value": ["Nilai komisi maksimal 100."],
        "external_sales_url": ["Link salespage eksternal harus alamat web lengkap, diawali https://."],
        "upgrade_mode": ["Pilihan mode upgrade tidak valid."],
    }
    plan.refresh_from_db()
    assert (plan.rank, plan.affiliate_commission_value, plan.upgrade_mode) == (3, 30, "full")


def test_a_plan_cannot_be_activated_without_an_active_price(admin_user):
    plan = services.plan_create(actor=admin_user, title="Gold")
    with pytest.raises(ServiceError) as exc:
        services.plan_update(plan=plan, actor=admin_user, status="active")
    assert exc.value.errors == {
        "status": ["Tambahkan minimal satu harga aktif di tab Harga sebelum mengaktifkan paket."]
    }
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_logo_and_banner_uploads(admin_user, make_plan, django_capture_on_commit_callbacks):
    plan = make_plan("Gold")
    services.plan_update(plan=plan, actor=admin_user, logo=png("logo.png"), banner=png("banner.png", (300, 100)))
    plan.refresh_from_db()
    assert plan.logo.name.startswith("catalog/plans/plan-logo-") and plan.logo.name.endswith(".png")
    assert plan.banner.storage.exists(plan.banner.name)
    old = plan.logo.name
    with pytest.raises(ServiceError) as exc:
        services.plan_update(plan=plan, actor=admin_user, logo=_svg())
    assert exc.value.errors == {"logo": ["Logo paket harus berupa gambar PNG, JPEG atau WebP (SVG tidak diterima)."]}
    assert plan.banner.storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_update(plan=plan, actor=admin_user, remove_logo=True)
    plan.refresh_from_db()
    assert plan.logo.name == ""
    assert not plan.banner.storage.exists(old)


def _svg():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "image/svg+xml")


def test_prices_are_set_per_duration(admin_user):
    plan = services.plan_create(actor=admin_user, title="Gold")
    ends = timezone.now() + timedelta(days=7)
    prices = services.plan_prices_set(
        plan=plan,
        actor=admin_user,
        prices=[
            PriceInput(duration="lifetime", price="2.500.000"),
            PriceInput(
                duration="6m",
                price=900_000,
                promo_price=699_000,
                promo_ends_at=ends,
                commission_type="flat",
                commission_value=100_000,
                scalev_variant_id="var-6m",
            ),
        ],  # fmt: skip
    )
    assert [(p.duration, p.price, p.promo_price, p.promo_ends_at) for p in prices] == [
        ("6m", 900_000, 699_000, ends),
        ("lifetime", 2_500_000, None, None),
    ]
    six = prices[0]
    assert (six.affiliate_commission_type, six.affiliate_commission_value, six.scalev_variant_id) == (
        "flat", 100_000, "var-6m",
    )  # fmt: skip
    row = _rows("plan.prices")[0]
    assert row.data["fields"] == ["+6m", "+lifetime"]

    # Removing a row that no order uses deletes it; changing another updates it in place.
    services.plan_prices_set(plan=plan, actor=admin_user, prices=[PriceInput(duration="6m", price=950_000)])
    assert list(PlanPrice.objects.filter(plan=plan).values_list("pk", "duration", "price", "promo_price")) == [
        (six.pk, "6m", 950_000, None)
    ]


def test_price_rows_are_validated_with_errors_per_row(admin_user):
    plan = services.plan_create(actor=admin_user, title="Gold")
    with pytest.raises(ServiceError) as exc:
        services.plan_prices_set(
            plan=plan,
            actor=admin_user,
            prices=[
                PriceInput(duration="12m", price=1_000_000, promo_price=1_000_000),
                PriceInput(duration="12m", price="abc"),
                PriceInput(duration="2m", price=0, promo_ends_at="2025-13-01T10:00"),
                PriceInput(duration="1m", price=100_000, commission_type="flat", commission_value=200_000),
                PriceInput(duration="3m", price=300_000, promo_ends_at="2030-01-01T10:00"),
                PriceInput(duration="6m", price=600_000, commission_value=5),
            ],
        )
    assert exc.value.errors == {
        "prices.0.promo_price": ["Harga promo harus lebih kecil dari harga normal."],
        "prices.1.duration": ["Durasi ini sudah ada di baris 1."],
        "prices.1.price": ["Harga harus bilangan bulat."],
        "prices.2.duration": ["Pilihan durasi tidak valid."],
        "prices.2.price": ["Harga minimal 1."],
        "prices.2.promo_ends_at": ["Akhir promo: format tanggal dan jam tidak valid."],
        "prices.3.commission_value": ["Komisi nominal tidak boleh melebihi harga."],
        "prices.4.promo_ends_at": ["Isi harga promo dulu, atau kosongkan akhir promo."],
        "prices.5.commission_type": ["Pilih jenis komisi untuk nilai komisi ini."],
    }
    assert not PlanPrice.objects.exists()


def test_an_active_plan_keeps_an_active_price(admin_user, make_plan):
    plan = make_plan("Gold")
    with pytest.raises(ServiceError) as exc:
        services.plan_prices_set(plan=plan, actor=admin_user, prices=[])
    assert list(exc.value.errors) == ["prices"]
    with pytest.raises(ServiceError):
        services.plan_prices_set(
            plan=plan, actor=admin_user, prices=[PriceInput(duration="12m", price=1_000_000, is_active=False)]
        )
    assert list(PlanPrice.objects.filter(plan=plan).values_list("duration", "price", "is_active")) == [
        ("12m", 1_200_000, True)
    ]


def test_a_price_used_by_an_order_is_switched_off_not_deleted(admin_user, make_plan, make_user):
    from sanggar.orders.models import Order, OrderItem

    plan = make_plan("Gold", prices=(("6m", 600_000), ("12m", 1_000_000)))
    six = plan.prices.get(duration="6m")
    buyer = make_user()
    order = Order.objects.create(
        invoice_number="INV900001", buyer=buyer, buyer_name="B", buyer_email=buyer.email, subtotal=600_000,
        total=600_000, provider="manual", expires_at=timezone.now() + timedelta(hours=24),
    )  # fmt: skip
    OrderItem.objects.create(
        order=order, kind="plan", plan=plan, plan_price=six, duration="6m", title="Gold 6 Bulan", list_price=600_000,
        amount=600_000,
    )  # fmt: skip
    services.plan_prices_set(plan=plan, actor=admin_user, prices=[PriceInput(duration="12m", price=1_000_000)])
    six.refresh_from_db()
    assert six.is_active is False
    assert _rows("plan.prices")[0].data == {"what": "plan.prices", "deactivated": ["6m"]}


def test_features_are_replaced_in_order(admin_user, make_plan):
    plan = make_plan("Gold")
    services.plan_features_set(plan=plan, actor=admin_user, labels=[" Akses database buyer ", "", "Grup premium"])
    assert list(PlanFeature.objects.filter(plan=plan).values_list("label", "sort_order")) == [
        ("Akses database buyer", 0),
        ("Grup premium", 1),
    ]
    with pytest.raises(ServiceError) as exc:
        services.plan_features_set(plan=plan, actor=admin_user, labels=["x" * 201])
    assert exc.value.errors == {"features.0": ["Fitur paling banyak 200 karakter."]}
    assert PlanFeature.objects.filter(plan=plan).count() == 2


def test_content_sets_resources_and_products(admin_user, make_plan, make_product):
    plan = make_plan("Gold")
    group = resource_ensure(kind="group", key="komunitas-premium", title="Komunitas Premium")
    course = resource_ensure(kind="course", key="strategi-ekspor", title="Strategi Ekspor")
    ebook = make_product("Ebook Buyer")
    services.plan_content_set(plan=plan, actor=admin_user, resource_ids=[group.pk, str(course.pk)],
                              product_ids=[ebook.pk])  # fmt: skip
    assert set(plan.included_resources.all()) == {group, course}
    assert list(plan.included_products.all()) == [ebook]
    row = _rows("plan.content")[0]
    assert row.data["resources_added"] == sorted([group.pk, course.pk])
    # A product's own resource is chosen as a product, not as a resource.
    with pytest.raises(ServiceError) as exc:
        services.plan_content_set(plan=plan, actor=admin_user, resource_ids=[ebook.resource_id], product_ids=[])
    assert exc.value.errors == {"resource_ids": ["Sebagian pilihan grup, kelas & fitur tidak ditemukan."]}
    assert set(plan.included_resources.all()) == {group, course}
    assert Resource.objects.filter(kind="product").count() == 1


def test_follow_ups_are_updated_in_place(admin_user):
    """The step editor's rows of a sold resource (a course's follow-ups, learning's `course_follow_ups_set`; plans'
    and products' follow-ups are the reminder builder's sequences)."""
    resource = services.resource_placeholder_create(actor=admin_user, kind="course", title="Kelas Ekspor")
    (first, second), _changed = follow_ups_replace(
        owner_field="resource",
        owner=resource,
        steps=[FollowUpInput(0, "Halo {name}, selamat bergabung!"), FollowUpInput("3", "Sudah cek grup?")],
    )
    kept, changed = follow_ups_replace(
        owner_field="resource",
        owner=resource,
        steps=[FollowUpInput(7, "Sudah cek grup premium?", id=second.pk), FollowUpInput(14, "Ada pertanyaan?")],
    )
    assert kept[0].pk == second.pk and changed
    assert list(FollowUpStep.objects.filter(resource=resource).values_list("delay_days", "message")) == [
        (7, "Sudah cek grup premium?"),
        (14, "Ada pertanyaan?"),
    ]
    assert not FollowUpStep.objects.filter(pk=first.pk).exists()
    with pytest.raises(ServiceError) as exc:
        follow_ups_replace(
            owner_field="resource", owner=resource, steps=[FollowUpInput("", "Tanpa jeda"), FollowUpInput(1, "")]
        )
    assert exc.value.errors == {
        "steps.0.delay_days": ["Jeda (hari) wajib diisi."],
        "steps.1.message": ["Pesan wajib diisi."],
    }
    assert FollowUpStep.objects.filter(resource=resource).count() == 2


def test_each_badge_belongs_to_one_plan_at_a_time(admin_user):
    """Issue 9: "Paling Murah" and "Paling Laris" appeared on two plans each."""
    silver = services.plan_create(actor=admin_user, title="Silver", badge_cheapest=True)
    gold = services.plan_create(actor=admin_user, title="Gold", badge_best_seller=True)
    bronze = services.plan_create(actor=admin_user, title="Bronze", badge_cheapest=True)
    services.plan_update(plan=silver, actor=admin_user, badge_best_seller=True)
    cheapest = list(MembershipPlan.objects.filter(badge_cheapest=True).values_list("title", flat=True))
    best = list(MembershipPlan.objects.filter(badge_best_seller=True).values_list("title", flat=True))
    assert (cheapest, best) == (["Bronze"], ["Silver"])
    gold.refresh_from_db()
    assert not gold.badge_best_seller and bronze.pk


def test_the_database_refuses_a_second_badge_holder(admin_user):
    from django.db import IntegrityError, transaction

    services.plan_create(actor=admin_user, title="Silver", badge_cheapest=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipPlan.objects.create(title="Liar", slug="liar", badge_cheapest=True)
