"""A client generated from the published OpenAPI document by a third-party generator (openapi-python-client, as the
Flutter apps' generator would) drives a member's main calls: every answer must parse with the generated models,
every status must be documented, and the methods carry the short operation ids."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from sanggar.api.openapi import openapi_document

pytestmark = pytest.mark.django_db
PACKAGE = "sanggar_api_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Generates the client once per run into a temporary directory and imports it."""
    work = tmp_path_factory.mktemp("client")
    spec = work / "openapi.json"
    spec.write_text(json.dumps(openapi_document()), encoding="utf-8")
    config = work / "config.json"
    config.write_text(json.dumps({"package_name_override": PACKAGE, "post_hooks": []}), encoding="utf-8")
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [str(generator), "generate", "--path", str(spec), "--meta", "none", "--config", str(config)],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PATH": f"{generator.parent}:{os.environ.get('PATH', '')}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(work))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(work))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _module(package, dotted: str):
    return importlib.import_module(f"{package.__name__}.{dotted}")


def _client(package, app, token: str = ""):
    return _module(package, "client").AuthenticatedClient(
        base_url="http://testserver",
        token=token or "anonim",
        raise_on_unexpected_status=True,
        httpx_args={"transport": httpx.WSGITransport(app=app)},
    )


def test_generated_client_drives_the_members_main_calls(generated, wsgi_app, shop_catalog, make_user, password):
    member = make_user(email="dewi@contoh.test")
    models = _module(generated, "models")
    anonymous = _client(generated, wsgi_app)

    token = _module(generated, "api.akun.auth_token").sync(
        client=anonymous, body=models.TokenIn(email=member.email, password=password)
    )
    assert isinstance(token, models.TokenPairOut), token
    client = _client(generated, wsgi_app, token.access)

    me = _module(generated, "api.akun.me").sync(client=client)
    assert isinstance(me, models.MeOut), (me.message, me.errors.additional_properties)
    assert me.email == member.email
    plans = _module(generated, "api.katalog.plans_list").sync(client=client)
    assert {plan.slug for plan in plans.results} >= {"silver", "gold"}
    gold = _module(generated, "api.katalog.plans_detail").sync("gold", client=client)
    assert isinstance(gold, models.PlanDetailOut), gold
    assert [r.title for r in gold.resources] == ["Grup Eksportir"]
    ebook = _module(generated, "api.katalog.products_detail").sync("ebook-ekspor", client=client)
    assert isinstance(ebook, models.ProductDetailOut), ebook
    products = _module(generated, "api.katalog.products_list").sync(client=client)
    assert products.count >= 1

    order = _module(generated, "api.pesanan.orders_create").sync(
        client=client,
        body=models.OrderIn(
            items=[models.OrderItemIn(kind=models.OrderItemInKind.PRODUCT, slug="ebook-ekspor")],
            provider=models.OrderInProvider.MANUAL,
        ),
    )
    assert isinstance(order, models.OrderOut), order
    assert order.status == "pending" and order.payment.instructions is not None
    listed = _module(generated, "api.pesanan.orders_list").sync(client=client)
    assert [o.invoice_number for o in listed.results] == [order.invoice_number]
    detail = _module(generated, "api.pesanan.orders_detail").sync(order.invoice_number, client=client)
    assert detail.total == order.total
    refused = _module(generated, "api.pesanan.orders_create").sync(
        client=client,
        body=models.OrderIn(
            items=[models.OrderItemIn(kind=models.OrderItemInKind.PRODUCT, slug="tidak-ada")],
            provider=models.OrderInProvider.MANUAL,
        ),
    )
    assert isinstance(refused, models.ErrorOut) and refused.message

    assert _module(generated, "api.notifikasi.notifications_list").sync(client=client).count >= 0
    assert _module(generated, "api.keuangan.me_wallets").sync(client=client) == []
    assert _module(generated, "api.membership.me_membership").sync_detailed(client=client).status_code == 200
    assert _module(generated, "api.akses.me_access").sync(client=client) is not None
    assert _module(generated, "api.branding.branding").sync(client=anonymous).platform_name
