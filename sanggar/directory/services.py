"""The rules every export directory shares: monthly quotas per plan, opening a detail (the quota ledger), masking,
views, likes (= favourites), reports of wrong entries and the search log. Buyers, forwarders and export documents
in this app use them, and so does `sanggar.suppliers` (it sits above this app in the stack).

How another directory uses it (example: suppliers)::

    # suppliers/apps.py ready()
    from sanggar.directory.kinds import DirectoryKind, directory_kind_register
    directory_kind_register(DirectoryKind(
        key="supplier", label=_("Database Supplier"), unit=_("detail supplier"),
        free_quota=5, member_quota=20,                        # defaults when the admin table has no row
        titles=lambda ids: dict(Supplier.objects.filter(pk__in=ids).values_list("pk", "company_name")),
        admin_url=lambda pk: reverse("suppliers:admin_detail", args=[pk]),
    ))

    # a detail page / API endpoint (the member asks to see the contact)
    from sanggar.directory import services as directory
    try:
        result = directory.directory_open(user=request.user, kind="supplier", object_id=s.pk)  # charges once a month
    except directory.QuotaExhausted as exc:      # a NotAllowed (403): exc.status, exc.decision (locked card)
        ...
    # result.status.label → "3 dari 5 detail supplier bulan ini"; show the contact only after this succeeded.
    # Lists: directory.opened_ids(user=..., kind=..., object_ids=[...]) tells which contacts this month already opened
    # (else mask with sanggar.directory.masking.mask_email / mask_phone / mask_text / mask_url).

    directory.quota_status(user=..., kind="supplier")                 # "3 dari 5 …" without charging
    directory.like_set(user=..., kind="supplier", object_id=pk, liked=True)   # returns +1 / 0 / -1 (for counters)
    directory.liked_ids(user=..., kind="supplier", object_ids=[...])
    directory.report_create(user=..., kind="supplier", object_id=pk, object_title=..., reason=..., detail=...)
    directory.search_record(user=..., kind="supplier", country="", product="kopi")

Admins configure the quota per plan at /admin/direktori/kuota (every registered kind appears there); reports of every
kind arrive in one queue at /admin/direktori/laporan. A directory keeps its own view / like counters on its rows if it
sorts by them: each successful `directory_open(...)` is one view, and `like_set(...)` returns +1 / -1 / 0.

Rules: a unit is the first opening of one object in a calendar month (WIB); reopening it that month is free; every
opening is logged for the admins' tracker; two parallel openings at the last unit: one succeeds (the user's row is
locked while counting). Roles in the kind's `unlimited_roles` (admins) are never charged.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.access.constants import DenyReason, ResourceKind
from sanggar.access.models import Resource
from sanggar.access.policy import ALLOWED, AccessDecision, access_check, checkout_all_url
from sanggar.audit.services import activity_record
from sanggar.catalog.models import MembershipPlan
from sanggar.core import request_context
from sanggar.core.exceptions import NotAllowed, NotFound, RateLimited, ServiceError
from sanggar.core.guard import has_refused_characters
from sanggar.core.ratelimit import window_take
from sanggar.core.roles import ALL_ROLES, Role, role_label
from sanggar.memberships.selectors import membership_active_for

from .constants import (
    ACTION_FEATURE_GATE_SAVED,
    ACTION_QUOTA_SAVED,
    ACTION_RATING_HIDDEN,
    ACTION_REPORT_CREATED,
    ACTION_REPORT_HANDLED,
    ACTION_ROLE_ACCESS_SAVED,
    ADMIN_NOTE_MAX,
    FEATURES,
    RATING_COMMENT_MAX,
    REPORT_DETAIL_MAX,
    SEARCH_TEXT_MAX,
    ReportReason,
    ReportStatus,
)
from .kinds import DirectoryKind, directory_kind, directory_kinds
from .models import (
    DirectoryFeatureGate,
    DirectoryLike,
    DirectoryQuota,
    DirectoryRating,
    DirectoryReport,
    DirectoryRoleAccess,
    DirectorySearch,
    DirectoryView,
    QuotaUse,
)

# --- role access (spec L1718) ------------------------------------------------------------------------------------


def role_access_roles(*, kind: str) -> list[str]:
    """The roles that may open the directory `kind` (every role when the admins never restricted it)."""
    row = DirectoryRoleAccess.objects.filter(kind=kind).only("roles").first()
    if row is None or not isinstance(row.roles, list):
        return list(ALL_ROLES)
    return [r for r in ALL_ROLES if r in row.roles]


def role_access_allowed(*, user, kind: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    roles = user.role_set
    return Role.ADMIN in roles or bool(roles & set(role_access_roles(kind=kind)))


def role_access_check(*, user, kind: str) -> None:
    """Raises NotAllowed (403 in the API, a locked page on the site) when none of the user's roles may open it."""
    if not role_access_allowed(user=user, kind=kind):
        allowed = ", ".join(role_label(r) for r in role_access_roles(kind=kind))
        raise NotAllowed(
            _("%(label)s hanya dibuka untuk peran: %(roles)s.")
            % {"label": directory_kind(kind).label, "roles": allowed}
        )


