"""The reminder builder's engine (reading only): when a step is due (delay, preferred time, days of the week,
weekends), who a sequence's trigger reaches (per plan, product, course or event), the stop actions and conditions,
and the shortcodes. The writes (the send log) are in services.py."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import CharField, Count, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from sanggar.catalog.models import MembershipPlan, Product
from sanggar.community import selectors as community_selectors
from sanggar.community.constants import GroupStatus, MemberStatus, PostStatus
from sanggar.community.models import Comment as CommunityComment
from sanggar.community.models import Group, GroupMember, Post
from sanggar.events.models import Event, EventStatus, Registration, RegistrationStatus
from sanggar.learning import selectors as learning_selectors
from sanggar.learning.constants import CourseStatus, EnrollmentSource
from sanggar.learning.models import Course, Enrollment, LessonProgress
from sanggar.memberships.constants import MembershipStatus
from sanggar.memberships.models import UserMembership
from sanggar.notifications.models import Notification
from sanggar.notifications.rendering import absolute_url, dashboard_link, platform_name
from sanggar.orders.constants import ItemKind, OrderStatus
from sanggar.orders.models import Order, OrderItem

from .constants import BEFORE_TRIGGERS, USAGE_CONDITIONS, Condition, StopOn, Target, Trigger

User = get_user_model()

# Shortcodes of the builder, with what each one says (the builder's help lists them). Every one is filled from the
# trigger's context (the plan, product, course, event or order the send is about); one that has no value there
# becomes its fallback (`FALLBACKS`) or empty. {plan}, {ends_at}, {invoice}, {total}, {whatsapp}, {product} and
# {link} are the older names (notification templates, follow-ups), still filled.
SHORTCODE_HELP = (
    ("{name}", _("Nama lengkap member")),
    ("{email}", _("Email member")),
    ("{phone}", _("Nomor HP / WhatsApp member")),
    ("{plan_name}", _("Nama paket membership")),
    ("{product_name}", _("Nama produk")),
    ("{course_name}", _("Nama kelas")),
    ("{event_name}", _("Nama event")),
    ("{expiry_date}", _("Tanggal berakhir (dd MMM yyyy)")),
    ("{days_left}", _("Sisa hari masa aktif")),
    ("{event_time}", _("Waktu mulai event (WIB)")),
    ("{invoice}", _("Nomor invoice")),
    ("{total}", _("Total pesanan")),
    ("{payment_link}", _("Link pembayaran / perpanjangan")),
    ("{renewal_link}", _("Link perpanjang membership")),
    ("{invoice_link}", _("Link invoice")),
    ("{group_link}", _("Link grup komunitas (grup pertama dari paket, produk, kelas atau event)")),
    ("{course_link}", _("Link ke kelas")),
    ("{event_link}", _("Link halaman event")),
    ("{zoom_link}", _("Link meeting (Zoom / Meet) untuk pendaftar; kosong: halaman event")),
    ("{recording_link}", _("Link rekaman event; kosong: halaman event")),
    ("{dashboard_link}", _("Link dashboard member")),
    ("{period}", _("Ringkasan: periode yang dirangkum (mis. 30 Nov – 6 Des 2026)")),
    ("{digest_summary}", _("Ringkasan: daftar aktivitas dan konten baru periode itu")),
    ("{lessons_completed}", _("Ringkasan: pelajaran yang diselesaikan member")),
    ("{posts_written}", _("Ringkasan: postingan dan komentar member")),
    ("{new_posts}", _("Ringkasan: postingan baru di grup member")),
    ("{new_courses}", _("Ringkasan: kelas baru yang terbit")),
    ("{upcoming_events}", _("Ringkasan: event pada periode berikutnya")),
    ("{unread_notifications}", _("Ringkasan: notifikasi belum dibaca")),
    ("{company}", _("Supplier: nama perusahaan")),
    ("{upgrade_link}", _("Supplier: link paket Supplier Premium")),
    ("{trial_offer}", _("Supplier: kalimat ajakan uji coba Premium gratis (kosong bila sudah pernah)")),
    ("{trial_days}", _("Supplier: lama uji coba Premium (hari)")),
    ("{promo}", _("Supplier: kupon promo Premium, mulai pengingat upgrade setelah yang ke-3 (kosong sebelumnya)")),
)
LEGACY_SHORTCODES = ("{plan}", "{ends_at}", "{whatsapp}", "{product}", "{link}", "{platform_name}")
SHORTCODES = (*(code for code, _label in SHORTCODE_HELP), *LEGACY_SHORTCODES)
SAMPLE = {
    "name": "Maya Lestari",
    "email": "maya@contoh.id",
    "phone": "6281234567890",
    "whatsapp": "6281234567890",
    "plan_name": "Gold Tahunan",
    "plan": "Gold Tahunan",
    "product_name": "Kelas Ekspor Pemula",
    "product": "Kelas Ekspor Pemula",
    "course_name": "Dasar-Dasar Ekspor",
    "event_name": "Webinar Riset Pasar Ekspor",
    "expiry_date": "12 Des 2026",
    "ends_at": "12 Des 2026",
    "days_left": "7",
    "event_time": "12 Des 2026 19:30 WIB",
    "invoice": "INV-2026-0042",
    "total": "Rp 1.500.000",
    "payment_link": "https://contoh.id/checkout/gold-tahunan",
    "course_link": "https://contoh.id/kursus/dasar-ekspor",
    "renewal_link": "https://contoh.id/checkout/gold-tahunan",
    "invoice_link": "https://contoh.id/invoice/INV-2026-0042",
    "group_link": "https://contoh.id/komunitas/grup/eksportir-pemula",
    "event_link": "https://contoh.id/event/webinar-riset",
    "zoom_link": "https://zoom.us/j/1234567890",
    "recording_link": "https://contoh.id/event/rekaman",
    "dashboard_link": "https://contoh.id/dashboard",
    "link": "https://contoh.id/dashboard",
    "platform_name": "Sanggar",
    "period": "30 Nov – 6 Des 2026",
    "digest_summary": "• 4 pelajaran selesai\n• 6 postingan baru di grup Anda\n• 2 kelas baru terbit\n"
    "• 1 event minggu depan",
    "lessons_completed": "4",
    "posts_written": "2",
    "new_posts": "6",
    "new_courses": "2",
    "upcoming_events": "1",
    "unread_notifications": "3",
    "company": "CV Rempah Nusantara",
    "upgrade_link": "https://contoh.id/supplier/paket",
    "trial_offer": "Coba Supplier Premium gratis 7 hari: https://contoh.id/supplier/paket",
    "trial_days": "7",
    "promo": "Pakai kupon SUPPLIER-1A2B3C saat membeli Supplier Premium untuk potongan khusus, berlaku sampai "
    "19 Des 2026.",
}
_CODE_RE = re.compile(r"\{([a-z_]{1,30})\}")
_KNOWN = frozenset(code.strip("{}") for code in SHORTCODES)
# A shortcode without a value in the trigger's context takes the value of the first of these that has one.
FALLBACKS = {
    "payment_link": ("renewal_link", "invoice_link", "dashboard_link"),
    "renewal_link": ("payment_link", "dashboard_link"),
    "group_link": ("groups_link",),
    "zoom_link": ("event_link", "events_link"),
    "recording_link": ("event_link", "recordings_link"),
    "event_link": ("events_link",),
    "course_link": ("dashboard_link",),
    "invoice_link": ("purchases_link",),
    "phone": ("whatsapp",),
    "whatsapp": ("phone",),
    "plan": ("plan_name",),
    "plan_name": ("plan",),
    "product": ("product_name",),
    "product_name": ("product",),
    "ends_at": ("expiry_date",),
    "expiry_date": ("ends_at",),
    "link": ("_link_abs", "dashboard_link"),
}


def unknown_shortcodes(text: str) -> list[str]:
    """The `{codes}` in `text` the builder does not know (a typo would otherwise vanish from the sent message)."""
    return sorted({f"{{{code}}}" for code in _CODE_RE.findall(str(text or "")) if code not in _KNOWN})


def with_fallbacks(context: dict) -> dict:
    """The context with every known shortcode that has no value filled from its fallbacks (see FALLBACKS)."""
    filled = dict(context)
    for code, sources in FALLBACKS.items():
        if filled.get(code) in (None, ""):
            filled[code] = next((filled[s] for s in sources if filled.get(s) not in (None, "")), "")
    return filled


MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def render_text(text: str, context: dict, *, keep_unknown: bool = False) -> str:
    """Fills the shortcodes in one pass (a value that itself contains `{name}` is not filled again). A known
    shortcode without a value becomes empty; an unknown `{code}` too (a sent message never shows raw braces; the
    builder refuses unknown ones when saving), unless `keep_unknown`. The result is plain text: every page and the
    email template escape it."""

    def replace(match):
        code = match.group(1)
        if code in context and context[code] is not None:
            return str(context[code])
        return match.group(0) if keep_unknown and code not in _KNOWN else ""

    return _CODE_RE.sub(replace, str(text or ""))


def render_html(html: str, context: dict) -> str:
    """`render_text` for the rich-text email: the values are HTML-escaped as they go in (a link's value lands in an
    `href`, a name in the text). The caller sanitises the result again."""

    def replace(match):
        code = match.group(1)
        value = context.get(code)
        return escape(str(value)) if value is not None else ""

    return _CODE_RE.sub(replace, str(html or ""))


def fmt_date(value) -> str:
    """`dd MMM yyyy` in Indonesian (the spec's {expiry_date})."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local.day:02d} {MONTHS[local.month - 1]} {local.year}"


def fmt_datetime(value) -> str:
    if not value:
        return ""
    return f"{fmt_date(value)} {timezone.localtime(value):%H:%M} WIB"


def url(name, *args) -> str:
    """An absolute link to a named page ("" when it cannot be built)."""
    try:
        return absolute_url(reverse(name, args=args))
    except NoReverseMatch:
        return ""


# --- when a step is due -------------------------------------------------------------------------------------


def _allowed_days(step) -> set[int]:
    days = {int(d) for d in (step.days_of_week or []) if str(d).isdigit() and 0 <= int(d) <= 6} or set(range(7))
    if step.avoid_weekends:
        days -= {5, 6}
    return days or set(range(5))


def step_slot(step, anchor: datetime, *, before: bool) -> datetime:
    """The moment a step is due for one trigger moment (`anchor`):

    1. base = anchor + delay (or anchor − delay for "before expiry" / "before an event");
    2. the first preferred time (local, Asia/Jakarta) at or after the base;
    3. moved forward to the next allowed day of the week (weekends skipped when `avoid_weekends`).

    A "before" step must stay before its moment: if the forward slot reaches it, the last allowed slot at or before
    the base is used instead (and the base itself if even that is not possible)."""
    delta = timedelta(hours=step.delay_hours)
    base = timezone.localtime(anchor - delta if before else anchor + delta)
    allowed = _allowed_days(step)
    slot = base
    if step.preferred_time:
        slot = base.replace(hour=step.preferred_time.hour, minute=step.preferred_time.minute, second=0, microsecond=0)
        if slot < base:
            slot += timedelta(days=1)
    for _i in range(7):
        if slot.weekday() in allowed:
            break
        slot += timedelta(days=1)
    if not before or slot < anchor:
        return slot
    back = base
    if step.preferred_time:
        back = base.replace(hour=step.preferred_time.hour, minute=step.preferred_time.minute, second=0, microsecond=0)
        if back > base:
            back -= timedelta(days=1)
    for _i in range(7):
        if back.weekday() in allowed:
            return back
        back -= timedelta(days=1)
    return base


# Preferred time and allowed days move a slot by at most this much from base ± delay.
SLOT_SHIFT = timedelta(days=8)


# --- who a trigger reaches ----------------------------------------------------------------------------------

# The sources below yield every object in the window, read in chunks of this size. The sweep (services.py) skips
# the ones whose due steps are already logged and stops after `REMINDERS_MAX_PER_RUN` to send: a per-run limit on
# the query itself would pick the same first objects every run (already sent), and the rest would never be sent.
SCAN_CHUNK = 1000


@dataclass
class Candidate:
    user: object
    object_key: str  # names the trigger object and its moment (a renewal or a new sign-in re-arms)
    anchor: datetime
    context: dict = field(default_factory=dict)
    link: str = "/dashboard"
    order_id: int | None = None
    membership_id: int | None = None
    course_id: int | None = None
    # What else the send is about: its group, meeting and recording links and payment link come from these
    # (`related_context`, at send time, once per object and sweep).
    plan_id: int | None = None
    product_id: int | None = None
    event_id: int | None = None


def _target_ids(sequence, kind):
    return sequence.target_id if sequence.target_type == kind and sequence.target_id else None


def _membership_context(m, now) -> dict:
    left = m.ends_at - now if m.ends_at else None
    days_left = max(0, left.days + (1 if left.seconds else 0)) if left is not None else ""
    plan = m.plan
    return {
        "plan": plan.title,
        "plan_name": plan.title,
        "expiry_date": fmt_date(m.ends_at),
        "ends_at": fmt_date(m.ends_at),
        "days_left": days_left,
        "renewal_link": url("orders:checkout_plan", plan.slug),
    }


def _memberships(sequence, *, now, lo, hi) -> Iterator[Candidate]:
    qs = UserMembership.objects.select_related("user", "plan").filter(user__is_active=True)
    plan_id = _target_ids(sequence, Target.PLAN)
    if plan_id:
        qs = qs.filter(plan_id=plan_id)
    trigger = sequence.trigger
    if trigger == Trigger.BEFORE_EXPIRY:
        qs = qs.filter(status=MembershipStatus.ACTIVE, ends_at__gt=now, ends_at__gte=lo, ends_at__lte=hi)
    else:  # after expiry
        qs = qs.filter(status=MembershipStatus.EXPIRED, ends_at__gte=lo, ends_at__lte=min(hi, now))
    for m in qs.order_by("ends_at", "id").iterator(chunk_size=SCAN_CHUNK):
        yield Candidate(
            user=m.user,
            object_key=f"m:{m.pk}:{m.ends_at.isoformat()}",
            anchor=m.ends_at,
            context=_membership_context(m, now),
            link=reverse("orders:checkout_plan", args=[m.plan.slug]),
            membership_id=m.pk,
            plan_id=m.plan_id,
        )


def _purchases(sequence, *, now, lo, hi) -> Iterator[Candidate]:
    """After purchase: a paid order with the target plan or product (any paid order without a target); for a
    course, the enrolment (once per student and course: a course's WhatsApp follow-ups, migration 0015), with the
    student's paid order of the course when they bought it (`{invoice}`, the sales list's follow-up column); for an
    event, the registration."""
    if sequence.target_type == Target.COURSE:
        qs = Enrollment.objects.select_related("user", "course").filter(
            user__is_active=True, created_at__gte=lo, created_at__lte=min(hi, now)
        )
        if sequence.target_id:
            qs = qs.filter(course_id=sequence.target_id)
        bought = OrderItem.objects.filter(
            kind=ItemKind.COURSE,
            ref=Cast(OuterRef("course_id"), CharField()),
            order__buyer_id=OuterRef("user_id"),
            order__status=OrderStatus.PAID,
        ).order_by("-order__paid_at", "-order_id")
        # A purchase enrolment whose order is no longer paid (refunded) is not followed up any more.
        qs = qs.annotate(
            order_pk=Subquery(bought.values("order_id")[:1]),
            order_invoice=Subquery(bought.values("order__invoice_number")[:1]),
            order_total=Subquery(bought.values("order__total")[:1]),
        ).exclude(source=EnrollmentSource.PURCHASE, order_pk__isnull=True)
        return (
            Candidate(
                user=e.user,
                object_key=f"en:{e.pk}",
                anchor=e.created_at,
                context={**_course_context(e.course), **_bought_context(e)},
                link=reverse("learning:course_detail", args=[e.course.slug]),
                order_id=e.order_pk,
                course_id=e.course_id,
            )
            for e in qs.order_by("created_at", "id").iterator(chunk_size=SCAN_CHUNK)
        )
    if sequence.target_type == Target.EVENT:
        qs = Registration.objects.select_related("user", "event").filter(
            user__is_active=True, status=RegistrationStatus.GOING, created_at__gte=lo, created_at__lte=min(hi, now)
        )
        if sequence.target_id:
            qs = qs.filter(event_id=sequence.target_id)
        return (
            Candidate(
                user=r.user,
                object_key=f"r:{r.pk}",
                anchor=r.created_at,
                context=_event_context(r.event),
                link=reverse("events:detail", args=[r.event.slug]),
                event_id=r.event_id,
            )
            for r in qs.order_by("created_at", "id").iterator(chunk_size=SCAN_CHUNK)
        )
    qs = Order.objects.select_related("buyer").filter(
        status=OrderStatus.PAID, buyer__is_active=True, paid_at__gte=lo, paid_at__lte=min(hi, now)
    )
    plan_id, product_id = _target_ids(sequence, Target.PLAN), _target_ids(sequence, Target.PRODUCT)
    if plan_id:
        qs = qs.filter(items__plan_id=plan_id)
    if product_id:
        qs = qs.filter(items__product_id=product_id)
    names = _target_names(sequence) if plan_id or product_id else {}
    return (
        Candidate(
            user=o.buyer,
            object_key=f"o:{o.pk}",
            anchor=o.paid_at,
            context={**order_context(o), **names},
            link=reverse("orders:invoice", args=[o.invoice_number]),
            order_id=o.pk,
            plan_id=plan_id or next((i.plan_id for i in o.items.all() if i.plan_id), None),
            product_id=product_id
            or (None if plan_id else next((i.product_id for i in o.items.all() if i.product_id), None)),
        )
        for o in qs.distinct().prefetch_related("items").order_by("paid_at", "id").iterator(chunk_size=SCAN_CHUNK)
    )


def order_context(o) -> dict:
    return {
        "invoice": o.invoice_number,
        "total": f"Rp {o.total:,}".replace(",", "."),
        "invoice_link": url("orders:invoice", o.invoice_number),
    }


def _bought_context(enrollment) -> dict:
    """The invoice codes of the order a student bought the course with (none for a free or plan enrolment)."""
    if not enrollment.order_pk:
        return {}
    return order_context(
        Order(pk=enrollment.order_pk, invoice_number=enrollment.order_invoice, total=enrollment.order_total)
    )


def _course_context(course) -> dict:
    return {"course_name": course.title, "course_link": url("learning:course_detail", course.slug)}


def _event_context(event) -> dict:
    return {
        "event_name": event.title,
        "event_time": fmt_datetime(event.starts_at),
        "event_link": url("events:detail", event.slug),
    }


def _target_names(sequence) -> dict:
    """Shortcodes naming the sequence's target (one query)."""
    from_target = target_object(sequence)
    if from_target is None:
        return {}
    if sequence.target_type == Target.PLAN:
        return {
            "plan": from_target.title,
            "plan_name": from_target.title,
            "renewal_link": url("orders:checkout_plan", from_target.slug),
        }
    if sequence.target_type == Target.PRODUCT:
        return {"product_name": from_target.title}
    if sequence.target_type == Target.COURSE:
        return _course_context(from_target)
    return _event_context(from_target)


def _group_link(groups) -> str:
    group = groups.filter(status=GroupStatus.ACTIVE).order_by("name", "pk").only("slug").first()
    return url("community:group", group.slug) if group else ""


def _related(kind: str, pk: int, *, now) -> dict:
    """The shortcodes one plan, product, course or event gives (names, payment, group, meeting and recording links)."""
    if kind == Target.PLAN:
        plan = MembershipPlan.objects.filter(pk=pk).only("title", "slug").first()
        if plan is None:
            return {}
        return {
            "plan_name": plan.title,
            "renewal_link": url("orders:checkout_plan", plan.slug),
            "payment_link": url("orders:checkout_plan", plan.slug),
            "group_link": _group_link(Group.objects.filter(resource__plans=plan)),
        }
    if kind == Target.PRODUCT:
        product = Product.objects.filter(pk=pk).only("title", "slug").first()
        if product is None:
            return {}
        values = {
            "product_name": product.title,
            "payment_link": url("orders:checkout_product", product.slug),
            "group_link": _group_link(Group.objects.filter(resource__in_products=product)),
        }
        # a webinar product: its next event (else the latest one)
        events = Event.objects.filter(Q(product=product) | Q(resource__in_products=product)).exclude(
            status=EventStatus.CANCELLED
        )
        event = events.filter(starts_at__gt=now).order_by("starts_at").first() or events.order_by("-starts_at").first()
        if event is not None:
            values.update({k: v for k, v in _related(Target.EVENT, event.pk, now=now).items() if not values.get(k)})
        return values
    if kind == Target.COURSE:
        course = Course.objects.filter(pk=pk).only("title", "slug").first()
        if course is None:
            return {}
        return {**_course_context(course), "group_link": _group_link(Group.objects.filter(course=course))}
    event = Event.objects.filter(pk=pk).select_related("group").first()
    if event is None:
        return {}
    values = _event_context(event)
    values["zoom_link"] = event.meeting_url  # the send goes to the event's registrants (or buyers) only
    values["recording_link"] = event.recording_url
    if event.group_id and event.group.status == GroupStatus.ACTIVE:
        values["group_link"] = url("community:group", event.group.slug)
    return values


def related_context(candidate, memo: dict, *, now) -> dict:
    """The shortcodes of what a send is about (its plan, product, course and event), read once per object and
    sweep (`memo`). The candidate's own context wins; the event's values first, then course, product and plan."""
    values = {}
    refs = (
        (Target.EVENT, candidate.event_id),
        (Target.COURSE, candidate.course_id),
        (Target.PRODUCT, candidate.product_id),
        (Target.PLAN, candidate.plan_id),
    )
    for kind, pk in refs:
        if not pk:
            continue
        if (kind, pk) not in memo:
            memo[(kind, pk)] = _related(kind, pk, now=now)
        for code, value in memo[(kind, pk)].items():
            if values.get(code) in (None, ""):
                values[code] = value
    return values


def general_links() -> dict:
    """The site-wide links the fallbacks use (dashboard, community groups, events, recordings, purchases)."""
    return {
        "dashboard_link": dashboard_link(),
        "groups_link": url("community:groups"),
        "events_link": url("events:index"),
        "recordings_link": url("events:recordings"),
        "purchases_link": url("orders:purchases"),
        "platform_name": platform_name(),
    }


def target_object(sequence):
    """The plan, product, course or event a sequence is about (None: all)."""
    models = {Target.PLAN: MembershipPlan, Target.PRODUCT: Product, Target.COURSE: Course, Target.EVENT: Event}
    model = models.get(sequence.target_type)
    if model is None or not sequence.target_id:
        return None
    return model.objects.filter(pk=sequence.target_id).first()


def inactive_days(sequence) -> int:
    return sequence.days or settings.REMINDERS_INACTIVE_DAYS


def _inactivity(sequence, *, now, lo, hi) -> Iterator[Candidate]:
    """Inactive for N days (the sequence's days, else REMINDERS_INACTIVE_DAYS): in a course, no lesson activity
    (unfinished enrolments); otherwise no sign-in (for a plan: members with an active membership of it). The key
    holds the last activity, so new activity re-arms the sequence."""
    days = timedelta(days=inactive_days(sequence))
    upper = min(hi, now)
    if sequence.target_type == Target.COURSE:
        qs = Enrollment.objects.select_related("user", "course").filter(user__is_active=True, completed_at__isnull=True)
        if sequence.target_id:
            qs = qs.filter(course_id=sequence.target_id)
        qs = qs.filter(
            Q(last_activity_at__gte=lo - days, last_activity_at__lte=upper - days)
            | Q(last_activity_at__isnull=True, created_at__gte=lo - days, created_at__lte=upper - days)
        )
        return (
            Candidate(
                user=e.user,
                object_key=f"ei:{e.pk}:{(e.last_activity_at or e.created_at).isoformat()}",
                anchor=(e.last_activity_at or e.created_at) + days,
                context=_course_context(e.course),
                link=reverse("learning:course_detail", args=[e.course.slug]),
                course_id=e.course_id,
            )
            for e in qs.order_by("id").iterator(chunk_size=SCAN_CHUNK)
        )
    qs = User.objects.filter(is_active=True, last_login__gte=lo - days, last_login__lte=upper - days)
    plan_id = _target_ids(sequence, Target.PLAN)
    if plan_id:
        active = UserMembership.objects.filter(user_id=OuterRef("pk"), plan_id=plan_id, status=MembershipStatus.ACTIVE)
        qs = qs.filter(Exists(active))
    return (
        Candidate(
            user=u, object_key=f"u:{u.pk}:{u.last_login.isoformat()}", anchor=u.last_login + days, plan_id=plan_id
        )
        for u in qs.order_by("id").iterator(chunk_size=SCAN_CHUNK)
    )


def audience(sequence):
    """The members an "on a date" sequence reaches: of the target plan (active membership), product (paid
    order), course (enrolled) or event (registered); without a target, every active member."""
    qs = User.objects.filter(is_active=True)
    tid = sequence.target_id
    if sequence.target_type == Target.PLAN:
        qs = qs.filter(Exists(UserMembership.objects.filter(user_id=OuterRef("pk"), status=MembershipStatus.ACTIVE)))
        if tid:
            qs = qs.filter(
                Exists(
                    UserMembership.objects.filter(user_id=OuterRef("pk"), plan_id=tid, status=MembershipStatus.ACTIVE)
                )
            )
    elif sequence.target_type == Target.PRODUCT:
        orders = Order.objects.filter(buyer_id=OuterRef("pk"), status=OrderStatus.PAID)
        qs = qs.filter(
            Exists(orders.filter(items__product_id=tid) if tid else orders.filter(items__product__isnull=False))
        )
    elif sequence.target_type == Target.COURSE:
        enr = Enrollment.objects.filter(user_id=OuterRef("pk"))
        qs = qs.filter(Exists(enr.filter(course_id=tid) if tid else enr))
    elif sequence.target_type == Target.EVENT:
        reg = Registration.objects.filter(user_id=OuterRef("pk"), status=RegistrationStatus.GOING)
        qs = qs.filter(Exists(reg.filter(event_id=tid) if tid else reg))
    return qs.order_by("pk")


def _on_date(sequence, *, now, lo, hi) -> Iterator[Candidate]:
    moment = sequence.specific_at
    if moment is None or not (lo <= moment <= hi):
        return []
    names = _target_names(sequence)
    key = f"d:{moment.isoformat()}"
    refs = {
        "plan_id": _target_ids(sequence, Target.PLAN),
        "product_id": _target_ids(sequence, Target.PRODUCT),
        "course_id": _target_ids(sequence, Target.COURSE),
        "event_id": _target_ids(sequence, Target.EVENT),
    }
    return (
        Candidate(user=u, object_key=key, anchor=moment, context=dict(names), **refs)
        for u in audience(sequence).iterator(chunk_size=SCAN_CHUNK)
    )


def _events(sequence, *, now, lo, hi) -> Iterator[Candidate]:
    events = Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gt=now, starts_at__gte=lo, starts_at__lte=hi)
    if sequence.target_type == Target.EVENT and sequence.target_id:
        events = events.filter(pk=sequence.target_id)
    return _registrants(events, moment="starts_at", key="e")


