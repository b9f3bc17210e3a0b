"""Referral binding (a visitor's click tied to their account) and the attribution of an order to an affiliate."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.models import ActivityLog
from sanggar.core.formatting import tanggal_jam
from sanggar.core.prepared import Prepared, first_row

from ..constants import (
    SAME_IP_LOOKBACK_DAYS,
    SAME_IP_MAX_ADDRESSES,
    AffiliateStatus,
    AttributionModel,
    DecisionKind,
    ReferralSource,
)
from ..models import AffiliateProfile, AttributionDecision, Referral
from .common import (
    attribution_settings_current,
    attribution_window,
    ip_hash,
    is_self_referral,
    profile_active_by_code,
    referral_cookie_parse,
)


def _first_click() -> bool:
    return attribution_settings_current().attribution_model == AttributionModel.FIRST_CLICK


def _self_reason(user) -> str:
    return _("%(email)s memakai link/kode affiliate miliknya sendiri: tidak ada komisi.") % {"email": user.email}


@transaction.atomic
def referral_bind(
    *, user, code: str, clicked_at: datetime, source: str = ReferralSource.LINK, now: datetime | None = None
) -> Referral | None:
    """Ties a registered user to the affiliate whose link they clicked at `clicked_at` (so the attribution survives
    another device or an in-app browser without cookies). Last click wins, or the first click while it is inside
    its window when the setting says "first". A self-referral binds nothing and is recorded as a decision. Returns
    the user's referral in force (None when there is none)."""
    now = now or timezone.now()
    profile = profile_active_by_code(code)
    window = attribution_window()
    if profile is None or user is None or not user.pk or clicked_at + window <= now:
        return Referral.objects.filter(user=user, expires_at__gt=now).first() if user is not None and user.pk else None
    if is_self_referral(profile, user):
        AttributionDecision.objects.create(
            affiliate=profile, kind=DecisionKind.SELF_REFERRAL, reason=_self_reason(user), actor=user
        )
        return Referral.objects.filter(user=user, expires_at__gt=now).first()
    values = {"affiliate": profile, "source": source, "clicked_at": clicked_at, "expires_at": clicked_at + window}
    existing = Referral.objects.select_for_update().filter(user=user).first()
    if existing is None:
        try:
            with transaction.atomic():
                return Referral.objects.create(user=user, **values)
        except IntegrityError:  # bound by a concurrent request: decide against that row
            existing = Referral.objects.select_for_update().get(user=user)
    in_force = existing.expires_at > now
    if in_force and existing.affiliate_id == profile.pk:
        if _first_click() or clicked_at <= existing.clicked_at:
            return existing
    elif in_force and (_first_click() or clicked_at <= existing.clicked_at):
        return existing
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save(update_fields=[*values, "updated_at"])
    return existing


# --- attribution of an order ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionDraft:
    affiliate_id: int
    kind: str
    reason: str
    ip_hash: str = ""


@dataclass(frozen=True)
class Attribution:
    """Who an order is attributed to, and the decisions to record with it."""

    affiliate: AffiliateProfile | None
    source: str  # ReferralSource value, "" without an affiliate
    clicked_at: datetime | None
    decisions: tuple[DecisionDraft, ...]

    @property
    def affiliate_user(self):
        return self.affiliate.user if self.affiliate is not None else None


@dataclass(frozen=True)
class _Candidate:
    profile: AffiliateProfile
    source: str
    clicked_at: datetime | None


def _source_text(source: str, *, bound: bool) -> str:
    text = {
        ReferralSource.APP: _("kode affiliate dari aplikasi"),
        ReferralSource.LINK: _("link referral"),
        ReferralSource.SHORT_LINK: _("link pendek"),
        ReferralSource.COUPON: _("kupon affiliate"),
    }.get(source, source)
    return _("referral akun (%(source)s)") % {"source": text} if bound else text


def affiliate_ip_hashes(*, profile: AffiliateProfile, now: datetime) -> set[str]:
    """Hashes of the addresses the affiliate's account used recently (logins and other actions in the activity
    log). One query."""
    ips = (
        ActivityLog.objects.filter(
            actor_id=profile.user_id, ip__isnull=False, created_at__gte=now - timedelta(days=SAME_IP_LOOKBACK_DAYS)
        )
        .order_by()
        .values_list("ip", flat=True)
        .distinct()[:SAME_IP_MAX_ADDRESSES]
    )
    return {ip_hash(ip) for ip in ips}


# Every order asks for the buyer's bound referral: compiled once per process (a prepared query, the same statement).
_BOUND_REFERRAL = Prepared(
    lambda user_id, now: first_row(
        Referral.objects.select_related("affiliate__user").filter(
            user_id=user_id,
            expires_at__gt=now,
            affiliate__status=AffiliateStatus.ACTIVE,
            affiliate__user__is_active=True,
        )
    ),
    user_id=-1_000_015,
    now=datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC),
)


