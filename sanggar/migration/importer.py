# ruff: noqa: S608, E501  (table names come from a validated prefix; every value is a parameter)
"""The import itself: Sejoli (users, affiliates, coupons, products, orders, commissions, memberships) and Tutor LMS
(courses, modules, lessons, quizzes, enrolments, progress, certificates) into the platform.

Re-runnable: every source row imported is written to `LegacyMap` in the same transaction as its new row, and a row
already in the map is skipped, so a second run changes nothing and an interrupted run resumes where it stopped
(each batch commits on its own). Nothing is sent to anyone: no service that notifies is called, no sale step (no
revenue split) runs, no fulfilment side effects. Other apps' rows are written through their services (catalog,
learning structure, access grants, ledger postings) or, for the big tables, through bulk paths that keep their
invariants (one membership per user, one commission per order, balanced ledger transactions)."""

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from sanggar.access.models import Resource
from sanggar.accounts.models import UserRole
from sanggar.accounts.validators import normalize_whatsapp
from sanggar.affiliates.constants import AffiliateStatus, CommissionStatus, ReferralSource
from sanggar.affiliates.models import AffiliateProfile, Commission, Referral
from sanggar.affiliates.services import code_clean
from sanggar.audit.services import activity_record
from sanggar.catalog.constants import DiscountType, ProductKind
from sanggar.catalog.models import Coupon, MembershipPlan, PlanPrice
from sanggar.catalog.services import plan_content_set, product_create, resource_placeholder_create
from sanggar.core.exceptions import ServiceError
from sanggar.core.roles import Role
from sanggar.finance.constants import AccountKind, Bucket, TransactionKind
from sanggar.finance.models import LedgerEntry
from sanggar.finance.services.ledger import Posting, transaction_post
from sanggar.learning import services as learning
from sanggar.learning.constants import EnrollmentSource, QuestionKind
from sanggar.learning.models import Certificate, Course, Enrollment, Lesson, LessonProgress
from sanggar.learning.video import lesson_video_set
from sanggar.memberships.constants import LogKind, MembershipSource, MembershipStatus
from sanggar.memberships.models import MembershipLog, UserMembership
from sanggar.memberships.services import membership_grants_sync
from sanggar.orders.constants import ItemKind, OrderStatus, PricingKind
from sanggar.orders.models import Order, OrderItem

from .bulk import insert_rows
from .constants import (
    COURSE_PLANS,
    DURATION_RANK,
    GROUPS,
    INVOICE_PREFIX,
    MEMBERSHIP_CATEGORIES,
    PLAN_SLUGS,
    PRODUCT_CATEGORIES,
    SOURCE,
    STATUS_MAP,
    Category,
)
from .models import LegacyMap
from .source import Source, money, php_unserialize, wp_datetime
from .tutor_api import TutorApi
from .videos import uploads_file, video_reference

logger = logging.getLogger(__name__)
User = get_user_model()
FOREVER = timedelta(days=365 * 100)
MONTHS = {"6m": 6, "12m": 12}
PRODUCT_KINDS = {
    Category.EVENT: ProductKind.WEBINAR, Category.SERVICE: ProductKind.SERVICE, Category.TOOL: ProductKind.OTHER,
    Category.FREE: ProductKind.OTHER, Category.OTHER: ProductKind.OTHER, Category.RENEWAL: ProductKind.OTHER,
}  # fmt: skip


def add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year = moment.year + month // 12
    month = month % 12 + 1
    day = min(moment.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31,
                           31, 30, 31, 30, 31][month - 1])  # fmt: skip
    return moment.replace(year=year, month=month, day=day)


class Stats:
    """Per table: rows read, imported, already imported (earlier runs), skipped with their reasons."""

    def __init__(self):
        self.tables: dict[str, dict] = {}

    def t(self, table: str) -> dict:
        return self.tables.setdefault(table, {"read": 0, "imported": 0, "existing": 0, "skipped": {}})

    def skip(self, table: str, reason: str, n: int = 1) -> None:
        skipped = self.t(table)["skipped"]
        skipped[reason] = skipped.get(reason, 0) + n


