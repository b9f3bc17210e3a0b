"""A course is sold as its own order line (kind `course`): priced at its (promo) price, fulfilled with a purchase
grant of its resource and an enrolment, revoked by a refund; the affiliate earns the course's commission and the
course's mentor their share before the company fee."""

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.access.constants import GrantSource
from sanggar.access.services import bundle_with, grants_give, grants_revoke
from sanggar.catalog.constants import CommissionType
from sanggar.core.exceptions import ServiceError
from sanggar.orders.constants import ItemKind
from sanggar.orders.sellables import Fulfilled, SellableKind, sellable_kind_register
from sanggar.orders.services import PricedLine
from sanggar.orders.services.fulfilment import order_source_ref

from .constants import CourseStatus, EnrollmentSource
from .models import Course
from .policy import course_check_allowed
from .services import enrollment_ensure, study_group_join

SELLABLE_STATUSES = (CourseStatus.PUBLISHED, CourseStatus.PRIVATE)


def course_for_sale(slug: str) -> Course:
    course = Course.objects.select_related("resource").filter(slug=slug, status__in=SELLABLE_STATUSES).first()
    if course is None or course.sale_price is None:
        raise ServiceError(_("Kursus ini tidak dijual terpisah."), errors={"items": [_("Kursus tidak tersedia.")]})
    return course


def course_price(*, buyer, item, premium, now) -> PricedLine:
    course = course_for_sale(item.slug)
    if buyer is not None and course_check_allowed(user=buyer, course=course, now=now):
        raise ServiceError(_("Anda sudah memiliki akses ke kursus ini."), errors={"items": [_("Sudah bisa dibuka.")]})
    price = course.sale_price
    return PricedLine(
        kind=ItemKind.COURSE,
        title=f"Kursus: {course.title}",
        list_price=price,
        amount=price,
        ref=str(course.pk),
        resource_id=course.resource_id,
    )


def _course(item) -> Course:
    return Course.objects.select_related("resource").get(pk=int(item.ref))


def course_fulfil(*, order, item, now) -> Fulfilled:
    """The course and what comes with it (its bonus products and study group, `Resource.bundled`): one purchase
    grant each under the order's source_ref, so a refund revokes them together; then the enrolment (which joins
    the study group) and the join again for a buyer already enrolled before."""
    course = _course(item)
    resources = bundle_with([course.resource])
    grants_give(
        user=order.buyer,
        resources=resources,
        source=GrantSource.PURCHASE,
        source_ref=order_source_ref(order),
        starts_at=now,
    )
    enrollment_ensure(user=order.buyer, course=course, source=EnrollmentSource.PURCHASE, now=now)
    study_group_join(user=order.buyer, course=course)
    return Fulfilled(grants=len(resources))


def course_revoke(*, order, items, reason) -> int:
    # One source_ref per order: the purchase grants of the order end, bonus products and the study group with the
    # course (progress and enrolment stay; the group locks through the policy, the member row stays).
    return grants_revoke(source_ref=order_source_ref(order), reason=reason)


def course_tracking_item(item) -> Course | None:
    """The course of a line, whose own pixels its invoice's Purchase carries."""
    ref = str(item.ref or "")
    return Course.objects.filter(pk=int(ref)).first() if ref.isdigit() else None


def course_open_link(item) -> tuple[str, str] | None:
    """The paid invoice's "Buka Kursus" button: the player, at the buyer's place in the course."""
    course = course_tracking_item(item)
    return (_("Buka Kursus"), reverse("learning:resume", args=[course.slug])) if course is not None else None


def course_commission(item) -> tuple[str, int]:
    """The course's affiliate commission: a percent of what the line paid, or flat rupiah per sale (admins choose
    on the price tab); nothing while the course's affiliate programme is off."""
    course = _course(item)
    if not course.affiliate_enabled:
        return CommissionType.PERCENT, 0
    if course.affiliate_commission_type == CommissionType.FLAT:
        return CommissionType.FLAT, course.affiliate_commission_flat
    return CommissionType.PERCENT, course.affiliate_commission_percent


def course_creator(item) -> tuple[int | None, int]:
    course = _course(item)
    if course.mentor_id and course.mentor_share_percent:
        return course.mentor_id, course.mentor_share_percent
    return None, 0


def course_creator_lines(user) -> Q:
    """Course lines whose mentor share goes to `user`: the courses they are the responsible mentor of."""
    ids = Course.objects.filter(mentor=user, mentor_share_percent__gt=0).annotate(ref=Cast("pk", CharField()))
    return Q(ref__in=ids.values("ref"))


COURSE_SELLABLE = sellable_kind_register(
    SellableKind(
        kind=ItemKind.COURSE,
        label=gettext_lazy("Kursus"),
        order=25,
        price=course_price,
        fulfil=course_fulfil,
        revoke=course_revoke,
        commission_rule=course_commission,
        creator_share=course_creator,
        creator_lines=course_creator_lines,
        tracking_item=course_tracking_item,
        open_link=course_open_link,
    )
)
