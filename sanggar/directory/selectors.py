"""Reads the directory's pages and API share: buyer lists (member and admin), favourites, the admins' statistics and
view tracker, the reports queue, forwarders and rate comparison, the member directory and export documents. Every
list is a queryset the caller paginates; statistics run a fixed number of queries."""

from collections import Counter
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from sanggar.core.roles import Role

from .constants import KIND_BUYER, BuyerStatus, ReportStatus
from .countries import country_name, flag
from .kinds import directory_kind, directory_kinds
from .models import (
    Buyer,
    BuyerImport,
    DirectoryLike,
    DirectoryRating,
    DirectoryReport,
    DirectorySearch,
    DirectoryView,
    ExportDocument,
    Forwarder,
    ForwarderRate,
    MemberProfile,
    QuotaUse,
)

# The columns a member's list may read: no contact field is even loaded.
PUBLIC_FIELDS = (
    "id",
    "company",
    "country",
    "city",
    "products",
    "hs_codes",
    "annual_volume",
    "business_scale",
    "payment_terms",
    "shipping_terms",
    "is_verified",
    "rating",
    "created_at",
    "updated_at",
    "status",
)
SORTS = {
    "baru": ("-created_at", "-id"),
    "populer": ("-view_count", "-id"),
    "disukai": ("-like_count", "-id"),
    "nama": ("company", "id"),
}


def _text(value, limit=100) -> str:
    return str(value or "").replace("\x00", "").strip()[:limit]


def buyer_list(*, filters: dict, admin: bool = False):
    """Buyers filtered by q (company / product / HS), country, product, hs, verified, payment, incoterm, scale,
    status (admins), new (last 7 days) and sorted (baru, populer, disukai, nama)."""
    rows = Buyer.objects.all() if admin else Buyer.objects.filter(status=BuyerStatus.ACTIVE).only(*PUBLIC_FIELDS)
    if admin:
        status = _text(filters.get("status"), 10)
        rows = rows.filter(status=status) if status in BuyerStatus.values else rows.exclude(status=BuyerStatus.ARCHIVED)
    q = _text(filters.get("q"))
    if q:
        rows = rows.filter(Q(company__icontains=q) | Q(products__icontains=q) | Q(hs_codes__icontains=q))
    country = _text(filters.get("country"), 2).upper()
    if country:
        rows = rows.filter(country=country)
    product = _text(filters.get("product"))
    if product:
        rows = rows.filter(products__icontains=product)
    hs = _text(filters.get("hs"), 10).replace(".", "")
    if hs:
        rows = rows.filter(hs_codes__icontains=hs)
    if str(filters.get("verified") or "") in ("1", "true", "ya"):
        rows = rows.filter(is_verified=True)
    payment = _text(filters.get("payment"), 50)
    if payment:
        rows = rows.filter(payment_terms__icontains=payment)
    incoterm = _text(filters.get("incoterm"), 3).upper()
    if incoterm:
        rows = rows.filter(shipping_terms=incoterm)
    scale = _text(filters.get("scale"), 10)
    if scale:
        rows = rows.filter(business_scale=scale)
    if str(filters.get("baru") or "") == "1":
        rows = rows.filter(created_at__gte=timezone.now() - timedelta(days=7))
    return rows.order_by(*SORTS.get(_text(filters.get("sort"), 10), SORTS["baru"]))


def buyer_get(*, pk: int, admin: bool = False) -> Buyer | None:
    rows = Buyer.objects.all() if admin else Buyer.objects.filter(status=BuyerStatus.ACTIVE)
    return rows.filter(pk=pk).first()


def buyers_opened_this_month(*, user, month) -> list[Buyer]:
    """The buyers this member opened this month (their contacts may fill an export document)."""
    opened = QuotaUse.objects.filter(user=user, kind=KIND_BUYER, month=month).values("object_id")
    return list(Buyer.objects.filter(pk__in=opened, status=BuyerStatus.ACTIVE).order_by("company")[:100])


def buyer_import_get_for_user(*, user, pk: int, target: str = "buyer") -> BuyerImport | None:
    """An import (of buyers, or of `target`) the user may see: admins every import, mentors their own."""
    return buyer_imports_for_user(user=user, target=target).filter(pk=pk).first()


def buyer_imports_for_user(*, user, target: str = "buyer"):
    rows = BuyerImport.objects.filter(target=target).select_related("uploaded_by")
    return rows if user.has_role(Role.ADMIN) else rows.filter(uploaded_by=user)


def buyer_favourites(*, user):
    liked = DirectoryLike.objects.filter(user=user, kind=KIND_BUYER).values("object_id")
    return Buyer.objects.filter(pk__in=liked, status=BuyerStatus.ACTIVE).only(*PUBLIC_FIELDS).order_by("company", "id")


COUNTRY_OPTIONS_CACHE = "directory:buyer-country-options"
COUNTRY_OPTIONS_SECONDS = 300


