# ruff: noqa: S608, E501  (table names come from a validated prefix; every value is a parameter)
"""A synthetic WordPress database in Sejoli's and Tutor LMS's shape (§6.4 of the migration requirements), with
figures known by construction: the spec's ("DATA MIGRASI SEJOLI") at full size, or a small slice for tests. It
carries the source's quirks: zero dates, PHP-serialised meta, a duplicate e-mail in another case, refunds, manual
unique codes inside `grand_total`, an orphan affiliate id, tier-2 commission rows, unpaid commissions, renewals."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import phpserialize

from .constants import PRODUCT_CATEGORIES, SPEC_FIGURES, Category
from .hashers import phpass_hash

SCHEMA = """
CREATE TABLE `{p}users` (`ID` bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, `user_login` varchar(60) NOT NULL,
 `user_pass` varchar(255) NOT NULL, `user_nicename` varchar(50) NOT NULL DEFAULT '', `user_email` varchar(100) NOT NULL,
 `user_url` varchar(100) NOT NULL DEFAULT '', `user_registered` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
 `user_activation_key` varchar(255) NOT NULL DEFAULT '', `user_status` int NOT NULL DEFAULT 0,
 `display_name` varchar(250) NOT NULL DEFAULT '');
CREATE TABLE `{p}usermeta` (`umeta_id` bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
 `user_id` bigint unsigned NOT NULL DEFAULT 0, `meta_key` varchar(255) DEFAULT NULL, `meta_value` longtext,
 KEY `user_id` (`user_id`), KEY `meta_key` (`meta_key`(191)));
CREATE TABLE `{p}posts` (`ID` bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, `post_author` bigint unsigned NOT NULL DEFAULT 0,
 `post_date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00', `post_content` longtext NOT NULL, `post_title` text NOT NULL,
 `post_excerpt` text NOT NULL, `post_status` varchar(20) NOT NULL DEFAULT 'publish', `post_name` varchar(200) NOT NULL DEFAULT '',
 `post_parent` bigint unsigned NOT NULL DEFAULT 0, `menu_order` int NOT NULL DEFAULT 0,
 `post_type` varchar(20) NOT NULL DEFAULT 'post', KEY `type_status` (`post_type`, `post_status`));
CREATE TABLE `{p}postmeta` (`meta_id` bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, `post_id` bigint unsigned NOT NULL DEFAULT 0,
 `meta_key` varchar(255) DEFAULT NULL, `meta_value` longtext, KEY `post_id` (`post_id`));
CREATE TABLE `{p}comments` (`comment_ID` bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
 `comment_post_ID` bigint unsigned NOT NULL DEFAULT 0, `comment_author` tinytext NOT NULL,
 `comment_date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00', `comment_content` text NOT NULL,
 `comment_approved` varchar(20) NOT NULL DEFAULT '1', `comment_agent` varchar(255) NOT NULL DEFAULT '',
 `comment_type` varchar(20) NOT NULL DEFAULT 'comment', `user_id` bigint unsigned NOT NULL DEFAULT 0);
CREATE TABLE `{p}sejolisa_orders` (`ID` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `created_at` datetime NOT NULL,
 `updated_at` datetime DEFAULT NULL, `deleted_at` datetime DEFAULT NULL, `order_parent_id` bigint DEFAULT 0,
 `product_id` bigint NOT NULL, `user_id` bigint NOT NULL, `affiliate_id` bigint DEFAULT 0, `coupon_id` bigint DEFAULT 0,
 `payment_gateway` varchar(25) DEFAULT 'manual', `grand_total` float(12,2) NOT NULL DEFAULT 0, `quantity` int DEFAULT 1,
 `type` varchar(30) DEFAULT 'regular', `status` varchar(30) DEFAULT 'on-hold', `meta_data` text);
