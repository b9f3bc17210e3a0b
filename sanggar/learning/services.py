"""Every write of the learning app: authoring (courses, modules, lessons, attachments, quizzes, assignments), the
review workflow, the learner's enrolment and progress, quiz attempts, assignment submissions and grades,
certificates, discussion and ratings. Pages, the API, the sellable kind and demo data all call these."""

import hashlib
import random
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max, ProtectedError, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sanggar.access.constants import GrantSource, ResourceKind
from sanggar.access.models import Resource
from sanggar.access.policy import access_check
from sanggar.access.services import resource_bundle_set, resource_ensure
from sanggar.accounts.selectors import users_with_role
from sanggar.accounts.services import role_grant
from sanggar.audit.services import activity_record
from sanggar.catalog.access_facts import plans_including
from sanggar.catalog.constants import CommissionType
from sanggar.catalog.hooks import plan_content_changed
from sanggar.catalog.models import Product
from sanggar.catalog.pixels import PIXEL_FIELDS, pixel_id_clean, pixel_id_error
from sanggar.catalog.richtext import sanitize_html
from sanggar.catalog.services import FollowUpInput
from sanggar.catalog.uploads import file_size, generated_name, validate_image
from sanggar.core.exceptions import NotAllowed, NotFound, RateLimited, ServiceError
from sanggar.core.formatting import tanggal
from sanggar.core.ratelimit import window_take
from sanggar.core.roles import Role
from sanggar.notifications.constants import Channel
from sanggar.notifications.registry import source_key
from sanggar.notifications.selectors import message_template_get
from sanggar.notifications.services import message_template_update, notify, notify_users, subscription_set
from sanggar.notifications.smart_rules import rule_fire, rule_fired, rule_state, smart_rules_save
from sanggar.orders.constants import ItemKind
from sanggar.orders.models import OrderItem

from . import hooks
from .constants import (
    BLANK,
    BONUS_PRODUCTS_MAX,
    CHOICE_KINDS,
    SOURCE_KIND,
    TITLE_MAX,
    VIDEO_HOSTS_MAX,
    Action,
    ApplicationStatus,
    CourseLevel,
    CourseStatus,
    EnrollmentSource,
    LessonKind,
    Notify,
    QuestionKind,
    RoleAccess,
    Rule,
    SubmissionStatus,
)
from .models import (
    Assignment,
    AttachmentDownload,
    Certificate,
    Choice,
    Comment,
    CommentDigest,
    Course,
    CourseBroadcast,
    CourseCategory,
    Enrollment,
    Lesson,
    LessonAttachment,
    LessonProgress,
    MentorApplication,
    Module,
    ModuleRating,
    Question,
    Quiz,
    QuizAttempt,
    ReminderSettings,
    Review,
    Submission,
    VideoHost,
)
from .validation import Errors, clean_choice, clean_int, clean_text, embed_url, video_hosts_changed

# --- who may do what ----------------------------------------------------------------------------------------------


def is_admin(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_role(Role.ADMIN))


def is_mentor(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_role(Role.MENTOR))


def instructor_ids(course: Course) -> set[int]:
    """The course's co-instructors' user ids (one query, remembered on the instance)."""
    cached = getattr(course, "_instructor_ids", None)
    if cached is None:
        cached = set(course.instructors.values_list("pk", flat=True)) if course.pk else set()
        course._instructor_ids = cached
    return cached


def is_owner(user, course: Course) -> bool:
    """Admins, and the mentor who authors the course or is responsible for it (not its co-instructors)."""
    if is_admin(user):
        return True
    return is_mentor(user) and user.pk in (course.mentor_id, course.created_by_id)


def can_edit(user, course: Course) -> bool:
    """Admins edit every course; a mentor edits the courses they author, are responsible for, or co-instruct."""
    if is_owner(user, course):
        return True
    return is_mentor(user) and user.pk in instructor_ids(course)


# The states in which a mentor (not an admin) may change a course (PRODUCT.md: "a mentor sees and edits their own
# drafts"): drafts only, a rejected course being back in draft with the reviewer's note. A course under review
# (pending), published, private or archived is read-only for mentors; an admin changes it or moves it back to draft.
MENTOR_EDITABLE = (CourseStatus.DRAFT,)


def editable_state(user, course: Course) -> bool:
    return is_admin(user) or course.status in MENTOR_EDITABLE


def read_only_reason(user, course: Course) -> str:
    """Why `user` may not change `course` in its state (empty when they may): the editor's read-only notice and the
    API's 409 message say the same."""
    if editable_state(user, course):
        return ""
    if course.status == CourseStatus.PENDING:
        return _("Kursus sedang direview admin; tunggu hasilnya sebelum mengubahnya.")
    return _(
        "Kursus berstatus %(status)s hanya bisa diubah admin. Mentor hanya mengubah kursus berstatus Draf; "
        "minta admin mengembalikannya ke draf bila materinya perlu diperbarui."
    ) % {"status": course.get_status_display()}


def require_edit(user, course: Course) -> None:
    if not can_edit(user, course):
        raise NotAllowed(_("Anda tidak berhak mengubah kursus ini."))
    reason = read_only_reason(user, course)
    if reason:
        raise ServiceError(reason, code="wrong_state")


def _record(action: str, actor, course: Course, **data) -> None:
    activity_record(action=action, actor=actor, target=course, target_label=course.title[:200], data=data)


# --- courses ---------------------------------------------------------------------------------------------------------

COURSE_FIELDS = (
    "title",
    "summary",
    "description",
    "category",
    "level",
    "language",
    "role_access",
    "is_public",
    "price",
    "promo_price",
    "affiliate_enabled",
    "affiliate_commission_percent",
    "affiliate_commission_type",
    "affiliate_commission_flat",
    "mentor_share_percent",
    "certificate_enabled",
    "mentor",
    *PIXEL_FIELDS,
)


def _clean_course(data: dict, *, actor, course: Course | None) -> dict:
    errors = Errors()
    out: dict = {}
    if "title" in data or course is None:
        out["title"] = clean_text(
            data.get("title"), field="title", label=_("Judul"), errors=errors, max_length=TITLE_MAX, required=True
        )
        if out["title"] and not slugify(out["title"]):
            errors.add("title", _("Judul harus mengandung huruf atau angka."))
    if "summary" in data:
        out["summary"] = clean_text(
            data["summary"], field="summary", label=_("Ringkasan"), errors=errors, max_length=300
        )
    if "description" in data:
        raw = clean_text(
            data["description"], field="description", label=_("Deskripsi"), errors=errors, max_length=50_000
        )
        out["description"] = sanitize_html(raw)
    if "language" in data:
        out["language"] = (
            clean_text(data["language"], field="language", label=_("Bahasa"), errors=errors, max_length=40)
            or "Bahasa Indonesia"
        )
    if "level" in data:
        out["level"] = clean_choice(
            data["level"], field="level", label=_("Level"), errors=errors, choices=CourseLevel.choices
        )
    if "role_access" in data:
        out["role_access"] = clean_choice(
            data["role_access"], field="role_access", label=_("Akses peran"), errors=errors, choices=RoleAccess.choices
        )
    for name in ("is_public", "affiliate_enabled", "certificate_enabled"):
        if name in data:
            out[name] = bool(data[name])
    for name, label in (("price", _("Harga")), ("promo_price", _("Harga promo"))):
        if name in data:
            out[name] = clean_int(
                data[name], field=name, label=label, errors=errors, maximum=1_000_000_000, allow_none=True
            )
    for name, label in (
        ("affiliate_commission_percent", _("Komisi affiliate")),
        ("mentor_share_percent", _("Bagian mentor")),
    ):
        if name in data:
            if not is_admin(actor):
                continue  # commissions and shares are the admin's to set
            out[name] = clean_int(data[name], field=name, label=label, errors=errors, maximum=100) or 0
    if "affiliate_commission_type" in data and is_admin(actor):
        out["affiliate_commission_type"] = clean_choice(
            data["affiliate_commission_type"],
            field="affiliate_commission_type",
            label=_("Jenis komisi affiliate"),
            errors=errors,
            choices=CommissionType.choices,
        )
    if "affiliate_commission_flat" in data and is_admin(actor):
        out["affiliate_commission_flat"] = (
            clean_int(
                data["affiliate_commission_flat"],
                field="affiliate_commission_flat",
                label=_("Komisi affiliate (Rp)"),
                errors=errors,
                maximum=1_000_000_000,
                allow_none=True,
            )
            or 0
        )
    for name in PIXEL_FIELDS:
        if name in data and is_admin(actor):  # the pixels are the admin's to set, like the commissions
            value = pixel_id_clean(data[name])
            message = pixel_id_error(name, value)
            if message:
                errors.add(name, message)
            out[name] = value
    if "category" in data:
        value = data["category"]
        if value in (None, ""):
            out["category"] = None
        else:
            category = CourseCategory.objects.filter(pk=value if str(value).isdigit() else -1).first()
            if category is None:
                errors.add("category", _("Pilih kategori yang tersedia."))
            out["category"] = category
    if "mentor" in data and is_admin(actor):
        value = data["mentor"]
        if value in (None, ""):
            out["mentor"] = None
        else:
            mentor = get_user_model().objects.filter(pk=value if str(value).isdigit() else -1).first()
            if mentor is None or not mentor.has_role(Role.MENTOR):
                errors.add("mentor", _("Pilih pengguna yang berperan mentor."))
            out["mentor"] = mentor
    price = out.get("price", course.price if course else None)
    promo = out.get("promo_price", course.promo_price if course else None)
    if promo is not None and (price is None or promo >= price):
        errors.add("promo_price", _("Harga promo harus lebih rendah dari harga normal."))
    errors.raise_if_any(_("Periksa kembali isian kursus."))
    return out


def _unique_slug(title: str, *, exclude: int | None = None) -> str:
    base = slugify(title)[:100].strip("-") or "kursus"
    slug, n = base, 2
    while Course.objects.filter(slug=slug).exclude(pk=exclude).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def course_create(*, actor, data: dict, resource_key: str = "", now: datetime | None = None) -> Course:
    """A new course. A mentor's starts as a draft (they submit it for review); an admin's publishes directly unless
    `data["status"]` says otherwise. `resource_key` adopts an existing course resource (a plan's placeholder)."""
    if not (is_admin(actor) or is_mentor(actor)):
        raise NotAllowed(_("Hanya admin dan mentor yang bisa membuat kursus."))
    values = _clean_course(data, actor=actor, course=None)
    slug = _unique_slug(values["title"])
    key = (resource_key or slug)[:120]
    resource = resource_ensure(kind=ResourceKind.COURSE, key=key, title=values["title"])
    if Course.objects.filter(resource=resource).exists():
        raise ServiceError(_("Sumber akses ini sudah dipakai kursus lain."), errors={"resource": [_("Sudah dipakai.")]})
    now = now or timezone.now()
    status = CourseStatus.DRAFT
    if is_admin(actor):
        status = data.get("status") if data.get("status") in CourseStatus.values else CourseStatus.PUBLISHED
    course = Course.objects.create(
        resource=resource,
        slug=slug,
        created_by=actor,
        status=status,
        published_at=now if status == CourseStatus.PUBLISHED else None,
        **{"mentor": None if is_admin(actor) else actor, **values},
    )
    _record(Action.COURSE_CREATED, actor, course, status=status)
    if status == CourseStatus.PUBLISHED:
        hooks.course_published(course=course)
    return course


@transaction.atomic
def course_update(*, actor, course: Course, data: dict) -> Course:
    require_edit(actor, course)
    values = _clean_course(data, actor=actor, course=course)
    changed = [name for name, value in values.items() if getattr(course, name) != value]
    for name, value in values.items():
        setattr(course, name, value)
    course.save()
    if "title" in changed:
        resource_ensure(kind=course.resource.kind, key=course.resource.key, title=course.title)
    if changed:
        _record(Action.COURSE_UPDATED, actor, course, fields=changed)
    return course


def bonus_product_choices(actor):
    """The catalog products an author may give as a course bonus: every product for an admin, the products a
    mentor created themselves otherwise (a mentor does not give away someone else's product)."""
    qs = Product.objects.select_related("resource").filter(resource__isnull=False).order_by("title", "pk")
    return qs if is_admin(actor) else qs.filter(creator=actor)


