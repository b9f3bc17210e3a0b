"""The bench targets: how to build one request, which answers count as success, and the in-process query
count of one request."""

import contextlib
import itertools
import json
import sys
import threading
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .load import LoadResult, Request, run_load


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    expected: frozenset = frozenset({200})


# The bare view every other target is compared with (same server, same run): a ratio travels between machines,
# an absolute req/s does not.
BASELINE = Target("healthz", "GET /healthz (bare view)")

TARGETS = (
    Target("home", "GET / (front door)"),
    Target("checkout", "GET /checkout/gold"),
    Target("checkout_all", "GET /checkout/all"),
    Target("sales_page", "GET /membership/gold"),
    Target("products", "GET /produk"),
    Target("plans", "GET /api/v1/plans"),
    Target("orders", "POST /api/v1/orders", frozenset({201})),
    # A product with a seat quota under the default limits: the 30-minute hold, the seat taken on one hot row, the
    # unpaid-order checks (buyer lock) and the unique transfer code under the amount's lock.
    Target("orders_limited", "POST /api/v1/orders (quota product)", frozenset({201})),
    Target("webhooks", "POST /webhooks/xendit (paid)"),
    # What any signed-in request costs before its own work (the session, the user, the role): the bell's poll, an
    # admin's session, two small reads. The sales list's ratio reads against it as well as against the bare view.
    Target("signed_in", "GET /notifications/badge (admin)"),
    Target("sales", "GET /admin/sales (admin)"),
    Target("shortlinks", "GET /s/<slug> (302 + click)", frozenset({302})),
    # Booster: an affiliate's bio page (view counted) and an opt-in submission (a lead per request, each from its
    # own address so the per-address limit does not refuse it).
    Target("bio", "GET /bio/<code> (view counted)"),
    Target("optin", "POST /api/v1/optin/<slug> (lead)", frozenset({201})),
    # Courses (issue 12) at 200 courses, 5,000 lessons and 20,000 enrolled members (courses.py): the public
    # catalogue, a course page and a lesson page for an enrolled member, and progress writes (the video position of
    # a different enrolled member each time, through the apps' API).
    Target("course_catalogue", "GET /kursus (catalogue)"),
    Target("course_page", "GET /kursus/<slug> (member)"),
    Target("lesson_page", "GET /belajar/<slug>/<id> (member)"),
    Target("progress", "POST /api/v1/courses/../position"),
    # Export directory at 50,000 buyers: a member's filtered buyer list, page and API.
    Target("buyers", "GET /direktori/buyer (filters)"),
    Target("buyers_api", "GET /api/v1/buyers (filters)"),
    # Live classes (issue 15) at 50 programs, 500 sections and 5,000 enrolments (classes.py): the admin waiting list
    # and a program's "Manage Sections" page.
    Target("class_waiting", "GET /admin/kelas-live/daftar-tunggu"),
    Target("class_sections", "GET /admin/kelas-live/program/<slug>"),
    # Community (issue 13) at 100,000 posts, 1,000,000 reactions and 20,000 members (community.py): a member's
    # feed page and feed API (first page), a group's posts API and a post page with sixty comments.
    Target("community_feed", "GET /komunitas (feed)"),
    Target("community_feed_api", "GET /api/v1/feed"),
    Target("community_group_api", "GET /api/v1/groups/<slug>/posts"),
    Target("community_post", "GET /komunitas/post/<id>"),
)


COURSE_TARGETS = ("course_catalogue", "course_page", "lesson_page", "progress")
CLASS_TARGETS = ("class_waiting", "class_sections")
COMMUNITY_TARGETS = ("community_feed", "community_feed_api", "community_group_api", "community_post")
# `--targets community` / `--targets chat`: every target of issue 13 / 14 (HTTP and in-process ones).
TARGET_GROUPS = {
    "community": (*COMMUNITY_TARGETS, "community_fanout"),
    "chat": ("chat_ws", "reminder_sweep", "broadcast_smtp"),
}