CREATE TABLE `{p}sejolisa_affiliates` (`ID` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `created_at` datetime NOT NULL,
 `updated_at` datetime DEFAULT NULL, `deleted_at` datetime DEFAULT NULL, `order_id` bigint NOT NULL,
 `affiliate_id` bigint NOT NULL, `product_id` bigint NOT NULL, `tier` int DEFAULT 1, `commission` float(12,2) DEFAULT 0,
 `status` varchar(20) DEFAULT 'pending', `paid_status` tinyint DEFAULT 0);
CREATE TABLE `{p}sejolisa_subscriptions` (`ID` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `created_at` datetime NOT NULL,
 `updated_at` datetime DEFAULT NULL, `deleted_at` datetime DEFAULT NULL, `order_id` bigint NOT NULL,
 `order_parent_id` bigint DEFAULT 0, `user_id` bigint NOT NULL, `product_id` bigint NOT NULL, `type` varchar(20),
 `end_date` datetime DEFAULT NULL, `status` varchar(20) DEFAULT 'pending');
CREATE TABLE `{p}sejolisa_coupons` (`ID` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `created_at` datetime NOT NULL,
 `updated_at` datetime DEFAULT NULL, `deleted_at` datetime DEFAULT NULL, `user_id` bigint DEFAULT 0,
 `coupon_parent_id` bigint DEFAULT 0, `code` varchar(50) NOT NULL, `rule` text, `discount` text, `usage` int DEFAULT 0,
 `limit_use` int DEFAULT 0, `limit_date` datetime DEFAULT NULL, `status` varchar(20) DEFAULT 'active');
CREATE TABLE `{p}sejolisa_manual_transaction` (`ID` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
 `created_at` datetime NOT NULL, `order_id` bigint NOT NULL, `user_id` bigint NOT NULL, `total` float(12,2),
 `unique_code` int DEFAULT 0, `meta_data` text);
CREATE TABLE `{p}sejolisa_confirmations` (`ID` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
 `created_at` datetime NOT NULL, `order_id` bigint NOT NULL, `product_id` bigint NOT NULL, `user_id` bigint NOT NULL,
 `detail` text);
CREATE TABLE `{p}tutor_quiz_questions` (`question_id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
 `quiz_id` bigint NOT NULL, `question_title` text, `question_description` longtext, `question_type` varchar(50),
 `question_mark` decimal(9,2) DEFAULT 1, `question_order` int DEFAULT 0);
CREATE TABLE `{p}tutor_quiz_question_answers` (`answer_id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
 `belongs_question_id` bigint NOT NULL, `answer_title` text, `is_correct` tinyint DEFAULT 0, `answer_order` int DEFAULT 0);