def role_access_set(*, actor, kind: str, roles) -> list[str]:
    """Admin: the roles that may open the directory `kind` (at least one; admins always may). Audited."""
    if not (actor and actor.is_authenticated and Role.ADMIN in actor.role_set):
        raise NotAllowed(_("Hanya admin yang mengatur akses direktori."))
    directory_kind(kind)
    if not isinstance(roles, list | tuple) or len(roles) > len(ALL_ROLES) * 2:
        raise ServiceError(_("Daftar peran tidak valid."), errors={"roles": [_("Tidak valid.")]})
    unknown = [str(r)[:30] for r in roles if r not in ALL_ROLES]
    if unknown:
        raise ServiceError(
            _("Peran tidak dikenal: %(roles)s.") % {"roles": ", ".join(unknown)}, errors={"roles": [_("Tidak valid.")]}
        )
    chosen = [r for r in ALL_ROLES if r in roles]
    if not chosen:
        raise ServiceError(_("Pilih minimal satu peran."), errors={"roles": [_("Pilih minimal satu peran.")]})
    with transaction.atomic():
        row, _created = DirectoryRoleAccess.objects.select_for_update().get_or_create(kind=kind)
        before = row.roles if not _created else list(ALL_ROLES)
        row.roles, row.updated_by = chosen, actor
        row.save()
        activity_record(
            action=ACTION_ROLE_ACCESS_SAVED, actor=actor, target=row, data={"kind": kind, "roles": [before, chosen]}
        )
    return chosen


# --- feature gating (§1.1 "Gating") ---------------------------------------------------------------------------


class FeatureLocked(NotAllowed):
    """403: the directory's feature resource is not open to this user. `decision` is the policy's answer (the
    locked card: message and upgrade link); the API answers 403 with `errors.reason` and the same message."""

    def __init__(self, decision: AccessDecision):
        self.decision = decision
        errors = {"reason": [decision.reason]}
        if decision.action_url:
            errors["action_url"] = [decision.action_url]
        super().__init__(decision.message, code=decision.reason, errors=errors)


def feature_plans_only(*, key: str) -> bool:
    """True when the admins switched the directory to "hanya paket yang menyertakan fitur ini"."""
    return DirectoryFeatureGate.objects.filter(key=key, plans_only=True).exists()


def feature_gates() -> dict[str, bool]:
    """Every directory feature key → plans only? (the admin page; one query)."""
    rows = dict(DirectoryFeatureGate.objects.values_list("key", "plans_only"))
    return {key: bool(rows.get(key, False)) for key in FEATURES}


