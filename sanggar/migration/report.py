# ruff: noqa: S608  (table names come from a validated prefix; every value is a parameter)
"""The reconciliation report: the source's figures (read straight from the WordPress tables), what the platform
holds after the import, and every difference between them and the spec's figures, listed, never hidden."""

from collections import defaultdict

from django.db.models import Count, Sum

from sanggar.affiliates.models import Commission
from sanggar.learning.models import Certificate, Course, Enrollment, LessonProgress
from sanggar.memberships.constants import MembershipSource
from sanggar.memberships.models import UserMembership
from sanggar.orders.models import Order

from .constants import INVOICE_PREFIX, SOURCE, SPEC_ALTERNATE, SPEC_FIGURES, STATUS_GROUP
from .models import LegacyMap
from .source import Source, money


def source_figures(src: Source) -> dict:
    users = src.scalar(f"SELECT COUNT(*) FROM {src.t('users')}")
    per_status: dict[str, dict] = {}
    groups = defaultdict(lambda: {"count": 0, "sum": 0})
    order_status = {}
    for r in src.rows(f"SELECT ID, status, grand_total FROM {src.t('sejolisa_orders')}"):
        amount = money(r["grand_total"])
        row = per_status.setdefault(r["status"], {"count": 0, "sum": 0})
        row["count"] += 1
        row["sum"] += amount
        group = STATUS_GROUP.get(r["status"], "other")
        groups[group]["count"] += 1
        groups[group]["sum"] += amount
        order_status[int(r["ID"])] = r["status"]
    names = {int(r["ID"]): r["display_name"] for r in src.rows(
        f"SELECT u.ID, u.display_name FROM {src.t('users')} u WHERE u.ID IN"
        f" (SELECT DISTINCT affiliate_id FROM {src.t('sejolisa_affiliates')})")}  # fmt: skip
    commissions: dict[str, dict] = {}
    per_affiliate = defaultdict(lambda: {"commission": 0, "conversions": 0})
    tiers = defaultdict(lambda: {"count": 0, "sum": 0})
    unpaid = {"count": 0, "sum": 0}
    for r in src.rows(
        f"SELECT order_id, affiliate_id, tier, commission, status, paid_status FROM {src.t('sejolisa_affiliates')}"
    ):
        amount = money(r["commission"])
        row = commissions.setdefault(r["status"], {"count": 0, "sum": 0})
        row["count"] += 1
        row["sum"] += amount
        tiers[int(r["tier"] or 1)]["count"] += 1
        tiers[int(r["tier"] or 1)]["sum"] += amount
        if r["status"] == "added" and not int(r["paid_status"] or 0):
            unpaid["count"] += 1
            unpaid["sum"] += amount
        if (
            r["status"] == "added"
            and int(r["tier"] or 1) == 1
            and STATUS_GROUP.get(order_status.get(int(r["order_id"]), "")) == "success"
        ):
            per_affiliate[int(r["affiliate_id"])]["commission"] += amount
            per_affiliate[int(r["affiliate_id"])]["conversions"] += 1
    ranking = sorted(per_affiliate.items(), key=lambda kv: (-kv[1]["commission"], kv[0]))
    return {
        "users": users,
        "orders": {
            "total": sum(v["count"] for v in per_status.values()),
            "per_status": per_status,
            "groups": dict(groups),
        },  # fmt: skip
        "revenue": groups["success"]["sum"],
        "affiliates": len(per_affiliate),
        "conversions": sum(v["conversions"] for v in per_affiliate.values()),
        "commission_total": sum(v["commission"] for v in per_affiliate.values()),
        "commissions": {
            "per_status": commissions,
            "per_tier": {str(k): v for k, v in tiers.items()},
            "added_unpaid": unpaid,
        },  # fmt: skip
        "top_affiliates": [{"affiliate_id": k, "name": names.get(k, f"#{k}"), **v} for k, v in ranking[:10]],
    }


