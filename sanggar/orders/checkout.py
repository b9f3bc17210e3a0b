"""Checkout orchestration: what the public checkout pages and the orders API share.

- `checkout_place` creates the order (`orders.services.order_create`) and starts its payment (payments'
  `payment_start`, through `payments_port`). A provider that fails leaves the order pending with a clear message;
  the buyer retries from the invoice page (`checkout_pay`), possibly with another provider.
- `plan_options` prices every option of the plans a checkout page shows for the visitor (new, renewal or upgrade
  through `memberships.services.membership_quote`).
- `coupon_code_clean` is the one normaliser of typed and cookie coupon codes.
"""

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.affiliates.services import attribution_record, attribution_resolve
from sanggar.audit.services import activity_batch
from sanggar.catalog.constants import DURATION_MONTHS
from sanggar.catalog.models import Coupon
from sanggar.catalog.selectors import effective_price
from sanggar.catalog.services import normalize_code
from sanggar.core.exceptions import NotAllowed, RateLimited, ServiceError
from sanggar.core.ratelimit import window_take
from sanggar.core.roles import Role
from sanggar.core.transactions import service_scope
from sanggar.memberships.selectors import membership_active_for
from sanggar.memberships.services import membership_quote

from .constants import OrderStatus, PricingKind
from .models import Order
from .payments_port import payments
from .services import ItemRequest, order_create, order_provider_change

logger = logging.getLogger(__name__)

COUPON_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,39}$")


@dataclass(frozen=True)
class CheckoutResult:
    order: Order
    payment: object | None  # the started payments.Payment
    # Where the buyer goes next: the provider's payment page, or the invoice page (manual transfer, free order,
    # or a provider that could not start the payment).
    redirect_url: str
    instructions: dict
    # Why the payment could not be started (the order stays pending and can be paid from the invoice page).
    error: str = ""


def coupon_code_clean(raw: str | None) -> str:
    """A coupon code as the catalog stores it (spaces dropped, upper case), or "" when the text cannot be a code."""
    code = normalize_code(raw)
    return code if COUPON_CODE_RE.match(code) else ""


def _start_payment(order: Order) -> CheckoutResult:
    invoice_url = reverse("orders:invoice", args=[order.invoice_number])
    if order.status != OrderStatus.PENDING:
        # A free order (total 0) is paid as soon as it is created.
        return CheckoutResult(order=order, payment=None, redirect_url=invoice_url, instructions={})
    try:
        payment = payments().start(order=order)
    except ServiceError as exc:
        logger.info("payment start failed for %s at %s: %s", order.invoice_number, order.provider, exc.message)
        return CheckoutResult(
            order=order,
            payment=None,
            redirect_url=invoice_url,
            instructions={},
            error=_("Pesanan %(invoice)s sudah dibuat, tetapi pembayarannya belum bisa dimulai. %(reason)s")
            % {"invoice": order.invoice_number, "reason": exc.message},
        )
    return _started(order, payment)


def _started(order: Order, payment) -> CheckoutResult:
    return CheckoutResult(
        order=order,
        payment=payment,
        redirect_url=payment.checkout_url or reverse("orders:invoice", args=[order.invoice_number]),
        instructions=payment.instructions or {},
    )


def _attribution_coupon(coupon_code: str):
    """The coupon an order will use, for its affiliate (the order itself checks whether it applies)."""
    code = coupon_code_clean(coupon_code)
    return Coupon.objects.filter(code=code).only("pk", "affiliate_id").first() if code else None