def feature_decision(*, user, key: str, now: datetime | None = None) -> AccessDecision:
    """May `user` open the directory behind the feature resource `key`? The one access policy answers (admins pass;
    a plan including it or a grant opens it; a switched-off resource is closed to members). While the directory is
    open to every member (the default), a member the policy refuses still passes and the quota table decides the
    depth; with "plans only" the policy's refusal (message and upgrade link) stands."""
    if user is None or not getattr(user, "is_authenticated", False):
        return AccessDecision(
            allowed=False,
            reason=DenyReason.LOGIN_REQUIRED,
            message=_("Masuk terlebih dahulu untuk membuka fitur ini."),
        )
    if user.is_staff or user.is_superuser or user.has_role(Role.ADMIN):
        return ALLOWED
    # One query while the directory is open to every member (every member page pays it); the policy only when needed.
    resource = (
        Resource.objects.filter(kind=ResourceKind.FEATURE, key=key)
        .annotate(plans_only=Exists(DirectoryFeatureGate.objects.filter(key=key, plans_only=True)))
        .first()
    )
    if resource is None:  # not created yet (before migration 0009): the quota table is the only switch
        return ALLOWED
    if resource.is_active and not resource.plans_only:
        return ALLOWED
    decision = access_check(user=user, resource=resource, now=now)
    if decision.allowed or decision.reason in (DenyReason.INACTIVE_RESOURCE, DenyReason.LOGIN_REQUIRED):
        return decision
    return decision if resource.plans_only else ALLOWED


def feature_require(*, user, key: str, now: datetime | None = None) -> None:
    """Raises FeatureLocked (403, the locked card) when `feature_decision` says no."""
    decision = feature_decision(user=user, key=key, now=now)
    if not decision.allowed:
        raise FeatureLocked(decision)


def feature_gate_set(*, actor, key: str, plans_only: bool) -> bool:
    """Admin: open a directory to every member (the quota decides) or only to plans including its feature. Audited."""
    if not (actor and actor.is_authenticated and Role.ADMIN in actor.role_set):
        raise NotAllowed(_("Hanya admin yang mengatur akses direktori."))
    if key not in FEATURES:
        raise ServiceError(_("Fitur direktori tidak dikenal."), errors={"key": [_("Tidak valid.")]})
    plans_only = bool(plans_only)
    with transaction.atomic():
        row, _created = DirectoryFeatureGate.objects.select_for_update().get_or_create(key=key)
        before = row.plans_only
        if before != plans_only or _created:
            row.plans_only, row.updated_by = plans_only, actor
            row.save()
            activity_record(
                action=ACTION_FEATURE_GATE_SAVED,
                actor=actor,
                target=row,
                data={"key": key, "plans_only": [before, plans_only]},
            )
    return plans_only


# --- quota ---------------------------------------------------------------------------------------------------------


def month_of(now: datetime | None = None) -> date:
    """The first day of the calendar month in WIB (the settings' time zone)."""
    return timezone.localdate(now or timezone.now()).replace(day=1)


@dataclass(frozen=True)
class QuotaStatus:
    kind: str
    unit: str
    month: date
    used: int
    limit: int | None  # None = no limit
    plan_title: str

    @property
    def unlimited(self) -> bool:
        return self.limit is None

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)

    @property
    def locked(self) -> bool:
        return self.limit == 0

    @property
    def exhausted(self) -> bool:
        return self.limit is not None and self.used >= self.limit

    @property
    def label(self) -> str:
        if self.limit is None:
            return _("%(used)s %(unit)s bulan ini (tanpa batas)") % {"used": self.used, "unit": self.unit}
        return _("%(used)s dari %(limit)s %(unit)s bulan ini") % {
            "used": self.used,
            "limit": self.limit,
            "unit": self.unit,
        }


def _unlimited_role(user, kind: DirectoryKind) -> bool:
    return bool(set(kind.unlimited_roles) & set(user.role_set))


def quota_limit_for(*, user, kind: str, now: datetime | None = None) -> tuple[int | None, str]:
    """(monthly limit or None, the plan's title) for this member now: the admin table's row for their active plan
    (or for "no membership"), else the kind's default. Two queries."""
    entry = directory_kind(kind)
    if _unlimited_role(user, entry):
        return None, _("Staf")
    membership = membership_active_for(user=user, now=now)
    plan = membership.plan if membership else None
    row = DirectoryQuota.objects.filter(kind=kind, plan=plan).only("monthly_limit").first()
    if row is not None:
        limit = row.monthly_limit
    else:
        limit = entry.member_quota if plan is not None else entry.free_quota
    return limit, plan.title if plan is not None else _("Free")