@dataclass
class Context:
    admin_cookie: str
    tokens: list[str]
    callback_token: str
    webhooks: list[tuple[str, str, int]]  # (invoice, provider reference, amount) of pending Xendit orders
    short_links: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_webhook: int = 0
    next_order: int = 0
    limited_tokens: list[str] = field(default_factory=list)
    next_limited: int = 0
    bio_username: str = ""
    optin_slug: str = ""
    member_cookie: str = ""
    member_token: str = ""
    course_slug: str = ""
    lesson_id: int = 0
    lesson_ids: list[int] = field(default_factory=list)
    learner_cookie: str = ""
    learner_tokens: list[str] = field(default_factory=list)
    class_slug: str = ""
    community_cookie: str = ""
    community_token: str = ""
    community_post_id: int = 0
    community_group_slug: str = ""


def prepare(*, buyers: int, callback_token: str, memberships: int) -> Context:
    from sanggar.accounts.models import User
    from sanggar.api.tokens import token_pair_issue
    from sanggar.payments.models import Payment

    from . import directory
    from .dataset import ADMIN_EMAIL
    from .money import short_link_slugs

    admin = User.objects.get(email=ADMIN_EMAIL)
    _limited_product(admin)
    # The settings rows a running platform has (written with their defaults on first use, and cached from the
    # second read on): the counted request is a running server's, not the very first order's or payment's.
    from sanggar.affiliates.services import attribution_settings_current
    from sanggar.finance.services import revenue_settings_current

    revenue_settings_current()
    attribution_settings_current()
    client = Client()
    client.force_login(admin)
    member = directory.member()
    member_client = Client()
    member_client.force_login(member)
    # Buyers without a membership and without an unpaid order, so every order is a new membership (never a refused
    # downgrade) within the limits on unpaid orders (ORDER_MAX_PENDING_PER_BUYER / _PER_ITEM).
    pool = (
        User.objects.filter(email__startswith="pembeli", memberships__isnull=True)
        .exclude(orders__status="pending")
        .order_by("pk")[:buyers]
    )
    webhooks = list(
        Payment.objects.filter(provider="xendit", status="pending", provider_reference__startswith="bench-")
        .order_by("pk")
        .values_list("order__invoice_number", "provider_reference", "amount")
    )
    # The quota product's buyers: members (not in the pool above) without an unpaid order, one order each.
    limited_pool = (
        User.objects.filter(email__startswith="pembeli", memberships__isnull=False)
        .exclude(orders__status="pending")
        .distinct()
        .order_by("pk")[:buyers]
    )
    return Context(
        admin_cookie=f"sessionid={client.cookies['sessionid'].value}",
        tokens=[token_pair_issue(user=user).access for user in pool],
        limited_tokens=[token_pair_issue(user=user).access for user in limited_pool],
        callback_token=callback_token,
        webhooks=webhooks,
        short_links=short_link_slugs(),
        member_cookie=f"sessionid={member_client.cookies['sessionid'].value}",
        member_token=token_pair_issue(user=member).access,
        **_booster_pages(),
        **_course_pages(),
        **_class_pages(),
        **_community_pages(),
    )


def _community_pages() -> dict:
    from .community import measured

    return measured()


def _course_pages() -> dict:
    """The measured course, its fourth lesson and its enrolled members (see courses.py), when built."""
    from sanggar.accounts.models import User
    from sanggar.api.tokens import token_pair_issue

    from .courses import measured

    found = measured()
    if not found or not found["members"]:
        return {}
    client = Client()
    client.force_login(User.objects.get(pk=found["members"][0]))
    learners = User.objects.filter(pk__in=found["members"]).order_by("pk")
    return {
        "course_slug": found["course"].slug,
        "lesson_id": found["lessons"][min(3, len(found["lessons"]) - 1)],
        "lesson_ids": found["lessons"],
        "learner_cookie": f"sessionid={client.cookies['sessionid'].value}",
        "learner_tokens": [token_pair_issue(user=user).access for user in learners],
    }


