"""Shared fixtures of the access and membership tests."""

import pytest

from sanggar.access.tests.factories import make_plan, make_product, make_resource


@pytest.fixture
def catalog(db):
    """Silver < Gold < Platinum, as in the spec's example: each plan opens its groups and courses."""
    pemula = make_resource("group", "komunitas-pemula", "Komunitas Pemula")
    dasar = make_resource("course", "dasar-ekspor", "Dasar Ekspor")
    premium_group = make_resource("group", "komunitas-premium", "Komunitas Premium")
    strategi = make_resource("course", "strategi-ekspor", "Strategi Ekspor")
    buyer_class = make_resource("course", "kelas-buyer", "Kelas Buyer")
    webinar = make_resource("event", "webinar-vip", "Webinar VIP")
    ebook = make_product("ebook-buyer", title="Ebook Daftar Buyer")
    silver = make_plan(
        "silver", rank=1, prices={"1m": 100_000, "12m": 1_000_000, "lifetime": 2_000_000}, resources=[pemula, dasar]
    )
    gold = make_plan(
        "gold",
        rank=2,
        prices={"1m": 200_000, "6m": 900_000, "12m": 1_500_000, "lifetime": 4_000_000},
        resources=[premium_group, strategi, buyer_class, dasar],
        products=[ebook],
    )
    platinum = make_plan(
        "platinum",
        rank=3,
        prices={"1m": 400_000, "12m": 3_000_000, "lifetime": 8_000_000},
        mode="full",
        resources=[pemula, premium_group, dasar, strategi, buyer_class, webinar],
        products=[ebook],
    )
    return {
        "silver": silver,
        "gold": gold,
        "platinum": platinum,
        "pemula": pemula,
        "dasar": dasar,
        "premium_group": premium_group,
        "strategi": strategi,
        "buyer_class": buyer_class,
        "webinar": webinar,
        "ebook": ebook,
    }
