"""Courses on the affiliates' "Link Saya" (registered with affiliates.link_sections from apps.py): for each
published course with affiliate enabled, the sales page and the checkout with the affiliate's ?ref=. One query."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.affiliates.link_sections import LinkSection
from sanggar.affiliates.selectors import ready_link

from .selectors import affiliate_courses


def course_groups(affiliate, stats: dict, limit: int) -> list[dict]:
    groups = []
    for course in affiliate_courses()[:limit]:
        links = [
            ready_link(
                _("Halaman kursus"), reverse("learning:course_detail", args=[course.slug]), affiliate.code, stats
            )
        ]
        if course.sale_price:
            links.append(
                ready_link(_("Checkout"), reverse("learning:checkout", args=[course.slug]), affiliate.code, stats)
            )
        groups.append({"title": course.title, "kind": "course", "slug": course.slug, "links": links})
    return groups


SECTION = LinkSection(
    key="course",
    title=gettext_lazy("Kursus"),
    empty_text=gettext_lazy("Belum ada kursus yang bisa dipromosikan affiliate."),
    groups=course_groups,
    order=10,
)