def _class_pages() -> dict:
    from .classes import measured

    return measured()


BENCH_OPTIN_SLUG = "ebook-bench"


def _booster_pages() -> dict:
    """A bio page with buttons and an opt-in form of the first affiliate (added to an existing bench database)."""
    from sanggar.affiliates.models import AffiliateProfile
    from sanggar.booster.models import OptinForm
    from sanggar.booster.services import pages
    from sanggar.core.exceptions import ServiceError

    affiliate = AffiliateProfile.objects.select_related("user").order_by("pk").first()
    if affiliate is None:
        return {}
    page = pages.bio_page_for(affiliate)
    form = OptinForm.objects.filter(slug=BENCH_OPTIN_SLUG).first() or pages.optin_save(
        affiliate=affiliate,
        data={"title": "Ebook Bench", "slug": BENCH_OPTIN_SLUG, "headline": "Ebook Ekspor Gratis", "ask_name": True,
              "ask_email": True, "is_active": True},
    )  # fmt: skip
    if not page.buttons.exists():
        pages.bio_button_save(affiliate=affiliate, kind="optin", target=form.slug, label="Ambil Ebook")
        with contextlib.suppress(ServiceError):  # the bench dataset sells "gold"; elsewhere it may not exist
            pages.bio_button_save(affiliate=affiliate, kind="plan", target="gold", label="Join Membership")
    return {"bio_username": affiliate.code.lower(), "optin_slug": form.slug}


LIMITED_SLUG = "webinar-kuota-bench"
LIMITED_ORDER_BODY = json.dumps({"items": [{"kind": "product", "slug": LIMITED_SLUG}], "provider": "manual"}).encode()


def _limited_product(admin) -> None:
    """The quota product of the `orders_limited` target (added to an existing bench database when missing)."""
    from sanggar.catalog.models import Product
    from sanggar.catalog.services import product_create

    if not Product.objects.filter(slug=LIMITED_SLUG).exists():
        product_create(
            actor=admin,
            title="Webinar Kuota Terbatas",
            slug=LIMITED_SLUG,
            kind="webinar",
            price=250_000,
            price_type="one_time",
            status="published",
            stock=1_000_000,  # the most a product may hold (catalog STOCK_MAX)
        )


def _limited_order(context: Context):
    def order(i):
        with context.lock:
            n = context.next_limited
            context.next_limited += 1
        if n >= len(context.limited_tokens):
            return None  # every buyer holds their one unpaid order of this product
        headers = {
            "Authorization": f"Bearer {context.limited_tokens[n]}",
            "Content-Type": "application/json",
            "X-Forwarded-For": f"10.{250 + n // 65536 % 5}.{n // 256 % 256}.{n % 256}",
        }
        return Request("POST", "/api/v1/orders", headers, LIMITED_ORDER_BODY)

    return order


def _webhook_body(invoice: str, reference: str, amount: int) -> bytes:
    return json.dumps(
        {
            "id": reference,
            "external_id": invoice,
            "status": "PAID",
            "amount": amount,
            "paid_amount": amount,
            "payment_method": "BANK_TRANSFER",
            "payment_channel": "BCA",
            "currency": "IDR",
        }
    ).encode()


# Each buyer orders each plan once (12 months, manual transfer): one unpaid order per item and at most three per
# buyer, and three amounts so the 999 transfer codes per amount last for thousands of orders. The plans take turns
# from one request to the next (buyer k's j-th order is plan (k + j) mod 3), so every amount's codes are drawn at the
# same pace: with one plan at a time the first 999 orders used up Gold's codes and the next ones were refused.
ORDER_BODIES = tuple(
    json.dumps({"items": [{"kind": "plan", "slug": slug, "duration": "12m"}], "provider": "manual"}).encode()
    for slug in ("gold", "silver", "platinum")
)