# --- digests (weekly / monthly) ------------------------------------------------------------------------------


def period_start(moment: datetime, *, monthly: bool) -> datetime:
    """The start (00:00 WIB) of the week (Monday) or month `moment` is in."""
    local = timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    if monthly:
        return local.replace(day=1)
    return local - timedelta(days=local.weekday())


def _next_period(start: datetime, *, monthly: bool) -> datetime:
    if not monthly:
        return timezone.localtime(start + timedelta(days=7)).replace(hour=0, minute=0)
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return start.replace(year=year, month=month, day=1)


def previous_period(start: datetime, *, monthly: bool) -> datetime:
    return period_start(start - timedelta(days=1), monthly=monthly)


def period_label(since: datetime, until: datetime, *, monthly: bool) -> str:
    """ "November 2026" or "30 Nov – 6 Des 2026" (the period that ended at `until`)."""
    if monthly:
        names = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober")
        names += ("November", "Desember")
        return f"{names[since.month - 1]} {since.year}"
    last = timezone.localtime(until - timedelta(days=1))
    return f"{since.day} {MONTHS[since.month - 1]} – {fmt_date(last).lstrip('0')}"


def _digests(sequence, *, now, lo, hi) -> Iterator[Candidate]:
    """A digest: for every period that starts within the range (Monday / the 1st, 00:00 WIB), every member of the
    sequence's audience once (key `w:` / `mo:` + the period's first day), summarising the period that just ended."""
    monthly = sequence.trigger == Trigger.MONTHLY_DIGEST
    start = period_start(lo, monthly=monthly)
    upper = min(hi, now)
    refs = {
        "plan_id": _target_ids(sequence, Target.PLAN),
        "product_id": _target_ids(sequence, Target.PRODUCT),
        "course_id": _target_ids(sequence, Target.COURSE),
        "event_id": _target_ids(sequence, Target.EVENT),
    }
    while start <= upper:
        if start >= lo:
            since = previous_period(start, monthly=monthly)
            key = f"{'mo' if monthly else 'w'}:{start.date().isoformat()}"
            context = {"period": period_label(since, start, monthly=monthly), "_digest": (since, start, monthly)}
            for user in audience(sequence).iterator(chunk_size=SCAN_CHUNK):
                yield Candidate(user=user, object_key=key, anchor=start, context=dict(context), **refs)
        start = _next_period(start, monthly=monthly)


