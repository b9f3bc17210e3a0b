"""Demo referral sales: three buyers who bought through Dinda's links (one flagged: bought from an address Dinda's own
account used), then the affiliate programme (tiers, challenge, kit). Orders sits above affiliates, so the sales that
need both are built here, after the affiliates demo made the links and clicks."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from sanggar.accounts.demo import DEMO_PASSWORD
from sanggar.affiliates.constants import ReferralSource
from sanggar.affiliates.demo import DINDA_IP, EBOOK, program_seed
from sanggar.affiliates.models import AffiliateProfile
from sanggar.affiliates.services import (
    attribution_record,
    attribution_resolve,
    referral_bind,
    referral_cookie_value,
)
from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record
from sanggar.catalog.constants import PlanStatus, ProductStatus
from sanggar.catalog.models import MembershipPlan, Product
from sanggar.core.exceptions import ServiceError

from .models import Order
from .services import ItemRequest, order_create, order_mark_paid

User = get_user_model()

BUYERS = (
    ("rudi.hartono@sanggar.test", "Rudi Hartono", "081200000021", "gold", "12m", 6),
    ("lestari.ayu@sanggar.test", "Lestari Ayu", "081200000022", EBOOK, None, 3),
    ("yoga.pratama@sanggar.test", "Yoga Pratama", "081200000023", "silver", "12m", 1),
)
NOTE = "Transfer diterima (data demo)."


def _buyer(email, name, whatsapp):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, whatsapp="+62" + whatsapp[1:]
        )
    return user


def _item(slug, duration):
    if duration:
        if not MembershipPlan.objects.filter(slug=slug, status=PlanStatus.ACTIVE).exists():
            return None
        return ItemRequest("plan", slug, duration)
    if not Product.objects.filter(slug=slug, status=ProductStatus.PUBLISHED).exists():
        return None
    return ItemRequest("product", slug)


def _sales(profile, admin, log) -> None:
    # Dinda's own logins: an order placed from this address is flagged for review.
    if not profile.user.last_login:
        activity_record(action=Action.LOGIN, actor=profile.user, ip=DINDA_IP, user_agent="Demo")
    now = timezone.now()
    for index, (email, name, whatsapp, slug, duration, days_ago) in enumerate(BUYERS):
        buyer = _buyer(email, name, whatsapp)
        if Order.objects.filter(buyer=buyer).exists():
            continue
        item = _item(slug, duration)
        if item is None:
            continue
        when = now - timedelta(days=days_ago)
        source = ReferralSource.SHORT_LINK if index == 0 else ReferralSource.LINK
        referral_bind(user=buyer, code=profile.code, clicked_at=when - timedelta(hours=2), source=source, now=when)
        cookie = referral_cookie_value(code=profile.code, clicked_at=when - timedelta(hours=2), source=source)
        client_ip = DINDA_IP if index == 2 else f"182.253.{index}.9"
        try:
            attribution = attribution_resolve(buyer=buyer, cookie_value=cookie, client_ip=client_ip, now=when)
            order = order_create(
                buyer=buyer, items=[item], provider="manual", affiliate=attribution.affiliate_user, now=when
            )
            attribution_record(attribution=attribution, order=order)
            order = order_mark_paid(order=order, actor=admin, note=NOTE, now=when + timedelta(hours=1))
        except ServiceError as exc:
            log(f"penjualan referral {email} dilewati: {exc.message}")
            continue
        log(f"{order.invoice_number}: {name} membeli lewat {profile.code}")


def seed_referrals(*, admin, log) -> None:
    profile = AffiliateProfile.objects.select_related("user").filter(user__email="affiliate@sanggar.test").first()
    if profile is None:
        return
    _sales(profile, admin, log)
    program_seed(admin, log)
