"""The export directory at scale: 50,000 buyers (bulk rows, as an import leaves them), the member's buyer list with
filters over HTTP (the `buyers` and `buyers_api` targets), the query plans of those filters (each must use an index,
never a sequential scan of the buyers), and the import of a 20,000-row file through the import service."""

import csv
import io
import random
import time
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from sanggar.accounts.models import User
from sanggar.accounts.services import user_setup_new
from sanggar.core.roles import Role
from sanggar.directory.buyer_services import buyer_import_run, buyer_import_upload, dedupe_key
from sanggar.directory.constants import BuyerStatus, ImportStatus
from sanggar.directory.models import Buyer, BuyerImport
from sanggar.directory.selectors import buyer_list

BATCH = 5000
SOURCE = "bench"
COUNTRIES = ("US", "JP", "CN", "DE", "NL", "AE", "SA", "KR", "AU", "GB", "FR", "IN", "MY", "SG", "TR", "EG")
PRODUCTS = (
    ("Kopi arabika", "0901"), ("Kakao biji", "1801"), ("Minyak kelapa", "1513"), ("Lada hitam", "0904"),
    ("Vanili", "0905"), ("Cengkeh", "0907"), ("Kayu manis", "0906"), ("Arang briket", "4402"),
    ("Furnitur rotan", "9403"), ("Udang beku", "0306"), ("Tuna kaleng", "1604"), ("Kerajinan bambu", "4602"),
    ("Karet alam", "4001"), ("Teh hijau", "0902"), ("Gula kelapa", "1701"), ("Rumput laut", "1212"),
)  # fmt: skip
SCALES = ("small", "medium", "large")
INCOTERMS = ("FOB", "CIF", "EXW", "CFR")
# The member's filters measured over HTTP and explained: a country with verified buyers, a product word, an HS code,
# a keyword. Each filter's plan must use an index of the buyers table.
LIST_QUERY = "country=JP&product=vanili&verified=1"
API_QUERY = "country=DE&hs=0905"
EXPLAINED = (
    {"country": "JP"},
    {"verified": "1"},
    {"product": "vanili"},
    {"hs": "0905"},
    {"q": "Rotan Nusantara 4711"},
    {"country": "JP", "product": "vanili", "verified": "1"},
)
MEMBER_EMAIL = "member-direktori@bench.test"


def buyers_build(*, count: int, log) -> None:
    """Adds bench buyers until `count` exist (bulk rows, the same every run), then refreshes planner statistics."""
    have = Buyer.objects.filter(source=SOURCE).count()
    if have >= count:
        return
    rng = random.Random(50_000)
    started = time.monotonic()
    with transaction.atomic():
        for start in range(have, count, BATCH):
            rows = []
            for i in range(start, min(start + BATCH, count)):
                product, hs = PRODUCTS[rng.randrange(len(PRODUCTS))]
                country = COUNTRIES[rng.randrange(len(COUNTRIES))]
                company = f"Importir {product.split()[0]} Nusantara {i}"
                rows.append(
                    Buyer(
                        company=company, country=country, city="Kota", products=f"{product}, produk olahan",
                        hs_codes=hs, business_scale=SCALES[i % 3], shipping_terms=INCOTERMS[i % 4],
                        payment_terms="T/T 30% DP", contact_person=f"Kontak {i}", email=f"buyer{i}@bench.test",
                        phone="+1 555 0100", source=SOURCE, is_verified=i % 3 == 0,
                        status=BuyerStatus.HIDDEN if i % 50 == 0 else BuyerStatus.ACTIVE,
                        dedupe_key=dedupe_key(company, country), view_count=rng.randrange(200),
                    )
                )  # fmt: skip
            Buyer.objects.bulk_create(rows)
    _analyze()
    log(f"{count - have:,} buyers in {time.monotonic() - started:.1f} s")


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE directory_buyer" if connection.vendor == "postgresql" else "ANALYZE")


def member() -> User:
    """A signed-in member for the buyer list, set up as a signup leaves one: the Member role, which the directory's
    access policy asks for (an account without it is refused with 403), and no membership (the list needs none,
    only the details use quota). A member saved by an earlier bench without the role gets it now."""
    user = User.objects.filter(email=MEMBER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=MEMBER_EMAIL, password="bench-sandi-123", full_name="Member Bench")
    if Role.MEMBER not in user.role_set:
        user_setup_new(user=user, send_welcome=False)
    return user


@dataclass(frozen=True)
class Plan:
    filters: dict
    uses_index: bool  # the count's plan (sequential scans off) takes a filtered column as an index condition
    chosen: str  # how the planner runs the page's rows and the count at this size, sequential scans allowed
    plan: str