def _ids(values, *, field: str, errors: Errors) -> list[int]:
    if values in (None, ""):
        return []
    if not isinstance(values, list | tuple):
        values = [values]
    out = []
    for value in values:
        text = str(value).strip()
        if not text:
            continue
        if not text.isdigit() or len(text) > 12:
            errors.add(field, _("Pilihan tidak valid."))
            return []
        out.append(int(text))
    return list(dict.fromkeys(out))


@transaction.atomic
def course_extras_set(*, actor, course: Course, bonus_products=None, study_group=None) -> bool:
    """What comes with the course when a purchase or a plan opens it: bonus products (catalog products, given with
    the same grant and revoked with it on a refund) and the private study group (a community group its learners
    join). Stored as the course resource's `bundled` resources; plans that include the course re-sync their
    members' grants after commit. None keeps that part as it is; an empty value clears it. Returns whether
    anything changed."""
    require_edit(actor, course)
    errors = Errors()
    current = list(course.resource.bundled.all())
    if bonus_products is None:  # keep the current bonus products (only the group changes)
        product_resources = [r for r in current if r.kind == ResourceKind.PRODUCT]
        bonus_products = list(Product.objects.filter(resource__in=product_resources).values_list("pk", flat=True))
    if study_group is None:  # keep the current group (only the bonus products change)
        study_group = next((r.pk for r in current if r.kind == ResourceKind.GROUP), "")
    product_ids = _ids(bonus_products, field="bonus_products", errors=errors)
    if len(product_ids) > BONUS_PRODUCTS_MAX:
        errors.add("bonus_products", _("Paling banyak %(n)s produk bonus.") % {"n": BONUS_PRODUCTS_MAX})
    products = list(bonus_product_choices(actor).filter(pk__in=product_ids)) if product_ids else []
    if len(products) != len(product_ids):
        errors.add("bonus_products", _("Pilih produk yang tersedia untuk Anda."))
    group_ids = _ids(study_group, field="study_group", errors=errors)[:1]
    provider = hooks.study_groups()
    current_groups = [r for r in current if r.kind == ResourceKind.GROUP]
    group_resources = []
    if group_ids:
        allowed = {rid for rid, _name in provider.choices(user=actor)} if provider is not None else set()
        # An author keeps a group an admin chose even when they may not choose it themselves.
        allowed |= {r.pk for r in current_groups}
        if group_ids[0] not in allowed:
            errors.add("study_group", _("Pilih grup yang tersedia."))
        else:
            group_resources = [r for r in current_groups if r.pk == group_ids[0]] or list(
                Resource.objects.filter(pk=group_ids[0], kind=ResourceKind.GROUP)
            )
    errors.raise_if_any(_("Periksa kembali bonus dan grup belajar."))
    wanted = [p.resource for p in products] + group_resources
    changed = resource_bundle_set(resource=course.resource, resources=wanted)
    if changed:
        _record(
            Action.EXTRAS_UPDATED,
            actor,
            course,
            bonus_products=[p.title for p in products],
            study_group=group_resources[0].title if group_resources else "",
        )
        plan_ids = sorted({ref.id for ref in plans_including(resource_ids={course.resource_id})[course.resource_id]})
        transaction.on_commit(lambda: [plan_content_changed(plan_id=pk) for pk in plan_ids])
    return changed


def course_follow_ups(course: Course) -> list[hooks.FollowUpStepView]:
    """The course's WhatsApp follow-up steps (id, delay in days, message), read from the reminder engine's
    follow-up sequence of the course (`hooks.follow_ups_read`, registered by reminders)."""
    return hooks.follow_ups_read(course)


@transaction.atomic
def course_follow_ups_set(*, actor, course: Course, steps: list[FollowUpInput]) -> list[hooks.FollowUpStepView]:
    """The course's WhatsApp follow-up sequence (delay in days after the student joins the course + message with
    shortcodes, `{course}` for its title). Since issue 14's one engine it is the reminder builder's "after purchase"
    sequence of the course (`hooks.follow_ups_write`, registered by reminders, which checks the rows and saves the
    steps): the builder sends it, once per step and student. Admins only, as before (the messages go out on the
    company's WhatsApp number); the course's mentor reads it. Errors keyed `steps.<index>.<field>`."""
    if not is_admin(actor):
        raise NotAllowed(_("Hanya admin yang bisa mengubah follow-up WhatsApp."))
    Course.objects.select_for_update().filter(pk=course.pk).first()
    kept, changed = hooks.follow_ups_write(actor=actor, course=course, steps=steps)
    if changed:
        _record(Action.FOLLOW_UPS_UPDATED, actor, course, count=len(kept))
    return kept


def course_cover_set(*, actor, course: Course, upload) -> Course:
    require_edit(actor, course)
    extension = validate_image(upload, field="cover", label=_("Sampul"), max_bytes=5 * 1024 * 1024)
    course.cover.save(generated_name("kursus", extension), upload, save=True)
    return course


def _admins():
    return list(users_with_role(role=Role.ADMIN).filter(is_active=True)[:50])


@transaction.atomic
def course_submit(*, actor, course: Course) -> Course:
    """A mentor sends their draft for review (it needs at least one lesson)."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not can_edit(actor, course):
        raise NotAllowed(_("Anda tidak berhak mengajukan kursus ini."))
    if course.status != CourseStatus.DRAFT:
        raise ServiceError(_("Hanya kursus berstatus draf yang bisa diajukan untuk review."))
    if not course.lessons.exists():
        raise ServiceError(_("Tambahkan minimal satu pelajaran sebelum mengajukan review."))
    course.status = CourseStatus.PENDING
    course.save(update_fields=["status", "updated_at"])
    _record(Action.COURSE_SUBMITTED, actor, course)
    link = reverse("learning:admin_review")
    notify_users(users=_admins(), kind=Notify.REVIEW_SUBMITTED, link=link, context={"course": course.title})
    return course


@transaction.atomic
def course_approve(*, actor, course: Course, now: datetime | None = None) -> Course:
    if not is_admin(actor):
        raise NotAllowed(_("Hanya admin yang bisa menyetujui kursus."))
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status != CourseStatus.PENDING:
        raise ServiceError(_("Kursus ini tidak sedang menunggu review."))
    course.status = CourseStatus.PUBLISHED
    course.review_note = ""
    course.published_at = course.published_at or now or timezone.now()
    course.save(update_fields=["status", "review_note", "published_at", "updated_at"])
    _record(Action.COURSE_APPROVED, actor, course)
    hooks.course_published(course=course)
    for user in {u for u in (course.mentor, course.created_by) if u is not None}:
        notify(
            user=user,
            kind=Notify.APPROVED,
            link=reverse("learning:course_detail", args=[course.slug]),
            context={"course": course.title},
        )
    return course


@transaction.atomic
def course_reject(*, actor, course: Course, note: str) -> Course:
    if not is_admin(actor):
        raise NotAllowed(_("Hanya admin yang bisa menolak kursus."))
    errors = Errors()
    note = clean_text(note, field="note", label=_("Catatan"), errors=errors, max_length=2000, required=True)
    errors.raise_if_any(_("Tulis alasan penolakan untuk mentor."))
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status != CourseStatus.PENDING:
        raise ServiceError(_("Kursus ini tidak sedang menunggu review."))
    course.status = CourseStatus.DRAFT
    course.review_note = note
    course.save(update_fields=["status", "review_note", "updated_at"])
    _record(Action.COURSE_REJECTED, actor, course, note=note)
    for user in {u for u in (course.mentor, course.created_by) if u is not None}:
        notify(
            user=user,
            kind=Notify.REJECTED,
            link=reverse("learning:edit", args=[course.slug]),
            context={"course": course.title, "note": note},
        )
    return course


@transaction.atomic
def course_set_status(*, actor, course: Course, status: str, now: datetime | None = None) -> Course:
    """An admin moves a course to draft, published, private or archived (pending comes from a submission)."""
    if not is_admin(actor):
        raise NotAllowed(_("Hanya admin yang bisa mengubah status kursus."))
    allowed = (CourseStatus.DRAFT, CourseStatus.PUBLISHED, CourseStatus.PRIVATE, CourseStatus.ARCHIVED)
    if status not in allowed:
        raise ServiceError(_("Pilih status yang tersedia."), errors={"status": [_("Status tidak dikenal.")]})
    course = Course.objects.select_for_update().get(pk=course.pk)
    previous = course.status
    if previous == status:
        return course  # nothing changes: no audit row, nobody told
    course.status = status
    if status == CourseStatus.PUBLISHED and course.published_at is None:
        course.published_at = now or timezone.now()
    course.save(update_fields=["status", "published_at", "updated_at"])
    _record(Action.COURSE_STATUS, actor, course, before=previous, after=status)
    if status == CourseStatus.PUBLISHED and previous != CourseStatus.PUBLISHED:
        hooks.course_published(course=course)
    _tell_authors(
        course,
        actor=actor,
        kind=Notify.STATUS_CHANGED,
        context={
            "course": course.title,
            "before": str(CourseStatus(previous).label),
            "status": str(course.get_status_display()),
        },
    )
    return course


def _names(rows, limit: int = 5) -> str:
    names = [str(name) for name in rows[: limit + 1]]
    more = _(" dan lainnya") if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def course_delete_blockers(course: Course) -> list[str]:
    """Why `course` may not be deleted (empty when it may), each reason a sentence naming what holds the course:
    its students, orders, certificates and the access already given, then whatever includes its access resource
    (plans, products, coupons, another item's bonus) and other apps' records that point at it (a training tier, a
    broadcast's segment). Deleting would orphan them silently, so the course is archived instead."""
    reasons = []
    resource = course.resource
    counts = (
        (Enrollment.objects.filter(course=course).count(), _("Kursus ini sudah punya %(n)s murid terdaftar.")),
        (
            OrderItem.objects.filter(kind=ItemKind.COURSE, ref=str(course.pk)).count(),
            _("Kursus ini tercatat di %(n)s pesanan."),
        ),
        (Certificate.objects.filter(course=course).count(), _("Sudah ada %(n)s sertifikat kursus ini.")),
        (resource.grants.count(), _("Sudah ada %(n)s akses member ke kursus ini.")),
    )
    reasons += [text % {"n": n} for n, text in counts if n]
    holders = (
        (resource.plans.order_by("title").values_list("title", flat=True), _("paket membership")),
        (resource.in_products.order_by("title").values_list("title", flat=True), _("produk")),
        (resource.coupons.order_by("code").values_list("code", flat=True), _("kupon")),
        (resource.bundled_in.order_by("title").values_list("title", flat=True), _("bonus dari")),
    )
    for rows, what in holders:
        names = list(rows[:6])
        if names:
            reasons.append(_("Kursus ini termasuk dalam %(what)s: %(names)s.") % {"what": what, "names": _names(names)})
    # Other apps' records (a training tier's course list, a broadcast's course segment): found through Django's
    # relations, so this app names none of the apps above it.
    for relation in Course._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label == Course._meta.app_label:
            continue
        if relation.many_to_many:
            rows = list(getattr(course, relation.get_accessor_name()).all()[:6])
        elif relation.one_to_many and relation.on_delete is models.PROTECT:
            rows = list(model._default_manager.filter(**{relation.field.name: course})[:6])
        else:
            continue  # SET_NULL: the record stays and forgets the course (a study group)
        if rows:
            reasons.append(
                _("Kursus ini dipakai di %(what)s: %(names)s.")
                % {"what": model._meta.verbose_name, "names": _names(rows)}
            )
    return reasons


def course_delete_refusal(*, actor, course: Course) -> str:
    """Why `actor` may not delete `course` (empty when they may). Admins delete any course nothing holds; a mentor
    deletes their own draft (as its author or responsible mentor) without students. The message says what to do
    instead: archive it (admins) or ask an admin."""
    if not is_owner(actor, course):
        return _("Hanya admin dan mentor pemilik kursus yang bisa menghapusnya.")
    if not is_admin(actor) and course.status != CourseStatus.DRAFT:
        return _(
            "Mentor hanya bisa menghapus kursus berstatus Draf; kursus ini berstatus %(status)s. "
            "Minta admin mengarsipkannya bila tidak dipakai lagi."
        ) % {"status": course.get_status_display()}
    reasons = course_delete_blockers(course)
    if not reasons:
        return ""
    advice = (
        _("Arsipkan kursus ini agar tidak tampil lagi tanpa menghapus data murid, pesanan dan akses.")
        if is_admin(actor)
        else _("Minta admin mengarsipkannya bila tidak dipakai lagi.")
    )
    return " ".join([str(_("Kursus tidak bisa dihapus.")), *map(str, reasons), str(advice)])


@transaction.atomic
def course_delete(*, actor, course: Course) -> None:
    """Deletes a course with its curriculum and its access resource (nothing else holds either; see
    `course_delete_blockers`), audited like every change of a course's state. Refused with the reason otherwise."""
    course = Course.objects.select_for_update().select_related("resource").get(pk=course.pk)
    if not is_owner(actor, course):
        raise NotAllowed(_("Hanya admin dan mentor pemilik kursus yang bisa menghapusnya."))
    reason = course_delete_refusal(actor=actor, course=course)
    if reason:
        raise ServiceError(reason, code="wrong_state")
    resource = course.resource
    told = {course.mentor_id, course.created_by_id, *instructor_ids(course)} - {None, actor.pk}
    told = list(get_user_model().objects.filter(pk__in=told, is_active=True).order_by("pk"))
    _record(
        Action.COURSE_DELETED,
        actor,
        course,
        slug=course.slug,
        status=course.status,
        resource=f"{resource.kind}:{resource.key}",
    )
    try:
        with transaction.atomic():
            course.delete()
            resource.delete()
    except ProtectedError:
        raise ServiceError(
            _("Kursus tidak bisa dihapus karena masih dipakai data lain. Arsipkan kursus ini."), code="wrong_state"
        ) from None
    if told:  # an admin deleted a mentor's course: they are told, like of every change of its state
        notify_users(users=told, kind=Notify.DELETED, link=reverse("learning:manage"), context={"course": course.title})


def _tell_authors(course: Course, *, actor, kind: str, context: dict) -> None:
    """In-app and email (through notifications, by the users' preferences) to the course's responsible mentor, its
    author and co-instructors, leaving out whoever made the change."""
    ids = {course.mentor_id, course.created_by_id, *instructor_ids(course)} - {None, getattr(actor, "pk", None)}
    if not ids:
        return
    users = list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))
    link = reverse("learning:edit", args=[course.slug]) + "?tab=status"
    notify_users(users=users, kind=kind, link=link, context=context)