def quota_limit_for_plan(*, kind: str, plan: MembershipPlan | None) -> int | None:
    """The limit the admin table gives a plan (or "no membership"), else the kind's default (the admin page)."""
    entry = directory_kind(kind)
    row = DirectoryQuota.objects.filter(kind=kind, plan=plan).only("monthly_limit").first()
    if row is not None:
        return row.monthly_limit
    return entry.member_quota if plan is not None else entry.free_quota


def quota_table(*, plans) -> dict[tuple[str, int | None], int | None]:
    """(kind, plan id or None) → monthly limit for every registered kind and these plans (one query)."""
    rows = {(r.kind, r.plan_id): r.monthly_limit for r in DirectoryQuota.objects.all()}
    table = {}
    for entry in directory_kinds():
        for plan_id in [None, *(p.pk for p in plans)]:
            default = entry.member_quota if plan_id is not None else entry.free_quota
            table[(entry.key, plan_id)] = rows.get((entry.key, plan_id), default)
    return table


def quota_status(*, user, kind: str, now: datetime | None = None) -> QuotaStatus:
    """The member's quota this month, without charging anything (three queries)."""
    entry = directory_kind(kind)
    month = month_of(now)
    limit, plan_title = quota_limit_for(user=user, kind=kind, now=now)
    used = QuotaUse.objects.filter(user=user, kind=kind, month=month).count()
    return QuotaStatus(kind=kind, unit=str(entry.unit), month=month, used=used, limit=limit, plan_title=plan_title)


def quota_decision(status: QuotaStatus) -> AccessDecision:
    """The locked card for a closed or used-up quota, with the way to more."""
    if status.locked:
        message = _("Paket Anda (%(plan)s) belum termasuk akses ini. Upgrade membership untuk membukanya.") % {
            "plan": status.plan_title
        }
        reason = "quota_locked"
    else:
        message = _(
            "Kuota bulan ini sudah habis (%(label)s). Kuota terisi lagi tanggal 1 bulan depan, atau upgrade "
            "membership untuk kuota lebih besar."
        ) % {"label": status.label}
        reason = "quota_exhausted"
    return AccessDecision(
        allowed=False,
        reason=reason,
        message=message,
        action_label=_("Upgrade Membership"),
        action_url=checkout_all_url(),
    )


class QuotaExhausted(NotAllowed):
    """403: the quota is closed (0) or used up this month. `status` and `decision` for the page / API."""

    def __init__(self, status: QuotaStatus):
        self.status = status
        self.decision = quota_decision(status)
        super().__init__(
            self.decision.message,
            code=self.decision.reason,
            errors={
                "reason": [self.decision.reason],
                "quota": [status.label],
                "used": [str(status.used)],
                "limit": [str(status.limit)],
            },
        )


@dataclass(frozen=True)
class OpenResult:
    charged: bool  # this opening used a unit (first time this month)
    status: QuotaStatus  # after the opening


def directory_open(*, user, kind: str, object_id: int, now: datetime | None = None) -> OpenResult:
    """A member opens a detail: free when they opened it this month already (or are staff), else one unit of the
    month's quota (raises QuotaExhausted when none is left). Every opening is logged. Race-safe: the user's row is
    locked while counting, and the ledger's unique constraint is the last guard."""
    entry = directory_kind(kind)
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("Masuk terlebih dahulu."))
    _rate(
        user=user,
        setting="DIRECTORY_OPEN_RATE_LIMIT",
        ip_setting="DIRECTORY_OPEN_IP_RATE_LIMIT",
        what=_("pembukaan detail"),
    )
    now = now or timezone.now()
    month = month_of(now)
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
        limit, plan_title = quota_limit_for(user=user, kind=kind, now=now)
        used_rows = QuotaUse.objects.filter(user=user, kind=kind, month=month)
        already = used_rows.filter(object_id=object_id).exists()
        used = used_rows.count()
        charged = False
        if not already and limit is not None and used >= limit:
            raise QuotaExhausted(
                QuotaStatus(kind=kind, unit=str(entry.unit), month=month, used=used, limit=limit, plan_title=plan_title)
            )
        if not already and not _unlimited_role(user, entry):
            try:
                with transaction.atomic():
                    QuotaUse.objects.create(
                        user=user, kind=kind, object_id=object_id, month=month, plan_title=plan_title
                    )
                charged = True
                used += 1
            except IntegrityError:  # a parallel opening of the same object charged it already
                pass
        DirectoryView.objects.create(user=user, kind=kind, object_id=object_id, charged=charged)
    status = QuotaStatus(kind=kind, unit=str(entry.unit), month=month, used=used, limit=limit, plan_title=plan_title)
    return OpenResult(charged=charged, status=status)