def _creation_rate_check(*, buyer, client_ip: str | None) -> None:
    """Order creation is rate-limited per user (settings.ORDER_CREATE_RATE_LIMIT) and per client address
    (ORDER_CREATE_IP_RATE_LIMIT): a script cannot flood orders from one account or one address."""
    waits = [window_take(f"user:{buyer.pk}", setting="ORDER_CREATE_RATE_LIMIT")] if buyer is not None else []
    if client_ip:
        waits.append(window_take(f"ip:{client_ip}", setting="ORDER_CREATE_IP_RATE_LIMIT"))
    wait = max(waits, default=0)
    if wait:
        minutes = max(1, (wait + 59) // 60)
        raise RateLimited(
            _("Terlalu banyak pesanan dibuat dalam waktu singkat. Coba lagi dalam %(minutes)s menit.")
            % {"minutes": minutes},
            retry_after=wait,
        )


def checkout_place(
    *,
    buyer,
    items: list[ItemRequest],
    coupon_code: str = "",
    provider: str,
    affiliate=None,
    ref_code: str = "",
    cookie_value: str = "",
    client_ip: str | None = "",
) -> CheckoutResult:
    """Creates the order and starts its payment. Raises ServiceError when the order itself is refused (draft or
    inactive price, sold out, downgrade, invalid coupon, disabled provider…); a payment that cannot start does not
    raise: the result carries `error` and the order stays pending.

    The order's affiliate (unless `affiliate`, a user, is given): `affiliates.services.attribution_resolve` from an
    explicit `ref_code` (the app, or `?ref=` on the checkout URL), the referral cookie (web), the buyer's bound
    referral, or the coupon's affiliate; its decisions are recorded with the order (in the same transaction)."""
    _creation_rate_check(buyer=buyer, client_ip=client_ip)
    with service_scope(), activity_batch():  # the order's and its payment's audit rows in one insert
        attribution = None
        if affiliate is None:
            attribution = attribution_resolve(
                buyer=buyer,
                ref_code=ref_code,
                cookie_value=cookie_value,
                coupon=_attribution_coupon(coupon_code),
                client_ip=client_ip,
            )
            affiliate = attribution.affiliate_user
        order = order_create(
            buyer=buyer, items=items, coupon_code=(coupon_code or "").strip(), provider=provider, affiliate=affiliate
        )
        if attribution is not None:
            attribution_record(attribution=attribution, order=order)
        if order.status == OrderStatus.PENDING and payments().starts_offline(order.provider):
            # Nothing to wait for (manual transfer: the instructions are ours): the attempt is started in the
            # order's own transaction, where the new row is still invisible to anyone else.
            payment = payments().start(order=order, created_here=True)
            return _started(order, payment)
    return _start_payment(order)


def checkout_pay(*, order: Order, provider: str, actor) -> CheckoutResult:
    """Starts a new payment attempt of a pending order, at `provider` (the same one, or another enabled one), for
    its buyer or an admin."""
    if actor is None or not (actor.pk == order.buyer_id or actor.has_role(Role.ADMIN)):
        raise NotAllowed(_("Anda tidak berhak membayar pesanan ini."))
    if order.status != OrderStatus.PENDING:
        raise ServiceError(_("Pesanan ini tidak menunggu pembayaran lagi."))
    if provider != order.provider:
        order = order_provider_change(order=order, provider=provider, actor=actor)
    return _start_payment(order)


@dataclass(frozen=True)
class PlanOption:
    """One price option of a plan as the visitor would pay it (before a coupon)."""

    plan: object  # catalog.MembershipPlan
    price: object  # catalog.PlanPrice
    value: str  # the form value: "plan:<slug>:<duration>"
    duration: str
    duration_label: str
    base_price: int  # the option's normal price
    list_price: int  # after a running promo
    pricing: str  # new | renewal | upgrade
    credit: int  # unused value of the current plan deducted (upgrade, accumulate mode)
    amount: int  # what the visitor pays before a coupon
    allowed: bool
    message: str
    promo_ends_at: datetime | None

    @property
    def has_promo(self) -> bool:
        return self.list_price < self.base_price

    @property
    def saving_percent(self) -> int:
        """The running promo's saving on the normal price, rounded down (an upgrade credit is shown apart)."""
        if not self.base_price or self.list_price >= self.base_price:
            return 0
        return (self.base_price - self.list_price) * 100 // self.base_price

    @property
    def per_month(self) -> int | None:
        months = DURATION_MONTHS.get(self.duration)
        return self.amount // months if months and months > 1 else None

    @property
    def pricing_label(self) -> str:
        return {
            PricingKind.RENEWAL: _("Perpanjang"),
            PricingKind.UPGRADE: _("Upgrade"),
        }.get(self.pricing, "")


def item_value_for_plan(slug: str, duration: str) -> str:
    return f"plan:{slug}:{duration}"


def item_value_for_product(slug: str) -> str:
    return f"product:{slug}"


def item_from_value(value: str) -> ItemRequest | None:
    """Parses a checkout form's item value ("plan:<slug>:<duration>" or "product:<slug>")."""
    parts = (value or "").split(":")
    if len(parts) == 3 and parts[0] == "plan" and parts[1] and parts[2] in DURATION_MONTHS:
        return ItemRequest(kind="plan", slug=parts[1], duration=parts[2])
    if len(parts) == 2 and parts[0] and parts[0] != "plan" and parts[1]:
        return ItemRequest(kind=parts[0], slug=parts[1])  # "product:<slug>", or a kind another app sells
    return None


def plan_options(*, user, plans, now=None) -> list[PlanOption]:
    """Every active price option of `plans` (their prices prefetched), priced for `user` (None or anonymous: new).
    One query for the current membership; one quote per option only while a membership is active."""
    now = now or timezone.now()
    current = membership_active_for(user=user) if user is not None and user.is_authenticated else None
    options = []
    for plan in plans:
        for price in plan.prices.all():
            if not price.is_active:
                continue
            list_price = effective_price(
                price=price.price, promo_price=price.promo_price, promo_ends_at=price.promo_ends_at, now=now
            )
            pricing, credit, amount, allowed, message = PricingKind.NEW, 0, list_price, True, ""
            if current is not None:
                quote = membership_quote(user=user, plan_price=price, now=now)
                pricing, credit, amount = quote.pricing, quote.credit, quote.amount
                allowed, message, list_price = quote.allowed, quote.message, quote.list_price
            promo_running = price.promo_price is not None and list_price < price.price
            options.append(
                PlanOption(
                    plan=plan,
                    price=price,
                    value=item_value_for_plan(plan.slug, price.duration),
                    duration=price.duration,
                    duration_label=str(price.get_duration_display()),
                    base_price=price.price,
                    list_price=list_price,
                    pricing=pricing,
                    credit=credit,
                    amount=amount,
                    allowed=allowed,
                    message=message,
                    promo_ends_at=price.promo_ends_at if promo_running else None,
                )
            )
    return options
