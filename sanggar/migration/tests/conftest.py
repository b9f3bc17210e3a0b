"""A scratch MariaDB database per test session holding the synthetic Sejoli + Tutor LMS source (small slice).
The tests skip, saying why, only when MariaDB is unreachable; CI has it (MIGRATION_TEST_MYSQL overrides the server)."""

import os
import uuid

import pytest

from sanggar.catalog.models import MembershipPlan, PlanPrice

SERVER = os.environ.get("MIGRATION_TEST_MYSQL", "mysql://root@127.0.0.1:3306")


@pytest.fixture(scope="session")
def sejoli_source():
    import pymysql

    from sanggar.migration.source import connect, source_parse
    from sanggar.migration.synthetic import source_build

    name = f"sejoli_test_{uuid.uuid4().hex[:10]}"
    url = f"{SERVER}/{name}"
    try:
        conn = connect(source_parse(url), database=False)
    except Exception as exc:
        pytest.skip(f"MariaDB/MySQL tidak bisa dihubungi di {SERVER}: {exc}")
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        cur.execute(f"USE `{name}`")
    try:
        expected = source_build(conn)
        yield url, expected
    finally:
        try:
            with conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        except pymysql.MySQLError:
            pass
        conn.close()


@pytest.fixture
def plans(db):
    out = {}
    for rank, (slug, title, duration, price) in enumerate(
        (("6-bulan", "6 Bulan", "6m", 299000), ("12-bulan", "12 Bulan", "12m", 499000),
         ("lifetime", "Lifetime", "lifetime", 699000)), start=1,
    ):  # fmt: skip
        plan = MembershipPlan.objects.create(title=title, slug=slug, status="active", rank=rank)
        PlanPrice.objects.create(plan=plan, duration=duration, price=price)
        out[duration] = plan
    return out
