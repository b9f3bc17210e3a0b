"""The catalog's money arithmetic, as pure functions (no database): promo prices, percentages, and how a coupon's
discount is spread over the lines of an order. Whole rupiah; discounts are rounded down (floor) so the buyer never
pays a fraction and a discount never exceeds what it applies to."""

from datetime import datetime

from django.utils import timezone

from .constants import DiscountType


def effective_price(*, price: int, promo_price: int | None, promo_ends_at: datetime | None, now=None) -> int:
    """The price a buyer pays now: the promo price while it is set, below the normal price and not yet over
    (`promo_ends_at` is exclusive; None = no end), the normal price otherwise."""
    if promo_price is None or promo_price >= price:
        return int(price)
    if promo_ends_at is not None and (now or timezone.now()) >= promo_ends_at:
        return int(price)
    return int(promo_price)


def percent_of(amount: int, percent: int) -> int:
    """floor(amount × percent / 100), never more than `amount` and never negative."""
    if amount <= 0 or percent <= 0:
        return 0
    return min(int(amount), int(amount) * min(int(percent), 100) // 100)


def discount_amount(*, discount_type: str, value: int, amount: int) -> int:
    """A percent or fixed discount on one amount, capped at the amount (used for the member discount)."""
    if amount <= 0 or value <= 0:
        return 0
    if discount_type == DiscountType.PERCENT:
        return percent_of(amount, value)
    return min(int(value), int(amount))


def spread_fixed(value: int, amounts: list[int]) -> list[int]:
    """Spreads a fixed discount over lines in proportion to their amounts. The parts sum to
    min(value, sum(amounts)) exactly and no part exceeds its line: each line gets the floor of its share, and the
    rupiahs left over go one by one to the lines with the largest remainders (earlier lines first on ties)."""
    amounts = [max(0, int(a)) for a in amounts]
    total = sum(amounts)
    target = min(max(0, int(value)), total)
    if target == 0:
        return [0] * len(amounts)
    parts = [target * a // total for a in amounts]
    remainders = [target * a % total for a in amounts]
    left = target - sum(parts)
    order = sorted(range(len(amounts)), key=lambda i: (-remainders[i], i))
    for index in order:
        if left == 0:
            break
        if parts[index] < amounts[index]:
            parts[index] += 1
            left -= 1
    return parts


def coupon_discounts(*, discount_type: str, value: int, amounts: list[int], applicable: list[bool]) -> list[int]:
    """The discount of each line: percent → floor of that percent of each applicable line; fixed → spread over
    the applicable lines (`spread_fixed`). Lines the coupon does not apply to get 0."""
    if discount_type == DiscountType.PERCENT:
        return [percent_of(a, value) if ok else 0 for a, ok in zip(amounts, applicable, strict=True)]
    indices = [i for i, ok in enumerate(applicable) if ok]
    parts = spread_fixed(value, [amounts[i] for i in indices])
    result = [0] * len(amounts)
    for index, part in zip(indices, parts, strict=True):
        result[index] = part
    return result