def imported_figures() -> dict:
    orders = Order.objects.filter(invoice_number__startswith=INVOICE_PREFIX)
    per_status = {
        r["status"]: {"count": r["n"], "sum": r["s"] or 0}
        for r in orders.values("status").annotate(n=Count("id"), s=Sum("total")).order_by()
    }
    commissions = Commission.objects.filter(order__invoice_number__startswith=INVOICE_PREFIX)
    per_commission = {
        r["status"]: {"count": r["n"], "sum": r["s"] or 0}
        for r in commissions.values("status").annotate(n=Count("id"), s=Sum("amount")).order_by()
    }
    memberships = defaultdict(dict)
    for r in (
        UserMembership.objects.filter(source=MembershipSource.IMPORT)
        .values("plan__title", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        memberships[r["plan__title"]][r["status"]] = r["n"]
    course_ids = LegacyMap.objects.filter(source=SOURCE, table="courses", target_id__isnull=False).values("target_id")
    return {
        "users": LegacyMap.objects.filter(source=SOURCE, table="users", target_id__isnull=False)
        .values("target_id")
        .distinct()
        .count(),
        "orders": {"total": sum(v["count"] for v in per_status.values()), "per_status": per_status},
        "revenue": per_status.get("paid", {}).get("sum", 0),
        "affiliates": commissions.filter(status="available").values("affiliate").distinct().count(),
        "conversions": per_commission.get("available", {}).get("count", 0),
        "commission_total": per_commission.get("available", {}).get("sum", 0),
        "commissions": {"per_status": per_commission},
        "memberships": {plan: dict(v) for plan, v in memberships.items()},
        "memberships_total": sum(sum(v.values()) for v in memberships.values()),
        "courses": Course.objects.filter(pk__in=course_ids).count(),
        "enrolments": Enrollment.objects.filter(course_id__in=course_ids).count(),
        "lesson_progress": LessonProgress.objects.filter(course_id__in=course_ids, completed_at__isnull=False).count(),
        "certificates": Certificate.objects.filter(course_id__in=course_ids).count(),
    }


def _diff(out: list, item: str, expected, actual, where: str) -> None:
    if expected != actual:
        gap = actual - expected if isinstance(expected, int) and isinstance(actual, int) else None
        out.append({"item": item, "expected": expected, "actual": actual, "difference": gap, "where": where})


def differences(source: dict, imported: dict, expected: dict) -> list[dict]:
    """Every figure that does not match: the spec (or the given expected figures) against the source, and the
    source against what was imported."""
    out: list[dict] = []
    groups = source["orders"]["groups"]
    checks = {
        "orders": (source["orders"]["total"], None),
        "orders_success": (groups.get("success", {}).get("count", 0), None),
        "orders_pending": (groups.get("pending", {}).get("count", 0), None),
        "orders_failed": (groups.get("failed", {}).get("count", 0), None),
        "revenue": (source["revenue"], None),
        "affiliates": (source["affiliates"], None),
        "conversions": (source["conversions"], None),
        "commission_total": (source["commission_total"], None),
    }
    for item, (value, _x) in checks.items():
        if item in expected:
            _diff(out, item, expected[item], value, "spesifikasi vs sumber")
    for rank, row in enumerate(expected.get("top_affiliates", []), start=1):
        got = source["top_affiliates"][rank - 1] if rank <= len(source["top_affiliates"]) else None
        actual = [got["name"], got["commission"], got["conversions"]] if got else None
        if actual != list(row):
            out.append({"item": f"top_affiliate_{rank}", "expected": list(row), "actual": actual, "difference": None,
                        "where": "spesifikasi vs sumber"})  # fmt: skip
    if "users" in expected:
        _diff(out, "users", expected["users"], imported["users"], "spesifikasi vs impor")
    if "memberships" in expected:
        _diff(out, "memberships", expected["memberships"], imported["memberships_total"], "spesifikasi vs impor")
    # source → platform (what the import must carry over exactly)
    if imported:
        per = imported["orders"]["per_status"]
        _diff(out, "orders_imported", source["orders"]["total"], imported["orders"]["total"], "sumber vs impor")
        _diff(out, "revenue_imported", source["revenue"], imported["revenue"], "sumber vs impor")
        pending = sum(v["count"] for k, v in per.items() if k == "pending")
        _diff(out, "orders_pending_imported", groups.get("pending", {}).get("count", 0), pending, "sumber vs impor")
        _diff(out, "conversions_imported", source["conversions"], imported["conversions"], "sumber vs impor")
        _diff(out, "commission_total_imported", source["commission_total"], imported["commission_total"],
              "sumber vs impor")  # fmt: skip
        _diff(out, "affiliates_imported", source["affiliates"], imported["affiliates"], "sumber vs impor")
    return out


def build_report(*, src: Source, stats=None, expected: dict | None = None, notes=()) -> dict:
    """The JSON report (the command's --report-json, the page and the CSV)."""
    source = source_figures(src)
    imported = imported_figures()
    expected = SPEC_FIGURES if expected is None else expected
    diffs = differences(source, imported, expected)
    per_status = source["orders"]["per_status"]
    return {
        "users": {"source": source["users"], "imported": imported["users"]},
        "orders": per_status,
        "orders_groups": source["orders"]["groups"],
        "orders_imported": imported["orders"]["per_status"],
        "revenue": {"source": source["revenue"], "imported": imported["revenue"]},
        "affiliates": {
            "source": source["affiliates"],
            "imported": imported["affiliates"],
            "top": source["top_affiliates"],
        },  # fmt: skip
        "commissions": {
            **source["commissions"],
            "conversions": source["conversions"],
            "total": source["commission_total"],
            "imported": imported["commissions"]["per_status"],
        },  # fmt: skip
        "memberships": imported["memberships"],
        "courses": imported["courses"],
        "enrolments": imported["enrolments"],
        "lesson_progress": imported["lesson_progress"],
        "certificates": imported["certificates"],
        "tables": stats.tables if stats is not None else {},
        "expected": dict(expected),
        "alternate_figures": SPEC_ALTERNATE,
        "notes": list(notes),
        "differences": diffs,
    }