class Importer:
    def __init__(self, source: Source, *, actor, progress: Callable[[str, int, int], None] | None = None,
                 batch_size: int = 5000, now: datetime | None = None, uploads_dir: str | Path | None = None,
                 dry_run: bool = False, tutor_api: TutorApi | None = None, tutor_prefer: bool = False):  # fmt: skip
        self.src = source
        self.tutor_api = tutor_api
        self.tutor_prefer = tutor_prefer
        self.uploads_dir = Path(uploads_dir) if uploads_dir else None
        self.dry_run = dry_run
        self.actor = actor
        self.progress = progress or (lambda step, done, total: None)
        self.batch = batch_size
        self.now = now or timezone.now()
        self.stats = Stats()
        self.notes: list[str] = []

    # --- the legacy-id map -------------------------------------------------------------------------------------
    def mapped(self, table: str) -> dict[str, int | None]:
        return dict(LegacyMap.objects.filter(source=SOURCE, table=table).values_list("legacy_id", "target_id"))

    def remember(self, table: str, pairs: list[tuple], note: str = "") -> None:
        rows = [{"source": SOURCE, "table": table, "legacy_id": str(k), "target_id": v, "note": note[:200]}
                for k, v in pairs]  # fmt: skip
        try:
            with transaction.atomic():
                insert_rows(LegacyMap, rows)
        except IntegrityError:  # mapped meanwhile (a run started twice): keep the first mapping
            LegacyMap.objects.bulk_create([LegacyMap(**r) for r in rows], ignore_conflicts=True, batch_size=2000)

    def mapped_targets(self, table: str):
        """The platform ids an earlier or this run mapped from `table` (a subquery: no id lists sent as parameters)."""
        return LegacyMap.objects.filter(source=SOURCE, table=table, target_id__isnull=False).values("target_id")

    # --- the run -----------------------------------------------------------------------------------------------
    # The plans' content (PR #2 / #3) is set before the members' grants are synced, so the grants are written once.
    STEPS = ("plans", "products", "users", "affiliates", "referrals", "coupons", "orders", "commissions",
             "ledger", "memberships", "courses", "lesson_api", "videos", "plan_content", "grants", "enrolments")  # fmt: skip

    def run(self) -> Stats:
        for index, step in enumerate(self.STEPS):
            self.progress(step, index, len(self.STEPS))
            getattr(self, f"step_{step}")()
        self.progress("selesai", len(self.STEPS), len(self.STEPS))
        return self.stats

    # --- plans and products ------------------------------------------------------------------------------------
    def step_plans(self) -> None:
        self.plans: dict[str, MembershipPlan] = {}
        self.plan_prices: dict[str, PlanPrice] = {}
        for duration, slug in PLAN_SLUGS.items():
            plan = MembershipPlan.objects.filter(slug=slug).first()
            if plan is None:
                raise RuntimeError(
                    f"Paket membership '{slug}' belum ada: buat paket 6 Bulan, 12 Bulan dan Lifetime dulu."
                )
            price = PlanPrice.objects.filter(plan=plan, duration=duration).first() or plan.prices.first()
            if price is None:
                raise RuntimeError(f"Paket '{slug}' belum punya harga.")
            self.plans[duration] = plan
            self.plan_prices[duration] = price

    def step_products(self) -> None:
        stats = self.stats.t("products")
        done = self.mapped("products")
        rows = self.src.rows(
            f"SELECT ID, post_title FROM {self.src.t('posts')} WHERE post_type = 'sejoli-product' ORDER BY ID"
        )
        titles = {int(r["ID"]): r["post_title"] for r in rows}
        used = {int(r["product_id"]) for r in self.src.rows(
            f"SELECT DISTINCT product_id FROM {self.src.t('sejolisa_orders')}")}  # fmt: skip
        self.products: dict[int, int] = {}
        self.categories: dict[int, str] = {}
        for pid in sorted(set(titles) | used):
            stats["read"] += 1
            category = PRODUCT_CATEGORIES.get(pid, Category.OTHER)
            if pid not in PRODUCT_CATEGORIES:
                self.notes.append(f"Produk Sejoli {pid} tidak ada di tabel pemetaan: dicatat sebagai 'Lainnya'.")
            self.categories[pid] = category
            if category in MEMBERSHIP_CATEGORIES:
                stats["imported" if str(pid) not in done else "existing"] += 1
                if str(pid) not in done:
                    self.remember("products", [(pid, self.plans[MEMBERSHIP_CATEGORIES[category]].pk)], "plan")
                continue
            if str(pid) in done and done[str(pid)]:
                self.products[pid] = done[str(pid)]
                stats["existing"] += 1
                continue
            title = (titles.get(pid) or f"Produk Sejoli {pid}")[:200]
            with transaction.atomic():
                product = product_create(
                    actor=self.actor, title=title, slug=f"sejoli-{pid}", kind=PRODUCT_KINDS[category],
                    status="draft", short_description=f"Riwayat pembelian dari Sejoli (produk {pid})."[:300],
                )  # fmt: skip
                self.remember("products", [(pid, product.pk)], category)
            self.products[pid] = product.pk
            stats["imported"] += 1

    # --- users -------------------------------------------------------------------------------------------------
    META_KEYS = ("first_name", "last_name", "_phone", "_bank_info", "_affiliate_id", "wp_capabilities")

    def _meta(self, user_ids: list[int], keys=META_KEYS) -> dict[int, dict]:
        if not user_ids:
            return {}
        marks = ",".join(["%s"] * len(user_ids))
        kmarks = ",".join(["%s"] * len(keys))
        rows = self.src.rows(
            f"SELECT user_id, meta_key, meta_value FROM {self.src.t('usermeta')}"
            f" WHERE user_id IN ({marks}) AND meta_key IN ({kmarks})",
            [*user_ids, *keys],
        )
        out: dict[int, dict] = defaultdict(dict)
        for r in rows:
            out[int(r["user_id"])][r["meta_key"]] = r["meta_value"]
        return out

    def step_users(self) -> None:
        stats = self.stats.t("users")
        done = self.mapped("users")
        self.user_map: dict[int, int] = {int(k): v for k, v in done.items() if v}
        self.uplines: dict[int, int] = {}
        self.bank: dict[int, dict] = {}
        self.logins: dict[int, str] = {}
        total = self.src.scalar(f"SELECT COUNT(*) FROM {self.src.t('users')}")
        for chunk in self.src.batches("users", size=self.batch):
            stats["read"] += len(chunk)
            self.progress("users", stats["read"], total)
            meta = self._meta([int(r["ID"]) for r in chunk])
            for r in chunk:  # uplines and bank details are needed even for users imported by an earlier run
                uid = int(r["ID"])
                m = meta.get(uid, {})
                self.logins[uid] = r["user_login"]
                if str(m.get("_affiliate_id") or "").strip().isdigit() and int(m["_affiliate_id"]) not in (0, uid):
                    self.uplines[uid] = int(m["_affiliate_id"])
                bank = php_unserialize(m.get("_bank_info"))
                if isinstance(bank, dict):
                    self.bank[uid] = bank
            new = [r for r in chunk if str(r["ID"]) not in done]
            stats["existing"] += len(chunk) - len(new)
            emails = {(r["user_email"] or "").strip().lower() for r in new}
            existing = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
            creating: dict[str, tuple] = {}
            pairs: list[tuple] = []
            mentors = []
            for r in new:
                uid = int(r["ID"])
                email = (r["user_email"] or "").strip().lower()
                if not email or "@" not in email:
                    self.stats.skip("users", "email kosong atau tidak valid")
                    self.remember("users", [(uid, None)], "email tidak valid")
                    continue
                if email in existing:  # a platform account or a duplicate row from an earlier batch
                    pairs.append((uid, existing[email]))
                    self.stats.skip("users", "email sudah ada (digabung ke akun yang sama)")
                    continue
                if email in creating:
                    creating[email][1].append(uid)
                    self.stats.skip("users", "email ganda di sumber (digabung ke akun yang sama)")
                    continue
                m = meta.get(uid, {})
                name = " ".join(x for x in (m.get("first_name") or "", m.get("last_name") or "") if x).strip()
                name = (name or r["display_name"] or r["user_login"] or email.split("@")[0])[:150]
                try:
                    phone = normalize_whatsapp(m.get("_phone") or "") if m.get("_phone") else ""
                except ValidationError:
                    phone = ""
                    self.stats.skip("users.whatsapp", "nomor telepon tidak valid (dikosongkan)")
                joined = wp_datetime(r["user_registered"])
                if joined is None:
                    self.stats.skip("users.date_joined", "tanggal daftar 0000-00-00 (diisi waktu impor)")
                caps = php_unserialize(m.get("wp_capabilities"))
                if isinstance(caps, dict) and caps.get("tutor_instructor"):
                    mentors.append(email)
                hashed = (r["user_pass"] or "").strip()
                user = {"email": email, "full_name": name, "whatsapp": phone, "date_joined": joined or self.now,
                        "password": f"wordpress${hashed}" if hashed else "!"}  # fmt: skip
                creating[email] = (user, [uid])
            with transaction.atomic():
                user_ids = insert_rows(User, [u for u, _ids in creating.values()])
                emails_ids = list(zip(creating, user_ids, strict=True))
                roles = [{"user_id": pk, "role": Role.MEMBER} for _e, pk in emails_ids]
                roles += [{"user_id": pk, "role": Role.MENTOR} for e, pk in emails_ids if e in mentors]
                insert_rows(UserRole, roles)
                for (_user, ids), pk in zip(creating.values(), user_ids, strict=True):
                    pairs += [(uid, pk) for uid in ids]
                self.remember("users", pairs)
            stats["imported"] += len(user_ids)
            for uid, pk in pairs:
                self.user_map[uid] = pk

    # --- affiliates, referrals, coupons -----------------------------------------------------------------------
    def step_affiliates(self) -> None:
        stats = self.stats.t("affiliates")
        done = self.mapped("affiliates")
        ids = {int(r["affiliate_id"]) for r in self.src.rows(
            f"SELECT DISTINCT affiliate_id FROM {self.src.t('sejolisa_affiliates')} WHERE affiliate_id > 0")}  # fmt: skip
        if self.src.has_table("sejolisa_coupons"):
            ids |= {int(r["user_id"]) for r in self.src.rows(
                f"SELECT DISTINCT user_id FROM {self.src.t('sejolisa_coupons')} WHERE user_id > 0")}  # fmt: skip
        self.profiles: dict[int, int] = {int(k): v for k, v in done.items() if v}
        taken = set(AffiliateProfile.objects.values_list("code", flat=True))
        new_profiles, pairs = [], []
        for wp_id in sorted(ids):
            stats["read"] += 1
            if str(wp_id) in done:
                stats["existing"] += 1
                continue
            user_pk = self.user_map.get(wp_id)
            if user_pk is None:
                self.stats.skip("affiliates", "affiliate tanpa akun pengguna di sumber (orphan)")
                self.remember("affiliates", [(wp_id, None)], "orphan")
                continue
            existing = AffiliateProfile.objects.filter(user_id=user_pk).values_list("pk", flat=True).first()
            if existing:
                pairs.append((wp_id, existing))
                self.profiles[wp_id] = existing
                stats["existing"] += 1
                continue
            code = code_clean(self.logins.get(wp_id, ""))[:40] or f"SJ{wp_id}"
            if code in taken:
                code = f"SJ{wp_id}"
            taken.add(code)
            bank = self.bank.get(wp_id, {})
            new_profiles.append((wp_id, AffiliateProfile(
                user_id=user_pk, code=code, status=AffiliateStatus.ACTIVE,
                bank_name=str(bank.get("bank_name") or bank.get("bank") or "")[:100],
                bank_account_number=str(bank.get("account_number") or bank.get("number") or "")[:50],
                bank_account_holder=str(bank.get("account_owner") or bank.get("owner") or bank.get("name") or "")[:150],
            )))  # fmt: skip
        with transaction.atomic():
            created = AffiliateProfile.objects.bulk_create([p for _w, p in new_profiles], batch_size=1000)
            UserRole.objects.bulk_create(
                [UserRole(user_id=p.user_id, role=Role.AFFILIATE) for p in created], ignore_conflicts=True
            )
            for (wp_id, _p), profile in zip(new_profiles, created, strict=True):
                pairs.append((wp_id, profile.pk))
                self.profiles[wp_id] = profile.pk
            self.remember("affiliates", pairs)
        stats["imported"] += len(created)

    def step_referrals(self) -> None:
        stats = self.stats.t("referrals")
        done = self.mapped("referrals")
        have = set(Referral.objects.values_list("user_id", flat=True))
        rows, pairs = [], []
        for wp_id, upline in sorted(self.uplines.items()):
            stats["read"] += 1
            if str(wp_id) in done:
                stats["existing"] += 1
                continue
            user_pk, profile = self.user_map.get(wp_id), self.profiles.get(upline)
            if user_pk is None or profile is None:
                self.stats.skip("referrals", "upline tidak punya profil affiliate (tanpa komisi di Sejoli)")
                pairs.append((wp_id, None))
                continue
            if user_pk in have:
                self.stats.skip("referrals", "pengguna sudah terikat ke affiliate lain")
                pairs.append((wp_id, None))
                continue
            have.add(user_pk)
            # Sejoli's "permanent affiliate": the binding never runs out.
            rows.append((wp_id, {"user_id": user_pk, "affiliate_id": profile, "source": ReferralSource.LINK,
                                 "clicked_at": self.now, "expires_at": self.now + FOREVER}))  # fmt: skip
        with transaction.atomic():
            created = insert_rows(Referral, [r for _w, r in rows])
            pairs += [(w, pk) for (w, _r), pk in zip(rows, created, strict=True)]
            self.remember("referrals", pairs)
        stats["imported"] += len(created)

    def step_coupons(self) -> None:
        stats = self.stats.t("coupons")
        self.coupons: dict[int, int] = {int(k): v for k, v in self.mapped("coupons").items() if v}
        if not self.src.has_table("sejolisa_coupons"):
            return
        done = self.mapped("coupons")
        codes = set(Coupon.objects.values_list("code", flat=True))
        for r in self.src.rows(f"SELECT * FROM {self.src.t('sejolisa_coupons')} ORDER BY ID"):
            stats["read"] += 1
            if str(r["ID"]) in done:
                stats["existing"] += 1
                continue
            code = str(r["code"] or "").strip().upper()[:40]
            if not code or code in codes:
                self.stats.skip("coupons", "kode kosong atau sudah dipakai")
                self.remember("coupons", [(r["ID"], None)], "kode bentrok")
                continue
            codes.add(code)
            discount = php_unserialize(r["discount"]) or {}
            discount = discount if isinstance(discount, dict) else {}
            percent = str(discount.get("type", "")).startswith("percent")
            value = money(discount.get("value"))
            if percent:
                value = max(1, min(100, value))
            owner = self.user_map.get(int(r["user_id"] or 0))
            with transaction.atomic():
                coupon = Coupon.objects.create(
                    code=code, description=f"Kupon Sejoli #{r['ID']}"[:200],
                    discount_type=DiscountType.PERCENT if percent else DiscountType.FIXED, value=max(value, 1),
                    valid_until=wp_datetime(r.get("limit_date")), max_uses=int(r.get("limit_use") or 0) or None,
                    affiliate_id=owner, is_active=(r.get("status") == "active"),
                )  # fmt: skip
                self.remember("coupons", [(r["ID"], coupon.pk)])
            self.coupons[int(r["ID"])] = coupon.pk
            stats["imported"] += 1

    # --- orders ------------------------------------------------------------------------------------------------
    def _unique_codes(self) -> dict[int, int]:
        if not self.src.has_table("sejolisa_manual_transaction"):
            return {}
        rows = self.src.rows(f"SELECT order_id, unique_code FROM {self.src.t('sejolisa_manual_transaction')}")
        return {int(r["order_id"]): int(r["unique_code"] or 0) for r in rows}

    def _confirmations(self) -> dict[int, str]:
        if not self.src.has_table("sejolisa_confirmations"):
            return {}
        out = {}
        for r in self.src.rows(f"SELECT order_id, detail FROM {self.src.t('sejolisa_confirmations')}"):
            detail = php_unserialize(r["detail"])
            text = ", ".join(f"{k}: {v}" for k, v in detail.items()) if isinstance(detail, dict) else str(detail or "")
            out[int(r["order_id"])] = text[:250]
        return out

    def step_orders(self) -> None:
        stats = self.stats.t("orders")
        done = self.mapped("orders")
        uniques = self._unique_codes()
        confirmations = self._confirmations()
        buyers = {pk: (name, email, phone) for pk, name, email, phone in User.objects.filter(
            pk__in=self.mapped_targets("users")).values_list("pk", "full_name", "email", "whatsapp")}  # fmt: skip
        affiliate_users = dict(AffiliateProfile.objects.filter(pk__in=set(self.profiles.values()))
                               .values_list("pk", "user_id"))  # fmt: skip
        total = self.src.scalar(f"SELECT COUNT(*) FROM {self.src.t('sejolisa_orders')}")
        pending_codes = set(Order.objects.filter(status=OrderStatus.PENDING, unique_code__gt=0)
                            .values_list("total", "unique_code"))  # fmt: skip
        pending_codes = {(t - c, c) for t, c in pending_codes}
        for chunk in self.src.batches("sejolisa_orders", size=self.batch):
            stats["read"] += len(chunk)
            self.progress("orders", stats["read"], total)
            new = [r for r in chunk if str(r["ID"]) not in done]
            stats["existing"] += len(chunk) - len(new)
            rows = []
            skipped = []
            for r in new:
                oid = int(r["ID"])
                buyer = self.user_map.get(int(r["user_id"] or 0))
                if buyer is None:
                    self.stats.skip("orders", "pembeli tidak ada di tabel users")
                    skipped.append((oid, None))
                    continue
                if wp_datetime(r.get("deleted_at")):
                    self.stats.skip("orders", "dihapus di Sejoli (deleted_at)")
                    skipped.append((oid, None))
                    continue
                status = STATUS_MAP.get(r["status"])
                if status is None:
                    self.stats.skip("orders", f"status tidak dikenal: {r['status']}")
                    skipped.append((oid, None))
                    continue
                meta = php_unserialize(r.get("meta_data")) or {}
                meta = meta if isinstance(meta, dict) else {}
                grand = money(r["grand_total"])  # includes the manual unique code
                unique = uniques.get(
                    oid, money(meta.get("unique_code")) if str(meta.get("unique_code", "")).strip() else 0
                )
                unique = unique if 0 <= unique <= min(grand, 999) else 0
                coupon_meta = meta.get("coupon") if isinstance(meta.get("coupon"), dict) else {}
                discount = max(0, money(coupon_meta.get("discount")))
                subtotal = grand - unique + discount
                created = wp_datetime(r["created_at"]) or wp_datetime(r.get("updated_at")) or self.now
                updated = wp_datetime(r.get("updated_at")) or created
                affiliate_wp = int(r["affiliate_id"] or 0)
                affiliate_user = affiliate_users.get(self.profiles.get(affiliate_wp))
                if affiliate_wp and affiliate_user is None:
                    self.stats.skip(
                        "orders.affiliate", "affiliate_id tanpa affiliate (orphan): pesanan tanpa affiliate"
                    )
                if status == OrderStatus.PENDING and unique:
                    if (grand - unique, unique) in pending_codes:
                        self.stats.skip("orders.unique_code", "kode unik bentrok dengan pesanan tertunda lain")
                        unique = 0
                    else:
                        pending_codes.add((grand - unique, unique))
                pid = int(r["product_id"])
                category = self.categories.get(pid, Category.OTHER)
                name, email, phone = buyers.get(buyer, ("", "", ""))
                order = {
                    "invoice_number": f"{INVOICE_PREFIX}{oid}", "buyer_id": buyer, "buyer_name": name[:150],
                    "buyer_email": email, "buyer_whatsapp": phone, "status": status,
                    "subtotal": subtotal, "discount": discount, "unique_code": unique, "total": grand,
                    "coupon_id": self.coupons.get(int(r.get("coupon_id") or 0)),
                    "coupon_code": str(coupon_meta.get("code") or "")[:40].upper(), "affiliate_id": affiliate_user,
                    "provider": str(r.get("payment_gateway") or "manual")[:20], "created_at": created,
                    "expires_at": (self.now + timedelta(hours=24)) if status == OrderStatus.PENDING else created + timedelta(hours=24),
                    "paid_at": updated if status in (OrderStatus.PAID, OrderStatus.REFUNDED) else None,
                    "closed_at": updated if status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED) else None,
                    "needs_review": oid in confirmations,
                    "review_reason": (f"Konfirmasi pembayaran di Sejoli: {confirmations[oid]}" if oid in confirmations else "")[:300],
                }  # fmt: skip
                if category in MEMBERSHIP_CATEGORIES:
                    duration = MEMBERSHIP_CATEGORIES[category]
                    item = {"kind": ItemKind.PLAN, "plan_id": self.plans[duration].pk,
                            "plan_price_id": self.plan_prices[duration].pk, "duration": duration,
                            "pricing": PricingKind.NEW}  # fmt: skip
                    title = f"{self.plans[duration].title} (Sejoli {pid})"
                else:
                    item = {"kind": ItemKind.PRODUCT, "product_id": self.products[pid],
                            "pricing": PricingKind.RENEWAL if category == Category.RENEWAL else PricingKind.NEW}  # fmt: skip
                    title = f"Produk Sejoli {pid}"
                item.update(
                    title=title[:250], list_price=subtotal, coupon_discount=discount, amount=subtotal - discount
                )
                if item["amount"] < 0:
                    self.stats.skip("orders", "diskon melebihi harga (data rusak)")
                    skipped.append((oid, None))
                    continue
                rows.append((oid, order, item))
            with transaction.atomic():
                created_orders = insert_rows(Order, [o for _i, o, _t in rows])
                for (_oid, _o, item), order_pk in zip(rows, created_orders, strict=True):
                    item["order_id"] = order_pk
                insert_rows(OrderItem, [item for _i, _o, item in rows])
                self.remember("orders", [(oid, pk) for (oid, _o, _i), pk in zip(rows, created_orders, strict=True)])
                self.remember("orders", skipped, "dilewati")
            stats["imported"] += len(created_orders)

    # --- commissions and the ledger ----------------------------------------------------------------------------
    def step_commissions(self) -> None:
        stats = self.stats.t("commissions")
        done = self.mapped("commissions")
        orders = {int(k): v for k, v in self.mapped("orders").items() if v}
        statuses, paid_at = {}, {}
        for pk, status, paid in Order.objects.filter(pk__in=self.mapped_targets("orders")).values_list(
            "pk", "status", "paid_at"
        ):
            statuses[pk], paid_at[pk] = status, paid
        with_commission = set(
            Commission.objects.filter(order_id__in=self.mapped_targets("orders")).values_list("order_id", flat=True)
        )
        self._added_sums = defaultdict(int)  # every tier's 'added' money per affiliate, for the ledger step
        for chunk in self.src.batches("sejolisa_affiliates", size=self.batch):
            stats["read"] += len(chunk)
            rows, pairs = [], []
            for r in chunk:
                if r["status"] == "added":
                    self._added_sums[int(r["affiliate_id"])] += money(r["commission"])
                if str(r["ID"]) in done:
                    stats["existing"] += 1
                    continue
                order_pk = orders.get(int(r["order_id"]))
                profile = self.profiles.get(int(r["affiliate_id"]))
                reason = ""
                if int(r["tier"] or 1) != 1:
                    reason = "komisi tier 2+ (tidak ada tempat di model satu tingkat; uangnya masuk ledger)"
                elif order_pk is None:
                    reason = "pesanan tidak diimpor"
                elif profile is None:
                    reason = "affiliate tanpa akun (orphan)"
                elif statuses.get(order_pk) == OrderStatus.PENDING:
                    reason = "pesanan masih tertunda: komisi dihitung saat dibayar"
                elif order_pk in with_commission:
                    reason = "komisi kedua untuk pesanan yang sama"
                if reason:
                    self.stats.skip("commissions", reason)
                    pairs.append((r["ID"], None))
                    continue
                amount = money(r["commission"])
                order_status = statuses[order_pk]
                if r["status"] == "added" and order_status == OrderStatus.PAID:
                    status = CommissionStatus.AVAILABLE
                elif order_status == OrderStatus.REFUNDED:
                    status = CommissionStatus.REVERSED
                else:
                    status = CommissionStatus.VOID
                when = paid_at.get(order_pk) or wp_datetime(r["created_at"]) or self.now
                with_commission.add(order_pk)
                rows.append((r["ID"], {
                    "order_id": order_pk, "affiliate_id": profile, "base_amount": amount, "amount": amount,
                    "rule": f"Sejoli: {r['status']}, {'dibayar' if int(r['paid_status'] or 0) else 'belum dibayar'}",
                    "status": status, "available_at": when,
                    "released_at": when if status == CommissionStatus.AVAILABLE else None,
                }))  # fmt: skip
            with transaction.atomic():
                created = insert_rows(Commission, [c for _i, c in rows])
                pairs += [(i, pk) for (i, _c), pk in zip(rows, created, strict=True)]
                self.remember("commissions", pairs)
            stats["imported"] += len(created)

    def step_ledger(self) -> None:
        """Historic commissions (every tier, Sejoli 'added') enter each affiliate's wallet as already paid out: one
        balanced opening transaction per affiliate, keyed by its cumulative total, so a re-run posts nothing and a
        later delta import posts only the difference. Not withdrawable; no revenue split for history."""
        stats = self.stats.t("ledger")
        rows = self.src.rows(
            f"SELECT affiliate_id, SUM(commission) AS total, COUNT(*) AS n FROM {self.src.t('sejolisa_affiliates')}"
            " WHERE status = 'added' GROUP BY affiliate_id ORDER BY affiliate_id"
        )
        profiles = dict(
            AffiliateProfile.objects.filter(pk__in=set(self.profiles.values())).values_list("pk", "user_id")
        )
        posted = defaultdict(int)
        for user_id, amount in LedgerEntry.objects.filter(
            transaction__key__startswith="migration:sejoli:opening:", account__kind=AccountKind.AFFILIATE
        ).values_list("account__user_id", "amount"):
            posted[user_id] += amount
        for r in rows:
            stats["read"] += 1
            user_id = profiles.get(self.profiles.get(int(r["affiliate_id"])))
            if user_id is None:
                self.stats.skip("ledger", "affiliate tanpa akun (orphan)")
                continue
            wanted = self._sum_rows(r["affiliate_id"])
            delta = wanted - posted[user_id]
            if delta == 0:
                stats["existing"] += 1
                continue
            transaction_post(
                key=f"migration:sejoli:opening:{user_id}:{wanted}", kind=TransactionKind.ADJUSTMENT,
                postings=[Posting(AccountKind.AFFILIATE, Bucket.PAID_OUT, delta, user_id),
                          Posting(AccountKind.PAYOUT, Bucket.NONE, -delta)],
                memo="Saldo awal: komisi Sejoli yang sudah dibayarkan (riwayat, tidak bisa ditarik)",
                data={"source": SOURCE, "affiliate_id": int(r["affiliate_id"]), "total": wanted},
            )  # fmt: skip
            stats["imported"] += 1

    def _sum_rows(self, affiliate_id) -> int:
        if not hasattr(self, "_added_sums"):  # the commissions step sums them as it reads
            self._added_sums = defaultdict(int)
            for r in self.src.rows(
                f"SELECT affiliate_id, commission FROM {self.src.t('sejolisa_affiliates')} WHERE status = 'added'"
            ):
                self._added_sums[int(r["affiliate_id"])] += money(r["commission"])
        return self._added_sums[int(affiliate_id)]

    # --- memberships ---------------------------------------------------------------------------------------------
    def step_memberships(self) -> None:
        """PR #1: each user's final membership from their completed orders of membership products, in date order:
        same plan or a renewal product extends by the plan's duration (from the end, or from the payment when
        lapsed); a higher plan upgrades; lifetime never ends and is not renewed. Lapsed ones import as expired."""
        stats = self.stats.t("memberships")
        done = self.mapped("memberships")
        orders = {int(k): v for k, v in self.mapped("orders").items() if v}
        wanted = [p for p, c in self.categories.items() if c in MEMBERSHIP_CATEGORIES or c == Category.RENEWAL]
        if not wanted:
            return
        marks = ",".join(["%s"] * len(wanted))
        rows = self.src.rows(
            f"SELECT ID, user_id, product_id, created_at, updated_at FROM {self.src.t('sejolisa_orders')}"
            f" WHERE status IN ('completed', 'in-progress', 'shipping') AND product_id IN ({marks})"
            " AND (deleted_at IS NULL OR deleted_at < '1000-01-01') ORDER BY created_at, ID",
            wanted,
        )
        per_user: dict[int, list] = defaultdict(list)
        for r in rows:
            per_user[int(r["user_id"])].append(r)
        have = set(UserMembership.objects.filter(status=MembershipStatus.ACTIVE).values_list("user_id", flat=True))
        built = []
        for wp_id, history in per_user.items():
            stats["read"] += 1
            user_pk = self.user_map.get(wp_id)
            if str(wp_id) in done:
                stats["existing"] += 1
                continue
            if user_pk is None:
                self.stats.skip("memberships", "pembeli tidak diimpor")
                continue
            state = None  # (duration, starts, ends, order id)
            for r in history:
                category = self.categories[int(r["product_id"])]
                paid = wp_datetime(r["updated_at"]) or wp_datetime(r["created_at"]) or self.now
                if category == Category.RENEWAL:
                    if state is None:
                        self.stats.skip("memberships.renewal", "perpanjangan tanpa membership sebelumnya")
                        continue
                    if state[0] == "lifetime":
                        self.stats.skip("memberships.renewal", "perpanjangan untuk lifetime (diabaikan)")
                        continue
                    base = max(state[2], paid)
                    state = (
                        state[0],
                        state[1] if state[2] >= paid else paid,
                        add_months(base, MONTHS[state[0]]),
                        r["ID"],
                    )
                    continue
                duration = MEMBERSHIP_CATEGORIES[category]
                ends = None if duration == "lifetime" else add_months(paid, MONTHS[duration])
                if state is None:
                    state = (duration, paid, ends, r["ID"])
                elif state[0] == "lifetime":
                    continue
                elif duration == state[0]:
                    base = max(state[2], paid)
                    state = (
                        duration,
                        state[1] if state[2] >= paid else paid,
                        add_months(base, MONTHS[duration]),
                        r["ID"],
                    )
                elif DURATION_RANK[duration] > DURATION_RANK[state[0]] or state[2] < paid:
                    state = (duration, paid, ends, r["ID"])  # upgrade, or another plan after the old one lapsed
                else:
                    self.stats.skip("memberships.downgrade", "paket lebih rendah saat paket lebih tinggi aktif")
            if state is None:
                continue
            duration, starts, ends, order_id = state
            active = ends is None or ends > self.now
            if active and user_pk in have:
                self.stats.skip("memberships", "sudah punya membership aktif di platform")
                continue
            built.append((wp_id, {
                "user_id": user_pk, "plan_id": self.plans[duration].pk, "duration": duration,
                "status": MembershipStatus.ACTIVE if active else MembershipStatus.EXPIRED, "starts_at": starts,
                "ends_at": ends, "order_id": orders.get(int(order_id)), "source": MembershipSource.IMPORT,
                "ended_at": None if active else ends,
            }))  # fmt: skip
        for i in range(0, len(built), self.batch):
            part = built[i : i + self.batch]
            with transaction.atomic():
                created = insert_rows(UserMembership, [m for _w, m in part])
                insert_rows(MembershipLog, [
                    {"membership_id": pk, "kind": LogKind.ACTIVATED, "message": "Diimpor dari Sejoli",
                     "new_ends_at": m["ends_at"], "order_id": m["order_id"]}
                    for (_w, m), pk in zip(part, created, strict=True)
                ])  # fmt: skip
                self.remember("memberships", [(w, pk) for (w, _m), pk in zip(part, created, strict=True)])
            stats["imported"] += len(created)
            self.progress("memberships", i + len(part), len(built))

    def step_grants(self) -> None:
        for plan in self.plans.values():
            membership_grants_sync(plan_id=plan.pk, now=self.now)

    # --- Tutor LMS ----------------------------------------------------------------------------------------------
    def _postmeta(self, post_ids: list[int]) -> dict[int, dict]:
        if not post_ids:
            return {}
        marks = ",".join(["%s"] * len(post_ids))
        out: dict[int, dict] = defaultdict(dict)
        for r in self.src.rows(
            f"SELECT post_id, meta_key, meta_value FROM {self.src.t('postmeta')} WHERE post_id IN ({marks})",
            post_ids,
        ):
            out[int(r["post_id"])][r["meta_key"]] = r["meta_value"]
        return out

    @staticmethod
    def _video(meta) -> tuple[str, int, str]:
        """(url, minutes, note) of a Tutor `_video` meta (serialised, or already a dict from the REST API)."""
        video = meta if isinstance(meta, dict) else php_unserialize(meta) if meta else None
        if not isinstance(video, dict):
            return "", 0, ""
        runtime = video.get("runtime") if isinstance(video.get("runtime"), dict) else {}

        def num(v):
            return int(v) if str(v or "").strip().isdigit() else 0

        minutes = (
            num(runtime.get("hours")) * 60 + num(runtime.get("minutes")) + (1 if num(runtime.get("seconds")) else 0)
        )
        source = video.get("source")
        url = video.get(f"source_{source}") or video.get("source_external_url") or ""
        if video_reference(video) is not None or (
            source in ("html5", "external_url") and not video.get("source_external_url")
        ):
            return "", minutes, "video self-hosted (disalin dari folder uploads di langkah video)"
        return str(url), minutes, ""

    def step_courses(self) -> None:
        stats = self.stats.t("courses")
        self.course_map = {int(k): v for k, v in self.mapped("courses").items() if v}
        self.lesson_map = {int(k): v for k, v in self.mapped("lessons").items() if v}
        posts = self.src.rows(
            f"SELECT ID, post_title, post_content, post_excerpt, post_status, post_parent, menu_order, post_type"
            f" FROM {self.src.t('posts')} WHERE post_type IN ('courses', 'topics', 'lesson', 'tutor_quiz')"
            " AND post_status IN ('publish', 'draft', 'private') ORDER BY menu_order, ID"
        )
        meta = self._postmeta([int(p["ID"]) for p in posts])
        children = defaultdict(list)
        for p in posts:
            children[int(p["post_parent"])].append(p)
        for course_row in [p for p in posts if p["post_type"] == "courses"]:
            stats["read"] += 1
            cid = int(course_row["ID"])
            if cid in self.course_map:
                stats["existing"] += 1
                continue
            level = {"beginner": "pemula", "intermediate": "menengah", "expert": "ahli"}.get(
                meta[cid].get("_tutor_course_level", ""), "pemula"
            )
            with transaction.atomic():
                course = learning.course_create(
                    actor=self.actor, resource_key=f"tutor-{slugify(course_row['post_title'])[:100] or cid}",
                    data={"title": course_row["post_title"][:200] or f"Kursus {cid}",
                          "description": course_row["post_content"] or "", "summary": (course_row["post_excerpt"] or "")[:300],
                          "level": level, "status": "published" if course_row["post_status"] == "publish" else "draft",
                          "is_public": course_row["post_status"] == "publish"},
                    now=self.now,
                )  # fmt: skip
                lesson_pairs, quiz_pairs, module_pairs = [], [], []
                for topic in [p for p in children[cid] if p["post_type"] == "topics"]:
                    module = learning.module_save(
                        actor=self.actor, course=course, title=topic["post_title"][:200] or "Modul"
                    )
                    module_pairs.append((topic["ID"], module.pk))
                    for item in children[int(topic["ID"])]:
                        if item["post_type"] == "lesson":
                            url, minutes, note = self._video(meta[int(item["ID"])].get("_video"))
                            data = {"title": item["post_title"][:200] or "Pelajaran", "content": item["post_content"] or "",
                                    "duration_minutes": min(minutes, 6000), "kind": "video" if url else "text",
                                    "video_url": url}  # fmt: skip
                            if note:
                                self.stats.skip("lessons.video", note)
                            lesson = self._lesson_write(module, data)
                            lesson_pairs.append((item["ID"], lesson.pk))
                            self.lesson_map[int(item["ID"])] = lesson.pk
                            self.stats.t("lessons")["imported"] += 1
                        elif item["post_type"] == "tutor_quiz":
                            quiz = self._quiz(module, item, meta[int(item["ID"])])
                            quiz_pairs.append((item["ID"], quiz.pk))
                            self.stats.t("quizzes")["imported"] += 1
                self.remember("modules", module_pairs)
                self.remember("lessons", lesson_pairs)
                self.remember("quizzes", quiz_pairs)
                self.remember("courses", [(cid, course.pk)])
            self.course_map[cid] = course.pk
            stats["imported"] += 1

    def _lesson_write(self, module, data: dict, lesson: Lesson | None = None) -> Lesson:
        """Saves a lesson through the learning service (which sanitises the HTML); a video URL the platform does not
        embed turns the lesson into text with a link."""
        try:
            with transaction.atomic():
                return learning.lesson_save(actor=self.actor, module=module, data=data, lesson=lesson)
        except (ValidationError, ServiceError):
            self.stats.skip("lessons.video", "URL video tidak diizinkan (pelajaran jadi teks + tautan)")
            url = data["video_url"]
            data = {**data, "kind": "text", "video_url": "",
                    "content": f"{data['content']}<p><a href=\"{url}\">Video</a></p>"}  # fmt: skip
            return learning.lesson_save(actor=self.actor, module=module, data=data, lesson=lesson)

    def step_lesson_api(self) -> None:
        """Lesson content from the Tutor REST API (`--tutor-api`): for lessons whose database copy lacks their body or
        video (or every lesson with `--tutor-api-prefer`), the body HTML, the video and the attachments (listed as
        links) are read from the API, per topic, and saved through the same service as the database path (the same
        sanitising). A lesson read is mapped (`lesson_api`), so re-runs read nothing again; a lesson the API failed
        for is listed in the skips with its id and reason and is tried again by a later run."""
        if self.tutor_api is None or not self.lesson_map:
            return
        stats = self.stats.t("lesson_api")
        done = self.mapped("lesson_api")
        lesson_ids = sorted(self.lesson_map)
        marks = ",".join(["%s"] * len(lesson_ids))
        rows = self.src.rows(
            f"SELECT p.ID, p.post_parent, p.post_content, m.meta_value AS video FROM {self.src.t('posts')} p"
            f" LEFT JOIN {self.src.t('postmeta')} m ON m.post_id = p.ID AND m.meta_key = '_video'"
            f" WHERE p.ID IN ({marks})",
            lesson_ids,
        )
        by_topic: dict[int, list[dict]] = defaultdict(list)
        for r in rows:
            lacks = not (r["post_content"] or "").strip() or not r["video"]
            if self.tutor_prefer or lacks:
                by_topic[int(r["post_parent"])].append(r)
        lessons = Lesson.objects.select_related("module__course").in_bulk(
            [self.lesson_map[int(r["ID"])] for group in by_topic.values() for r in group]
        )
        for topic_id, group in sorted(by_topic.items()):
            to_fetch = [r for r in group if str(r["ID"]) not in done and self.lesson_map[int(r["ID"])] in lessons]
            stats["read"] += len(group)
            stats["existing"] += len(group) - len(to_fetch)
            if not to_fetch:
                continue
            found, error = self.tutor_api.topic_lessons(topic_id)
            for r in to_fetch:
                legacy_id = int(r["ID"])
                item = found.get(legacy_id)
                if item is None:
                    reason = error or "API Tutor: pelajaran tidak ada di topiknya"
                    self.stats.skip("lesson_api", f"pelajaran {legacy_id}: {reason}"[:200])
                    continue
                lesson = lessons[self.lesson_map[legacy_id]]
                url, minutes, note = self._video(item.video)
                if note:
                    self.stats.skip("lessons.video", note)
                content = item.content if self.tutor_prefer or not (r["post_content"] or "").strip() else (
                    r["post_content"])  # fmt: skip
                if item.attachments:
                    links = "".join(f'<li><a href="{escape(u)}">{escape(t)}</a></li>' for t, u in item.attachments)
                    content = f"{content}<h3>Lampiran</h3><ul>{links}</ul>"
                data = {"title": lesson.title, "content": content,
                        "duration_minutes": min(minutes, 6000) or lesson.duration_minutes,
                        "kind": "video" if url or lesson.video_url or lesson.video_file else "text",
                        "video_url": url or lesson.video_url, "is_preview": lesson.is_preview,
                        "drip_days": lesson.drip_days, "available_on": lesson.available_on,
                        "prerequisite": lesson.prerequisite_id}  # fmt: skip
                try:
                    with transaction.atomic():
                        self._lesson_write(lesson.module, data, lesson=lesson)
                        self.remember("lesson_api", [(legacy_id, lesson.pk)])
                except ServiceError as exc:  # e.g. a body over the lesson's size limit: listed, the import goes on
                    self.stats.skip("lesson_api", f"pelajaran {legacy_id}: isi dari API ditolak: {exc}"[:200])
                    continue
                stats["imported"] += 1

    def step_videos(self) -> None:
        """Self-hosted lesson videos (a media-library attachment or a `wp-content/uploads/` URL) are copied from the
        local uploads folder (`--uploads-dir`) into the lesson's private video storage, through the learning app's
        upload service (MP4/WebM recognised by their bytes, the size limit). Re-runnable: a copied video is mapped
        (`lesson_videos`) and never copied twice; a run without the folder lists them as not copied yet."""
        stats = self.stats.t("lesson_videos")
        done = self.mapped("lesson_videos")
        lesson_ids = sorted(self.lesson_map)
        if not lesson_ids:
            return
        marks = ",".join(["%s"] * len(lesson_ids))
        videos = {}
        for r in self.src.rows(
            f"SELECT post_id, meta_value FROM {self.src.t('postmeta')} WHERE meta_key = '_video'"
            f" AND post_id IN ({marks})",
            lesson_ids,
        ):
            reference = video_reference(php_unserialize(r["meta_value"]))
            if reference is not None:
                videos[int(r["post_id"])] = reference
        attachments = sorted({int(v) for kind, v in videos.values() if kind == "attachment"})
        files = {}
        if attachments:
            marks = ",".join(["%s"] * len(attachments))
            for r in self.src.rows(
                f"SELECT post_id, meta_value FROM {self.src.t('postmeta')} WHERE meta_key = '_wp_attached_file'"
                f" AND post_id IN ({marks})",
                attachments,
            ):
                files[str(r["post_id"])] = str(r["meta_value"] or "")
        lessons = {lesson.pk: lesson for lesson in Lesson.objects.filter(pk__in=[self.lesson_map[i] for i in videos])}
        for legacy_id, (kind, value) in sorted(videos.items()):
            stats["read"] += 1
            lesson = lessons.get(self.lesson_map[legacy_id])
            if str(legacy_id) in done or lesson is None or lesson.video_file:
                stats["existing"] += 1
                continue
            relative = files.get(value, "") if kind == "attachment" else value
            if not relative:
                self.stats.skip("lesson_videos", "lampiran video tidak ada di media library sumber")
                continue
            if self.uploads_dir is None:
                self.stats.skip(
                    "lesson_videos", "belum disalin: jalankan dengan --uploads-dir (salinan wp-content/uploads)"
                )
                continue
            path = uploads_file(self.uploads_dir, relative)
            if path is None:
                self.stats.skip("lesson_videos", "berkas video tidak ada di folder uploads")
                continue
            if self.dry_run:  # the storage is outside the rolled-back transaction: nothing is copied
                stats["imported"] += 1
                continue
            try:
                with transaction.atomic(), path.open("rb") as fh:
                    lesson_video_set(actor=self.actor, lesson=lesson, upload=File(fh, name=path.name))
                    self.remember("lesson_videos", [(legacy_id, lesson.pk)], relative)
            except ServiceError as exc:
                self.stats.skip("lesson_videos", f"berkas video ditolak: {exc}"[:200])
                continue
            stats["imported"] += 1

    def _quiz(self, module, item, meta):
        option = php_unserialize(meta.get("tutor_quiz_option")) or {}
        option = option if isinstance(option, dict) else {}
        limit = option.get("time_limit") if isinstance(option.get("time_limit"), dict) else {}
        minutes = int(limit.get("time_value") or 0) if str(limit.get("time_value") or "0").isdigit() else 0
        if limit.get("time_type") == "hours":
            minutes *= 60

        def num(v, default):
            return int(v) if str(v or "").isdigit() else default

        quiz = learning.quiz_save(actor=self.actor, module=module, data={
            "title": item["post_title"][:200] or "Kuis", "description": item["post_content"] or "",
            "pass_percent": min(num(option.get("passing_grade"), 70), 100),
            "max_attempts": min(num(option.get("attempts_allowed"), 0), 100), "time_limit_minutes": min(minutes, 600),
            "show_answers": True, "is_required": False,
        })  # fmt: skip
        if not self.src.has_table("tutor_quiz_questions"):
            return quiz
        questions = self.src.rows(
            f"SELECT * FROM {self.src.t('tutor_quiz_questions')} WHERE quiz_id = %s ORDER BY question_order, question_id",
            [item["ID"]],
        )
        kinds = {"single_choice": QuestionKind.SINGLE, "multiple_choice": QuestionKind.MULTIPLE,
                 "true_false": QuestionKind.TRUE_FALSE}  # fmt: skip
        for q in questions:
            kind = kinds.get(q["question_type"])
            if kind is None:
                self.stats.skip("quiz_questions", f"jenis soal {q['question_type']} belum didukung")
                continue
            answers = self.src.rows(
                f"SELECT * FROM {self.src.t('tutor_quiz_question_answers')} WHERE belongs_question_id = %s"
                " ORDER BY answer_order, answer_id",
                [q["question_id"]],
            )
            try:
                learning.question_add(
                    actor=self.actor, quiz=quiz, kind=kind, text=q["question_title"] or "",
                    choices=[(a["answer_title"] or "", bool(a["is_correct"])) for a in answers],
                    explanation=q.get("question_description") or "", points=max(1, min(100, int(q["question_mark"] or 1))),
                )  # fmt: skip
                self.stats.t("quiz_questions")["imported"] += 1
            except Exception:
                self.stats.skip("quiz_questions", "soal tidak valid (jawaban kurang / tanpa jawaban benar)")
        return quiz

    def step_enrolments(self) -> None:
        """Enrolments (history), lesson completions with their timestamps, course completions with the certificate
        hash as the certificate's code (old verification links keep working)."""
        stats = self.stats.t("enrolments")
        done = self.mapped("enrolments")
        rows = self.src.rows(
            f"SELECT ID, post_author, post_parent, post_date, post_status FROM {self.src.t('posts')}"
            " WHERE post_type = 'tutor_enrolled' ORDER BY ID"
        )
        completions = {}
        for c in self.src.rows(
            f"SELECT comment_post_ID, user_id, comment_date, comment_content FROM {self.src.t('comments')}"
            " WHERE comment_type = 'course_completed' ORDER BY comment_ID"
        ):
            completions[(int(c["user_id"]), int(c["comment_post_ID"]))] = c
        existing = set(Enrollment.objects.values_list("user_id", "course_id"))
        lesson_courses = dict(Lesson.objects.filter(pk__in=self.lesson_map.values()).values_list("pk", "course_id"))
        course_lessons = defaultdict(set)
        for lesson_pk, course_pk in lesson_courses.items():
            course_lessons[course_pk].add(lesson_pk)
        new_enrolments, pairs, users_courses = [], [], []
        for r in rows:
            stats["read"] += 1
            if str(r["ID"]) in done:
                stats["existing"] += 1
                continue
            user_pk = self.user_map.get(int(r["post_author"]))
            course_pk = self.course_map.get(int(r["post_parent"]))
            if user_pk is None or course_pk is None:
                self.stats.skip("enrolments", "pengguna atau kursus tidak diimpor")
                pairs.append((r["ID"], None))
                continue
            if r["post_status"] == "cancel":
                self.stats.skip("enrolments", "pendaftaran dibatalkan di Tutor")
                pairs.append((r["ID"], None))
                continue
            if (user_pk, course_pk) in existing:
                self.stats.skip("enrolments", "sudah terdaftar")
                pairs.append((r["ID"], None))
                continue
            existing.add((user_pk, course_pk))
            completion = completions.get((int(r["post_author"]), int(r["post_parent"])))
            new_enrolments.append((r["ID"], Enrollment(
                user_id=user_pk, course_id=course_pk, source=EnrollmentSource.MEMBERSHIP,
                created_at=wp_datetime(r["post_date"]) or self.now,
                completed_at=(wp_datetime(completion["comment_date"]) or self.now) if completion else None,
            ), int(r["post_author"]), completion))  # fmt: skip
            users_courses.append((int(r["post_author"]), user_pk, course_pk))
        # lesson completions of the enrolled users (usermeta `_tutor_completed_lesson_id_{id}` = timestamp)
        wp_users = sorted({w for w, _u, _c in users_courses})
        progress, certificates = [], []
        have_progress = set(LessonProgress.objects.filter(user_id__in=[u for _w, u, _c in users_courses])
                            .values_list("user_id", "lesson_id"))  # fmt: skip
        done_by_user = defaultdict(dict)
        for i in range(0, len(wp_users), 500):
            part = wp_users[i : i + 500]
            marks = ",".join(["%s"] * len(part))
            for m in self.src.rows(
                f"SELECT user_id, meta_key, meta_value FROM {self.src.t('usermeta')} WHERE user_id IN ({marks})"
                " AND meta_key LIKE '\\_tutor\\_completed\\_lesson\\_id\\_%%'",
                part,
            ):
                legacy = m["meta_key"].rsplit("_", 1)[-1]
                lesson_pk = self.lesson_map.get(int(legacy)) if legacy.isdigit() else None
                if lesson_pk is None:
                    continue
                stamp = str(m["meta_value"] or "")
                when = datetime.fromtimestamp(int(stamp), tz=UTC) if stamp.isdigit() else wp_datetime(stamp) or self.now
                done_by_user[int(m["user_id"])][lesson_pk] = when
        user_names = dict(User.objects.filter(pk__in=[u for _w, u, _c in users_courses]).values_list("pk", "full_name"))
        courses = {c.pk: c for c in Course.objects.filter(pk__in={c for _w, _u, c in users_courses})}
        for _legacy_id, enrolment, wp_user, completion in new_enrolments:
            lessons = course_lessons[enrolment.course_id]
            finished = {pk: when for pk, when in done_by_user[wp_user].items() if pk in lessons}
            for lesson_pk, when in finished.items():
                if (enrolment.user_id, lesson_pk) not in have_progress:
                    have_progress.add((enrolment.user_id, lesson_pk))
                    progress.append(LessonProgress(user_id=enrolment.user_id, lesson_id=lesson_pk,
                                                   course_id=enrolment.course_id, completed_at=when))  # fmt: skip
            enrolment.progress_percent = (
                100 if completion else (int(100 * len(finished) / len(lessons)) if lessons else 0)
            )
            if finished:
                last = max(finished, key=finished.get)
                enrolment.last_lesson_id = last
                enrolment.last_activity_at = finished[last]
            if completion and (completion["comment_content"] or "").strip():
                course = courses[enrolment.course_id]
                certificates.append(Certificate(
                    user_id=enrolment.user_id, course_id=course.pk, code=completion["comment_content"].strip()[:20],
                    learner_name=(user_names.get(enrolment.user_id) or "")[:150], course_title=course.title[:200],
                    issued_at=enrolment.completed_at,
                ))  # fmt: skip
        with transaction.atomic():
            created = Enrollment.objects.bulk_create([e for _i, e, _w, _c in new_enrolments], batch_size=1000)
            LessonProgress.objects.bulk_create(progress, batch_size=2000, ignore_conflicts=True)
            Certificate.objects.bulk_create(certificates, batch_size=1000, ignore_conflicts=True)
            pairs += [(i, e.pk) for (i, _e, _w, _c), e in zip(new_enrolments, created, strict=True)]
            self.remember("enrolments", pairs)
        stats["imported"] += len(created)
        self.stats.t("lesson_progress")["imported"] += len(progress)
        self.stats.t("certificates")["imported"] += len(certificates)

    # --- PR #2 / #3: the required courses and groups on the plans -----------------------------------------------
    def step_plan_content(self) -> None:
        wanted: dict[str, set[int]] = defaultdict(set)
        for course in Course.objects.filter(pk__in=self.course_map.values()).only("pk", "title", "resource_id"):
            for duration in COURSE_PLANS.get(course.title.strip().lower(), ()):
                wanted[duration].add(course.resource_id)
        for title, durations in GROUPS:
            resource = Resource.objects.filter(kind="group", key=slugify(title)).first() or resource_placeholder_create(
                actor=self.actor, kind="group", title=title
            )
            for duration in durations:
                wanted[duration].add(resource.pk)
        for duration, resource_ids in wanted.items():
            plan = self.plans[duration]
            have = set(plan.included_resources.values_list("pk", flat=True))
            if resource_ids <= have:
                continue
            plan_content_set(
                plan=plan,
                actor=self.actor,
                resource_ids=sorted(have | resource_ids),
                product_ids=list(plan.included_products.values_list("pk", flat=True)),
            )  # fmt: skip  (the grants step that follows brings the members' grants in line)


def record_run(*, actor, counts: dict, dry_run: bool) -> None:
    activity_record(action="migration.run", actor=actor, target_label="Sejoli", data={"dry_run": dry_run, **counts})
