from django.contrib.auth import authenticate
from django.db.models import Sum

from sanggar.accounts.models import User
from sanggar.affiliates.models import AffiliateProfile, Commission, Referral
from sanggar.catalog.models import MembershipPlan
from sanggar.finance.models import LedgerEntry
from sanggar.learning.models import Certificate, Course, Enrollment, Lesson, LessonProgress, Question
from sanggar.memberships.models import UserMembership
from sanggar.migration.models import LegacyMap
from sanggar.migration.services import migration_execute
from sanggar.migration.synthetic import PASSWORD
from sanggar.notifications.models import Notification
from sanggar.orders.models import Order


def _run(url, expected, admin, **kw):
    return migration_execute(source_url=url, actor=admin, expected=expected, **kw)


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, Order, Commission, AffiliateProfile, Referral, UserMembership, LedgerEntry, Course,
                      Lesson, Enrollment, LessonProgress, Certificate, LegacyMap, Question)
    }  # fmt: skip


def test_the_report_reproduces_the_fixture_figures_exactly(sejoli_source, plans, admin_user):
    url, expected = sejoli_source
    report = _run(url, expected, admin_user)
    assert report["differences"] == []
    groups = report["orders_groups"]
    assert groups["success"] == {"count": expected["orders_success"], "sum": expected["revenue"]}
    assert groups["pending"]["count"] == expected["orders_pending"]
    assert groups["failed"]["count"] == expected["orders_failed"]
    assert report["revenue"] == {"source": expected["revenue"], "imported": expected["revenue"]}
    assert report["users"] == {"source": expected["users_read"], "imported": expected["users"]}
    assert report["commissions"]["total"] == expected["commission_total"]
    assert report["commissions"]["conversions"] == expected["conversions"]
    top = [[a["name"], a["commission"], a["conversions"]] for a in report["affiliates"]["top"][:2]]
    assert top == expected["top_affiliates"]
    assert sum(sum(v.values()) for v in report["memberships"].values()) == expected["memberships"]
    assert report["tables"]["users"]["skipped"] == {"email ganda di sumber (digabung ke akun yang sama)": 1}
    # the unique code stays inside the total; invoices never use the platform's INV sequence
    coded = Order.objects.filter(unique_code__gt=0).first()
    assert coded.total == coded.subtotal - coded.discount + coded.unique_code
    assert not Order.objects.filter(invoice_number__startswith="INV").exists()
    assert Order.objects.filter(status="paid").aggregate(s=Sum("total"))["s"] == expected["revenue"]
    # the orphan affiliate id leaves the order without an affiliate; tier-2 rows do not become Commission rows
    assert report["tables"]["orders.affiliate"]["skipped"]
    assert any("tier 2" in reason for reason in report["tables"]["commissions"]["skipped"])
    # every 'added' commission (all tiers) is in the ledger as already paid out, nothing withdrawable
    added = report["commissions"]["per_status"]["added"]["sum"]
    paid_out = LedgerEntry.objects.filter(account__kind="affiliate", account__bucket="paid_out").aggregate(
        s=Sum("amount")
    )["s"]
    assert paid_out == added
    assert not LedgerEntry.objects.filter(account__kind="affiliate", account__bucket="available").exists()
    assert not LedgerEntry.objects.filter(transaction__kind="sale_split").exists()
    # courses: modules, lessons (the script tag gone), quiz questions, progress and certificates with Tutor's hash
    assert report["courses"] == 2
    assert not Lesson.objects.filter(content__contains="<script").exists()
    assert Question.objects.count() == 2
    assert report["certificates"] == Certificate.objects.count() > 0
    cert = Certificate.objects.first()
    assert len(cert.code) == 16
    # PR #2 / #3: "Website Ekspor" on Lifetime only, "Ekspor Yuk" on every plan, the support group on all
    website = Course.objects.get(title="Website Ekspor")
    on = MembershipPlan.objects.filter
    assert list(on(included_resources=website.resource).values_list("slug", flat=True)) == ["lifetime"]
    assert on(included_resources=Course.objects.get(title="Ekspor Yuk").resource).count() == 3
    # nothing was sent to anyone
    assert not Notification.objects.exists()


