"""A live-class period is sold as its own order line (kind `kelas`, the line's `ref` the enrolment id): priced at the
program's price (pro rata for a calendar month joined mid-month), fulfilled by activating the approved enrolment,
revoked by a refund (the enrolment ends and its seat returns); the affiliate earns the program's commission and the
section's tutor their share before the company fee."""

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sanggar.catalog.constants import CommissionType
from sanggar.orders.sellables import Fulfilled, SellableKind, sellable_kind_register
from sanggar.orders.services import PricedLine

from . import services
from .constants import EXTRA_ITEM_KIND, ITEM_KIND
from .models import Enrollment


def class_price(*, buyer, item, premium, now) -> PricedLine:
    entry = services.payable(user=buyer, entry_id=item.slug, now=now or timezone.now())
    price = services.period_price(entry, services.period_start_for(entry, now or timezone.now()))
    title = f"Kelas Live: {entry.template.name} - Section {entry.section.label}"
    return PricedLine(
        kind=ITEM_KIND,
        title=title[:200],
        list_price=price,
        amount=price,
        ref=str(entry.pk),
        pay_before=entry.pay_before,
    )


def class_fulfil(*, order, item, now) -> Fulfilled:
    services.enrollment_activate(entry_id=int(item.ref), invoice=order.invoice_number, now=now)
    return Fulfilled(grants=0)


def class_revoke(*, order, items, reason) -> int:
    for item in items:
        if item.kind == ITEM_KIND:
            services.enrollment_refund(entry_id=int(item.ref), now=timezone.now())
    return 0


def _entry(item) -> Enrollment:
    return Enrollment.objects.select_related("template", "section").get(pk=int(item.ref))


def class_commission(item) -> tuple[str, int]:
    return CommissionType.PERCENT, _entry(item).template.affiliate_commission_percent


def class_creator(item) -> tuple[int | None, int]:
    entry = _entry(item)
    if entry.section and entry.section.tutor_id and entry.template.tutor_share_percent:
        return entry.section.tutor_id, entry.template.tutor_share_percent
    return None, 0


def class_creator_lines(user) -> Q:
    """Class lines whose tutor share goes to `user`: enrolments in a section they teach."""
    ids = Enrollment.objects.filter(section__tutor=user, template__tutor_share_percent__gt=0)
    return Q(ref__in=ids.annotate(ref=Cast("pk", CharField())).values("ref"))


CLASS_SELLABLE = sellable_kind_register(
    SellableKind(
        kind=ITEM_KIND,
        label=gettext_lazy("Kelas Live"),
        order=27,
        price=class_price,
        fulfil=class_fulfil,
        revoke=class_revoke,
        commission_rule=class_commission,
        creator_share=class_creator,
        creator_lines=class_creator_lines,
        review_on_error=True,
    )
)


def extra_price(*, buyer, item, premium, now) -> PricedLine:
    entry, meetings = services.extra_payable(user=buyer, ref=item.slug, now=now or timezone.now())
    price = entry.template.extra_meeting_fee * meetings
    title = f"Pertemuan tambahan {meetings}x: {entry.template.name} - Section {entry.section.label}"
    ref = services.extra_ref(entry.pk, meetings)
    return PricedLine(kind=EXTRA_ITEM_KIND, title=title[:200], list_price=price, amount=price, ref=ref)


def extra_fulfil(*, order, item, now) -> Fulfilled:
    entry_id, meetings = services.extra_ref_parse(item.ref)
    services.extra_credit(entry_id=entry_id, meetings=meetings, invoice=order.invoice_number, now=now)
    return Fulfilled(grants=0)


def extra_revoke(*, order, items, reason) -> int:
    for item in items:
        if item.kind == EXTRA_ITEM_KIND:
            entry_id, _meetings = services.extra_ref_parse(item.ref)
            services.extra_refund(entry_id=entry_id, invoice=order.invoice_number, now=timezone.now())
    return 0


def _extra_entry(item) -> Enrollment:
    entry_id, _meetings = services.extra_ref_parse(item.ref)
    return Enrollment.objects.select_related("template", "section").get(pk=entry_id)


def extra_commission(item) -> tuple[str, int]:
    return CommissionType.PERCENT, _extra_entry(item).template.affiliate_commission_percent


def extra_creator(item) -> tuple[int | None, int]:
    entry = _extra_entry(item)
    if entry.section and entry.section.tutor_id and entry.template.tutor_share_percent:
        return entry.section.tutor_id, entry.template.tutor_share_percent
    return None, 0


EXTRA_SELLABLE = sellable_kind_register(
    SellableKind(
        kind=EXTRA_ITEM_KIND,
        label=gettext_lazy("Pertemuan tambahan kelas live"),
        order=30,
        price=extra_price,
        fulfil=extra_fulfil,
        revoke=extra_revoke,
        commission_rule=extra_commission,
        creator_share=extra_creator,
        review_on_error=True,
    )
)
