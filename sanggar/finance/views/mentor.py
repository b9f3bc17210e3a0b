"""Penjualan Saya: a mentor's sales of the plans and products they created, their share of each and the totals
per month (finance.selectors_mentor, also behind `GET /api/v1/me/mentor-sales`)."""

from django.shortcuts import render

from sanggar.core.formatting import bulan
from sanggar.core.listing import paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from ..selectors_mentor import mentor_months, mentor_sales, mentor_totals

PER_PAGE = 20


@role_required(Role.MENTOR)
def mentor_sales_page(request):
    page = paginate(request, mentor_sales(user=request.user), per_page=PER_PAGE)
    months = mentor_months(user=request.user)
    for row in months:
        row["label"] = bulan(row["month"])
    return render(
        request,
        "finance/mentor_sales.html",
        {
            "page_obj": page,
            "orders": list(page.object_list),
            "months": months,
            "this_month": months[0],
            "totals": mentor_totals(months),
        },
    )
