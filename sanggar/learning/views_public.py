"""Public course pages: the catalogue, the course (sales) page, its checkout, certificate verification and the
instructor's profile."""

import re

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from sanggar.access.views import render_locked
from sanggar.core.listing import paginate
from sanggar.core.roles import Role
from sanggar.core.site import absolute
from sanggar.marketing.selectors import tracking_for
from sanggar.orders.views.checkout import checkout_page, request_buyer, summary_data

from . import selectors
from .certificates import certificate_pdf
from .constants import PAGE_SIZE, CourseLevel, RoleAccess
from .models import CourseCategory
from .policy import NO_PERMISSION, VIA_MEMBERSHIP, via_membership_decision


def _item(course) -> str:
    return f"course:{course.slug}"


@require_GET
def catalogue(request):
    q = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("kategori", "").strip()[:120]
    level = request.GET.get("level", "")
    level = level if level in CourseLevel.values else ""
    page = paginate(
        request, selectors.catalogue(user=request.user, q=q, category=category, level=level), per_page=PAGE_SIZE
    )
    courses = selectors.mark_active_discussion(page.object_list)
    decisions = selectors.decisions_for(user=request.user, courses=courses)
    rows = [{"course": c, "decision": decisions[c.pk]} for c in courses]
    return render(
        request,
        "learning/catalogue.html",
        {
            "page_obj": page,
            "rows": rows,
            "q": q,
            "category": category,
            "level": level,
            "levels": CourseLevel.choices,
            "categories": CourseCategory.objects.all()[:50],
        },
    )


def _course_or_404(request, slug):
    course = selectors.course_by_slug(slug)
    if course is None:
        raise Http404
    decision = selectors.decisions_for(user=request.user, courses=[course])[course.pk]
    if not selectors.can_see_page(request.user, course, decision):
        raise Http404
    return course, decision


@require_GET
def detail(request, slug):
    course, decision = _course_or_404(request, slug)
    if (
        course.role_access == RoleAccess.AFFILIATE
        and not decision.allowed
        and str(decision.message) == str(NO_PERMISSION)
    ):
        return render_locked(request, decision, title=course.title)
    outline = selectors.module_ratings_fill(
        selectors.outline(user=request.user, course=course, decision=decision), user=request.user
    )
    offer = None
    if not decision.allowed and course.sale_price is not None:
        summary = summary_data(request_buyer(request), _item(course), "")
        offer = summary["preview"]
    return render(
        request,
        "learning/detail.html",
        {
            "course": course,
            "decision": decision,
            "outline": outline,
            "offer": offer,
            "via_membership": via_membership_decision(user=request.user, course=course, decision=decision),
            "via_membership_text": VIA_MEMBERSHIP,
            "instructors": selectors.course_instructors(course),
            "rating": selectors.course_rating(course),
            "reviews": selectors.reviews_recent(course),
            "extras": selectors.course_extras(course),
            "active_discussion": bool(selectors.active_discussion_ids([course.pk])),
            "following": selectors.following(user=request.user, course=course, enrollment=outline.enrollment),
            "ref": request.GET.get("ref", "")[:40],
            # Global pixels plus the course's own; ViewContent carries what the course costs.
            "tracking": tracking_for(item=course, event="ViewContent", value=course.sale_price),
        },
    )


def checkout(request, slug):
    course, decision = _course_or_404(request, slug)
    value = _item(course)
    summary = summary_data(request_buyer(request), value, "")
    purchasable = summary["preview"] is not None
    return checkout_page(
        request,
        mode="course",
        items=[value] if purchasable else [],
        selected=value,
        item_error=summary["error"],
        template="learning/checkout.html",
        context={
            "course": course,
            "purchasable": purchasable,
            "error": summary["error"],
            "needs_provider": True,
            "tracking": tracking_for(item=course, event="InitiateCheckout", value=course.sale_price),
        },
    )


@require_GET
def certificate_lookup(request):
    """Anyone types a certificate's code and lands on its verification page."""
    code = re.sub(r"[^A-Z0-9-]", "", request.GET.get("kode", "").upper())[:20]
    if code:
        return redirect("learning:certificate", code=code)
    return render(request, "learning/certificate_lookup.html", {"asked": "kode" in request.GET})


@require_GET
def certificate(request, code):
    cert = selectors.certificate_by_code(code)
    if cert is None:
        return render(request, "learning/certificate_verify.html", {"cert": None, "code": code[:20]}, status=404)
    return render(
        request,
        "learning/certificate_verify.html",
        {"cert": cert, "verify_url": absolute(request.path, request), "owner": request.user == cert.user},
    )


@require_GET
def certificate_download(request, code):
    cert = selectors.certificate_by_code(code)
    if (
        cert is None
        or not request.user.is_authenticated
        or (cert.user_id != request.user.pk and not request.user.has_role(Role.ADMIN))
    ):
        raise Http404
    response = HttpResponse(certificate_pdf(cert, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{cert.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def instructor(request, pk):
    mentor = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    if not mentor.has_role(Role.MENTOR):
        raise Http404
    profile = selectors.mentor_profile(mentor=mentor)
    selectors.mark_active_discussion(profile["courses"])
    return render(request, "learning/instructor.html", {"mentor": mentor, **profile})