def country_options(*, with_counts: bool = True) -> list[tuple[str, str]]:
    """Countries that have active buyers, with flag and count: one grouped query over every active buyer, kept for
    five minutes (at 50,000 buyers it cost more than the rest of the list page)."""

    def build():
        rows = (
            Buyer.objects.filter(status=BuyerStatus.ACTIVE)
            .values("country")
            .annotate(n=Count("id"))
            .order_by("country")
        )
        options = [(r["country"], f"{flag(r['country'])} {country_name(r['country'])} ({r['n']})") for r in rows]
        return sorted(options, key=lambda o: o[1][3:])

    return cache.get_or_set(COUNTRY_OPTIONS_CACHE, build, COUNTRY_OPTIONS_SECONDS)


def country_options_forget() -> None:
    """After buyers were added, edited, hidden or archived: the next list recounts (called after commit)."""
    cache.delete(COUNTRY_OPTIONS_CACHE)


def my_view_counts(*, user, object_ids) -> dict[int, int]:
    """How often this member opened each of these buyers (their own counter; others' views stay hidden)."""
    ids = list(object_ids)
    if not ids:
        return {}
    rows = (
        DirectoryView.objects.filter(user=user, kind=KIND_BUYER, object_id__in=ids)
        .values("object_id")
        .annotate(n=Count("id"))
    )
    return {r["object_id"]: r["n"] for r in rows}


# --- admins ----------------------------------------------------------------------------------------------------------


def _per_day(rows, days: int, now) -> list[tuple[str, int]]:
    counts = {r["day"]: r["n"] for r in rows}
    start = timezone.localdate(now) - timedelta(days=days - 1)
    return [
        ((start + timedelta(days=i)).strftime("%d/%m"), counts.get(start + timedelta(days=i), 0)) for i in range(days)
    ]


def _daily(queryset, *, since, field="created_at"):
    return (
        queryset.filter(**{f"{field}__gte": since}).annotate(day=TruncDate(field)).values("day").annotate(n=Count("id"))
    )


def buyer_stats(*, days: int = 30, now=None) -> dict:
    """The admins' analytics: totals, views / likes / reports / new buyers per day, buyers per country, the most
    viewed and liked, views per country, and the filters members used. Thirteen queries whatever the size."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    live = Buyer.objects.exclude(status=BuyerStatus.ARCHIVED)
    totals = live.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=BuyerStatus.ACTIVE)),
        verified=Count("id", filter=Q(is_verified=True)),
        new_week=Count("id", filter=Q(created_at__gte=now - timedelta(days=7))),
    )
    views = DirectoryView.objects.filter(kind=KIND_BUYER)
    likes = DirectoryLike.objects.filter(kind=KIND_BUYER)
    reports = DirectoryReport.objects.filter(kind=KIND_BUYER)
    per_country = list(
        live.filter(status=BuyerStatus.ACTIVE).values("country").annotate(n=Count("id")).order_by("-n", "country")[:12]
    )
    viewed = (
        views.filter(created_at__gte=since)
        .values("object_id")
        .annotate(n=Count("id"))
        .order_by("-n", "object_id")[:500]
    )
    viewed = list(viewed)
    view_country: Counter = Counter()
    countries = dict(Buyer.objects.filter(pk__in=[r["object_id"] for r in viewed]).values_list("pk", "country"))
    for row in viewed:
        view_country[countries.get(row["object_id"], "")] += row["n"]
    searches = DirectorySearch.objects.filter(kind=KIND_BUYER, created_at__gte=since)
    return {
        "totals": {**totals, "open_reports": reports.filter(status=ReportStatus.OPEN).count()},
        "views_daily": _per_day(_daily(views, since=since), days, now),
        "likes_daily": _per_day(_daily(likes, since=since), days, now),
        "reports_daily": _per_day(_daily(reports, since=since), days, now),
        "new_daily": _per_day(_daily(Buyer.objects.all(), since=since), days, now),
        "per_country": [(f"{flag(r['country'])} {country_name(r['country'])}", r["n"]) for r in per_country],
        "top_viewed": list(live.filter(view_count__gt=0).order_by("-view_count", "id")[:10]),
        "top_liked": list(live.filter(like_count__gt=0).order_by("-like_count", "id")[:10]),
        "views_per_country": [(f"{flag(c)} {country_name(c)}", n) for c, n in view_country.most_common(10) if c],
        "filter_countries": [
            (f"{flag(r['country'])} {country_name(r['country'])}", r["n"])
            for r in searches.exclude(country="").values("country").annotate(n=Count("id")).order_by("-n")[:10]
        ],
        "filter_products": [
            (r["product"], r["n"])
            for r in searches.exclude(product="").values("product").annotate(n=Count("id")).order_by("-n")[:10]
        ],
    }


def ratings_admin_list(*, kind: str = ""):
    """Every rating (hidden ones too) for the admins' moderation page, newest first."""
    rows = DirectoryRating.objects.select_related("user").order_by("-updated_at", "-id")
    return rows.filter(kind=kind) if kind else rows


