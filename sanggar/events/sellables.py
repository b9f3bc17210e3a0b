"""Paid webinars through the orders' registry: after a paid order's lines are fulfilled, the buyer is registered for
the events its products sell (`Event.product`, or a product whose included resources hold the event); a refund
cancels those registrations and frees the seats (the product's stock is released by orders)."""

from sanggar.orders.sellables import SaleStep, sale_step_register

from .services import cancel_for_refund, register_purchase


def _paid(*, order, items):
    register_purchase(order=order, items=items)


def _refunded(*, order):
    cancel_for_refund(order=order)


sale_step_register(SaleStep(name="events_registration", order=60, paid=_paid, refunded=_refunded))
