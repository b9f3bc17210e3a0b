"""Hypothesis properties of the money: the split's parts never go negative and add up to the amount paid; a refund
brings every balance back."""

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanggar.finance.services import SplitLine, commissions_release_sweep, revenue_settings_update, split_compute
from sanggar.orders.services import order_refund

from .conftest import all_balances

percent = st.integers(min_value=0, max_value=100)
lines = st.lists(
    st.builds(
        SplitLine,
        amount=st.integers(min_value=0, max_value=10**11),
        commission=st.integers(min_value=0, max_value=10**11),
        mentor_id=st.one_of(st.none(), st.integers(min_value=1, max_value=3)),
        mentor_percent=percent,
    ),
    max_size=5,
)


@given(
    lines=lines,
    unique_code=st.integers(min_value=0, max_value=999),
    enabled=st.booleans(),
    fee=percent,
    founder=percent,
    cofounder=percent,
)
def test_split_parts_are_non_negative_and_add_up(lines, unique_code, enabled, fee, founder, cofounder):
    total = sum(line.amount for line in lines) + unique_code
    parts = split_compute(
        total=total, lines=lines, enabled=enabled, company_fee_percent=fee, founder_percent=founder,
        cofounder_percent=cofounder,
    )  # fmt: skip
    assert parts.parts_sum == total
    assert min(parts.affiliate, parts.company, parts.founder, parts.cofounder, parts.company_fee) >= 0
    assert all(amount > 0 for _mentor, amount in parts.mentors)
    assert parts.affiliate == sum(min(line.commission, line.amount) for line in lines)
    assert parts.company >= parts.company_fee + unique_code
    if not enabled:
        assert parts.founder == parts.cofounder == parts.company_fee == 0


@given(
    lines=lines,
    unique_code=st.integers(min_value=0, max_value=999),
    tax=st.integers(min_value=0, max_value=10**10),
    admin_fee=st.integers(min_value=0, max_value=10**7),
    shared=st.sampled_from(["none", "tax", "fee", "both"]),
    fee=percent,
    founder=percent,
    cofounder=percent,
)
def test_tax_and_admin_fee_stay_out_of_commissions_and_mentors(
    lines, unique_code, tax, admin_fee, shared, fee, founder, cofounder
):
    """Tax and admin fee on top of the goods: the parts still add up; commissions and mentors' shares are those of
    the goods alone; what the settings do not share goes to the company whole."""
    total = sum(line.amount for line in lines) + tax + admin_fee + unique_code
    extra = (tax if shared in ("tax", "both") else 0) + (admin_fee if shared in ("fee", "both") else 0)
    kwargs = {"enabled": True, "company_fee_percent": fee, "founder_percent": founder, "cofounder_percent": cofounder}
    parts = split_compute(total=total, lines=lines, extra_base=extra, **kwargs)
    goods_only = split_compute(total=total - tax - admin_fee, lines=lines, **kwargs)
    assert parts.parts_sum == total
    assert min(parts.affiliate, parts.company, parts.founder, parts.cofounder, parts.company_fee) >= 0
    assert (parts.affiliate, parts.mentors) == (goods_only.affiliate, goods_only.mentors)
    kept = (tax + admin_fee) - extra  # not shared: the company's whole
    assert parts.company >= goods_only.company_fee + unique_code + kept
    if extra == 0:
        assert (parts.founder, parts.cofounder, parts.company) == (
            goods_only.founder, goods_only.cofounder, goods_only.company + tax + admin_fee,
        )  # fmt: skip


@given(
    total=st.integers(min_value=-(10**6), max_value=10**9),
    lines=lines,
    fee=percent,
    founder=percent,
    cofounder=percent,
)
def test_split_of_inconsistent_input_still_adds_up(total, lines, fee, founder, cofounder):
    parts = split_compute(
        total=total, lines=lines, enabled=True, company_fee_percent=fee, founder_percent=founder,
        cofounder_percent=cofounder,
    )  # fmt: skip
    assert parts.parts_sum == max(total, 0)
    assert min(parts.affiliate, parts.company, parts.founder, parts.cofounder) >= 0


_titles = count()


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    price=st.integers(min_value=1, max_value=50_000_000),
    commission=st.integers(min_value=0, max_value=100),
    share=st.integers(min_value=0, max_value=100),
    fee=percent,
    founder=st.integers(min_value=0, max_value=60),
    enabled=st.booleans(),
    released=st.booleans(),
)
def test_refund_brings_every_balance_back(world, price, commission, share, fee, founder, enabled, released):
    revenue_settings_update(
        actor=world.admin, company_fee_percent=fee, founder_percent=founder, cofounder_percent=100 - founder,
        enabled=enabled,
    )  # fmt: skip
    before = all_balances()
    order = world.paid_order(world.product(f"Produk {next(_titles)}", price=price, commission=commission, share=share))
    assert all_balances() != before
    if released:
        commissions_release_sweep(now=timezone.now() + timedelta(days=8))
    order_refund(order=order, actor=world.admin, reason="Uji refund")
    assert all_balances() == before