def attribution_resolve(
    *,
    buyer,
    ref_code: str = "",
    cookie_value: str = "",
    coupon=None,
    client_ip: str | None = "",
    now: datetime | None = None,
) -> Attribution:
    """Decides, without writing, who an order of `buyer` is attributed to. In order: an explicit code (the app) or
    the referral cookie (web) inside the window, else the buyer's bound referral inside the window, else the
    coupon's affiliate. With the "first click" setting the earliest click inside its window wins instead. A
    self-referral gives nobody; an order from an address the affiliate's account used is flagged (same_ip)."""
    now = now or timezone.now()
    candidates: list[_Candidate] = []
    if ref_code:
        profile = profile_active_by_code(ref_code)
        if profile is not None:
            candidates.append(_Candidate(profile, ReferralSource.APP, now))
    cookie = referral_cookie_parse(cookie_value, now=now)
    if cookie is not None:
        profile = profile_active_by_code(cookie.code)
        if profile is not None:
            candidates.append(_Candidate(profile, cookie.source, cookie.clicked_at))
    bound = None
    if buyer is not None and getattr(buyer, "pk", None):
        referral = _BOUND_REFERRAL.first(user_id=buyer.pk, now=now)
        if referral is not None:
            bound = _Candidate(referral.affiliate, referral.source, referral.clicked_at)
            candidates.append(bound)
    if _first_click() and len(candidates) > 1:
        candidates.sort(key=lambda c: c.clicked_at or now)
    if coupon is not None and getattr(coupon, "affiliate_id", None):
        profile = (
            AffiliateProfile.objects.select_related("user")
            .filter(user_id=coupon.affiliate_id, status=AffiliateStatus.ACTIVE, user__is_active=True)
            .first()
        )
        if profile is not None:
            candidates.append(_Candidate(profile, ReferralSource.COUPON, None))
    if not candidates:
        return Attribution(affiliate=None, source="", clicked_at=None, decisions=())
    chosen = candidates[0]
    hashed = ip_hash(client_ip)
    if is_self_referral(chosen.profile, buyer):
        draft = DecisionDraft(chosen.profile.pk, DecisionKind.SELF_REFERRAL, _self_reason(buyer), hashed)
        return Attribution(affiliate=None, source="", clicked_at=None, decisions=(draft,))
    source_text = _source_text(chosen.source, bound=chosen is bound)
    if chosen.clicked_at is not None and chosen.source != ReferralSource.APP:
        reason = _("Diatribusikan lewat %(source)s, klik %(when)s.") % {
            "source": source_text,
            "when": tanggal_jam(chosen.clicked_at),
        }
    else:
        reason = _("Diatribusikan lewat %(source)s.") % {"source": source_text}
    decisions = [DecisionDraft(chosen.profile.pk, DecisionKind.ATTRIBUTED, reason, hashed)]
    if hashed and hashed in affiliate_ip_hashes(profile=chosen.profile, now=now):
        decisions.append(
            DecisionDraft(
                chosen.profile.pk,
                DecisionKind.SAME_IP,
                _(
                    "Pesanan dibuat dari alamat IP yang juga dipakai akun affiliate %(code)s: komisi ditahan sampai "
                    "admin menyetujui atau membatalkannya."
                )
                % {"code": chosen.profile.code},
                hashed,
            )
        )
    return Attribution(
        affiliate=chosen.profile, source=chosen.source, clicked_at=chosen.clicked_at, decisions=tuple(decisions)
    )


def attribution_record(*, attribution: Attribution, order=None, actor=None) -> list[AttributionDecision]:
    """Writes the attribution's decisions (for the order, when it exists)."""
    return AttributionDecision.objects.bulk_create(
        [
            AttributionDecision(
                affiliate_id=d.affiliate_id, order=order, kind=d.kind, reason=d.reason[:300], ip_hash=d.ip_hash,
                actor=actor,
            )
            for d in attribution.decisions
        ]
    )  # fmt: skip


@transaction.atomic
def attribution_for_order(
    *,
    buyer,
    ref_code: str = "",
    cookie_value: str = "",
    coupon=None,
    client_ip: str | None = "",
    now: datetime | None = None,
    order=None,
) -> AffiliateProfile | None:
    """`attribution_resolve` and its decisions recorded (with `order` when given)."""
    attribution = attribution_resolve(
        buyer=buyer, ref_code=ref_code, cookie_value=cookie_value, coupon=coupon, client_ip=client_ip, now=now
    )
    attribution_record(attribution=attribution, order=order)
    return attribution.affiliate