INSTRUCTORS_MAX = 10


@transaction.atomic
def course_instructors_set(*, actor, course: Course, user_ids) -> list:
    """The course's co-instructors (mentors besides the responsible one, at most INSTRUCTORS_MAX). Admins and the
    course's owner set them (co-instructors do not choose each other), in the states the owner may edit; the
    responsible mentor is never listed twice. Newly added instructors are told. Returns the instructors."""
    if not is_owner(actor, course):
        raise NotAllowed(_("Hanya admin dan mentor penanggung jawab yang bisa mengatur instruktur."))
    require_edit(actor, course)
    errors = Errors()
    ids = _ids(user_ids, field="instructors", errors=errors)
    ids = [pk for pk in ids if pk != course.mentor_id]
    if len(ids) > INSTRUCTORS_MAX:
        errors.add("instructors", _("Paling banyak %(n)s instruktur pendamping.") % {"n": INSTRUCTORS_MAX})
    users = list(users_with_role(role=Role.MENTOR).filter(pk__in=ids)) if ids and not errors.errors else []
    if not errors.errors and len(users) != len(ids):
        errors.add("instructors", _("Pilih pengguna yang berperan mentor."))
    errors.raise_if_any(_("Periksa kembali daftar instruktur."))
    before = set(instructor_ids(course))
    after = {u.pk for u in users}
    if before != after:
        course.instructors.set(users)
        course._instructor_ids = after
        _record(
            Action.INSTRUCTORS_UPDATED,
            actor,
            course,
            instructors=[u.full_name or u.email for u in users],
        )
        added = [u for u in users if u.pk not in before]
        if added:
            notify_users(
                users=added,
                kind=Notify.INSTRUCTOR_ADDED,
                link=reverse("learning:edit", args=[course.slug]),
                context={"course": course.title},
            )
    return users


# --- curriculum ----------------------------------------------------------------------------------------------------


def _next_position(qs) -> int:
    last = qs.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def module_save(*, actor, course: Course, title: str, module: Module | None = None) -> Module:
    require_edit(actor, course)
    errors = Errors()
    title = clean_text(title, field="title", label=_("Judul modul"), errors=errors, max_length=TITLE_MAX, required=True)
    errors.raise_if_any(_("Periksa kembali isian modul."))
    if module is None:
        return Module.objects.create(course=course, title=title, position=_next_position(course.modules.all()))
    module.title = title
    module.save(update_fields=["title"])
    return module


@transaction.atomic
def module_delete(*, actor, module: Module) -> None:
    require_edit(actor, module.course)
    if LessonProgress.objects.filter(lesson__module=module, completed_at__isnull=False).exists():
        raise ServiceError(_("Modul ini sudah dipelajari member; hapus tidak diizinkan agar progres mereka tetap ada."))
    module.delete()


@transaction.atomic
def reorder(*, actor, course: Course, kind: str, ids: list) -> None:
    """Saves the order of a course's modules, or of one module's lessons (`ids` in the new order)."""
    require_edit(actor, course)
    if not isinstance(ids, list) or len(ids) > 500 or not all(str(i).isdigit() for i in ids):
        raise ServiceError(_("Urutan tidak valid."))
    model = {"modules": Module, "lessons": Lesson, "quizzes": Quiz, "assignments": Assignment}.get(kind)
    if model is None:
        raise ServiceError(_("Urutan tidak valid."))
    ids = [int(i) for i in ids]
    if len(set(ids)) != len(ids):
        raise ServiceError(_("Urutan berisi item ganda."))
    owned = set(model.objects.filter(course=course, pk__in=ids).values_list("pk", flat=True))
    if owned != set(ids):
        raise ServiceError(_("Urutan berisi item dari kursus lain."))
    for position, pk in enumerate(ids, start=1):
        model.objects.filter(pk=pk).update(position=position)
    _record(Action.CURRICULUM_REORDERED, actor, course, kind=kind, ids=ids)


LESSON_POSITION_MAX = 10_000