"""

FIRST = ("Budi", "Siti", "Agus", "Dewi", "Rudi", "Rina", "Andi", "Wulan", "Hendra", "Fitri", "Yusuf", "Lestari",
         "Bayu", "Ratna", "Dimas", "Maya", "Fajar", "Indah", "Teguh", "Nur")  # fmt: skip
LAST = ("Santoso", "Rahmawati", "Pratama", "Wijaya", "Hidayat", "Saputra", "Kurniawan", "Permata", "Setiawan",
        "Nugroho", "Lubis", "Siregar", "Harahap", "Gunawan", "Susanti")  # fmt: skip
PRICES = {
    Category.LIFETIME: 699000, Category.M12: 499000, Category.M6: 299000, Category.RENEWAL: 199000,
    Category.EVENT: 35000, Category.TOOL: 150000, Category.SERVICE: 250000, Category.FREE: 0, Category.OTHER: 350000,
}  # fmt: skip
# Self-hosted lesson videos: an attachment of the media library and a URL under wp-content/uploads (their files, as
# the import's --uploads-dir holds them: VIDEO_FILES).
VIDEO_ATTACHMENT = 991
VIDEO_FILES = ("2021/05/materi-ekspor.mp4", "2021/06/kelas website.mp4")
VIDEO_UPLOADS_URL = "https://eksporyuk.example/wp-content/uploads/2021/06/kelas%20website.mp4"
PASSWORD = "rahasia-sejoli"  # every synthetic user's WordPress password (phpass or $wp$ bcrypt)


@dataclass
class Figures:
    """What the source holds, by construction: the import must reproduce every one."""

    users: int
    success: int
    revenue: int
    pending: int
    failed: int
    refunded: int
    top_affiliates: list  # [(name, commission, conversions)]
    other_affiliates: int
    commission_total: int
    conversions: int
    memberships: int
    extra: dict = field(default_factory=dict)

    @property
    def orders(self) -> int:
        return self.success + self.pending + self.failed

    @property
    def affiliates(self) -> int:
        return len(self.top_affiliates) + self.other_affiliates


def spec_figures() -> Figures:
    f = SPEC_FIGURES
    return Figures(
        users=f["users"], success=f["orders_success"], revenue=f["revenue"], pending=f["orders_pending"],
        failed=f["orders_failed"], refunded=120, top_affiliates=list(f["top_affiliates"]),
        other_affiliates=f["affiliates"] - len(f["top_affiliates"]), commission_total=f["commission_total"],
        conversions=f["conversions"], memberships=f["memberships"],
    )  # fmt: skip


def small_figures() -> Figures:
    return Figures(
        users=60, success=70, revenue=23456789, pending=4, failed=9, refunded=2,
        top_affiliates=[("Sutisna", 1945000, 5), ("Rahmat Al Fianto", 780000, 3)], other_affiliates=2,
        commission_total=3275000, conversions=11, memberships=30,
    )  # fmt: skip


def ser(value) -> str:
    return phpserialize.dumps(value).decode("utf-8")


def _split(total: int, parts: int, step: int = 5000) -> list[int]:
    """`total` in `parts` amounts, multiples of `step` except the last (which takes the remainder)."""
    base = (total // parts) // step * step
    amounts = [base] * parts
    amounts[-1] += total - base * parts
    return amounts


class Builder:
    def __init__(self, figures: Figures, seed: int = 19):
        self.f = figures
        self.rnd = random.Random(seed)
        self.users, self.usermeta, self.posts, self.postmeta, self.comments = [], [], [], [], []
        self.orders, self.commissions, self.subscriptions, self.coupons = [], [], [], []
        self.manual, self.confirmations, self.questions, self.answers = [], [], [], []
        self.start = datetime(2019, 3, 1, 8, 0, 0)

    def when(self, i: int, total: int) -> datetime:
        span = (datetime(2025, 11, 30) - self.start).total_seconds()
        return self.start + timedelta(seconds=int(span * i / max(total, 1)) + self.rnd.randint(0, 3600))

    def build(self):
        f = self.f
        n_aff = f.affiliates
        # --- users: 1 is the WordPress admin, 2..n_aff+1 the affiliates (top ones first) -------------------------
        for uid in range(1, f.users + 1):
            if 2 <= uid < 2 + len(f.top_affiliates):
                name = f.top_affiliates[uid - 2][0]
            elif uid == 1:
                name = "Admin Ekspor Yuk"
            else:
                name = f"{FIRST[uid % len(FIRST)]} {LAST[(uid * 7) % len(LAST)]}"
            registered = self.when(uid, f.users).strftime("%Y-%m-%d %H:%M:%S")
            if uid % 97 == 5:
                registered = "0000-00-00 00:00:00"  # zero date → empty
            pw = phpass_hash(PASSWORD, f"salt{uid:04d}", 7) if uid % 10 else phpass_hash(PASSWORD, f"s{uid:07d}", 7)
            login = f"user{uid}" if uid >= 2 + n_aff or uid == 1 else name.lower().replace(" ", "")[:20] + str(uid)
            email = f"{login}@contoh.id" if uid != 7 else "Budi.Campur@Contoh.ID"
            self.users.append((uid, login, pw, login, email, registered, name))
            first, _s, last = name.partition(" ")
            self.usermeta += [(uid, "first_name", first), (uid, "last_name", last)]
            caps = {"administrator": True} if uid == 1 else {"subscriber": True}
            self.usermeta.append((uid, "wp_capabilities", ser(caps)))
            phone = ("0812" + f"{uid:08d}") if uid % 3 else ("+62 813-" + f"{uid:04d}-{uid % 1000:04d}")
            if uid % 11 == 0:
                phone = "62857" + f"{uid:07d}"
            self.usermeta.append((uid, "_phone", phone))
            if 2 <= uid < 2 + n_aff:
                bank = {"bank_name": "BCA", "account_number": f"123{uid:07d}", "account_owner": name}
                self.usermeta.append((uid, "_bank_info", ser(bank)))
            elif uid > 2 + n_aff and uid % 5 == 0:
                self.usermeta.append((uid, "_affiliate_id", str(2 + uid % n_aff)))  # upline
        # a duplicate account (same e-mail in another case): folded into user 7
        self.dup_id = f.users + 1
        self.users.append(
            (self.dup_id, "budi_lama", phpass_hash(PASSWORD, "dupsalt0", 7), "budi_lama", "budi.campur@contoh.id",
             "0000-00-00 00:00:00", "Budi Campur")
        )  # fmt: skip
        self._products()
        self._orders()
        self._tutor()
        return self

    def _products(self):
        for pid, category in PRODUCT_CATEGORIES.items():
            title = {Category.LIFETIME: "Kelas Ekspor Lifetime", Category.M12: "Kelas Ekspor 12 Bulan",
                     Category.M6: "Kelas Ekspor 6 Bulan", Category.RENEWAL: "Perpanjangan Membership",
                     Category.EVENT: "Webinar Ekspor", Category.TOOL: "Aplikasi Ekspor", Category.SERVICE: "Jasa Ekspor",
                     Category.FREE: "Kelas Ekspor Gratis",
                     Category.OTHER: "Paket Umroh 1 Bulan + Cari Buyer Ekspor"}[category]  # fmt: skip
            self.posts.append((pid, 1, "2019-01-01 00:00:00", "", f"{title} #{pid}", "", "publish", f"produk-{pid}", 0, 0,
                               "sejoli-product"))  # fmt: skip

    def _order(
        self, oid, when, product, user, status, total, affiliate=0, coupon=0, unique=0, parent=0, kind="regular"
    ):
        meta = {"unique_code": unique} if unique else {}
        if coupon:
            meta["coupon"] = {"code": "HEMAT50", "discount": 50000}
        self.orders.append(
            (oid, when.strftime("%Y-%m-%d %H:%M:%S"), (when + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S"),
             None, parent, product, user, affiliate, coupon, "manual" if unique else "xendit", f"{total:.2f}", 1, kind,
             status, ser(meta) if meta else "")
        )  # fmt: skip
        if unique:
            self.manual.append((when.strftime("%Y-%m-%d %H:%M:%S"), oid, user, f"{total:.2f}", unique, ""))

    def _orders(self):
        f, rnd = self.f, self.rnd
        n_aff = f.affiliates
        ids = {c: [p for p, cat in PRODUCT_CATEGORIES.items() if cat == c] for c in Category.values}
        buyers = list(range(2, f.users + 1))
        rnd.shuffle(buyers)
        members = buyers[: f.memberships]
        others = buyers[f.memberships :] or buyers
        plan_cats = [Category.LIFETIME] * 3 + [Category.M12] * 2 + [Category.M6] * 2
        success = []  # (user, category, product)
        for uid in members:
            cat = rnd.choice(plan_cats)
            success.append((uid, cat, rnd.choice(ids[cat])))
        extra = f.success - len(success)
        renewable = [s for s in success if s[1] in (Category.M12, Category.M6)]
        for i in range(extra):
            if i % 4 == 0 and renewable:
                uid = renewable[i % len(renewable)][0]
                success.append((uid, Category.RENEWAL, rnd.choice(ids[Category.RENEWAL])))
            elif i % 4 == 1 and renewable:
                uid = renewable[(i * 3) % len(renewable)][0]
                success.append((uid, Category.LIFETIME, rnd.choice(ids[Category.LIFETIME])))  # an upgrade
            else:
                cat = (Category.EVENT, Category.TOOL, Category.SERVICE, Category.OTHER, Category.FREE)[i % 5]
                success.append((others[i % len(others)], cat, rnd.choice(ids[cat])))
        # prices with a unique code on manual ones, then spread the difference to the wanted revenue
        totals = [PRICES[cat] for _u, cat, _p in success]
        uniques = [(rnd.randint(1, 999) if totals[i] and i % 3 == 0 else 0) for i in range(len(success))]
        priced = [i for i, t in enumerate(totals) if t]
        wanted = f.revenue - sum(uniques)
        natural = sum(totals)
        for i in priced:  # scaled to the wanted revenue, whole thousands; the first takes the remainder
            totals[i] = max(1000, totals[i] * wanted // natural // 1000 * 1000)
        totals[priced[0]] += wanted - sum(totals)
        assert min(totals) >= 0, "revenue too low for the order mix"
        # base orders (memberships) come first in time for each member; extras after
        n_total = f.orders
        order_rows = []
        first_seen = set()
        for i, (uid, cat, pid) in enumerate(success):
            order_rows.append(("completed", uid, cat, pid, totals[i] + uniques[i], uniques[i], uid in first_seen))
            first_seen.add(uid)
        for i in range(f.pending):
            order_rows.append(("payment-confirm" if i % 2 else "on-hold", others[i % len(others)], Category.M6,
                               ids[Category.M6][0], PRICES[Category.M6] + 100 + i, 100 + i, False))  # fmt: skip
        for i in range(f.failed):
            status = "refunded" if i < f.refunded else "cancelled"
            order_rows.append((status, others[(i * 7) % len(others)], Category.EVENT, ids[Category.EVENT][i % 19],
                               PRICES[Category.EVENT], 0, False))  # fmt: skip
        # order ids and dates: memberships' base orders early, extras and failures spread over time
        base = [r for r in order_rows if r[0] == "completed" and not r[6]]
        later = [r for r in order_rows if not (r[0] == "completed" and not r[6])]
        rnd.shuffle(later)
        sequence = base[: len(base) // 2] + later[: len(later) // 3] + base[len(base) // 2 :] + later[len(later) // 3 :]
        # renewals / upgrades must come after their base order: move them to the end half when early
        placed_first: set = set()
        ordered, deferred = [], []
        for row in sequence:
            if row[0] == "completed" and row[6] and row[1] not in placed_first:
                deferred.append(row)
                continue
            ordered.append(row)
            if row[0] == "completed" and not row[6]:
                placed_first.add(row[1])
        ordered += deferred
        self.order_rows = []
        completed_ids = []
        for n, (status, uid, cat, pid, total, unique, _later) in enumerate(ordered, start=1):
            oid = 1000 + n
            when = self.when(n, n_total)
            coupon = 1 if (status == "completed" and n % 50 == 0 and total > 50000) else 0
            self._order(oid, when, pid, uid, status, total, coupon=coupon, unique=unique,
                        kind="subscription-regular" if cat == Category.RENEWAL else "regular")  # fmt: skip
            self.order_rows.append((oid, status, uid, cat, pid, when))
            if status == "completed" and total > 0:
                completed_ids.append(len(self.orders) - 1)
            if status == "completed" and cat in (Category.M6, Category.M12):
                months = 6 if cat == Category.M6 else 12
                end = when + timedelta(days=30 * months)
                end_text = "0000-00-00 00:00:00" if oid % 13 == 0 else end.strftime("%Y-%m-%d %H:%M:%S")
                self.subscriptions.append((when.strftime("%Y-%m-%d %H:%M:%S"), oid, 0, uid, pid, "regular", end_text,
                                           "expired" if end < datetime(2025, 12, 1) else "active"))  # fmt: skip
            if status == "payment-confirm":
                detail = ser({"bank": "BCA", "amount": total, "name": "Pembeli"})
                self.confirmations.append((when.strftime("%Y-%m-%d %H:%M:%S"), oid, pid, uid, detail))
        # commissions: the conversions on completed orders, per affiliate with its exact sum and count
        rnd.shuffle(completed_ids)
        aff_plan = [(2 + i, c, k) for i, (_n, c, k) in enumerate(f.top_affiliates)]
        rest_total = f.commission_total - sum(c for _n, c, _k in f.top_affiliates)
        rest_count = f.conversions - sum(k for _n, _c, k in f.top_affiliates)
        counts = [rest_count // f.other_affiliates] * f.other_affiliates
        for i in range(rest_count - sum(counts)):
            counts[i] += 1
        sums = [0] * f.other_affiliates
        per = rest_total // rest_count // 5000 * 5000
        for i in range(f.other_affiliates):
            sums[i] = per * counts[i]
        sums[-1] += rest_total - sum(sums)
        for i in range(f.other_affiliates):
            aff_plan.append((2 + len(f.top_affiliates) + i, sums[i], counts[i]))
        cursor = 0
        for aff, amount, count in aff_plan:
            for k, value in enumerate(_split(amount, count)):
                index = completed_ids[cursor]
                cursor += 1
                row = list(self.orders[index])
                row[7] = aff
                self.orders[index] = tuple(row)
                paid = 0 if (k == 0 and aff % 4 == 0) else 1  # a few still unpaid in Sejoli
                self.commissions.append((row[1], row[0], aff, row[5], 1, f"{value:.2f}", "added", paid))
        # tier-2 rows (the upline of a converting affiliate), pending commissions of pending orders, cancelled ones
        for index in completed_ids[:3]:
            row = self.orders[index]
            self.commissions.append((row[1], row[0], 2 + n_aff - 1, row[5], 2, "25000.00", "added", 1))
        for n, row in enumerate(self.orders):
            if row[13] in ("on-hold", "payment-confirm") and n % 2 == 0:
                self.orders[n] = row[:7] + (2,) + row[8:]
                self.commissions.append((row[1], row[0], 2, row[5], 1, "50000.00", "pending", 0))
            elif row[13] == "refunded":
                self.orders[n] = row[:7] + (3,) + row[8:]
                self.commissions.append((row[1], row[0], 3, row[5], 1, "10000.00", "cancelled", 0))
        # an orphan affiliate id (no such user) on a cancelled order
        for n, row in enumerate(self.orders):
            if row[13] == "cancelled":
                self.orders[n] = row[:7] + (999999,) + row[8:]
                break
        self.coupons.append(("2020-01-01 00:00:00", 2, 0, "hemat50", ser({"products": []}),
                             ser({"type": "fixed", "value": 50000, "usage": "per_item"}), 3, 0, None, "active"))  # fmt: skip
        self.coupons.append(("2020-01-01 00:00:00", 0, 0, "DISKON10", "", ser({"type": "percentage", "value": 10}), 0,
                             100, "0000-00-00 00:00:00", "inactive"))  # fmt: skip

    def _tutor(self):
        rnd = self.rnd
        post_id = 50000

        def post(author, title, kind, parent=0, content="", order=0, status="publish"):
            nonlocal post_id
            post_id += 1
            self.posts.append((post_id, author, "2020-02-01 09:00:00", content, title, "", status,
                               f"{kind}-{post_id}", parent, order, kind))  # fmt: skip
            return post_id

        videos = [
            {"source": "youtube", "source_youtube": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
             "runtime": {"hours": "00", "minutes": "12", "seconds": "30"}},
            {"source": "vimeo", "source_vimeo": "https://vimeo.com/76979871", "runtime": {"minutes": "8"}},
            {"source": "html5", "source_video_id": str(VIDEO_ATTACHMENT), "runtime": {"minutes": "5"}},  # media library
            {"source": "external_url", "source_external_url": VIDEO_UPLOADS_URL, "runtime": {"minutes": "7"}},  # uploads
        ]  # fmt: skip
        # the media library's attachment behind the html5 video (the file sits in wp-content/uploads/<path>)
        self.posts.append((VIDEO_ATTACHMENT, 1, "2021-05-01 09:00:00", "", "materi-ekspor", "", "inherit",
                           "materi-ekspor", 0, 0, "attachment"))  # fmt: skip
        self.postmeta.append((VIDEO_ATTACHMENT, "_wp_attached_file", VIDEO_FILES[0]))
        self.lessons: dict[int, list[int]] = {}
        for title, topics in (("Ekspor Yuk", 3), ("Website Ekspor", 1)):
            course = post(1, title, "courses", content=f"<p>Belajar {title} dari nol sampai kirim.</p>")
            self.postmeta += [(course, "_tutor_course_level", "beginner"), (course, "_tutor_course_price_type", "paid")]
            self.lessons[course] = []
            for t in range(1, topics + 1):
                topic = post(1, f"Modul {t}: {title}", "topics", parent=course, order=t)
                for n in range(1, 4 if topics > 1 else 3):
                    lesson = post(1, f"Pelajaran {t}.{n}", "lesson", parent=topic, order=n,
                                  content="<p>Materi pelajaran.</p><script>alert(1)</script>")  # fmt: skip
                    self.postmeta.append((lesson, "_video", ser(videos[(t + n) % len(videos)])))
                    self.lessons[course].append(lesson)
                if title == "Website Ekspor":
                    quiz = post(1, "Kuis Website", "tutor_quiz", parent=topic, order=9)
                    self.postmeta.append((quiz, "tutor_quiz_option", ser(
                        {"passing_grade": "80", "attempts_allowed": "3",
                         "time_limit": {"time_value": "10", "time_type": "minutes"}})))  # fmt: skip
                    self.questions.append((quiz, "Apa itu HS Code?", "", "single_choice", 1, 1))
                    self.questions.append((quiz, "Website wajib punya SSL?", "", "true_false", 1, 2))
            # enrolments of some members, progress and completions
            for uid in range(3, 3 + min(12, self.f.users - 3)):
                enrol = post(uid, f"Course Enrolled {uid}", "tutor_enrolled", parent=course, status="completed")
                self.postmeta.append((enrol, "_tutor_enrolled_by_order_id", "0"))
                lessons = self.lessons[course]
                done = lessons if uid % 3 == 0 else lessons[: uid % len(lessons)]
                for lesson in done:
                    self.usermeta.append((uid, f"_tutor_completed_lesson_id_{lesson}", str(1600000000 + lesson)))
                if uid % 3 == 0:
                    self.comments.append((course, f"user{uid}", "2021-05-05 10:00:00", f"{course:06x}{uid:010x}"[:16],
                                          "approved", "TutorLMSPlugin", "course_completed", uid))  # fmt: skip
        rnd.random()

    def expected(self) -> dict:
        """The figures the import must report (the fixture's truth)."""
        f = self.f
        return {
            "users": f.users, "users_read": f.users + 1, "orders": f.orders, "orders_success": f.success,
            "orders_pending": f.pending, "orders_failed": f.failed, "revenue": f.revenue,
            "affiliates": f.affiliates, "conversions": f.conversions, "commission_total": f.commission_total,
            "memberships": f.memberships, "top_affiliates": [list(t) for t in f.top_affiliates],
        }  # fmt: skip


def _insert(cur, sql, rows, chunk=2000):
    for i in range(0, len(rows), chunk):
        cur.executemany(sql, rows[i : i + chunk])


def source_build(conn, *, prefix: str = "wp_", figures: Figures | None = None, seed: int = 19) -> dict:
    """Creates the tables in the connected (empty) database and fills them. Returns the expected figures."""
    b = Builder(figures or small_figures(), seed=seed).build()
    p = prefix
    with conn.cursor() as cur:
        cur.execute("SET SESSION sql_mode = ''")
        for statement in SCHEMA.format(p=p).split(";"):
            if statement.strip():
                cur.execute(statement)
        _insert(cur, f"INSERT INTO `{p}users` (ID, user_login, user_pass, user_nicename, user_email, user_registered,"
                     " display_name) VALUES (%s,%s,%s,%s,%s,%s,%s)", b.users)  # fmt: skip
        _insert(cur, f"INSERT INTO `{p}usermeta` (user_id, meta_key, meta_value) VALUES (%s,%s,%s)", b.usermeta)
        _insert(cur, f"INSERT INTO `{p}posts` (ID, post_author, post_date, post_content, post_title, post_excerpt,"
                     " post_status, post_name, post_parent, menu_order, post_type) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                b.posts)  # fmt: skip
        _insert(cur, f"INSERT INTO `{p}postmeta` (post_id, meta_key, meta_value) VALUES (%s,%s,%s)", b.postmeta)
        _insert(cur, f"INSERT INTO `{p}comments` (comment_post_ID, comment_author, comment_date, comment_content,"
                     " comment_approved, comment_agent, comment_type, user_id) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
                b.comments)  # fmt: skip
        _insert(cur, f"INSERT INTO `{p}sejolisa_orders` (ID, created_at, updated_at, deleted_at, order_parent_id,"
                     " product_id, user_id, affiliate_id, coupon_id, payment_gateway, grand_total, quantity, type, status,"
                     " meta_data) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", b.orders)  # fmt: skip
        _insert(cur, f"INSERT INTO `{p}sejolisa_affiliates` (created_at, order_id, affiliate_id, product_id, tier,"
                     " commission, status, paid_status) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)", b.commissions)  # fmt: skip
        _insert(cur, f"INSERT INTO `{p}sejolisa_subscriptions` (created_at, order_id, order_parent_id, user_id,"
                     " product_id, type, end_date, status) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)", b.subscriptions)  # fmt: skip
        _insert(cur, f"INSERT INTO `{p}sejolisa_coupons` (created_at, user_id, coupon_parent_id, code, rule, discount,"
                     " `usage`, limit_use, limit_date, status) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", b.coupons)  # fmt: skip
        _insert(cur, f"INSERT INTO `{p}sejolisa_manual_transaction` (created_at, order_id, user_id, total, unique_code,"
                     " meta_data) VALUES (%s,%s,%s,%s,%s,%s)", b.manual)  # fmt: skip
        _insert(cur, f"INSERT INTO `{p}sejolisa_confirmations` (created_at, order_id, product_id, user_id, detail)"
                     " VALUES (%s,%s,%s,%s,%s)", b.confirmations)  # fmt: skip
        _insert(cur, f"INSERT INTO `{p}tutor_quiz_questions` (quiz_id, question_title, question_description,"
                     " question_type, question_mark, question_order) VALUES (%s,%s,%s,%s,%s,%s)", b.questions)  # fmt: skip
        cur.execute(f"SELECT question_id, question_type FROM `{p}tutor_quiz_questions` ORDER BY question_id")
        answers = []
        for row in cur.fetchall():
            qid = row["question_id"] if isinstance(row, dict) else row[0]
            kind = row["question_type"] if isinstance(row, dict) else row[1]
            if kind == "true_false":
                answers += [(qid, "Benar", 1, 1), (qid, "Salah", 0, 2)]
            else:
                answers += [(qid, "Kode klasifikasi barang", 1, 1), (qid, "Kode pos", 0, 2), (qid, "Nomor HP", 0, 3)]
        _insert(cur, f"INSERT INTO `{p}tutor_quiz_question_answers` (belongs_question_id, answer_title, is_correct,"
                     " answer_order) VALUES (%s,%s,%s,%s)", answers)  # fmt: skip
    return b.expected()
