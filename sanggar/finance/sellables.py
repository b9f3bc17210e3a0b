"""What finance adds to every sale: the revenue split, the step after fulfilment (and its exact reversal when the
order is refunded). Discovered by `OrdersConfig.ready`."""

from sanggar.orders.sellables import SaleStep, sale_step_register

from .services import refund_reverse, revenue_split_post

sale_step_register(SaleStep(name="revenue_split", order=100, paid=revenue_split_post, refunded=refund_reverse))