def _scans(text: str) -> str:
    return ", ".join(line.strip().split("  (")[0].removeprefix("->  ") for line in text.splitlines() if "Scan" in line)


def plans_explain() -> list[Plan]:
    """For each filter of the member list: can an index serve it (the count's plan with sequential scans switched
    off names every filtered column in an index condition), and which plans the planner picks at this size."""
    if connection.vendor != "postgresql":
        return []
    explained = []
    for filters in EXPLAINED:
        rows = buyer_list(filters=filters)
        page, count = rows[:20].explain(), buyer_list_count_explain(rows)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            forced = buyer_list_count_explain(rows)
        # One filter: its column is an index condition. Several: at least one narrows through an index (the
        # others may be a residual filter on the few rows left, as PostgreSQL chooses).
        uses = "Seq Scan" not in forced and any(c in index_conditions(forced) for c in filtered_columns(filters))
        chosen = f"rows: {_scans(page)}; count: {_scans(count)}"
        explained.append(Plan(filters=filters, uses_index=uses, chosen=chosen, plan=forced))
    return explained


def buyer_list_count_explain(rows) -> str:
    sql, params = rows.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN SELECT COUNT(*) FROM ({sql}) AS counted", params)  # noqa: S608 - Django's own SQL
        return "\n".join(row[0] for row in cursor.fetchall())


COLUMNS = {"country": "country", "verified": "is_verified", "product": "products", "hs": "hs_codes", "q": "company"}


def filtered_columns(filters: dict) -> list[str]:
    return [COLUMNS[key] for key in filters]


def index_conditions(plan: str) -> str:
    """The text of every index condition (and bitmap recheck) of a plan."""
    return " ".join(line for line in plan.splitlines() if "Index Cond" in line or "Recheck Cond" in line)


def import_file(*, rows: int, existing: list[tuple[str, str]]) -> bytes:
    """A csv of `rows` rows: 80 % new, 10 % invalid (no country / a bad email), 5 % already in the database, 5 %
    repeated inside the file."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Perusahaan", "Negara", "Produk", "Kode HS", "Email", "Kontak"])
    run = int(time.time())
    for i in range(rows):
        kind = i % 20
        if kind in (0, 1):
            writer.writerow([f"Impor Rusak {run}-{i}", "" if kind == 0 else "JP", "Kopi", "0901", "bukan-email", ""])
        elif kind == 2 and existing:
            company, country = existing[i % len(existing)]
            writer.writerow([company, country, "Kopi", "0901", "", ""])
        elif kind == 3 and i >= 4:  # the same company as the row four above (a new, valid one)
            writer.writerow([f"Impor Baru {run}-{i - 4}", "US", "Kakao", "1801", "", ""])
        else:
            writer.writerow([f"Impor Baru {run}-{i}", "US", "Kakao", "1801", f"impor{run}-{i}@bench.test", "Budi"])
    return out.getvalue().encode()


def import_measure(*, rows: int, log) -> dict:
    """Upload (parse, validate, find duplicates, preview) and run (write) a `rows`-row csv, timed separately, through
    the import service the admin page and the API call."""
    admin = User.objects.get(email__startswith="admin@bench")
    existing = list(Buyer.objects.filter(source=SOURCE).values_list("company", "country")[:500])
    content = import_file(rows=rows, existing=existing)
    started = time.monotonic()
    batch = buyer_import_upload(actor=admin, upload=SimpleUploadedFile("bench.csv", content, "text/csv"))
    preview = time.monotonic() - started
    BuyerImport.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
    started = time.monotonic()
    batch = buyer_import_run(batch_id=batch.pk)
    run = time.monotonic() - started
    total = preview + run
    result = {
        "rows": batch.total_rows,
        "valid": batch.valid_rows,
        "invalid": batch.invalid_rows,
        "duplicates": batch.duplicate_rows,
        "created": batch.created_count,
        "skipped": batch.skipped_count,
        "preview_seconds": round(preview, 1),
        "run_seconds": round(run, 1),
        "rows_per_second": round(batch.total_rows / total, 0) if total else 0.0,
    }
    log(
        f"buyer import of {batch.total_rows:,} rows: preview {preview:.1f} s, write {run:.1f} s "
        f"({result['created']:,} created, {batch.invalid_rows:,} invalid, {batch.duplicate_rows:,} duplicates, "
        f"{batch.skipped_count:,} skipped)"
    )
    # The bench buyers stay at their count: the imported rows are removed again.
    Buyer.objects.filter(import_batch=batch).delete()
    return result