def request_factory(target: Target, context: Context):
    """`make(i) -> Request | None` for the load generator."""
    if target.key == "healthz":
        return lambda i: Request("GET", "/healthz")
    public_pages = {
        "home": "/",
        "checkout": "/checkout/gold",
        "checkout_all": "/checkout/all",
        "sales_page": "/membership/gold",
        "products": "/produk",
    }
    if target.key in public_pages:
        path = public_pages[target.key]
        return lambda i: Request("GET", path)
    if target.key == "plans":
        return lambda i: Request("GET", "/api/v1/plans")
    if target.key == "shortlinks":
        slugs = itertools.cycle(context.short_links)
        # A different (fake) client address per request, so every click counts as a new visitor.
        return lambda i: Request(
            "GET", f"/s/{next(slugs)}", {"X-Forwarded-For": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"}
        )
    if target.key == "sales":
        return lambda i: Request("GET", "/admin/sales", {"Cookie": context.admin_cookie})
    if target.key == "signed_in":
        return lambda i: Request("GET", "/notifications/badge", {"Cookie": context.admin_cookie})
    if target.key == "class_waiting":
        return lambda i: Request("GET", "/admin/kelas-live/daftar-tunggu", {"Cookie": context.admin_cookie})
    if target.key == "class_sections":
        path = f"/admin/kelas-live/program/{context.class_slug}"
        return lambda i: Request("GET", path, {"Cookie": context.admin_cookie})
    if target.key == "community_feed":
        return lambda i: Request("GET", "/komunitas", {"Cookie": context.community_cookie})
    if target.key == "community_post":
        path = f"/komunitas/post/{context.community_post_id}"
        return lambda i: Request("GET", path, {"Cookie": context.community_cookie})
    if target.key in ("community_feed_api", "community_group_api"):
        path = "/api/v1/feed" if target.key == "community_feed_api" else (
            f"/api/v1/groups/{context.community_group_slug}/posts"
        )  # fmt: skip
        return lambda i: Request("GET", path, {"Authorization": f"Bearer {context.community_token}"})
    if target.key == "course_catalogue":
        return lambda i: Request("GET", "/kursus")
    if target.key == "course_page":
        return lambda i: Request("GET", f"/kursus/{context.course_slug}", {"Cookie": context.learner_cookie})
    if target.key == "lesson_page":
        path = f"/belajar/{context.course_slug}/{context.lesson_id}"
        return lambda i: Request("GET", path, {"Cookie": context.learner_cookie})
    if target.key == "progress":

        def progress(i):
            token = context.learner_tokens[i % len(context.learner_tokens)]
            lesson = context.lesson_ids[(i // len(context.learner_tokens)) % len(context.lesson_ids)]
            body = json.dumps({"seconds": 30 + i % 600}).encode()
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            return Request("POST", f"/api/v1/courses/{context.course_slug}/lessons/{lesson}/position", headers, body)

        return progress
    if target.key == "buyers":
        from .directory import LIST_QUERY

        return lambda i: Request("GET", f"/direktori/buyer?{LIST_QUERY}", {"Cookie": context.member_cookie})
    if target.key == "buyers_api":
        from .directory import API_QUERY

        return lambda i: Request(
            "GET", f"/api/v1/buyers?{API_QUERY}", {"Authorization": f"Bearer {context.member_token}"}
        )
    if target.key == "bio":
        return lambda i: Request("GET", f"/bio/{context.bio_username}")
    if target.key == "optin":
        counter = itertools.count()

        def optin(i):
            n = next(counter)
            body = json.dumps({"name": f"Lead {n}", "email": f"lead{n}-{i}@bench.test", "whatsapp": ""}).encode()
            headers = {"Content-Type": "application/json", "X-Forwarded-For": f"10.{100 + n // 65536 % 50}."
                       f"{n // 256 % 256}.{n % 256}"}  # fmt: skip
            return Request("POST", f"/api/v1/optin/{context.optin_slug}", headers, body)

        return optin
    if target.key == "orders_limited":
        return _limited_order(context)
    if target.key == "orders":

        def order(i):
            with context.lock:  # shared by the in-process count, the warm-up and the measurement
                n = context.next_order
                context.next_order += 1
            if n >= len(context.tokens) * len(ORDER_BODIES):
                return None  # every buyer ordered every plan
            token = context.tokens[n % len(context.tokens)]
            body = ORDER_BODIES[(n + n // len(context.tokens)) % len(ORDER_BODIES)]
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "X-Forwarded-For": f"10.{200 + n // 65536 % 50}.{n // 256 % 256}.{n % 256}",  # an address per order
            }
            return Request("POST", "/api/v1/orders", headers, body)

        return order

    def webhook(i):
        with context.lock:
            if context.next_webhook >= len(context.webhooks):
                return None
            invoice, reference, amount = context.webhooks[context.next_webhook]
            context.next_webhook += 1
        headers = {"x-callback-token": context.callback_token, "Content-Type": "application/json"}
        return Request("POST", "/webhooks/xendit", headers, _webhook_body(invoice, reference, amount))

    return webhook


def queries_per_request(target: Target, context: Context, *, show: bool = False) -> int:
    """Runs two requests of the target in-process (Django's test client) and counts the SQL queries of the second:
    a running server's request, after the process's first one has filled its caches. `show`: prints them too
    (`--sql`), to see where a target's queries go."""
    client = Client()
    make = request_factory(target, context)
    count = 0
    for i in range(2):
        request = make(i)
        headers = {k: v for k, v in request.headers.items() if k not in ("Cookie", "Content-Type")}
        if "Cookie" in request.headers:
            name, _, value = request.headers["Cookie"].partition("=")
            client.cookies[name] = value
        with CaptureQueriesContext(connection) as captured:
            if request.method == "GET":
                response = client.get(request.path, headers=headers)
            else:
                response = client.generic(
                    request.method, request.path, request.body, content_type="application/json", headers=headers
                )
        if response.status_code not in target.expected:
            raise RuntimeError(
                f"{target.label}: in-process request answered {response.status_code}: {response.content[:300]!r}"
            )
        count = len(captured.captured_queries)
    if show:
        print(f"\n[bench] {target.label}: {count} queries", file=sys.stderr)
        for n, query in enumerate(captured.captured_queries, 1):
            print(f"  {n:>3} {' '.join(query['sql'].split())[:200]}", file=sys.stderr)
    return count


def measure(
    target: Target, context: Context, port: int | list[int], concurrency: int, duration: float, server_cpu=None
) -> tuple[LoadResult, float, float]:
    """The load result, and the CPU milliseconds per completed request of the server's processes and of PostgreSQL's
    (`server_cpu()` answers both as seconds; their user + system time over the measurement, warm-up excluded; 0.0
    when `server_cpu` is not given or a figure cannot be read). Several ports: one server process each, the
    connections dealt to them in turn."""
    base = [f"http://127.0.0.1:{p}" for p in ([port] if isinstance(port, int) else port)]
    make = request_factory(target, context)
    run_load(base, target.key, make, concurrency=min(concurrency, 4), duration=1.0, expected=target.expected)  # warm-up
    before = server_cpu() if server_cpu else (0.0, 0.0)
    result = run_load(base, target.label, make, concurrency=concurrency, duration=duration, expected=target.expected)
    after = server_cpu() if server_cpu else (0.0, 0.0)
    per_request = [
        1000 * (end - start) / result.completed if result.completed and end > start else 0.0
        for start, end in zip(before, after, strict=True)
    ]
    return result, per_request[0], per_request[1]
