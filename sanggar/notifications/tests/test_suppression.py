"""Broadcast (marketing) emails: a signed unsubscribe link at the foot, the suppression list checked when queueing
and again before sending, the public unsubscribe page (forged links refused), the admin's list and removal."""

import pytest

from sanggar.notifications import notifications as groups
from sanggar.notifications import selectors, services
from sanggar.notifications.constants import DeliveryStatus
from sanggar.notifications.models import Delivery, EmailSuppression
from sanggar.notifications.services import notify_text

pytestmark = pytest.mark.django_db


def _email(note):
    return Delivery.objects.get(notification=note, channel="email")


def test_marketing_email_has_link_and_respects_list(make_user, admin_user):
    ayu = make_user(email="ayu@example.com")
    note = notify_text(
        user=ayu, kind=groups.SYSTEM, title="Promo", message="Diskon", channels=["email"], marketing=True
    )
    delivery = _email(note)
    assert delivery.marketing and delivery.status == DeliveryStatus.QUEUED and "/berhenti-langganan/" in delivery.body
    token = delivery.body.rsplit("/berhenti-langganan/", 1)[1].strip()
    assert services.unsubscribe_email(token) == "ayu@example.com"
    # unsubscribed after queueing: checked again before sending
    services.suppression_add(email="AYU@example.com")
    assert services.delivery_send(delivery_id=delivery.pk).status == DeliveryStatus.SKIPPED
    # queued later: skipped at once; transactional mail is unaffected
    again = _email(notify_text(user=ayu, kind=groups.SYSTEM, title="Promo 2", channels=["email"], marketing=True))
    assert again.status == DeliveryStatus.SKIPPED and "berhenti" in again.last_error
    plain = _email(notify_text(user=ayu, kind=groups.SYSTEM, title="Invoice", channels=["email"]))
    assert plain.status == DeliveryStatus.QUEUED and "/berhenti-langganan/" not in plain.body
    assert services.unsubscribe_email("palsu") == "" and services.unsubscribe_email(token + "x") == ""


def test_public_page_and_admin(client, admin_user, django_assert_max_num_queries):
    token = services.unsubscribe_token("budi@example.com")
    page = client.get(f"/berhenti-langganan/{token}")
    assert page.status_code == 200 and "budi@example.com" in page.content.decode()
    assert not EmailSuppression.objects.exists()  # GET only asks
    assert client.post(f"/berhenti-langganan/{token}").status_code == 200
    assert client.post(f"/berhenti-langganan/{token}").status_code == 200  # twice: one row
    assert selectors.suppressed_emails(emails=["Budi@example.com"]) == {"budi@example.com"}
    assert client.get("/berhenti-langganan/palsu").status_code == 404
    assert client.get("/admin/notifications/suppression").status_code in (302, 403)
    for i in range(5):
        services.suppression_add(email=f"x{i}@example.com")
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        listing = client.get("/admin/notifications/suppression").content.decode()
    assert "budi@example.com" in listing
    row = EmailSuppression.objects.get(email="budi@example.com")
    assert client.post(f"/admin/notifications/suppression/{row.pk}/hapus").status_code == 302
    assert not EmailSuppression.objects.filter(email="budi@example.com").exists()
    assert client.post("/admin/notifications/suppression/999999/hapus").status_code == 404
    with pytest.raises(services.ServiceError):
        services.suppression_add(email="bukan-email")