def directory_charge(*, user, kind: str, object_id: int, now: datetime | None = None) -> QuotaStatus:
    """Use one unit for a new object that is not "opened" (e.g. an export document generated): like
    `directory_open` without the view log."""
    entry = directory_kind(kind)
    now = now or timezone.now()
    month = month_of(now)
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
        limit, plan_title = quota_limit_for(user=user, kind=kind, now=now)
        used = QuotaUse.objects.filter(user=user, kind=kind, month=month).count()
        status = QuotaStatus(
            kind=kind, unit=str(entry.unit), month=month, used=used, limit=limit, plan_title=plan_title
        )
        if limit is not None and used >= limit:
            raise QuotaExhausted(status)
        if not _unlimited_role(user, entry):
            QuotaUse.objects.create(user=user, kind=kind, object_id=object_id, month=month, plan_title=plan_title)
            used += 1
    return QuotaStatus(kind=kind, unit=str(entry.unit), month=month, used=used, limit=limit, plan_title=plan_title)


def opened_ids(*, user, kind: str, object_ids, now: datetime | None = None) -> set[int]:
    """Which of these objects the member opened this month (their contacts may be shown). Staff: all. One query."""
    ids = [int(i) for i in object_ids]
    if user is None or not user.is_authenticated or not ids:
        return set()
    if _unlimited_role(user, directory_kind(kind)):
        return set(ids)
    return set(
        QuotaUse.objects.filter(user=user, kind=kind, month=month_of(now), object_id__in=ids).values_list(
            "object_id", flat=True
        )
    )


def quota_set(*, actor, kind: str, plan: MembershipPlan | None, monthly_limit: int | None) -> DirectoryQuota:
    """Admin: the monthly limit of a plan (or of members without a membership) for one directory."""
    directory_kind(kind)
    if monthly_limit is not None and not (0 <= int(monthly_limit) <= 1_000_000):
        raise ServiceError(_("Kuota harus antara 0 dan 1.000.000."), errors={"monthly_limit": [_("Tidak valid.")]})
    with transaction.atomic():
        row, _created = DirectoryQuota.objects.select_for_update().get_or_create(
            kind=kind, plan=plan, defaults={"monthly_limit": monthly_limit}
        )
        if not _created and row.monthly_limit != monthly_limit:
            row.monthly_limit = monthly_limit
            row.save(update_fields=["monthly_limit", "updated_at"])
        activity_record(
            action=ACTION_QUOTA_SAVED,
            actor=actor,
            target=row,
            data={"kind": kind, "plan": plan.title if plan else "Free", "monthly_limit": monthly_limit},
        )
    return row


# --- likes, reports, searches --------------------------------------------------------------------------------------


def like_set(*, user, kind: str, object_id: int, liked: bool) -> int:
    """Likes (= saves as favourite) or unlikes; returns +1, -1 or 0 (nothing changed) for the caller's counter."""
    directory_kind(kind)
    if liked:
        try:
            with transaction.atomic():
                DirectoryLike.objects.create(user=user, kind=kind, object_id=object_id)
        except IntegrityError:
            return 0
        return 1
    deleted, _rows = DirectoryLike.objects.filter(user=user, kind=kind, object_id=object_id).delete()
    return -1 if deleted else 0


def liked_ids(*, user, kind: str, object_ids) -> set[int]:
    ids = [int(i) for i in object_ids]
    if user is None or not user.is_authenticated or not ids:
        return set()
    return set(
        DirectoryLike.objects.filter(user=user, kind=kind, object_id__in=ids).values_list("object_id", flat=True)
    )


