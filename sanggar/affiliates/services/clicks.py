"""Clicks on referral links and short links."""

from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..constants import CLICK_FLOOD_THRESHOLD, DecisionKind
from ..models import AttributionDecision, Click, ShortLink
from .common import attribution_window, ip_hash, profile_active_by_code


def _flood_reason(repeats: int, days: int) -> str:
    return _(
        "%(count)s klik dari satu alamat IP dalam %(days)s hari: dihitung satu kali (klik berikutnya tidak dihitung)."
    ) % {"count": repeats, "days": days}


@transaction.atomic
def click_record(
    *,
    code: str,
    landing_path: str,
    referrer: str = "",
    user_agent: str = "",
    ip: str | None = None,
    short_link: ShortLink | None = None,
    now: datetime | None = None,
) -> Click | None:
    """Records a click for the affiliate with `code` (None for an unknown or suspended code). The address is kept
    only as a keyed hash. A repeat from the same address for the same affiliate inside the attribution window is
    stored with counted=False; at CLICK_FLOOD_THRESHOLD repeats one "click flood" decision is written."""
    profile = profile_active_by_code(code)
    if profile is None:
        return None
    backdated = now is not None
    now = now or timezone.now()
    window = attribution_window()
    hashed = ip_hash(ip)
    counted = True
    if hashed:
        # The cache gate stops a burst of parallel requests from all counting; the query covers a cleared cache.
        # (Backdated clicks of tests and demo data skip the gate: its clock is the real one.)
        gate = backdated or cache.add(
            f"affiliates:click:{profile.pk}:{hashed}", 1, timeout=max(int(window.total_seconds()), 1)
        )
        counted = (
            gate
            and not Click.objects.filter(
                affiliate=profile, ip_hash=hashed, counted=True, created_at__gte=now - window
            ).exists()
        )
    click = Click.objects.create(
        affiliate=profile,
        short_link=short_link,
        landing_path=(landing_path or "/")[:500],
        referrer=(referrer or "")[:500],
        user_agent=(user_agent or "")[:300],
        ip_hash=hashed,
        counted=counted,
    )
    if backdated:
        Click.objects.filter(pk=click.pk).update(created_at=now)  # tests and demo data place clicks in the past
        click.created_at = now
    if not counted:
        repeats = Click.objects.filter(
            affiliate=profile, ip_hash=hashed, counted=False, created_at__gte=now - window
        ).count()
        if repeats == CLICK_FLOOD_THRESHOLD:
            AttributionDecision.objects.create(
                affiliate=profile, kind=DecisionKind.CLICK_FLOOD, reason=_flood_reason(repeats, window.days)
            )
    return click
