"""Short-link creation under real concurrency (PostgreSQL): one slug per domain, whoever commits first wins."""

import threading

import pytest
from django.db import connection, connections

from sanggar.affiliates.models import ShortLink
from sanggar.affiliates.services import short_link_create, short_link_domain_create
from sanggar.core.exceptions import ServiceError

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking")
@pytest.mark.parametrize("on_custom_domain", [True, False])
def test_two_affiliates_racing_for_one_slug(make_affiliate, admin_user, shop, on_custom_domain):
    shop.plan("Gold", prices=(("12m", 1_200_000),))
    domain = short_link_domain_create(actor=admin_user, domain="link.eksporyuk.com") if on_custom_domain else None
    racers = [make_affiliate(full_name=f"Racer{i} Uji") for i in range(6)]
    barrier = threading.Barrier(len(racers))
    outcomes: list[str] = []

    def run(profile):
        try:
            barrier.wait()
            short_link_create(affiliate=profile, domain=domain, slug="promo", target_kind="plan", target_slug="gold")
            outcomes.append("created")
        except ServiceError as exc:
            outcomes.append(exc.errors["slug"][0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(p,)) for p in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("created") == 1
    assert len(outcomes) == len(racers)
    assert all(
        o == "created" or o.startswith("Slug ini sudah dipakai affiliate lain") or o.startswith("Slug ini baru saja")
        for o in outcomes
    )
    assert ShortLink.objects.filter(slug="promo").count() == 1
