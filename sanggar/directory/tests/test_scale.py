"""The buyer list at scale (the `make bench` target's claims, tested): the member's list page and API run the same
number of queries whatever the number of buyers and filters, and every filter can be served by an index on
PostgreSQL (the trigram indexes of migration 0003 for the text filters)."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanggar.api.testing import call
from sanggar.directory import selectors
from sanggar.directory.buyer_services import dedupe_key
from sanggar.directory.models import Buyer

pytestmark = pytest.mark.django_db

FILTERS = {"country": "JP", "product": "vanili", "verified": "1", "hs": "0905"}


def _bulk(count: int, start: int = 0, *, rare_every: int = 2) -> None:
    """Buyers; one in `rare_every` is a verified Japanese vanilla buyer (HS 0905) named "Rempah Sakura"."""
    rows = []
    for i in range(start, start + count):
        rare = i % rare_every == 0
        company = f"Rempah Sakura {i}" if rare else f"Importir {i}"
        country = "JP" if rare else "US"
        rows.append(
            Buyer(company=company, country=country, products="Vanili" if rare else "Kopi arabika",
                  hs_codes="0905" if rare else "0901", is_verified=rare, email=f"i{i}@buyer.example",
                  dedupe_key=dedupe_key(company, country))
        )  # fmt: skip
    Buyer.objects.bulk_create(rows)


def _queries(fetch) -> int:
    fetch()  # the first request fills the process's caches, as on a running server
    with CaptureQueriesContext(connection) as captured:
        assert fetch().status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("filters", [{}, FILTERS, {"q": "importir 1"}])
def test_the_list_page_and_api_run_a_fixed_number_of_queries(member, client, filters):
    web = Client()
    web.force_login(member)

    def page():
        return web.get(reverse("directory:buyers"), filters)

    def api():
        return call(client, "get", "/buyers", user=member, data=filters)

    _bulk(5)
    few = (_queries(page), _queries(api))
    _bulk(200, start=5)
    many = (_queries(page), _queries(api))
    assert few == many
    # fixed numbers; one query of each is the directory's feature gate (services.feature_decision)
    assert many[0] <= 14 and many[1] <= 10


def test_country_options_are_recounted_after_a_buyer_is_added(
    admin_user, make_buyer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_buyer(country="JP")
    assert [code for code, _label in selectors.country_options()] == ["JP"]
    Buyer.objects.create(company="Tanpa Layanan", country="US", products="Teh", dedupe_key="x")
    assert [code for code, _label in selectors.country_options()] == ["JP"]  # cached: no service, no recount
    with django_capture_on_commit_callbacks(execute=True):
        make_buyer(country="DE")  # the service forgets the cached options after commit
    assert sorted(code for code, _label in selectors.country_options()) == ["DE", "JP", "US"]


def _count_plan(rows) -> str:
    sql, params = rows.order_by().values("pk").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN SELECT COUNT(*) FROM ({sql}) AS counted", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("filters", "column"),
    [
        ({"country": "JP"}, "country"),
        ({"verified": "1"}, "is_verified"),
    ],
)
def test_every_filter_has_an_index(filters, column):
    """A selective filter (3 of 3,000 buyers) over an unselective status: the count's plan takes the filtered column
    as an index condition. Sequential scans are off: without a fitting index PostgreSQL still falls back to one, or
    to the status index with the filter applied row by row."""
    _bulk(3000, rare_every=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_buyer")
    plan = _count_plan(selectors.buyer_list(filters=filters))
    conditions = " ".join(line for line in plan.splitlines() if "Index Cond" in line or "Recheck Cond" in line)
    assert "Seq Scan" not in plan, plan
    assert column in conditions, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("filters", "column", "term"),
    [
        ({"product": "vanili"}, "products", "vanili"),
        ({"hs": "0905"}, "hs_codes", "0905"),
        ({"q": "sakura"}, "company", "sakura"),
    ],
)
def test_the_text_filters_have_trigram_indexes(filters, column, term):
    """The text filters are `icontains` (`UPPER(col::text) LIKE UPPER('%…%')`), which no B-tree serves: with
    sequential scans off, the filter alone is planned on its trigram index (migration 0003), so the index exists
    and fits Django's SQL. At 50,000 buyers `make bench` shows the planner picking it for the member's list."""
    _bulk(3000, rare_every=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_buyer")
    assert selectors.buyer_list(filters=filters).count() == 3
    plan = _count_plan(Buyer.objects.filter(**{f"{column}__icontains": term}))
    assert f"Bitmap Index Scan on directory_buyer_{column}_trgm" in plan, plan