@transaction.atomic
def lesson_move(*, actor, lesson: Lesson, module: Module, position) -> Lesson:
    """Moves a lesson into `module` of the same course at `position` (1 = first; past the end = last) and numbers
    the lessons of the module it left and of the one it joined again (the curriculum editor's drag between modules
    and the authoring API). Progress, discussion and drip stay with the lesson."""
    require_edit(actor, lesson.course)
    if module.course_id != lesson.course_id:
        raise ServiceError(
            _("Modul tujuan bukan bagian dari kursus ini."), errors={"module": [_("Pilih modul kursus ini.")]}
        )
    errors = Errors()
    position = clean_int(
        position, field="position", label=_("Posisi"), errors=errors, minimum=1, maximum=LESSON_POSITION_MAX
    )
    errors.raise_if_any(_("Posisi pelajaran tidak valid."))
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    source = lesson.module_id
    siblings = list(
        Lesson.objects.select_for_update()
        .filter(module=module)
        .exclude(pk=lesson.pk)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    siblings.insert(min(position - 1, len(siblings)), lesson.pk)
    if source != module.pk:
        Lesson.objects.filter(pk=lesson.pk).update(module=module)
        left = Lesson.objects.filter(module_id=source).order_by("position", "id").values_list("pk", flat=True)
        for number, pk in enumerate(list(left), start=1):
            Lesson.objects.filter(pk=pk).update(position=number)
    for number, pk in enumerate(siblings, start=1):
        Lesson.objects.filter(pk=pk).update(position=number)
    _record(
        Action.LESSON_MOVED,
        actor,
        lesson.course,
        lesson=lesson.pk,
        from_module=source,
        to_module=module.pk,
        position=siblings.index(lesson.pk) + 1,
    )
    lesson.refresh_from_db()
    return lesson


def _clean_date(value, errors: Errors):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    try:
        day = datetime.fromisoformat(str(value)[:10])
    except ValueError:
        errors.add("available_on", _("Tanggal tidak valid (format TTTT-BB-HH)."))
        return None
    return timezone.make_aware(day) if timezone.is_naive(day) else day


def _clean_lesson(data: dict, course: Course, *, has_video_file: bool = False) -> dict:
    errors = Errors()
    out = {
        "title": clean_text(
            data.get("title"),
            field="title",
            label=_("Judul pelajaran"),
            errors=errors,
            max_length=TITLE_MAX,
            required=True,
        ),
        "kind": clean_choice(
            data.get("kind") or LessonKind.TEXT,
            field="kind",
            label=_("Jenis"),
            errors=errors,
            choices=LessonKind.choices,
        ),
        "content": sanitize_html(
            clean_text(data.get("content"), field="content", label=_("Isi"), errors=errors, max_length=100_000)
        ),
        "duration_minutes": clean_int(
            data.get("duration_minutes") or 0, field="duration_minutes", label=_("Durasi"), errors=errors, maximum=6000
        ),
        "is_preview": bool(data.get("is_preview")),
        "available_on": _clean_date(data.get("available_on"), errors),
        "drip_days": clean_int(
            data.get("drip_days"),
            field="drip_days",
            label=_("Terbuka setelah (hari)"),
            errors=errors,
            maximum=3650,
            allow_none=True,
        ),
    }
    raw_url = clean_text(data.get("video_url"), field="video_url", label=_("URL video"), errors=errors, max_length=500)
    out["video_url"] = ""
    if raw_url:
        try:
            out["video_url"] = embed_url(raw_url)
        except ValueError:
            errors.add(
                "video_url",
                _("Gunakan tautan YouTube, Vimeo, atau host video yang diizinkan admin (https)."),
            )
    prerequisite = data.get("prerequisite")
    out["prerequisite"] = None
    if prerequisite not in (None, ""):
        out["prerequisite"] = (
            Lesson.objects.filter(pk=prerequisite, course=course).first() if str(prerequisite).isdigit() else None
        )
        if out["prerequisite"] is None:
            errors.add("prerequisite", _("Pilih pelajaran prasyarat dari kursus ini."))
    if out["kind"] == LessonKind.VIDEO and not raw_url and not has_video_file:
        errors.add("video_url", _("Pelajaran video membutuhkan URL video atau video unggahan."))
    errors.raise_if_any(_("Periksa kembali isian pelajaran."))
    return out


@transaction.atomic
def lesson_save(*, actor, module: Module, data: dict, lesson: Lesson | None = None) -> Lesson:
    require_edit(actor, module.course)
    values = _clean_lesson(
        data, module.course, has_video_file=bool(lesson and lesson.video_file) or bool(data.get("has_upload"))
    )
    if lesson is None:
        lesson = Lesson.objects.create(
            module=module, course=module.course, position=_next_position(module.lessons.all()), **values
        )
        if module.course.status == CourseStatus.PUBLISHED:
            created = lesson.pk
            transaction.on_commit(lambda: content_update_notify(lesson_id=created, actor_id=actor.pk), robust=True)
        return lesson
    for name, value in values.items():
        setattr(lesson, name, value)
    lesson.save()
    return lesson


@transaction.atomic
def lesson_delete(*, actor, lesson: Lesson) -> None:
    require_edit(actor, lesson.course)
    if lesson.progress.filter(completed_at__isnull=False).exists():
        raise ServiceError(_("Pelajaran ini sudah diselesaikan member; hapus tidak diizinkan agar progres tetap ada."))
    lesson.delete()


ATTACHMENT_EXTENSIONS = ("pdf", "zip", "docx", "xlsx", "pptx", "png", "jpg", "jpeg", "txt", "csv")


def content_matches(upload, extension: str) -> bool:
    """Does the file's content match its extension? Binary formats by their first bytes (PDF, ZIP-based Office
    files, PNG, JPEG); text files must be UTF-8 without NUL characters (checked on the first 64 KB)."""
    upload.seek(0)
    head = upload.read(65536)
    upload.seek(0)
    if isinstance(head, str):
        head = head.encode()
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ("zip", "docx", "xlsx", "pptx"):
        return head.startswith(b"PK\x03\x04")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in ("txt", "csv"):
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            return exc.start >= len(head) - 3  # a multi-byte character cut at the 64 KB mark
        return True
    return False


def _content_error(errors: Errors, upload, extension: str) -> None:
    if extension in ATTACHMENT_EXTENSIONS and not content_matches(upload, extension):
        errors.add(
            "file", _("Isi berkas tidak cocok dengan jenisnya (.%(ext)s). Unggah berkas aslinya.") % {"ext": extension}
        )


@transaction.atomic
def attachment_add(*, actor, lesson: Lesson, title: str, upload) -> LessonAttachment:
    require_edit(actor, lesson.course)
    errors = Errors()
    title = clean_text(title, field="title", label=_("Nama berkas"), errors=errors, max_length=TITLE_MAX, required=True)
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_EXTENSIONS:
        errors.add("file", _("Jenis berkas tidak didukung: %(types)s.") % {"types": ", ".join(ATTACHMENT_EXTENSIONS)})
    size = file_size(upload) if upload else 0
    if not size:
        errors.add("file", _("Berkas kosong."))
    elif size > settings.LEARNING_ATTACHMENT_MAX_BYTES:
        errors.add("file", _("Berkas terlalu besar."))
    else:
        _content_error(errors, upload, extension)
    errors.raise_if_any(_("Periksa kembali berkas lampiran."))
    attachment = LessonAttachment(lesson=lesson, title=title, size=size)
    attachment.file.save(generated_name("lampiran", extension), upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment: LessonAttachment) -> None:
    require_edit(actor, attachment.lesson.course)
    attachment.file.delete(save=False)
    attachment.delete()


def _clean_quiz(data: dict) -> dict:
    errors = Errors()
    out = {
        "title": clean_text(
            data.get("title"), field="title", label=_("Judul kuis"), errors=errors, max_length=TITLE_MAX, required=True
        ),
        "description": clean_text(
            data.get("description"), field="description", label=_("Petunjuk"), errors=errors, max_length=5000
        ),
        "pass_percent": clean_int(
            data.get("pass_percent", 70), field="pass_percent", label=_("Nilai lulus"), errors=errors, maximum=100
        ),
        "max_attempts": clean_int(
            data.get("max_attempts") or 0, field="max_attempts", label=_("Batas percobaan"), errors=errors, maximum=100
        ),
        "time_limit_minutes": clean_int(
            data.get("time_limit_minutes") or 0,
            field="time_limit_minutes",
            label=_("Batas waktu"),
            errors=errors,
            maximum=600,
        ),
        "shuffle": bool(data.get("shuffle")),
        "show_answers": bool(data.get("show_answers")),
        "is_required": bool(data.get("is_required")),
    }
    errors.raise_if_any(_("Periksa kembali isian kuis."))
    return out


@transaction.atomic
def quiz_save(*, actor, module: Module, data: dict, quiz: Quiz | None = None) -> Quiz:
    require_edit(actor, module.course)
    values = _clean_quiz(data)
    if quiz is None:
        return Quiz.objects.create(
            module=module, course=module.course, position=_next_position(module.quizzes.all()), **values
        )
    for name, value in values.items():
        setattr(quiz, name, value)
    quiz.save()
    return quiz


def normalise_answer(text) -> str:
    """How typed answers are compared: case, extra spaces and a trailing full stop do not matter."""
    return " ".join(str(text or "").replace("\x00", "").split()).casefold().rstrip(".")


def blank_count(text: str) -> int:
    return str(text or "").count(BLANK)


def _clean_options(kind: str, choices, errors: Errors) -> list[tuple[str, bool, str]]:
    """(text, is_correct, match_text) rows for `kind` from the author's `choices` (see question_add)."""
    cleaned = []
    for index, row in enumerate(choices or []):
        first, second = (row[0], row[1]) if isinstance(row, (list, tuple)) and len(row) >= 2 else (row, True)
        value = clean_text(first, field=f"choice_{index}", label=_("Pilihan"), errors=errors, max_length=300)
        if kind == QuestionKind.MATCHING:
            pair = clean_text(second, field=f"match_{index}", label=_("Pasangan"), errors=errors, max_length=300)
            if value and pair:
                cleaned.append((value, True, pair))
            elif value or pair:
                errors.add("choices", _("Setiap item menjodohkan butuh pasangan di kedua sisi."))
        elif value:
            if kind == QuestionKind.FILL:
                value = "|".join(part.strip() for part in value.split("|") if part.strip())[:300]
            cleaned.append((value, bool(second) if kind in CHOICE_KINDS else True, ""))
    return cleaned


@transaction.atomic
def question_add(
    *, actor, quiz: Quiz, kind: str, text: str, choices: list[tuple], explanation: str = "", points: int = 1
) -> Question:
    """A question with its options. `choices` per kind: [(text, is_correct)] for single/multiple (true/false makes
    its own two options from the first row's flag); the accepted answers for short; per blank (`___` in the text),
    in order, its accepted answers separated by "|" for fill; the items in their correct order for ordering;
    [(left, right)] pairs for matching; nothing for an essay (graded by the mentor)."""
    require_edit(actor, quiz.course)
    errors = Errors()
    kind = clean_choice(kind, field="kind", label=_("Jenis soal"), errors=errors, choices=QuestionKind.choices)
    text = clean_text(text, field="text", label=_("Pertanyaan"), errors=errors, max_length=2000, required=True)
    explanation = clean_text(explanation, field="explanation", label=_("Pembahasan"), errors=errors, max_length=2000)
    points = clean_int(points, field="points", label=_("Poin"), errors=errors, minimum=1, maximum=100)
    if kind == QuestionKind.TRUE_FALSE:
        correct_true = bool(choices and choices[0][1])
        choices = [(_("Benar"), correct_true), (_("Salah"), not correct_true)]
    cleaned = [] if kind == QuestionKind.ESSAY else _clean_options(kind or "", choices, errors)
    if len(cleaned) > 10:
        errors.add("choices", _("Paling banyak 10 pilihan jawaban."))
    if kind in CHOICE_KINDS:
        if len(cleaned) < 2:
            errors.add("choices", _("Isi minimal dua pilihan jawaban."))
        correct_count = sum(1 for _t, c, _m in cleaned if c)
        if not correct_count:
            errors.add("choices", _("Tandai minimal satu jawaban yang benar."))
        if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct_count > 1:
            errors.add("choices", _("Soal ini hanya boleh punya satu jawaban benar."))
    elif kind == QuestionKind.SHORT and not cleaned:
        errors.add("choices", _("Isi minimal satu jawaban yang diterima."))
    elif kind == QuestionKind.FILL:
        blanks = blank_count(text or "")
        if not blanks:
            errors.add("text", _("Tandai tempat isian dengan ___ (tiga garis bawah) di pertanyaan."))
        elif blanks != len(cleaned):
            errors.add(
                "choices",
                _("Pertanyaan punya %(n)s isian; isi jawaban untuk setiap isian secara berurutan.") % {"n": blanks},
            )
    elif kind in (QuestionKind.ORDERING, QuestionKind.MATCHING) and len(cleaned) < 2:
        errors.add("choices", _("Isi minimal dua item."))
    if kind == QuestionKind.MATCHING and len({normalise_answer(m) for _t, _c, m in cleaned}) != len(cleaned):
        errors.add("choices", _("Pasangan di sisi kanan harus berbeda satu sama lain."))
    errors.raise_if_any(_("Periksa kembali isian soal."))
    question = Question.objects.create(
        quiz=quiz,
        kind=kind,
        text=text,
        explanation=explanation,
        points=points,
        position=_next_position(quiz.questions.all()),
    )
    Choice.objects.bulk_create(
        [
            Choice(question=question, text=t, is_correct=c, match_text=m, position=i)
            for i, (t, c, m) in enumerate(cleaned, start=1)
        ]
    )
    return question


@transaction.atomic
def question_delete(*, actor, question: Question) -> None:
    require_edit(actor, question.quiz.course)
    question.delete()


@transaction.atomic
def assignment_save(*, actor, module: Module, data: dict, assignment: Assignment | None = None) -> Assignment:
    require_edit(actor, module.course)
    errors = Errors()
    values = {
        "title": clean_text(
            data.get("title"), field="title", label=_("Judul tugas"), errors=errors, max_length=TITLE_MAX, required=True
        ),
        "instructions": clean_text(
            data.get("instructions"), field="instructions", label=_("Instruksi"), errors=errors, max_length=10_000
        ),
        "max_points": clean_int(
            data.get("max_points") or 100,
            field="max_points",
            label=_("Nilai maksimal"),
            errors=errors,
            minimum=1,
            maximum=1000,
        ),
        "allow_file": bool(data.get("allow_file")),
    }
    errors.raise_if_any(_("Periksa kembali isian tugas."))
    if assignment is None:
        return Assignment.objects.create(
            module=module, course=module.course, position=_next_position(module.assignments.all()), **values
        )
    for name, value in values.items():
        setattr(assignment, name, value)
    assignment.save()
    return assignment


@transaction.atomic
def quiz_delete(*, actor, quiz: Quiz) -> None:
    """Removes a quiz nobody has attempted yet (attempts are learners' results and stay)."""
    require_edit(actor, quiz.course)
    if quiz.attempts.exists():
        raise ServiceError(_("Kuis ini sudah dikerjakan member; hapus tidak diizinkan agar nilai mereka tetap ada."))
    _record(Action.CURRICULUM_DELETED, actor, quiz.course, kind="quiz", title=quiz.title)
    quiz.delete()


@transaction.atomic
def assignment_delete(*, actor, assignment: Assignment) -> None:
    """Removes an assignment nobody has submitted yet (submissions are learners' work and stay)."""
    require_edit(actor, assignment.course)
    if assignment.submissions.exists():
        raise ServiceError(_("Tugas ini sudah dikumpulkan member; hapus tidak diizinkan agar nilai mereka tetap ada."))
    _record(Action.CURRICULUM_DELETED, actor, assignment.course, kind="assignment", title=assignment.title)
    assignment.delete()


# --- learning --------------------------------------------------------------------------------------------------------


def course_decision(*, user, course: Course, now=None):
    return access_check(user=user, resource=course.resource, now=now)


def _require_access(user, course: Course):
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("Masuk terlebih dahulu untuk membuka kelas ini."), code="login_required")
    decision = course_decision(user=user, course=course)
    if not decision.allowed:
        raise NotAllowed(decision.message, code=decision.reason)
    return decision


def _source_for(user, course: Course) -> str:
    if can_edit(user, course):
        return EnrollmentSource.ADMIN
    grants = list(course.resource.grants.filter(user=user).values_list("source", flat=True)[:5])
    if GrantSource.PURCHASE in grants:
        return EnrollmentSource.PURCHASE
    if GrantSource.ADMIN in grants:
        return EnrollmentSource.ADMIN
    if course.role_access == RoleAccess.AFFILIATE:
        return EnrollmentSource.ROLE
    if course.is_free and course.role_access == RoleAccess.PUBLIC:
        return EnrollmentSource.FREE
    return EnrollmentSource.MEMBERSHIP


def course_source(course: Course) -> str:
    """The notification source of a course ("course:<id>"): the notification centre's "Kelas" filter, and what a
    member follows or unfollows on the course page."""
    return source_key(SOURCE_KIND, course.pk)


def course_notifications_set(*, user, course: Course, subscribed: bool) -> bool:
    """A learner (enrolled) or the course's mentor follows or unfollows the course's notifications (discussion
    replies, mentor updates, ratings and the digest). Everyone enrolled follows until they unfollow."""
    if not (Enrollment.objects.filter(user=user, course=course).exists() or can_edit(user, course)):
        raise NotAllowed(_("Mulai belajar di kursus ini dulu untuk mengatur notifikasinya."))
    subscription_set(user=user, source=course_source(course), subscribed=subscribed)
    return bool(subscribed)


def enrollment_ensure(*, user, course: Course, source: str = "", now: datetime | None = None) -> Enrollment:
    """The user's enrolment in `course` (created on the grant of a purchase, or at the first open)."""
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                user=user, course=course, source=source or _source_for(user, course), created_at=now or timezone.now()
            )
    except IntegrityError:
        return Enrollment.objects.get(user=user, course=course)
    study_group_join(user=user, course=course)
    return enrollment


def study_group_join(*, user, course: Course) -> None:
    """The learner joins the course's study group (when the purchase or plan that opened the course opened it)."""
    groups = Resource.objects.filter(bundled_in=course.resource_id, kind=ResourceKind.GROUP)
    for resource_id in groups.values_list("pk", flat=True):
        hooks.study_group_join(user=user, resource_id=resource_id)


def study_group_open(*, user, course: Course) -> None:
    """A learner who may open the course asks for its study group: they join it now (a learner enrolled before
    the group was named, or who never opened a lesson, is not a member yet). Raises NotAllowed like the course."""
    _require_access(user, course)
    study_group_join(user=user, course=course)