DIGEST_FIGURES = ("lessons_completed", "posts_written", "new_posts", "unread_notifications")


def digest_figures(user_ids, since: datetime, until: datetime) -> dict[int, dict[str, int]]:
    """Each member's own digest figures for the period [since, until), for many members at once: one GROUP BY query
    per figure (lessons completed; posts and comments written, one UNION; new posts in their active groups by
    others; unread notifications), so a batch of members costs four queries whatever its size."""
    ids = sorted({int(pk) for pk in user_ids})
    figures = {pk: dict.fromkeys(DIGEST_FIGURES, 0) for pk in ids}
    if not ids:
        return figures
    in_period = {"created_at__gte": since, "created_at__lt": until}

    def fill(name, rows):
        for user_id, n in rows:
            figures[user_id][name] += n

    fill(
        "lessons_completed",
        LessonProgress.objects.filter(user_id__in=ids, completed_at__gte=since, completed_at__lt=until)
        .values("user_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("user_id", "n"),
    )
    written = (
        Post.objects.filter(author_id__in=ids, status=PostStatus.PUBLISHED, **in_period)
        .values("author_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("author_id", "n")
    )
    comments = (
        CommunityComment.objects.filter(author_id__in=ids, status=PostStatus.PUBLISHED, **in_period)
        .values("author_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("author_id", "n")
    )
    fill("posts_written", written.union(comments, all=True))
    fill(
        "new_posts",
        GroupMember.objects.filter(user_id__in=ids, status=MemberStatus.ACTIVE)
        .values("user_id")
        .annotate(
            n=Count(
                "group__posts",
                filter=Q(
                    group__posts__status=PostStatus.PUBLISHED,
                    group__posts__created_at__gte=since,
                    group__posts__created_at__lt=until,
                )
                & ~Q(group__posts__author_id=F("user_id")),
            )
        )
        .order_by()
        .values_list("user_id", "n"),
    )
    fill(
        "unread_notifications",
        Notification.objects.filter(user_id__in=ids, read_at__isnull=True, archived_at__isnull=True)
        .values("user_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("user_id", "n"),
    )
    return figures


def digest_prefetch(candidates, memo: dict) -> None:
    """Reads the digest figures of every digest candidate in `candidates` (a send batch) into `memo`, per period
    with `digest_figures` (four queries per period and batch), so `digest_context` then reads none per member."""
    periods: dict[tuple, set[int]] = {}
    for candidate in candidates:
        digest = candidate.context.get("_digest")
        if digest:
            since, until, _monthly = digest
            known = memo.get(("digest_figures", since, until), {})
            if candidate.user.pk not in known:
                periods.setdefault((since, until), set()).add(candidate.user.pk)
    for (since, until), ids in periods.items():
        memo.setdefault(("digest_figures", since, until), {}).update(digest_figures(ids, since, until))


def digest_context(user, since: datetime, until: datetime, *, monthly: bool, memo: dict) -> dict:
    """The digest's shortcodes for one member and the period [since, until): their own activity (lessons completed,
    posts and comments), what is new for them (posts in their groups, courses published), the events of the next
    period and their unread notifications. The site-wide counts are read once per period and sweep (`memo`); the
    member's own figures come from `digest_prefetch` (the sweep reads them for a whole batch), else are read here
    for this member alone."""
    key = ("digest", since, until)
    if key not in memo:
        following = _next_period(until, monthly=monthly)
        memo[key] = {
            "new_courses": Course.objects.filter(
                status=CourseStatus.PUBLISHED, published_at__gte=since, published_at__lt=until
            ).count(),
            "upcoming_events": Event.objects.filter(
                status=EventStatus.PUBLISHED, starts_at__gte=until, starts_at__lt=following
            ).count(),
        }
    figures = memo.setdefault(("digest_figures", since, until), {})
    if user.pk not in figures:
        figures.update(digest_figures([user.pk], since, until))
    values = {**memo[key], **figures[user.pk]}
    next_label = _("bulan depan") if monthly else _("minggu depan")
    lines = (
        (values["lessons_completed"], _("pelajaran selesai")),
        (values["posts_written"], _("postingan dan komentar Anda")),
        (values["new_posts"], _("postingan baru di grup Anda")),
        (values["new_courses"], _("kelas baru terbit")),
        (values["upcoming_events"], _("event %(when)s") % {"when": next_label}),
        (values["unread_notifications"], _("notifikasi belum dibaca")),
    )
    summary = "\n".join(f"• {count} {label}" for count, label in lines if count)
    values["digest_summary"] = summary or str(_("Belum ada aktivitas baru pada periode ini."))
    return {code: str(value) for code, value in values.items()}


def _after_events(sequence, *, now, lo, hi) -> Iterator[Candidate]:
    """After an event ended (REM-F7: the recording link, a follow-up): its registrants, once per event and end."""
    events = Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gte=lo, ends_at__lte=min(hi, now))
    if sequence.target_type == Target.EVENT and sequence.target_id:
        events = events.filter(pk=sequence.target_id)
    return _registrants(events, moment="ends_at", key="ea")


def _registrants(events, *, moment: str, key: str) -> Iterator[Candidate]:
    """The registrants (going) of `events` as candidates anchored at each event's `moment` (its start or its end),
    one per event and moment (`key` keeps the before- and after-event sequences apart)."""
    regs = (
        Registration.objects.filter(event__in=events, status=RegistrationStatus.GOING, user__is_active=True)
        .select_related("user", "event")
        .order_by(f"event__{moment}", "id")
    )
    return (
        Candidate(
            user=r.user,
            object_key=f"{key}:{r.event_id}:{getattr(r.event, moment).isoformat()}",
            anchor=getattr(r.event, moment),
            context=_event_context(r.event),
            link=reverse("events:detail", args=[r.event.slug]),
            event_id=r.event_id,
        )
        for r in regs.iterator(chunk_size=SCAN_CHUNK)
    )


BUILDER_SOURCES = {
    Trigger.AFTER_PURCHASE: _purchases,
    Trigger.BEFORE_EXPIRY: _memberships,
    Trigger.AFTER_EXPIRY: _memberships,
    Trigger.INACTIVITY: _inactivity,
    Trigger.ON_DATE: _on_date,
    Trigger.BEFORE_EVENT: _events,
    Trigger.AFTER_EVENT: _after_events,
    Trigger.WEEKLY_DIGEST: _digests,
    Trigger.MONTHLY_DIGEST: _digests,
}


def _allowed_instant(step, moment: datetime, direction: int) -> datetime:
    """The nearest preferred-time instant on an allowed day strictly before (-1) or after (+1) `moment`."""
    allowed = _allowed_days(step)
    at = moment
    for _i in range(8):
        at += timedelta(days=direction)
        if at.weekday() in allowed:
            return at
    return at


def step_base_ranges(step, *, lo: datetime, hi: datetime, before: bool) -> list[tuple[datetime, datetime]]:
    """The ranges of base moments (trigger moment ± delay) whose slot (`step_slot`) can fall in (lo, hi]: the index
    ranges the sweep reads instead of the whole catch-up window.

    - no preferred time, every day allowed: the slot is the base: (lo, hi];
    - no preferred time, some days not allowed: the base moved forward (back for a "before" step) by whole days;
    - a preferred time: slots happen only at that time on allowed days; each such instant S in (lo, hi] takes the
      bases since the previous allowed instant (and, "before", up to the next one). No instant: nothing to read."""
    allowed = _allowed_days(step)
    if not step.preferred_time:
        if len(allowed) == 7:
            return [(lo, hi)]
        shifts = [(lo - timedelta(days=k), hi - timedelta(days=k)) for k in range(8)]
        if before:
            shifts += [(lo + timedelta(days=k), hi + timedelta(days=k)) for k in range(1, 8)]
        return shifts
    ranges = []
    first = timezone.localtime(lo).replace(
        hour=step.preferred_time.hour, minute=step.preferred_time.minute, second=0, microsecond=0
    )
    instant = first
    while instant <= hi:
        if instant > lo and instant.weekday() in allowed:
            start = _allowed_instant(step, instant, -1)
            end = _allowed_instant(step, instant, +1) if before else instant
            ranges.append((start, end))
        instant += timedelta(days=1)
    return ranges


def anchor_ranges(steps, *, lo: datetime, hi: datetime, before: bool) -> list[tuple[datetime, datetime]]:
    """The merged ranges of trigger moments whose steps can have a slot in (lo, hi] (see `step_base_ranges`)."""
    ranges = []
    for step in steps:
        delay = timedelta(hours=step.delay_hours)
        for start, end in step_base_ranges(step, lo=lo, hi=hi, before=before):
            ranges.append((start + delay, end + delay) if before else (start - delay, end - delay))
    merged: list[list[datetime]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def window(sequence, steps, *, now, catch_up: timedelta) -> tuple[datetime, datetime]:
    """The range of trigger moments whose steps can be due now."""
    max_delay = timedelta(hours=max((s.delay_hours for s in steps), default=0))
    if sequence.trigger in BEFORE_TRIGGERS:
        return now - catch_up, now + max_delay + SLOT_SHIFT
    return now - max_delay - catch_up - SLOT_SHIFT, now


# --- stop actions and conditions ----------------------------------------------------------------------------


def stops_done(sequence, candidates) -> set[int]:
    """The indexes of `candidates` whose member took the sequence's stop action (renewed, paid, completed the
    course), read for the whole batch in at most three queries, whatever its size (read again just before the
    batch is sent)."""
    stop = sequence.stop_on
    done: set[int] = set()
    if not candidates or stop not in (StopOn.RENEWED, StopOn.PAID, StopOn.COMPLETED):
        return done
    user_ids = {c.user.pk for c in candidates}
    if stop == StopOn.RENEWED:
        keys = [c.object_key.split(":", 2) for c in candidates]
        own_ids = {int(k[1]) for k in keys if k[0] == "m" and len(k) == 3 and k[1].isdigit()}
        own = (
            {m.pk: m for m in UserMembership.objects.filter(pk__in=own_ids).only("pk", "status", "ends_at")}
            if own_ids
            else {}
        )
        active: dict[int, list] = {}
        for pk, user_id, ends_at in UserMembership.objects.filter(
            user_id__in=user_ids, status=MembershipStatus.ACTIVE
        ).values_list("pk", "user_id", "ends_at"):
            active.setdefault(user_id, []).append((pk, ends_at))
        for i, (candidate, key) in enumerate(zip(candidates, keys, strict=True)):
            others = active.get(candidate.user.pk, [])
            if key[0] == "m" and len(key) == 3 and key[1].isdigit():
                m = own.get(int(key[1]))
                if m is None:
                    continue
                if m.ends_at and m.ends_at.isoformat() != key[2] and m.status == MembershipStatus.ACTIVE:
                    done.add(i)  # the same membership was extended
                    continue
                others = [o for o in others if o[0] != m.pk]
                if sequence.trigger == Trigger.BEFORE_EXPIRY and m.ends_at:
                    others = [o for o in others if o[1] is not None and o[1] > m.ends_at]
            if others:
                done.add(i)
        return done
    if stop == StopOn.PAID:
        order_of = {}
        for i, c in enumerate(candidates):
            if c.order_id:
                order_of[i] = c.order_id
            elif c.object_key.startswith("o:") and c.object_key.split(":")[1].isdigit():
                order_of[i] = int(c.object_key.split(":")[1])
        pending = set(
            Order.objects.filter(pk__in=set(order_of.values()), status=OrderStatus.PENDING).values_list("pk", flat=True)
            if order_of
            else []
        )
        rest = {c.user.pk for i, c in enumerate(candidates) if i not in order_of}
        paid = set(
            Order.objects.filter(buyer_id__in=rest, status=OrderStatus.PAID).values_list("buyer_id", flat=True)
            if rest
            else []
        )
        for i, c in enumerate(candidates):
            if (order_of[i] not in pending) if i in order_of else (c.user.pk in paid):
                done.add(i)
        return done
    completed: dict[int, set[int]] = {}
    for user_id, course_id in Enrollment.objects.filter(user_id__in=user_ids, completed_at__isnull=False).values_list(
        "user_id", "course_id"
    ):
        completed.setdefault(user_id, set()).add(course_id)
    for i, c in enumerate(candidates):
        courses = completed.get(c.user.pk, set())
        course_id = c.course_id or _target_ids(sequence, Target.COURSE)
        if (course_id in courses) if course_id else courses:
            done.add(i)
    return done


# --- membership usage (the spec's membershipUsage, Q-51) ----------------------------------------------------


@dataclass(frozen=True)
class Usage:
    """How much a member used their membership over the last `REMINDERS_USAGE_DAYS` days."""

    level: str  # "LOW" / "MEDIUM" / "HIGH"
    lessons: int  # lessons completed in the plan's courses (any course when the plan includes none)
    active_days: int  # WIB days with a sign-in, a lesson completed or a community post or comment
    last_active: datetime | None = None  # the latest of those moments (read back to REMINDERS_INACTIVE_DAYS too)


def usage_level(lessons: int, active_days: int) -> str:
    """LOW: fewer than `REMINDERS_USAGE_LOW_LESSONS` lessons AND fewer than `REMINDERS_USAGE_LOW_DAYS` active days;
    HIGH: at least `REMINDERS_USAGE_HIGH_LESSONS` lessons OR `REMINDERS_USAGE_HIGH_DAYS` active days; else MEDIUM."""
    if lessons < settings.REMINDERS_USAGE_LOW_LESSONS and active_days < settings.REMINDERS_USAGE_LOW_DAYS:
        return "LOW"
    if lessons >= settings.REMINDERS_USAGE_HIGH_LESSONS or active_days >= settings.REMINDERS_USAGE_HIGH_DAYS:
        return "HIGH"
    return "MEDIUM"


def usage_of(pairs, *, now) -> dict[tuple[int, int | None], Usage]:
    """The usage of each (user, plan id) pair, for a whole batch in four queries (lessons completed, community
    posts and comments, the plans' courses), through the learning and community selectors. The sign-in counts
    as an active day from `user.last_login` (only the latest sign-in is stored)."""
    pairs = list(pairs)
    if not pairs:
        return {}
    since = now - timedelta(days=settings.REMINDERS_USAGE_DAYS)
    read_from = min(since, now - timedelta(days=settings.REMINDERS_INACTIVE_DAYS))
    user_ids = {user.pk for user, _plan in pairs}
    completions = learning_selectors.lesson_completions(user_ids=user_ids, since=read_from)
    authored = community_selectors.authored_moments(user_ids=user_ids, since=read_from)
    plan_ids = {plan for _user, plan in pairs if plan}
    courses = learning_selectors.plan_course_ids(plan_ids=plan_ids) if plan_ids else {}
    result = {}
    for user, plan_id in pairs:
        done = completions.get(user.pk, [])
        scope = courses.get(plan_id) if plan_id else None
        lessons = sum(1 for course_id, at in done if at >= since and (not scope or course_id in scope))
        moments = [at for _course, at in done] + authored.get(user.pk, [])
        if user.last_login and user.last_login >= read_from:
            moments.append(user.last_login)
        days = len({timezone.localtime(at).date() for at in moments if at >= since})
        result[(user.pk, plan_id)] = Usage(usage_level(lessons, days), lessons, days, max(moments, default=None))
    return result


def _usage_plan(sequence, candidate) -> int | None:
    return candidate.plan_id or _target_ids(sequence, Target.PLAN)


def conditions_failing(sequence, candidates, *, now) -> set[int]:
    """The indexes of `candidates` for whom some condition of the sequence does not hold (checked just before a
    batch is sent), at most one query per condition for the whole batch, plus three for the usage ones."""
    failing: set[int] = set()
    conditions = list(sequence.conditions or [])
    if not conditions or not candidates:
        return failing
    user_ids = {c.user.pk for c in candidates}
    for condition in conditions:
        if condition == Condition.COURSES_COMPLETED_ZERO:
            done = set(
                Enrollment.objects.filter(user_id__in=user_ids, completed_at__isnull=False).values_list(
                    "user_id", flat=True
                )
            )
            failing |= {i for i, c in enumerate(candidates) if c.user.pk in done}
        elif condition == Condition.NOT_RENEWED:
            active: dict[int, list] = {}
            for pk, user_id, ends_at in UserMembership.objects.filter(
                user_id__in=user_ids, status=MembershipStatus.ACTIVE, ends_at__gt=now
            ).values_list("pk", "user_id", "ends_at"):
                active.setdefault(user_id, []).append((pk, ends_at))
            for i, c in enumerate(candidates):
                others = active.get(c.user.pk, [])
                if c.membership_id:
                    # the candidate's own membership does not count as a renewal; a later one does
                    m_ends = c.anchor if sequence.trigger == Trigger.BEFORE_EXPIRY else now
                    others = [o for o in others if o[0] != c.membership_id and o[1] > m_ends]
                if others:
                    failing.add(i)
        elif condition == Condition.NO_PURCHASE:
            paid: dict[int, set[int]] = {}
            for buyer_id, pk in Order.objects.filter(buyer_id__in=user_ids, status=OrderStatus.PAID).values_list(
                "buyer_id", "pk"
            ):
                paid.setdefault(buyer_id, set()).add(pk)
            failing |= {i for i, c in enumerate(candidates) if paid.get(c.user.pk, set()) - {c.order_id}}
        elif condition == Condition.NO_GROUP:  # the spec's groupJoined: false
            joined = set(
                GroupMember.objects.filter(user_id__in=user_ids, status=MemberStatus.ACTIVE).values_list(
                    "user_id", flat=True
                )
            )
            failing |= {i for i, c in enumerate(candidates) if c.user.pk in joined}
        elif condition == Condition.INACTIVE:  # the spec's lastLoginDays (REMINDERS_INACTIVE_DAYS, default 7)
            since = now - timedelta(days=settings.REMINDERS_INACTIVE_DAYS)
            failing |= {i for i, c in enumerate(candidates) if c.user.last_login and c.user.last_login > since}
    usage_wanted = [c for c in conditions if c in USAGE_CONDITIONS]
    if Condition.NO_ACTIVITY in conditions or usage_wanted:
        usage = usage_of({(c.user, _usage_plan(sequence, c)) for c in candidates}, now=now)
        inactive_since = now - timedelta(days=settings.REMINDERS_INACTIVE_DAYS)
        for i, c in enumerate(candidates):
            found = usage[(c.user.pk, _usage_plan(sequence, c))]
            if any(USAGE_CONDITIONS[wanted] != found.level for wanted in usage_wanted):
                failing.add(i)
            if Condition.NO_ACTIVITY in conditions and found.last_active and found.last_active > inactive_since:
                failing.add(i)  # the spec's userActive: false
    return failing


def conditions_hold(sequence, candidate, *, now) -> bool:
    """Every condition of the sequence holds for one member (`conditions_failing` for a batch of one)."""
    return not conditions_failing(sequence, [candidate], now=now)


def conversions(rows) -> set[int]:
    """The ids of the sends (`ReminderSend` rows with `step.sequence` loaded) whose member took the sequence's stop
    action after the send: the stop action after `row.created_at` for many rows at once, in at most five
    queries however many rows (the conversion check runs after every sweep)."""
    by_stop = {}
    for row in rows:
        by_stop.setdefault(row.step.sequence.stop_on, []).append(row)
    done = set()
    renewed = by_stop.get(StopOn.RENEWED, [])
    if renewed:
        keyed = {row.pk: row.object_key.split(":", 2) for row in renewed}
        own_ids = {int(k[1]) for k in keyed.values() if k[0] == "m" and len(k) == 3 and k[1].isdigit()}
        own = {m.pk: m for m in UserMembership.objects.filter(pk__in=own_ids).only("pk", "status", "ends_at")}
        active = {}
        for pk, user_id, starts_at, ends_at in UserMembership.objects.filter(
            user_id__in={row.user_id for row in renewed}, status=MembershipStatus.ACTIVE
        ).values_list("pk", "user_id", "starts_at", "ends_at"):
            active.setdefault(user_id, []).append((pk, starts_at, ends_at))
        for row in renewed:
            key, since = keyed[row.pk], row.created_at
            others = active.get(row.user_id, [])
            if key[0] == "m" and len(key) == 3 and key[1].isdigit():
                m = own.get(int(key[1]))
                if m is None:
                    continue
                if m.ends_at and m.ends_at.isoformat() != key[2] and m.status == MembershipStatus.ACTIVE:
                    done.add(row.pk)  # the same membership was extended
                    continue
                others = [o for o in others if o[0] != m.pk]
                if row.step.sequence.trigger == Trigger.BEFORE_EXPIRY and m.ends_at:
                    others = [o for o in others if o[2] is not None and o[2] > m.ends_at]
            if any(starts_at is not None and starts_at >= since for _pk, starts_at, _ends in others):
                done.add(row.pk)
    paid_rows = by_stop.get(StopOn.PAID, [])
    if paid_rows:
        order_of = {}
        for row in paid_rows:
            if row.order_id or row.object_key.startswith("o:"):
                order_of[row.pk] = row.order_id or int(row.object_key.split(":")[1])
        pending = set(
            Order.objects.filter(pk__in=set(order_of.values()), status=OrderStatus.PENDING).values_list("pk", flat=True)
        )
        others = [row for row in paid_rows if row.pk not in order_of]
        last_paid = dict(
            Order.objects.filter(buyer_id__in={row.user_id for row in others}, status=OrderStatus.PAID)
            .values("buyer_id")
            .order_by()
            .annotate(last=Max("paid_at"))
            .values_list("buyer_id", "last")
            if others
            else []
        )
        for row in paid_rows:
            if row.pk in order_of:
                if order_of[row.pk] not in pending:
                    done.add(row.pk)
            elif (last := last_paid.get(row.user_id)) is not None and last >= row.created_at:
                done.add(row.pk)
    completed = by_stop.get(StopOn.COMPLETED, [])
    if completed:
        last_done = {}
        for user_id, course_id, last in (
            Enrollment.objects.filter(user_id__in={row.user_id for row in completed}, completed_at__isnull=False)
            .values("user_id", "course_id")
            .order_by()
            .annotate(last=Max("completed_at"))
            .values_list("user_id", "course_id", "last")
        ):
            last_done.setdefault(user_id, []).append((course_id, last))
        for row in completed:
            course_id = _target_ids(row.step.sequence, Target.COURSE)
            if any(
                last >= row.created_at and (not course_id or course_id == c)
                for c, last in last_done.get(row.user_id, [])
            ):
                done.add(row.pk)
    return done
