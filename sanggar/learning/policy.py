"""The course rules the "course" resource kind adds to the one access policy (PRODUCT.md "Course access"), in the
order status → role access → plan inclusion → purchase → public/free:

- the course's mentor and its author always open it (admins are allowed before any check);
- draft, pending and archived courses are closed to everyone else; private ones open only to entitled users;
- `affiliate` courses open to affiliates only ("Anda tidak memiliki izin untuk mengakses kelas ini.");
- an open grant (purchase, admin) or an active plan that includes the course opens it;
- a free `public` course opens to every signed-in user; a free `member` course not included in any plan opens to
  every active membership;
- a priced course can be bought ("Beli kelas ini untuk membuka aksesnya." with the course's checkout);
- otherwise the usual rules answer (renew an ended membership, "Kelas ini hanya untuk Member Premium. Silakan
  upgrade membership.", ...).

The courses of a batch are loaded once (one query) and kept in the policy's per-batch cache."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.access.constants import DenyReason, ResourceKind
from sanggar.access.kinds import ResourceKindEntry
from sanggar.access.policy import ALLOWED, AccessDecision, access_check, checkout_all_url
from sanggar.core.roles import Role
from sanggar.memberships.selectors import membership_active_for

from .constants import CourseStatus, RoleAccess
from .models import Course

NO_PERMISSION = gettext_lazy("Anda tidak memiliki izin untuk mengakses kelas ini.")
PREMIUM = gettext_lazy("Kelas ini hanya untuk Member Premium. Silakan upgrade membership.")
VIA_MEMBERSHIP = gettext_lazy("Akses melalui Membership Anda.")
CACHE_KEY = "learning.courses"


def _courses(facts) -> dict:
    cached = facts.cache.get(CACHE_KEY)
    if cached is None:
        cached = {
            c.resource_id: c
            for c in Course.objects.filter(resource_id__in=facts.resource_ids).only(
                "id",
                "resource_id",
                "slug",
                "status",
                "role_access",
                "price",
                "promo_price",
                "mentor_id",
                "created_by_id",
            )
        }
        facts.cache[CACHE_KEY] = cached
    return cached


def _co_instructed(facts) -> set[int]:
    """The ids of the decided courses the (mentor) user co-instructs: one query per batch, none for non-mentors."""
    key = CACHE_KEY + ".co"
    cached = facts.cache.get(key)
    if cached is None:
        user = facts.user
        cached = set()
        if user is not None and user.has_role(Role.MENTOR):
            cached = set(
                Course.instructors.through.objects.filter(
                    user=user, course__resource_id__in=facts.resource_ids
                ).values_list("course_id", flat=True)
            )
        facts.cache[key] = cached
    return cached


def _grant_open(grant, now) -> bool:
    return grant.revoked_at is None and grant.starts_at <= now and (grant.ends_at is None or grant.ends_at > now)


def via_membership(resource_id: int, facts) -> bool:
    membership = facts.membership
    return membership is not None and any(p.id == membership.plan_id for p in facts.plans.get(resource_id, ()))


def _entitled(resource_id: int, facts) -> bool:
    if any(_grant_open(g, facts.now) for g in facts.grants.get(resource_id, ())):
        return True
    return via_membership(resource_id, facts)


def buy_url(slug: str) -> str:
    return reverse("learning:checkout", args=[slug])


def course_check(*, resource, facts):
    course = _courses(facts).get(resource.pk)
    if course is None:
        return None  # a placeholder resource without a course yet: the usual rules
    user = facts.user
    if user is not None and user.pk in (course.mentor_id, course.created_by_id):
        return ALLOWED
    if user is not None and course.pk in _co_instructed(facts):
        return ALLOWED
    if course.status in (CourseStatus.DRAFT, CourseStatus.PENDING):
        return AccessDecision(
            allowed=False, reason=DenyReason.INACTIVE_RESOURCE, message=_("Kelas ini belum diterbitkan.")
        )
    if course.status == CourseStatus.ARCHIVED:
        return AccessDecision(
            allowed=False, reason=DenyReason.INACTIVE_RESOURCE, message=_("Kelas ini sudah diarsipkan.")
        )
    if course.role_access == RoleAccess.AFFILIATE:
        if user is not None and user.has_role(Role.AFFILIATE) and course.status == CourseStatus.PUBLISHED:
            return ALLOWED
        if not _entitled(resource.pk, facts):
            return AccessDecision(allowed=False, reason=DenyReason.NO_ACCESS, message=str(NO_PERMISSION))
        return ALLOWED
    if _entitled(resource.pk, facts):
        return ALLOWED
    if course.status == CourseStatus.PRIVATE:
        return None  # entitled users only: the usual rules explain
    plans = facts.plans.get(resource.pk, ())
    if course.is_free:
        if course.role_access == RoleAccess.PUBLIC:
            return ALLOWED
        if not plans:
            if facts.membership is not None:
                return ALLOWED
            return AccessDecision(
                allowed=False,
                reason=DenyReason.PREMIUM_REQUIRED,
                message=str(PREMIUM),
                action_label=_("Lihat Paket Membership"),
                action_url=checkout_all_url(),
            )
        return None  # in plans: renew / upgrade
    last = facts.last_membership
    if facts.membership is None and last is not None and any(p.id == last.plan_id for p in plans):
        return None  # "Membership Anda berakhir ... Perpanjang"
    return AccessDecision(
        allowed=False,
        reason=DenyReason.PURCHASE_REQUIRED,
        message=_("Beli kelas ini untuk membuka aksesnya."),
        action_label=_("Beli Kelas"),
        action_url=buy_url(course.slug),
    )


def course_urls(resource_ids) -> dict[int, str]:
    """The course page of each course resource (one query): "Membership Saya" links what a plan includes."""
    rows = Course.objects.filter(resource_id__in=list(resource_ids)).values_list("resource_id", "slug")
    return {resource_id: reverse("learning:course_detail", args=[slug]) for resource_id, slug in rows}


COURSE_KIND = ResourceKindEntry(
    kind=ResourceKind.COURSE,
    label=gettext_lazy("Kelas"),
    this_label=gettext_lazy("Kelas ini"),
    unlock=gettext_lazy("Jadi member paket yang memuatnya, membeli kelasnya, atau diberi akses oleh admin"),
    check=course_check,
    urls=course_urls,
)


def course_check_allowed(*, user, course: Course, now=None) -> bool:
    """Whether `user` may already open `course` (used to refuse buying what one already has)."""
    return access_check(user=user, resource=course.resource, now=now).allowed


def via_membership_decision(*, user, course: Course, decision) -> bool:
    """Whether the caller's access comes from their membership plan ("Akses melalui Membership Anda.")."""
    if not decision.allowed or user is None or not user.is_authenticated:
        return False
    membership = membership_active_for(user=user)
    if membership is None:
        return False
    return course.resource.plans.filter(pk=membership.plan_id).exists()