def lesson_available_at(*, lesson: Lesson, enrollment: Enrollment | None) -> datetime | None:
    """When a drip lesson opens for this enrolment: its date, or N days after enrolment, whichever is later
    (None: no date rule)."""
    dates = [lesson.available_on] if lesson.available_on else []
    if lesson.drip_days and enrollment is not None:
        dates.append(enrollment.created_at + timedelta(days=lesson.drip_days))
    return max(dates) if dates else None


def prerequisite_missing(*, user, lesson: Lesson) -> bool:
    if not lesson.prerequisite_id:
        return False
    return not LessonProgress.objects.filter(
        user=user, lesson_id=lesson.prerequisite_id, completed_at__isnull=False
    ).exists()


def lesson_open(*, user, lesson: Lesson, now: datetime | None = None, touch: bool = True) -> Enrollment:
    """Checks access (course policy, then drip) and remembers the lesson as where the learner is (unless `touch`
    is False: the video stream checks without moving the resume point)."""
    now = now or timezone.now()
    course = lesson.course
    _require_access(user, course)
    enrollment = enrollment_ensure(user=user, course=course, now=now)
    opens = lesson_available_at(lesson=lesson, enrollment=enrollment)
    if opens is not None and opens > now and not can_edit(user, course):
        raise NotAllowed(_("Pelajaran ini terbuka pada %(date)s.") % {"date": tanggal(opens)}, code="drip")
    if not can_edit(user, course) and prerequisite_missing(user=user, lesson=lesson):
        raise NotAllowed(
            _("Selesaikan dulu pelajaran “%(title)s” untuk membuka pelajaran ini.")
            % {"title": lesson.prerequisite.title},
            code="prerequisite",
        )
    if not touch:
        return enrollment
    Enrollment.objects.filter(pk=enrollment.pk).update(
        last_lesson=lesson,
        last_activity_at=now,
        last_position_seconds=0 if enrollment.last_lesson_id != lesson.pk else F("last_position_seconds"),
    )
    return enrollment


def lesson_position(*, user, lesson: Lesson, seconds, now: datetime | None = None) -> LessonProgress:
    """Remembers the video second the learner reached (resume)."""
    errors = Errors()
    seconds = clean_int(seconds, field="seconds", label=_("Detik"), errors=errors, maximum=24 * 3600)
    errors.raise_if_any(_("Posisi video tidak valid."))
    enrollment = lesson_open(user=user, lesson=lesson, now=now)
    progress, _created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"course": lesson.course}
    )
    progress.position_seconds = seconds
    progress.save(update_fields=["position_seconds", "updated_at"])
    Enrollment.objects.filter(pk=enrollment.pk).update(last_position_seconds=seconds)
    return progress


@transaction.atomic
def lesson_complete(*, user, lesson: Lesson, now: datetime | None = None) -> Enrollment:
    """Marks a lesson done (idempotent) and updates the course progress; completing the course issues the
    certificate."""
    now = now or timezone.now()
    enrollment = lesson_open(user=user, lesson=lesson, now=now)
    progress, _created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"course": lesson.course}
    )
    first_time = progress.completed_at is None
    if first_time:
        progress.completed_at = now
        progress.save(update_fields=["completed_at", "updated_at"])
        hooks.lesson_completed(user=user, lesson=lesson)
    return progress_recompute(enrollment=enrollment, now=now)