def _clean(value, *, field: str, max_length: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if has_refused_characters(text):
        raise ServiceError(
            _("Teks berisi karakter yang tidak diizinkan."), errors={field: [_("Karakter tidak valid.")]}
        )
    if required and not text:
        raise ServiceError(_("Lengkapi isian yang wajib."), errors={field: [_("Wajib diisi.")]})
    if len(text) > max_length:
        message = _("Paling banyak %(max)s karakter.") % {"max": max_length}
        raise ServiceError(message, errors={field: [message]})
    return text


def _rate(*, user, setting: str, ip_setting: str, what: str) -> None:
    ip = request_context.current().ip
    waits = [window_take(f"user:{user.pk}", setting=setting)]
    if ip:
        waits.append(window_take(f"ip:{ip}", setting=ip_setting))
    wait = max(waits)
    if wait:
        raise RateLimited(
            _("Terlalu banyak %(what)s dalam waktu singkat. Coba lagi dalam %(minutes)s menit.")
            % {"what": what, "minutes": max(1, (wait + 59) // 60)},
            retry_after=wait,
        )


def report_create(
    *, user, kind: str, object_id: int, object_title: str = "", reason: str, detail: str = ""
) -> DirectoryReport:
    """A member reports a wrong entry (one open report per member and entry; rate-limited per member and address)."""
    directory_kind(kind)
    if reason not in ReportReason.values:
        raise ServiceError(_("Pilih alasan laporan."), errors={"reason": [_("Pilihan tidak valid.")]})
    detail = _clean(detail, field="detail", max_length=REPORT_DETAIL_MAX, required=reason == ReportReason.OTHER)
    if DirectoryReport.objects.filter(reporter=user, kind=kind, object_id=object_id, status=ReportStatus.OPEN).exists():
        raise ServiceError(_("Anda sudah melaporkan data ini; admin sedang memeriksanya."), code="duplicate")
    _rate(
        user=user,
        setting="DIRECTORY_REPORT_RATE_LIMIT",
        ip_setting="DIRECTORY_REPORT_IP_RATE_LIMIT",
        what=_("laporan"),
    )
    with transaction.atomic():
        report = DirectoryReport.objects.create(
            reporter=user,
            kind=kind,
            object_id=object_id,
            object_title=str(object_title)[:255],
            reason=reason,
            detail=detail,
        )
        activity_record(
            action=ACTION_REPORT_CREATED, actor=user, target=report, data={"kind": kind, "object_id": object_id}
        )
    return report


def report_handle(*, actor, report_id: int, status: str, note: str = "") -> DirectoryReport:
    """Admin: closes a report as fixed, hidden (the directory hides the entry itself) or rejected."""
    if status not in (ReportStatus.FIXED, ReportStatus.HIDDEN, ReportStatus.REJECTED):
        raise ServiceError(_("Pilih hasil pemeriksaan."), errors={"status": [_("Pilihan tidak valid.")]})
    note = _clean(note, field="admin_note", max_length=ADMIN_NOTE_MAX)
    with transaction.atomic():
        report = DirectoryReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            raise NotFound(_("Laporan tidak ditemukan."))
        if report.status != ReportStatus.OPEN:
            raise ServiceError(_("Laporan ini sudah ditangani."), code="handled")
        report.status = status
        report.admin_note = note
        report.handled_by = actor
        report.handled_at = timezone.now()
        report.save(update_fields=["status", "admin_note", "handled_by", "handled_at", "updated_at"])
        activity_record(
            action=ACTION_REPORT_HANDLED,
            actor=actor,
            target=report,
            data={"kind": report.kind, "object_id": report.object_id, "status": status},
        )
    return report


# --- ratings ---------------------------------------------------------------------------------------------------------


def may_rate(*, user, kind: str, object_id: int) -> bool:
    """A member rates only what they were connected with: an entry whose contact they opened (any month)."""
    return QuotaUse.objects.filter(user=user, kind=kind, object_id=object_id).exists()


def rating_save(*, user, kind: str, object_id: int, stars, comment: str = "") -> DirectoryRating:
    """A member's 1–5 star rating with an optional review of a supplier or forwarder whose contact they opened; a
    second rating by the same member replaces the first (it stays hidden if an admin hid it)."""
    directory_kind(kind)
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise ServiceError(_("Pilih 1 sampai 5 bintang."), errors={"stars": [_("Pilih 1 sampai 5 bintang.")]})
    comment = _clean(comment, field="comment", max_length=RATING_COMMENT_MAX)
    if not may_rate(user=user, kind=kind, object_id=object_id):
        raise NotAllowed(_("Rating bisa diberikan setelah Anda membuka kontaknya."))
    _rate(
        user=user, setting="DIRECTORY_RATING_RATE_LIMIT", ip_setting="DIRECTORY_RATING_IP_RATE_LIMIT",
        what=_("rating"),
    )  # fmt: skip
    with transaction.atomic():
        rating, _created = DirectoryRating.objects.update_or_create(
            user=user, kind=kind, object_id=object_id, defaults={"stars": stars, "comment": comment}
        )
    return rating


def rating_hide(*, actor, rating_id: int, hidden: bool) -> DirectoryRating:
    """Admins hide an abusive review (it leaves the average) or show it again."""
    if not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat menyembunyikan ulasan."))
    with transaction.atomic():
        rating = DirectoryRating.objects.select_for_update().filter(pk=rating_id).first()
        if rating is None:
            raise NotFound(_("Ulasan tidak ditemukan."))
        if rating.is_hidden != hidden:
            rating.is_hidden = hidden
            rating.save(update_fields=["is_hidden", "updated_at"])
            activity_record(
                action=ACTION_RATING_HIDDEN, actor=actor, target=rating,
                data={"kind": rating.kind, "object_id": rating.object_id, "hidden": hidden},
            )  # fmt: skip
    return rating


@dataclass(frozen=True)
class RatingSummary:
    average: float | None  # one decimal
    count: int

    @property
    def label(self) -> str:
        if not self.count:
            return _("Belum ada rating")
        return _("%(avg)s dari 5 (%(n)s rating)") % {"avg": f"{self.average:.1f}".replace(".", ","), "n": self.count}


def rating_summaries(*, kind: str, object_ids) -> dict[int, RatingSummary]:
    """Average and count of the visible ratings of these entries (one query); entries without any are absent."""
    ids = list(object_ids)
    if not ids:
        return {}
    rows = (
        DirectoryRating.objects.filter(kind=kind, object_id__in=ids, is_hidden=False)
        .values("object_id")
        .annotate(avg=Avg("stars"), n=Count("id"))
    )
    return {r["object_id"]: RatingSummary(average=round(float(r["avg"]), 1), count=r["n"]) for r in rows}


def rating_summary(*, kind: str, object_id: int) -> RatingSummary:
    return rating_summaries(kind=kind, object_ids=[object_id]).get(object_id, RatingSummary(average=None, count=0))


def ratings_recent(*, kind: str, object_id: int, limit: int = 10) -> list[DirectoryRating]:
    """The newest visible reviews of an entry, with their authors."""
    return list(
        DirectoryRating.objects.filter(kind=kind, object_id=object_id, is_hidden=False)
        .select_related("user")
        .order_by("-updated_at", "-id")[:limit]
    )


def rating_of(*, user, kind: str, object_id: int) -> DirectoryRating | None:
    return DirectoryRating.objects.filter(user=user, kind=kind, object_id=object_id).first()


def ratings_context(*, user, kind: str, object_id: int) -> dict:
    """What `directory/_ratings.html` shows: the average, whether this user may rate, their rating, the newest
    reviews (visitors see the average and reviews only)."""
    signed_in = user is not None and user.is_authenticated
    return {
        "rating_summary": rating_summary(kind=kind, object_id=object_id),
        "may_rate": signed_in and may_rate(user=user, kind=kind, object_id=object_id),
        "my_rating": rating_of(user=user, kind=kind, object_id=object_id) if signed_in else None,
        "reviews": ratings_recent(kind=kind, object_id=object_id),
    }


def search_record(*, user, kind: str, country: str = "", product: str = "") -> None:
    """Logs a filtered search for the admins' "filter per negara & produk" chart (nothing when nothing filtered)."""
    country = (country or "")[:2].upper()
    product = (product or "").strip().lower()[:SEARCH_TEXT_MAX]
    if not country and not product:
        return
    DirectorySearch.objects.create(
        user=user if user is not None and user.is_authenticated else None, kind=kind, country=country, product=product
    )
