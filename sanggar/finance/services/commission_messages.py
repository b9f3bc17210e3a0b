"""What the affiliate is told about their commissions: a new one (held until the holding period ends) and one that
became available (released, or cleared by an admin after a review). Sent after commit; a Rp 0 commission is silent."""

from django.urls import reverse

from sanggar.affiliates.models import Commission
from sanggar.core.formatting import rupiah, tanggal
from sanggar.notifications.services import notify


def commission_notify(commission_id: int, kind: str) -> None:
    commission = (
        Commission.objects.select_related("affiliate__user", "order").prefetch_related("order__items")
        .filter(pk=commission_id)
        .first()
    )  # fmt: skip
    if commission is None or commission.amount <= 0:
        return
    items = ", ".join(item.title for item in commission.order.items.all())
    notify(
        user=commission.affiliate.user,
        kind=kind,
        link=reverse("finance:wallet"),
        context={
            "amount": rupiah(commission.amount),
            "invoice": commission.order.invoice_number,
            "item": items,
            "available_date": tanggal(commission.available_at),
        },
        data={"commission": commission.pk, "order": commission.order.invoice_number},
    )