def progress_recompute(*, enrollment: Enrollment, now: datetime | None = None) -> Enrollment:
    """Progress = lessons done and required quizzes passed, of all lessons and required quizzes. 100 % completes
    the course (once) and issues its certificate."""
    now = now or timezone.now()
    course = enrollment.course
    lesson_ids = set(course.lessons.values_list("pk", flat=True))
    done = set(
        LessonProgress.objects.filter(
            user=enrollment.user, lesson_id__in=lesson_ids, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    quiz_ids = set(course.quizzes.filter(is_required=True).values_list("pk", flat=True))
    passed = set(
        QuizAttempt.objects.filter(user=enrollment.user, quiz_id__in=quiz_ids, passed=True).values_list(
            "quiz_id", flat=True
        )
    )
    total = len(lesson_ids) + len(quiz_ids)
    percent = int(100 * (len(done) + len(passed)) / total) if total else 0
    fields = {"progress_percent": percent}
    if percent >= 100 and enrollment.completed_at is None:
        fields["completed_at"] = now
    Enrollment.objects.filter(pk=enrollment.pk).update(**fields)
    for name, value in fields.items():
        setattr(enrollment, name, value)
    if "completed_at" in fields and course.certificate_enabled:
        certificate_issue(user=enrollment.user, course=course, now=now)
    if "completed_at" in fields:
        hooks.course_completed(user=enrollment.user, course=course)
    return enrollment


def _certificate_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "SKP-" + "".join(secrets.choice(alphabet) for _i in range(10))


def certificate_issue(*, user, course: Course, now: datetime | None = None) -> Certificate:
    existing = Certificate.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    certificate = Certificate.objects.create(
        user=user,
        course=course,
        code=_certificate_code(),
        learner_name=(user.full_name or user.email)[:150],
        course_title=course.title[:200],
        mentor_name=((course.mentor.full_name or "") if course.mentor_id else "")[:150],
        issued_at=now or timezone.now(),
    )
    activity_record(
        action=Action.CERTIFICATE_ISSUED,
        actor=user,
        target=certificate,
        target_label=certificate.code,
        data={"course": course.title},
    )
    notify(
        user=user,
        kind=Notify.CERTIFICATE,
        link=reverse("learning:certificate", args=[certificate.code]),
        context={"course": course.title, "code": certificate.code},
    )
    return certificate


# --- quizzes ---------------------------------------------------------------------------------------------------------


def quiz_attempts_used(*, user, quiz: Quiz) -> int:
    return QuizAttempt.objects.filter(user=user, quiz=quiz, submitted_at__isnull=False).count()


@transaction.atomic
def quiz_attempt_start(*, user, quiz: Quiz, now: datetime | None = None) -> QuizAttempt:
    """Starts (or resumes the open) attempt. Refused past the attempts limit or once passed."""
    now = now or timezone.now()
    _require_access(user, quiz.course)
    enrollment_ensure(user=user, course=quiz.course, now=now)
    open_attempt = QuizAttempt.objects.filter(user=user, quiz=quiz, submitted_at__isnull=True).first()
    if open_attempt is not None and not _expired(open_attempt, now):
        return open_attempt
    if open_attempt is not None:
        _grade(open_attempt, {}, now)  # time ran out: graded with what it had
    if QuizAttempt.objects.filter(user=user, quiz=quiz, needs_grading=True).exists():
        raise ServiceError(
            _("Jawaban esai Anda sedang menunggu penilaian mentor. Coba lagi setelah dinilai."), code="awaiting_grading"
        )
    used = quiz_attempts_used(user=user, quiz=quiz)
    if quiz.max_attempts and used >= quiz.max_attempts:
        raise ServiceError(
            _("Batas percobaan kuis ini (%(n)s kali) sudah habis.") % {"n": quiz.max_attempts},
            code="attempts_exhausted",
        )
    question_ids = list(quiz.questions.values_list("pk", flat=True))
    if not question_ids:
        raise ServiceError(_("Kuis ini belum punya soal."))
    if quiz.shuffle:
        random.shuffle(question_ids)
    return QuizAttempt.objects.create(quiz=quiz, user=user, started_at=now, question_order=question_ids)


def _expired(attempt: QuizAttempt, now: datetime) -> bool:
    limit = attempt.quiz.time_limit_minutes
    return bool(limit) and now > attempt.started_at + timedelta(minutes=limit, seconds=30)


def _question_points(question: Question, answer) -> int | None:
    """Points the answer earns (all or nothing); None for an essay (the mentor grades it)."""
    options = list(question.choices.all())
    kind = question.kind
    if kind == QuestionKind.ESSAY:
        return None
    if answer in (None, "", [], {}, set()):
        return 0
    if kind in CHOICE_KINDS:
        correct = {c.pk for c in options if c.is_correct}
        ok = set(answer) == correct
    elif kind == QuestionKind.SHORT:
        ok = normalise_answer(answer) in {normalise_answer(c.text) for c in options}
    elif kind == QuestionKind.FILL:
        ok = len(answer) == len(options) and all(
            normalise_answer(given) in {normalise_answer(part) for part in option.text.split("|")}
            for given, option in zip(answer, options, strict=False)
        )
    elif kind == QuestionKind.ORDERING:
        ok = list(answer) == [c.pk for c in options]
    elif kind == QuestionKind.MATCHING:
        ok = len(answer) == len(options) and all(int(left) == right for left, right in answer.items())
    else:
        ok = False
    return question.points if ok else 0


def _stored(kind: str, answer):
    if kind in CHOICE_KINDS:
        return sorted(answer or [])
    if kind == QuestionKind.MATCHING:
        return {str(k): v for k, v in (answer or {}).items()}
    if kind in (QuestionKind.SHORT, QuestionKind.ESSAY):
        return answer or ""
    return list(answer or [])


def _score(attempt: QuizAttempt, points_by_question: dict, max_score: int) -> None:
    known = [p for p in points_by_question.values() if p is not None]
    attempt.question_points = {str(k): v for k, v in points_by_question.items()}
    attempt.score = sum(known)
    attempt.max_score = max_score
    attempt.score_percent = int(100 * attempt.score / max_score) if max_score else 0
    attempt.needs_grading = len(known) != len(points_by_question)
    attempt.passed = None if attempt.needs_grading else attempt.score_percent >= attempt.quiz.pass_percent


def _grade(attempt: QuizAttempt, answers: dict, now: datetime) -> QuizAttempt:
    questions = list(attempt.quiz.questions.prefetch_related("choices"))
    stored = {}
    points = {}
    max_score = 0
    for question in questions:
        max_score += question.points
        answer = answers.get(question.pk)
        stored[str(question.pk)] = _stored(question.kind, answer)
        earned = _question_points(question, answer)
        if earned is None and not answer:
            earned = 0  # an essay left empty earns nothing; no mentor needed
        points[question.pk] = earned
    attempt.answers = stored
    _score(attempt, points, max_score)
    attempt.submitted_at = now
    attempt.save()
    return attempt


def _bad_answer(message: str):
    raise ServiceError(_("Format jawaban tidak valid."), errors={"answers": [message]})


def _small_id(value) -> bool:
    text = str(value)
    return text.isdigit() and len(text) <= 18


def _int_list(value, limit: int = 10) -> list[int] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or len(value) > limit:
        return None
    try:
        if any(isinstance(v, bool) or len(str(v)) > 18 for v in value):
            return None
        return [int(v) for v in value]
    except (TypeError, ValueError):
        return None


def _typed(value, max_length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        _bad_answer(_("Jawaban isian berupa teks."))
    value = value.replace("\x00", "").strip()
    if len(value) > max_length:
        _bad_answer(_("Jawaban terlalu panjang (maksimal %(n)s karakter).") % {"n": max_length})
    return value


def _clean_one(question: Question, option_ids: list[int], row: dict):
    """One answer of the learner, checked against the question's kind and options."""
    kind = question.kind
    if kind in CHOICE_KINDS:
        chosen = _int_list(row.get("choices"))
        if chosen is None or not set(chosen) <= set(option_ids):
            raise ServiceError(
                _("Jawaban berisi soal atau pilihan yang tidak ada di kuis ini."),
                errors={"answers": [_("Pilihan tidak dikenal.")]},
            )
        if kind != QuestionKind.MULTIPLE and len(set(chosen)) > 1:
            raise ServiceError(
                _("Soal pilihan tunggal hanya boleh satu jawaban."), errors={"answers": [_("Satu saja.")]}
            )
        return set(chosen)
    if kind == QuestionKind.ORDERING:
        order = _int_list(row.get("order", row.get("choices")))
        if order is None or sorted(order) != sorted(option_ids):
            _bad_answer(_("Urutan harus memuat setiap item soal tepat satu kali."))
        return order
    if kind == QuestionKind.MATCHING:
        raw = row.get("pairs")
        if isinstance(raw, list):
            raw = {str(p[0]): p[1] for p in raw if isinstance(p, (list, tuple)) and len(p) == 2}
        if not isinstance(raw, dict) or len(raw) > len(option_ids):
            _bad_answer(_("Kirim pasangan sebagai {item kiri: item kanan}."))
        pairs = {}
        for left, right in raw.items():
            if isinstance(right, bool) or not _small_id(left) or not _small_id(right):
                _bad_answer(_("Pasangan berisi item yang tidak ada di soal ini."))
            left, right = int(left), int(right)
            if left not in option_ids or right not in option_ids:
                _bad_answer(_("Pasangan berisi item yang tidak ada di soal ini."))
            pairs[left] = right
        return pairs
    if kind == QuestionKind.FILL:
        texts = row.get("texts", row.get("text"))
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or len(texts) > len(option_ids):
            _bad_answer(_("Kirim satu jawaban untuk setiap isian."))
        return [_typed(t, 300) for t in texts]
    max_length = settings.LEARNING_SUBMISSION_MAX_LENGTH if kind == QuestionKind.ESSAY else 300
    return _typed(row.get("text"), max_length)


def _clean_answers(quiz: Quiz, raw) -> dict:
    """[{"question": id, "choices": [ids]} | {"question": id, "text": "…"} | {"question": id, "texts": [...]} |
    {"question": id, "order": [ids]} | {"question": id, "pairs": {left id: right id}}], or {question id: value}
    → {question id: cleaned answer}; only questions and options of this quiz (anything else is refused)."""
    if isinstance(raw, dict):
        raw = [{"question": k, "choices": v, "text": v, "texts": v, "order": v, "pairs": v} for k, v in raw.items()]
    if not isinstance(raw, list) or len(raw) > 500:
        raise ServiceError(_("Format jawaban tidak valid."), errors={"answers": [_("Kirim daftar jawaban.")]})
    questions = {q.pk: q for q in quiz.questions.all()}
    options: dict[int, list[int]] = {pk: [] for pk in questions}
    for question_id, choice_id in Choice.objects.filter(question__quiz=quiz).values_list("question_id", "pk"):
        options[question_id].append(choice_id)
    answers: dict = {}
    for row in raw:
        if not isinstance(row, dict):
            raise ServiceError(
                _("Format jawaban tidak valid."), errors={"answers": [_("Setiap jawaban berupa objek.")]}
            )
        question_id = row.get("question")
        if isinstance(question_id, bool) or not _small_id(question_id) or int(question_id) not in questions:
            raise ServiceError(
                _("Jawaban berisi soal atau pilihan yang tidak ada di kuis ini."),
                errors={"answers": [_("Soal tidak dikenal.")]},
            )
        question_id = int(question_id)
        answers[question_id] = _clean_one(questions[question_id], options[question_id], row)
    return answers


@transaction.atomic
def quiz_attempt_submit(*, user, attempt: QuizAttempt, answers, now: datetime | None = None) -> QuizAttempt:
    """Grades an attempt on the server. Late answers past the time limit are not counted. An attempt with an
    answered essay waits for the mentor (passed is null, needs_grading)."""
    now = now or timezone.now()
    attempt = QuizAttempt.objects.select_for_update().select_related("quiz__course").get(pk=attempt.pk)
    if attempt.user_id != user.pk:
        raise NotFound(_("Percobaan kuis tidak ditemukan."))
    if attempt.submitted_at is not None:
        raise ServiceError(_("Percobaan ini sudah dikumpulkan."), code="already_submitted")
    _require_access(user, attempt.quiz.course)
    cleaned = _clean_answers(attempt.quiz, answers)
    if _expired(attempt, now):
        cleaned = {}
    _grade(attempt, cleaned, now)
    if attempt.needs_grading:
        course = attempt.quiz.course
        if course.mentor_id:
            notify(
                user=course.mentor,
                kind=Notify.ESSAY_SUBMITTED,
                link=reverse("learning:essay_grade", args=[attempt.pk]),
                context={"course": course.title, "quiz": attempt.quiz.title},
            )
    if attempt.passed:
        enrollment = enrollment_ensure(user=user, course=attempt.quiz.course, now=now)
        progress_recompute(enrollment=enrollment, now=now)
    return attempt


@transaction.atomic
def attempt_grade(
    *, actor, attempt: QuizAttempt, points: dict, feedback: str = "", now: datetime | None = None
) -> QuizAttempt:
    """The mentor's points for the essays of a submitted attempt ({question id: points}, each 0…the question's
    points). The score and the pass are computed again; a pass counts toward completion."""
    now = now or timezone.now()
    attempt = QuizAttempt.objects.select_for_update().select_related("quiz__course", "user").get(pk=attempt.pk)
    course = attempt.quiz.course
    if not can_edit(actor, course):
        raise NotAllowed(_("Anda tidak berhak menilai kuis kursus ini."))
    if attempt.submitted_at is None:
        raise ServiceError(_("Percobaan ini belum dikumpulkan."))
    essays = {q.pk: q for q in attempt.quiz.questions.filter(kind=QuestionKind.ESSAY)}
    errors = Errors()
    if not isinstance(points, dict):
        points = {}
    given = {}
    for question_id, question in essays.items():
        if not str(attempt.answers.get(str(question_id)) or "").strip():
            continue  # an empty essay stays at 0
        raw = points.get(question_id, points.get(str(question_id)))
        given[question_id] = clean_int(
            raw,
            field=f"points_{question_id}",
            label=_("Nilai esai"),
            errors=errors,
            maximum=question.points,
        )
    feedback = clean_text(feedback, field="feedback", label=_("Umpan balik"), errors=errors, max_length=5000)
    errors.raise_if_any(_("Periksa kembali penilaian esai."))
    current = {int(k): v for k, v in (attempt.question_points or {}).items()}
    current.update(given)
    _score(attempt, current, attempt.max_score)
    attempt.feedback = feedback
    attempt.graded_by = actor
    attempt.graded_at = now
    attempt.save()
    activity_record(
        action=Action.ESSAY_GRADED,
        actor=actor,
        target=course,
        target_label=course.title[:200],
        data={"quiz": attempt.quiz.title, "learner": attempt.user_id, "score": attempt.score_percent},
    )
    notify(
        user=attempt.user,
        kind=Notify.QUIZ_GRADED,
        link=reverse("learning:quiz", args=[course.slug, attempt.quiz_id]),
        context={"course": course.title, "quiz": attempt.quiz.title, "score": str(attempt.score_percent)},
    )
    if attempt.passed:
        enrollment = enrollment_ensure(user=attempt.user, course=course, now=now)
        progress_recompute(enrollment=enrollment, now=now)
    return attempt


# --- assignments ------------------------------------------------------------------------------------------------------


def _limit(setting: str, key: str) -> None:
    retry = window_take(key, setting=setting)
    if retry:
        raise RateLimited(_("Terlalu banyak kiriman. Coba lagi dalam %(s)s detik.") % {"s": retry}, retry_after=retry)


@transaction.atomic
def submission_submit(
    *, user, assignment: Assignment, text: str = "", upload=None, ip: str = "", now: datetime | None = None
) -> Submission:
    """A learner's answer (text and/or file); sent again it replaces the previous one until it is graded."""
    now = now or timezone.now()
    _require_access(user, assignment.course)
    errors = Errors()
    text = clean_text(
        text, field="text", label=_("Jawaban"), errors=errors, max_length=settings.LEARNING_SUBMISSION_MAX_LENGTH
    )
    extension = ""
    if upload is not None:
        if not assignment.allow_file:
            errors.add("file", _("Tugas ini tidak menerima berkas."))
        name = getattr(upload, "name", "") or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in ATTACHMENT_EXTENSIONS:
            errors.add(
                "file", _("Jenis berkas tidak didukung: %(types)s.") % {"types": ", ".join(ATTACHMENT_EXTENSIONS)}
            )
        size = file_size(upload)
        if not size or size > settings.LEARNING_SUBMISSION_MAX_BYTES:
            errors.add("file", _("Berkas kosong atau terlalu besar."))
        else:
            _content_error(errors, upload, extension)
    if not text and upload is None:
        errors.add("text", _("Tulis jawaban atau unggah berkas."))
    errors.raise_if_any(_("Periksa kembali jawaban tugas."))
    existing = Submission.objects.select_for_update().filter(assignment=assignment, user=user).first()
    if existing is not None and existing.status == SubmissionStatus.GRADED:
        raise ServiceError(_("Tugas ini sudah dinilai; jawaban tidak bisa diganti."))
    _limit("LEARNING_SUBMISSION_RATE_LIMIT", f"user:{user.pk}")
    submission = existing or Submission(assignment=assignment, user=user)
    submission.text = text
    submission.submitted_at = now
    if upload is not None:
        if submission.file:
            submission.file.delete(save=False)
        submission.file.save(generated_name("tugas", extension), upload, save=False)
    submission.save()
    enrollment_ensure(user=user, course=assignment.course, now=now)
    return submission


@transaction.atomic
def submission_grade(
    *, actor, submission: Submission, points, feedback: str = "", now: datetime | None = None
) -> Submission:
    course = submission.assignment.course
    if not can_edit(actor, course):
        raise NotAllowed(_("Anda tidak berhak menilai tugas kursus ini."))
    errors = Errors()
    points = clean_int(
        points, field="points", label=_("Nilai"), errors=errors, maximum=submission.assignment.max_points
    )
    feedback = clean_text(feedback, field="feedback", label=_("Umpan balik"), errors=errors, max_length=5000)
    errors.raise_if_any(_("Periksa kembali penilaian."))
    submission.points = points
    submission.feedback = feedback
    submission.status = SubmissionStatus.GRADED
    submission.graded_by = actor
    submission.graded_at = now or timezone.now()
    submission.save()
    activity_record(
        action=Action.SUBMISSION_GRADED,
        actor=actor,
        target=course,
        target_label=course.title[:200],
        data={"assignment": submission.assignment.title, "learner": submission.user_id, "points": points},
    )
    notify(
        user=submission.user,
        kind=Notify.GRADED,
        link=reverse("learning:assignment", args=[course.slug, submission.assignment_id]),
        context={"course": course.title, "assignment": submission.assignment.title, "points": str(points)},
    )
    return submission


# --- discussion and ratings -------------------------------------------------------------------------------------------


@transaction.atomic
def comment_post(
    *, user, lesson: Lesson, body: str, parent: Comment | None = None, ip: str = "", now: datetime | None = None
) -> Comment:
    """A question (or a reply) in a lesson's discussion. The course's mentor is told of a question; the author of
    the question is told of a reply."""
    now = now or timezone.now()
    course = lesson.course
    _require_access(user, course)
    errors = Errors()
    body = clean_text(
        body,
        field="body",
        label=_("Komentar"),
        errors=errors,
        max_length=settings.LEARNING_COMMENT_MAX_LENGTH,
        required=True,
    )
    if parent is not None and (parent.lesson_id != lesson.pk or parent.parent_id is not None or parent.is_hidden):
        errors.add("parent", _("Balasan hanya untuk pertanyaan yang tampil di pelajaran ini."))
    errors.raise_if_any(_("Periksa kembali komentar Anda."))
    _limit("LEARNING_COMMENT_RATE_LIMIT", f"user:{user.pk}")
    if ip:
        _limit("LEARNING_COMMENT_IP_RATE_LIMIT", f"ip:{ip}")
    comment = Comment.objects.create(lesson=lesson, course=course, user=user, parent=parent, body=body, created_at=now)
    enrollment_ensure(user=user, course=course, now=now)
    link = reverse("learning:lesson", args=[course.slug, lesson.pk]) + f"#komentar-{comment.pk}"
    comment_notify(comment=comment, link=link, place=lesson.title)
    return comment


def comment_notify(*, comment: Comment, link: str, place: str) -> None:
    """Who hears of a new comment in any thread (lesson, module or course): a question tells the course's mentor;
    a reply tells the question's author ("menanggapi komentarmu") and every other participant of the thread and
    the mentor ("Ada komentar baru di kelasmu!", the in-app toast), never the writer, each once."""
    hooks.comment_posted(user_id=comment.user_id)
    course, user, parent = comment.course, comment.user, comment.parent
    context = {"course": course.title, "lesson": place, "author": user.full_name or _("Seorang member")}
    source = course_source(course)
    _active_discussion_check(course=course, now=comment.created_at or timezone.now())
    if parent is None:
        if course.mentor_id and course.mentor_id != user.pk:
            notify(user=course.mentor, kind=Notify.COMMENT, link=link, context=context, source=source)
        return
    if parent.user_id != user.pk:
        notify(user=parent.user, kind=Notify.REPLY, link=link, context=context, source=source)
    others = set(
        Comment.objects.filter(parent=parent, is_hidden=False).values_list("user_id", flat=True).distinct()[:500]
    )
    if course.mentor_id:
        others.add(course.mentor_id)
    others -= {user.pk, parent.user_id}
    if others:
        notify_users(
            users=get_user_model().objects.filter(pk__in=others, is_active=True),
            kind=Notify.THREAD,
            link=link,
            context=context,
            source=source,
        )


def _active_discussion_check(*, course: Course, now: datetime) -> None:
    """Smart rule "Diskusi Aktif": the first time a course's lessons have more than the threshold of visible
    comments in the window, its mentor and learners are told once (the course then shows the badge)."""
    rule = rule_state(Rule.ACTIVE_DISCUSSION)
    subject = f"course:{course.pk}"
    if not rule.enabled or rule_fired(Rule.ACTIVE_DISCUSSION, subject):
        return
    since = now - timedelta(days=settings.LEARNING_ACTIVE_DISCUSSION_DAYS)
    count = Comment.objects.filter(course=course, is_hidden=False, created_at__gte=since).count()
    if count <= rule.value or not rule_fire(Rule.ACTIVE_DISCUSSION, subject):
        return
    ids = set(Enrollment.objects.filter(course=course).values_list("user_id", flat=True))
    if course.mentor_id:
        ids.add(course.mentor_id)
    notify_users(
        users=get_user_model().objects.filter(pk__in=ids, is_active=True),
        kind=Notify.ACTIVE_DISCUSSION,
        link=reverse("learning:course_detail", args=[course.slug]),
        context={"course": course.title, "count": str(rule.value)},
        source=course_source(course),
    )


@transaction.atomic
def comment_hide(*, actor, comment: Comment, reason: str) -> Comment:
    if not can_edit(actor, comment.course):
        raise NotAllowed(_("Anda tidak berhak memoderasi diskusi kursus ini."))
    errors = Errors()
    reason = clean_text(reason, field="reason", label=_("Alasan"), errors=errors, max_length=200, required=True)
    errors.raise_if_any(_("Tulis alasan menyembunyikan komentar."))
    comment.is_hidden = True
    comment.hidden_reason = reason
    comment.save(update_fields=["is_hidden", "hidden_reason"])
    activity_record(
        action=Action.COMMENT_HIDDEN,
        actor=actor,
        target=comment.course,
        target_label=comment.course.title[:200],
        data={"comment": comment.pk, "reason": reason},
    )
    return comment


@transaction.atomic
def review_save(*, user, course: Course, rating, body: str = "", now: datetime | None = None) -> Review:
    """A learner's rating (1–5) and review of a course they can open; sent again it replaces theirs."""
    _require_access(user, course)
    if not Enrollment.objects.filter(user=user, course=course).exists():
        raise ServiceError(_("Mulai belajar dulu sebelum memberi ulasan."))
    errors = Errors()
    rating = clean_int(rating, field="rating", label=_("Rating"), errors=errors, minimum=1, maximum=5)
    body = clean_text(
        body, field="body", label=_("Ulasan"), errors=errors, max_length=settings.LEARNING_REVIEW_MAX_LENGTH
    )
    errors.raise_if_any(_("Periksa kembali ulasan Anda."))
    before = Review.objects.filter(course=course, user=user).values_list("rating", flat=True).first()
    review, created = Review.objects.update_or_create(
        course=course, user=user, defaults={"rating": rating, "body": body, "created_at": now or timezone.now()}
    )
    if created or before != rating:  # a new review, or a changed rating; editing the text alone tells nobody
        transaction.on_commit(lambda: _review_notify(review.pk), robust=True)
    return review


def _review_notify(review_id: int) -> None:
    """Checklist §4.8 "new review → the product's admin": the course's mentor, author and co-instructors and the
    admins are told (bulk; by their preferences), the reviewer left out."""
    review = Review.objects.select_related("course", "user").filter(pk=review_id).first()
    if review is None:
        return
    course = review.course
    ids = {course.mentor_id, course.created_by_id, *instructor_ids(course)} - {None, review.user_id}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids, is_active=True)}
    users.update({u.pk: u for u in _admins() if u.pk != review.user_id})
    if not users:
        return
    notify_users(
        users=sorted(users.values(), key=lambda u: u.pk),
        kind=Notify.REVIEW_POSTED,
        source=course_source(course),
        link=reverse("learning:course_detail", args=[course.slug]) + "#ulasan",
        context={
            "course": course.title,
            "author": review.user.full_name or _("Seorang member"),
            "rating": str(review.rating),
            "review": review.body[:300],
        },
    )


def module_rating_save(*, user, module: Module, rating, body: str = "", now: datetime | None = None) -> ModuleRating:
    """A learner's rating (1–5) of a module of a course they can open and have started; sent again it replaces
    theirs. The course's mentor is told (the spec's "feedback alert")."""
    course = module.course
    _require_access(user, course)
    if not Enrollment.objects.filter(user=user, course=course).exists():
        raise ServiceError(_("Mulai belajar dulu sebelum memberi rating modul."))
    errors = Errors()
    rating = clean_int(rating, field="rating", label=_("Rating"), errors=errors, minimum=1, maximum=5)
    body = clean_text(
        body, field="body", label=_("Masukan"), errors=errors, max_length=settings.LEARNING_REVIEW_MAX_LENGTH
    )
    errors.raise_if_any(_("Periksa kembali rating modul Anda."))
    now = now or timezone.now()
    item, _created = ModuleRating.objects.update_or_create(
        module=module,
        user=user,
        defaults={"course": course, "rating": rating, "body": body, "updated_at": now},
        create_defaults={"course": course, "rating": rating, "body": body, "created_at": now, "updated_at": now},
    )
    if course.mentor_id and course.mentor_id != user.pk:
        notify(
            user=course.mentor,
            kind=Notify.MODULE_RATED,
            source=course_source(course),
            link=reverse("learning:students", args=[course.slug]) + "#rating-modul",
            context={
                "course": course.title,
                "module": module.title,
                "author": user.full_name or _("Seorang member"),
                "rating": str(rating),
                "feedback": body[:300],
            },
        )
    return item


def attachment_download(*, user, attachment: LessonAttachment, ip: str | None = None) -> LessonAttachment:
    """Checks the lesson is open to `user` (course policy and drip, or preview) and logs the download."""
    lesson = attachment.lesson
    if not lesson.is_preview:
        lesson_open(user=user, lesson=lesson)
    elif user is None or not user.is_authenticated:
        raise NotAllowed(_("Masuk terlebih dahulu untuk mengunduh berkas."), code="login_required")
    if not attachment.file or not attachment.file.storage.exists(attachment.file.name):
        raise NotFound(_("Berkas ini sudah tidak tersedia."))
    AttachmentDownload.objects.create(attachment=attachment, user=user, title=attachment.title, ip=ip or None)
    return attachment


def category_ensure(*, name: str) -> CourseCategory:
    category, _created = CourseCategory.objects.get_or_create(slug=slugify(name)[:120], defaults={"name": name[:100]})
    return category


# --- reminders and broadcasts ---

REMINDER_BATCH = 500


REMINDER_DAYS_MAX = 90


def reminder_settings() -> ReminderSettings:
    """The saved learning-reminder settings, or the defaults (idle days: the smart rule; every channel on)."""
    row = ReminderSettings.objects.filter(pk=ReminderSettings.SINGLETON_ID).first() or ReminderSettings(
        pk=ReminderSettings.SINGLETON_ID,
        send_hour=settings.LEARNING_REMINDER_SEND_HOUR,
    )
    row.idle_days = rule_state(Rule.INACTIVE).value  # the smart rule "Belum belajar di kelas" holds the threshold
    return row


@transaction.atomic
def reminder_settings_save(*, actor, data: dict) -> ReminderSettings:
    """Admins set the idle days (1–90), the email and WhatsApp channels (in-app always) and the message (the
    "Pengingat belajar" template's title and text, saved through the notifications app: the same template the
    notification-template page edits). Audited."""
    if not is_admin(actor):
        raise NotAllowed(_("Hanya admin yang bisa mengubah pengaturan pengingat belajar."))
    errors = Errors()
    days = clean_int(
        data.get("idle_days"), field="idle_days", label=_("Hari tidak aktif"), errors=errors, maximum=REMINDER_DAYS_MAX
    )
    if days is not None and days < 1:
        errors.add("idle_days", _("Minimal 1 hari."))
    send_hour = None
    if "send_hour" in data:
        send_hour = clean_int(
            data.get("send_hour"), field="send_hour", label=_("Jam kirim"), errors=errors, minimum=0, maximum=23
        )
    texts = {}
    if "title" in data or "message" in data:
        title = clean_text(data.get("title"), field="title", label=_("Judul"), errors=errors, max_length=200)
        message = clean_text(data.get("message"), field="message", label=_("Pesan"), errors=errors, max_length=2000)
        if not title:
            errors.add("title", _("Judul wajib diisi."))
        if not message:
            errors.add("message", _("Pesan wajib diisi."))
        texts = {  # every channel's text from the one title and message, as the kind's defaults are built
            "inapp_title": title,
            "inapp_body": message,
            "email_subject": title,
            "email_body": f"Halo {{name}},\n\n{message}\n\n{{link}}\n\nTim {{platform_name}}",
            "whatsapp_body": f"*{title}*\n\n{message}\n\n{{link}}",
        }
    errors.raise_if_any(_("Periksa kembali pengaturan pengingat."))
    row = ReminderSettings.objects.select_for_update().filter(pk=ReminderSettings.SINGLETON_ID).first()
    row = row or ReminderSettings(pk=ReminderSettings.SINGLETON_ID)
    if row.send_hour is None or (row._state.adding and send_hour is None):
        row.send_hour = settings.LEARNING_REMINDER_SEND_HOUR
    before = (rule_state(Rule.INACTIVE).value, row.email_enabled, row.whatsapp_enabled, row.send_hour)
    if send_hour is not None:
        row.send_hour = send_hour
    row.idle_days = days
    smart_rules_save(actor=actor, values={Rule.INACTIVE: {"enabled": rule_state(Rule.INACTIVE).enabled, "value": days}})
    row.email_enabled = bool(data.get("email_enabled"))
    row.whatsapp_enabled = bool(data.get("whatsapp_enabled"))
    row.updated_by = actor
    row.save()
    if texts:
        try:
            message_template_update(template=message_template_get(key=Notify.REMINDER), actor=actor, **texts)
        except ServiceError as exc:
            raise ServiceError(exc.message, errors={"message": [m for ms in exc.errors.values() for m in ms]}) from exc
    if before != (row.idle_days, row.email_enabled, row.whatsapp_enabled, row.send_hour):
        activity_record(
            action=Action.REMINDER_SETTINGS,
            actor=actor,
            target=row,
            target_label=str(_("Pengingat belajar")),
            data={
                "idle_days": row.idle_days,
                "email": row.email_enabled,
                "whatsapp": row.whatsapp_enabled,
                "send_hour": row.send_hour,
            },
        )
    return row


def reminder_due_now(*, now: datetime | None = None, config: ReminderSettings | None = None) -> bool:
    """Whether the hourly beat run is the one that sends: the local (WIB) hour is the settings' send hour."""
    config = config or reminder_settings()
    return timezone.localtime(now or timezone.now()).hour == config.send_hour


def study_reminders_sweep(*, now: datetime | None = None, scheduled: bool = False) -> int:
    """Tells each learner idle for the smart rule's days (not completed, still allowed in) once per idle
    stretch, with a link to the lesson they stopped at. Safe to run twice: a reminded enrolment waits for new
    activity. `scheduled` (Celery beat runs it every hour): only at the settings' send hour (WIB)."""
    now = now or timezone.now()
    rule = rule_state(Rule.INACTIVE)  # smart rule: on / off and the idle days (default 7, PRODUCT.md)
    if not rule.enabled:
        return 0
    config = reminder_settings()
    if scheduled and not reminder_due_now(now=now, config=config):
        return 0
    cutoff = now - timedelta(days=rule.value)
    channels = [
        channel
        for channel, on in ((Channel.EMAIL, config.email_enabled), (Channel.WHATSAPP, config.whatsapp_enabled))
        if on
    ] + [Channel.PUSH]
    due = (
        Enrollment.objects.filter(completed_at__isnull=True, last_activity_at__lt=cutoff, user__is_active=True)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=F("last_activity_at")))
        .select_related("user", "course__resource", "last_lesson")
        .order_by("last_activity_at", "id")[:REMINDER_BATCH]
    )
    sent = 0
    for enrollment in due:
        course = enrollment.course
        claimed = Enrollment.objects.filter(pk=enrollment.pk, reminded_at=enrollment.reminded_at).update(
            reminded_at=now
        )
        if not claimed:
            continue  # another sweep took it
        if course.status not in (CourseStatus.PUBLISHED, CourseStatus.PRIVATE):
            continue
        if not course_decision(user=enrollment.user, course=course, now=now).allowed:
            continue  # locked (e.g. expired membership): the membership reminders speak
        stretch = int(enrollment.last_activity_at.timestamp()) if enrollment.last_activity_at else 0
        if not rule_fire(Rule.INACTIVE, f"enrollment:{enrollment.pk}:{stretch}"):
            continue  # once per enrolment and idle stretch
        lesson = enrollment.last_lesson
        link = (
            reverse("learning:lesson", args=[course.slug, lesson.pk])
            if lesson
            else reverse("learning:resume", args=[course.slug])
        )
        notify(
            user=enrollment.user,
            kind=Notify.REMINDER,
            link=link,
            context={"course": course.title, "lesson": lesson.title if lesson else course.title},
            channels=channels,
        )
        sent += 1
    return sent


