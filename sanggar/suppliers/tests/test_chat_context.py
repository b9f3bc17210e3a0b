"""RTC-D1 `context`: "Hubungi Supplier" on a product page records the product the member asks about (the latest
inquiry wins; from the profile, the supplier itself), shown in the conversation's header and the chat API."""

import pytest

from sanggar.api.testing import call
from sanggar.chat import services as chat_services
from sanggar.chat.models import Conversation
from sanggar.suppliers import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user, monkeypatch):
    monkeypatch.setattr("sanggar.chat.policy.is_premium", lambda *, user: True)
    return make_user(full_name="Pembeli Premium")


def test_product_inquiry_is_the_conversation_context(client, make_supplier, member, settings):
    settings.CHAT_CONVERSATION_RATE_LIMIT = settings.CHAT_NEW_ACCOUNT_CONVERSATION_RATE_LIMIT = "1000/60"
    s_user, supplier = make_supplier("verified", premium_days=30)
    product = services.product_save(supplier=supplier, actor=s_user, data={"title": "Pala Utuh", "status": "active"})
    client.force_login(member)
    r = client.post(f"/supplier/{supplier.slug}/hubungi", {"product": str(product.pk)})
    conversation = Conversation.objects.get(kind="supplier")
    assert r.status_code == 302 and r.url == f"/chat/{conversation.pk}"
    assert (conversation.context_kind, conversation.context_id) == ("supplier_product", product.pk)
    assert conversation.context_label == "Produk: Pala Utuh"
    page = client.get(f"/chat/{conversation.pk}").content.decode()
    assert 'data-chat-context="supplier_product"' in page and "Produk: Pala Utuh" in page
    assert f'href="/supplier/{supplier.slug}/{product.slug}"' in page
    api = call(client, "get", f"/chat/conversations/{conversation.pk}", user=member).json()
    assert api["context"] == {
        "kind": "supplier_product",
        "id": product.pk,
        "label": "Produk: Pala Utuh",
        "url": f"http://testserver/supplier/{supplier.slug}/{product.slug}",
    }
    chat_services.message_send(user=member, conversation_id=conversation.pk, body="Berapa harga per ton?")
    assert call(client, "get", "/chat/conversations", user=s_user).json()["results"][0]["context"]["id"] == product.pk
    # from the profile (no product): the supplier itself; the same conversation
    client.post(f"/supplier/{supplier.slug}/hubungi")
    conversation.refresh_from_db()
    assert conversation.context_kind == "supplier" and conversation.context_id == supplier.pk
    # through the API with ?product=
    r = call(client, "post", f"/suppliers/{supplier.slug}/contact?product={product.pk}", user=member)
    assert r.status_code == 201 and r.json()["conversation_id"] == conversation.pk
    conversation.refresh_from_db()
    assert conversation.context_kind == "supplier_product"
    # hostile or foreign products: 404, never a 500
    other_user, other = make_supplier("verified", premium_days=30, name="CV Lain", email="lain@example.com")
    foreign = services.product_save(supplier=other, actor=other_user, data={"title": "Kopi", "status": "active"})
    for raw in (str(foreign.pk), "abc", "9" * 30):
        assert client.post(f"/supplier/{supplier.slug}/hubungi", {"product": raw}).status_code == 404
    r = call(client, "post", f"/suppliers/{supplier.slug}/contact?product={foreign.pk}", user=member)
    assert r.status_code == 404
    r = call(client, "post", f"/suppliers/{supplier.slug}/contact?product={'9' * 30}", user=member)
    assert r.status_code == 422