def test_a_second_run_changes_nothing(sejoli_source, plans, admin_user):
    url, expected = sejoli_source
    _run(url, expected, admin_user)
    before = _counts()
    report = _run(url, expected, admin_user)
    assert _counts() == before
    assert all(row["imported"] == 0 for row in report["tables"].values())
    assert report["differences"] == []


def test_a_dry_run_writes_nothing_and_still_reports(sejoli_source, plans, admin_user):
    url, expected = sejoli_source
    before = _counts()
    report = _run(url, expected, admin_user, dry_run=True)
    assert _counts() == before
    assert report["dry_run"] is True
    assert report["revenue"]["source"] == expected["revenue"]


def test_a_member_logs_in_with_the_wordpress_password_and_it_is_upgraded(sejoli_source, plans, admin_user):
    url, expected = sejoli_source
    _run(url, expected, admin_user)
    user = User.objects.get(email="user40@contoh.id")
    assert user.password.startswith("wordpress$$P$")
    assert authenticate(email=user.email, password="salah") is None
    assert authenticate(email=user.email, password=PASSWORD) == user
    user.refresh_from_db()
    assert not user.password.startswith("wordpress$")
    assert authenticate(email=user.email, password=PASSWORD) == user


def test_lifetime_member_has_the_imported_course_where_they_left_off(sejoli_source, plans, admin_user):
    url, expected = sejoli_source
    _run(url, expected, admin_user)
    enrolment = Enrollment.objects.filter(completed_at__isnull=True, last_lesson__isnull=False).first()
    assert enrolment is not None and 0 < enrolment.progress_percent < 100
    assert LessonProgress.objects.filter(user=enrolment.user, lesson=enrolment.last_lesson).exists()
    active = UserMembership.objects.filter(status="active", plan=plans["lifetime"]).first()
    assert active is not None and active.ends_at is None
    assert active.user.grants.filter(revoked_at__isnull=True).exists()
    # the lifetime member opens both imported courses through their membership; a lapsed 6-month member does not
    from sanggar.learning.services import course_decision

    website = Course.objects.get(title="Website Ekspor")
    assert course_decision(user=active.user, course=website).allowed
    lapsed = UserMembership.objects.filter(status="expired", plan=plans["6m"]).first()
    assert lapsed is not None and lapsed.ended_at is not None
    assert not course_decision(user=lapsed.user, course=website).allowed


def test_old_sejoli_links_redirect_and_attribute(sejoli_source, plans, admin_user, client):
    from sanggar.affiliates.models import Referral as _Referral  # noqa: F401

    url, expected = sejoli_source
    _run(url, expected, admin_user)
    sutisna = AffiliateProfile.objects.get(user__full_name="Sutisna")
    # 28 is a Lifetime product in the spec's mapping: the plan's page (or its checkout) with the affiliate's code
    response = client.get("/aff/2/28/checkout?coupon=hemat50")
    assert response.status_code == 302
    assert response.url == f"/checkout/lifetime?ref={sutisna.code}&coupon=HEMAT50"
    assert client.get("/aff/2/8683").url == f"/membership/12-bulan?ref={sutisna.code}"
    # following it sets the referral as any affiliate link does
    landing = client.get(client.get("/aff/2/28").url)
    assert landing.status_code in (200, 302)
    assert any("ref" in name for name in client.cookies)
    # an unknown affiliate still lands on the product, without a code
    assert client.get("/aff/424242/28").url == "/membership/lifetime"
    renewal = Order.objects.filter(items__plan__slug="6-bulan").first()
    assert client.get(f"/renew/{renewal.invoice_number[2:]}").url == "/checkout/6-bulan"
    assert client.get("/renew/999999999").url == "/"
    assert client.get("/member-area/kelas/ekspor").url == "/dashboard/"
    assert client.get("/member-download/abc123").url == "/produk-saya"