DIGEST_BATCH = 500


def comment_digest_sweep(*, now: datetime | None = None) -> int:
    """Once a day, each course's mentor gets one notification summarising the new visible discussion comments of
    the course's lessons (by others than the mentor) since the previous digest (or the last 24 hours): "💡 Ada 3
    komentar baru di kelas '…' — yuk ikut diskusi sekarang!". Safe to run twice: the day's CommentDigest row is
    inserted (unique per course and day) before the notification, so a rerun finds it and sends nothing."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    last = dict(
        CommentDigest.objects.values("course_id").annotate(until=Max("until")).values_list("course_id", "until")
    )
    default_since = now - timedelta(days=1)
    done_today = set(CommentDigest.objects.filter(day=day).values_list("course_id", flat=True))
    rows = (
        Comment.objects.filter(
            is_hidden=False,
            created_at__gt=default_since - timedelta(days=7),  # a digest never reaches further back than a week
            created_at__lte=now,
            course__mentor__isnull=False,
            course__mentor__is_active=True,
        )
        .exclude(user_id=F("course__mentor_id"))
        .exclude(course_id__in=done_today)
        .values("course_id", "created_at")
        .order_by("course_id")
    )
    counts: dict[int, int] = {}
    for row in rows.iterator(chunk_size=2000):
        since = last.get(row["course_id"]) or default_since
        if row["created_at"] > since:
            counts[row["course_id"]] = counts.get(row["course_id"], 0) + 1
    sent = 0
    courses = Course.objects.select_related("mentor").in_bulk(list(counts)[:DIGEST_BATCH])
    for course_id, count in counts.items():
        course = courses.get(course_id)
        if course is None or course.mentor is None:
            continue
        try:
            with transaction.atomic():
                CommentDigest.objects.create(
                    course=course,
                    mentor=course.mentor,
                    day=day,
                    comments=count,
                    since=last.get(course_id) or default_since,
                    until=now,
                )
                notify(
                    user=course.mentor,
                    kind=Notify.COMMENT_DIGEST,
                    source=course_source(course),
                    link=reverse("learning:course_detail", args=[course.slug]),
                    context={"course": course.title, "count": str(count)},
                )
        except IntegrityError:
            continue  # another run wrote today's digest of this course first
        sent += 1
    return sent


@transaction.atomic
def course_broadcast(*, actor, course: Course, message: str) -> int:
    """A mentor's (or admin's) announcement to every student of the course (in-app, and email / WhatsApp as each
    student's preferences allow). Limited per mentor by LEARNING_BROADCAST_RATE_LIMIT."""
    if not can_edit(actor, course):
        raise NotAllowed(_("Anda tidak berhak mengirim pengumuman untuk kursus ini."))
    errors = Errors()
    message = clean_text(message, field="message", label=_("Pengumuman"), errors=errors, max_length=1000, required=True)
    errors.raise_if_any(_("Periksa kembali pengumuman Anda."))
    if not rule_state(Rule.MENTOR_UPDATE).enabled:
        raise ServiceError(_("Pengiriman kabar mentor ke murid sedang dimatikan admin."), code="rule_off")
    digest = hashlib.sha256(message.encode()).hexdigest()[:16]
    if not rule_fire(Rule.MENTOR_UPDATE, f"course:{course.pk}:{timezone.localdate()}:{digest}"):
        return 0  # the same update today was already sent (a double submit)
    _limit("LEARNING_BROADCAST_RATE_LIMIT", f"user:{actor.pk}")
    users = [e.user for e in Enrollment.objects.filter(course=course, user__is_active=True).select_related("user")]
    notify_users(
        users=users,
        kind=Notify.BROADCAST,
        source=course_source(course),
        link=reverse("learning:course_detail", args=[course.slug]),
        context={"course": course.title, "message": message},
    )
    # the record (RTC-D8): listed on the page it is sent from and in GET /mentor/courses/{slug}/broadcasts
    CourseBroadcast.objects.create(
        course=course, mentor=actor, message=message, recipients=len(users), created_at=timezone.now()
    )
    return len(users)


def content_update_notify(*, lesson_id: int, actor_id: int | None = None, now: datetime | None = None) -> int:
    """Checklist §4.8 "content update → buyers" (the smart rule "Kabar mentor ke murid"): a lesson added to a
    published course tells the course's students (not the one who added it), in one bulk notification, at most
    once per course per day (further lessons that day are not told again); students who unfollowed the course are
    left out, channels follow their preferences. A lesson opening on a later date is not told. Returns how many
    students it was addressed to (0: nobody, or not today again)."""
    lesson = Lesson.objects.select_related("course").filter(pk=lesson_id).first()
    now = now or timezone.now()
    if lesson is None or lesson.course.status != CourseStatus.PUBLISHED:
        return 0
    if lesson.available_on is not None and lesson.available_on > now:
        return 0
    if not rule_state(Rule.MENTOR_UPDATE).enabled:
        return 0
    course = lesson.course
    users = [
        e.user
        for e in Enrollment.objects.filter(course=course, user__is_active=True)
        .exclude(user_id=actor_id)
        .select_related("user")
        .order_by("pk")
    ]
    if not users or not rule_fire(Rule.MENTOR_UPDATE, f"content:{course.pk}:{timezone.localdate(now)}"):
        return 0
    notify_users(
        users=users,
        kind=Notify.CONTENT_UPDATED,
        source=course_source(course),
        link=reverse("learning:course_detail", args=[course.slug]),
        context={"course": course.title, "lesson": lesson.title},
    )
    return len(users)


# --- mentor applications ---


@transaction.atomic
def mentor_apply(*, user, expertise: str, motivation: str) -> MentorApplication:
    """A member asks to become a mentor; one pending application at a time."""
    if user.has_role(Role.MENTOR):
        raise ServiceError(_("Anda sudah menjadi mentor."))
    errors = Errors()
    expertise = clean_text(
        expertise, field="expertise", label=_("Keahlian"), errors=errors, max_length=200, required=True
    )
    motivation = clean_text(
        motivation, field="motivation", label=_("Alasan"), errors=errors, max_length=2000, required=True
    )
    errors.raise_if_any(_("Periksa kembali pengajuan Anda."))
    if MentorApplication.objects.filter(user=user, status=ApplicationStatus.PENDING).exists():
        raise ServiceError(_("Pengajuan Anda sebelumnya masih menunggu keputusan admin."))
    application = MentorApplication.objects.create(user=user, expertise=expertise, motivation=motivation)
    activity_record(action=Action.MENTOR_APPLIED, actor=user, target=user, data={"expertise": expertise})
    return application


@transaction.atomic
def mentor_application_decide(
    *, actor, application: MentorApplication, approve: bool, note: str = "", now: datetime | None = None
) -> MentorApplication:
    if not is_admin(actor):
        raise NotAllowed(_("Hanya admin yang bisa memutuskan pengajuan mentor."))
    application = MentorApplication.objects.select_for_update().select_related("user").get(pk=application.pk)
    if application.status != ApplicationStatus.PENDING:
        raise ServiceError(_("Pengajuan ini sudah diputuskan sebelumnya."))
    errors = Errors()
    note = clean_text(note, field="note", label=_("Catatan"), errors=errors, max_length=2000, required=not approve)
    errors.raise_if_any(_("Tuliskan alasan penolakan agar pemohon tahu apa yang perlu diperbaiki."))
    application.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    application.decided_by = actor
    application.decided_at = now or timezone.now()
    application.note = note
    application.save(update_fields=["status", "decided_by", "decided_at", "note"])
    user = application.user
    if approve:
        role_grant(user=user, role=Role.MENTOR, actor=actor)
    activity_record(
        action=Action.MENTOR_APPROVED if approve else Action.MENTOR_REJECTED,
        actor=actor,
        target=user,
        data={"note": note},
    )
    notify(
        user=user,
        kind=Notify.MENTOR_DECIDED,
        link=reverse("learning:mentor_apply"),
        context={"decision": _("disetujui") if approve else _("ditolak"), "note": note},
    )
    return application


# --- the video host allow-list (admins) ---------------------------------------------------------------------------

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def video_host_clean(value) -> str:
    """A bare host name ("video.example.com"), lower-case; "" when `value` is not one (a URL, a path, a wildcard,
    an address, a single label, spaces or control characters)."""
    host = str(value or "").strip().lower().rstrip(".")
    if not host or len(host) > 200 or "." not in host:
        return ""
    labels = host.split(".")
    if not all(_HOST_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return ""
    return host


@transaction.atomic
def video_host_add(*, actor, host) -> VideoHost:
    """Admins allow one more iframe host for video lessons (lesson validation accepts its https URLs). Audited."""
    if not is_admin(actor):
        raise NotAllowed(_("Hanya admin yang bisa mengatur host video."))
    clean = video_host_clean(host)
    if not clean:
        raise ServiceError(
            _("Tulis nama host saja, misalnya video.contoh.com."), errors={"host": [_("Nama host tidak valid.")]}
        )
    if VideoHost.objects.count() >= VIDEO_HOSTS_MAX:
        raise ServiceError(_("Daftar host video sudah penuh (maksimal %(n)s).") % {"n": VIDEO_HOSTS_MAX})
    item, created = VideoHost.objects.get_or_create(host=clean, defaults={"added_by": actor})
    video_hosts_changed()
    transaction.on_commit(video_hosts_changed)
    if created:
        activity_record(
            action=Action.VIDEO_HOST_ADDED, actor=actor, target=item, target_label=clean, data={"host": clean}
        )
    return item


@transaction.atomic
def video_host_remove(*, actor, host: VideoHost) -> None:
    """Admins take a host off the list: new and edited lessons can no longer embed it, and the player no longer
    shows its iframes. Audited."""
    if not is_admin(actor):
        raise NotAllowed(_("Hanya admin yang bisa mengatur host video."))
    name = host.host
    activity_record(action=Action.VIDEO_HOST_REMOVED, actor=actor, target=host, target_label=name, data={"host": name})
    host.delete()
    video_hosts_changed()
    transaction.on_commit(video_hosts_changed)


# --- adopting a placeholder course resource -----------------------------------------------------------------------


def course_placeholders():
    """The course resources no course has adopted yet (plans' and products' placeholder courses, e.g.
    `dasar-ekspor`), by title: the course editor's picker."""
    return Resource.objects.filter(kind=ResourceKind.COURSE, course__isnull=True).order_by("title", "id")


def course_adopt(*, actor, resource_id, data: dict, now: datetime | None = None) -> Course:
    """An admin turns a placeholder course resource into a real course: the course takes the resource as it is
    (same kind and key), so the plans and products that include it and the grants already given open it at once.
    The title defaults to the placeholder's."""
    if not is_admin(actor):
        raise NotAllowed(_("Hanya admin yang bisa mengambil alih kelas placeholder."))
    value = str(resource_id or "")
    resource = course_placeholders().filter(pk=int(value)).first() if value.isdigit() and len(value) < 12 else None
    if resource is None:
        raise ServiceError(
            _("Pilih kelas placeholder yang tersedia."), errors={"placeholder": [_("Kelas placeholder tidak ada.")]}
        )
    data = {**data, "title": data.get("title") or resource.title}
    return course_create(actor=actor, data=data, resource_key=resource.key, now=now)