def view_tracker(*, kind: str = KIND_BUYER, q: str = ""):
    """Who opened what and how many times (admins): one row per (member, object), newest first."""
    rows = DirectoryView.objects.filter(kind=kind)
    q = _text(q)
    if q:
        users = get_user_model().objects.filter(Q(email__icontains=q) | Q(full_name__icontains=q)).values("pk")
        rows = rows.filter(user__in=users)
    return (
        rows.values("user", "object_id")
        .annotate(n=Count("id"), last=Max("created_at"), charged=Count("id", filter=Q(charged=True)))
        .order_by("-last", "user", "object_id")
    )


def tracker_rows(*, page_rows, kind: str) -> list[dict]:
    """Adds names and titles to a page of `view_tracker` rows (two queries)."""
    rows = list(page_rows)
    users = get_user_model().objects.in_bulk([r["user"] for r in rows])
    entry = directory_kind(kind)
    titles = entry.titles([r["object_id"] for r in rows]) if entry.titles else {}
    return [
        {**r, "member": users.get(r["user"]), "title": titles.get(r["object_id"], f"#{r['object_id']}")} for r in rows
    ]


def reports_queue(*, status: str = "open", kind: str = ""):
    rows = DirectoryReport.objects.select_related("reporter", "handled_by")
    if status in ReportStatus.values:
        rows = rows.filter(status=status)
    if kind in {k.key for k in directory_kinds()}:
        rows = rows.filter(kind=kind)
    return rows.order_by("-created_at", "-id")


# --- forwarders ------------------------------------------------------------------------------------------------------

FORWARDER_PUBLIC = (
    "id",
    "name",
    "city",
    "province",
    "services",
    "ports",
    "routes",
    "description",
    "is_verified",
    "is_active",
    "created_at",
    "updated_at",
)


def forwarder_list(*, filters: dict, admin: bool = False):
    rows = Forwarder.objects.all() if admin else Forwarder.objects.filter(is_active=True).only(*FORWARDER_PUBLIC)
    q = _text(filters.get("q"))
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(ports__icontains=q) | Q(routes__icontains=q) | Q(city__icontains=q))
    service = _text(filters.get("service"), 20)
    if service:
        rows = rows.filter(services__contains=f",{service},")
    if str(filters.get("verified") or "") == "1":
        rows = rows.filter(is_verified=True)
    return rows.order_by("-is_verified", "name", "id")


def forwarder_get(*, pk: int, admin: bool = False) -> Forwarder | None:
    rows = Forwarder.objects.all() if admin else Forwarder.objects.filter(is_active=True)
    return rows.filter(pk=pk).first()


def rate_compare(*, origin: str = "", destination: str = "", country: str = "", mode: str = "", today=None):
    """Rate card lines of active forwarders for a route, cheapest first (expired lines left out)."""
    today = today or timezone.localdate()
    rows = ForwarderRate.objects.filter(forwarder__is_active=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    if _text(origin):
        rows = rows.filter(origin_port__icontains=_text(origin))
    if _text(destination):
        rows = rows.filter(destination_port__icontains=_text(destination))
    if _text(country, 2):
        rows = rows.filter(destination_country=_text(country, 2).upper())
    if _text(mode, 10):
        rows = rows.filter(mode=_text(mode, 10))
    return (
        rows.select_related("forwarder")
        .only(
            *(f"forwarder__{f}" for f in ("id", "name", "is_verified", "city")),
            "id",
            "origin_port",
            "destination_port",
            "destination_country",
            "mode",
            "price",
            "transit_days",
            "valid_until",
            "notes",
            "forwarder_id",
        )
        .order_by("price", "transit_days", "id")
    )


# --- member directory, documents ------------------------------------------------------------------------------------


def member_directory(*, province: str = "", city: str = "", q: str = ""):
    rows = MemberProfile.objects.filter(is_listed=True, user__is_active=True).select_related("user")
    if _text(province, 64):
        rows = rows.filter(user__province=_text(province, 64))
    if _text(city):
        rows = rows.filter(user__city__icontains=_text(city))
    if _text(q):
        term = _text(q)
        rows = rows.filter(
            Q(business_name__icontains=term)
            | Q(headline__icontains=term)
            | Q(products__icontains=term, show_products=True)
            | Q(user__full_name__icontains=term)
        )
    return rows.order_by("-updated_at", "-id")


def member_card(profile: MemberProfile) -> dict:
    """The fields this member chose to show (nothing else leaves the server)."""
    user = profile.user
    return {
        "id": profile.pk,
        "name": user.full_name,
        "business_name": profile.business_name,
        "headline": profile.headline,
        "province": user.province if profile.show_city else "",
        "city": user.city if profile.show_city else "",
        "products": profile.products if profile.show_products else "",
        "bio": user.bio if profile.show_bio else "",
        "whatsapp": user.whatsapp if profile.show_whatsapp else "",
        "email": user.email if profile.show_email else "",
    }


def documents_for(*, user):
    return ExportDocument.objects.filter(owner=user).order_by("-updated_at", "-id")


def document_for(*, user, pk: int) -> ExportDocument | None:
    return ExportDocument.objects.filter(owner=user, pk=pk).prefetch_related("items").first()
