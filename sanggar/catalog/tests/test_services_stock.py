import threading

import pytest
from django.db import close_old_connections, connection, transaction

from sanggar.catalog import services
from sanggar.catalog.models import Product
from sanggar.core.exceptions import ServiceError


@pytest.mark.django_db
def test_take_counts_until_the_quota(make_product):
    product = make_product("Webinar", stock=2)
    services.product_stock_take(product=product)
    services.product_stock_take(product=product)
    assert product.sold_count == 2
    with pytest.raises(ServiceError) as exc:
        services.product_stock_take(product=product)
    assert exc.value.message == "Kuota habis: Webinar sudah terjual sesuai kuota."
    assert exc.value.code == "sold_out"
    assert Product.objects.get(pk=product.pk).sold_count == 2
    services.product_stock_release(product=product)
    assert Product.objects.get(pk=product.pk).sold_count == 1


@pytest.mark.django_db
def test_unlimited_products_only_count(make_product):
    product = make_product("Ebook")
    for _ in range(3):
        services.product_stock_take(product=product)
    assert Product.objects.get(pk=product.pk).sold_count == 3


@pytest.mark.django_db
def test_release_never_goes_below_zero(make_product):
    product = make_product("Ebook", stock=1)
    services.product_stock_release(product=product)
    assert Product.objects.get(pk=product.pk).sold_count == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_buyers_never_exceed_the_quota(make_product):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    quota, buyers = 5, 16
    product = make_product("Webinar VIP", stock=quota)
    barrier = threading.Barrier(buyers)
    results: list[str] = []
    lock = threading.Lock()

    def buy():
        try:
            barrier.wait()
            with transaction.atomic():
                services.product_stock_take(product=Product.objects.get(pk=product.pk))
            outcome = "ok"
        except ServiceError:
            outcome = "sold_out"
        finally:
            close_old_connections()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=buy) for _ in range(buyers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == quota
    assert results.count("sold_out") == buyers - quota
    assert Product.objects.get(pk=product.pk).sold_count == quota
