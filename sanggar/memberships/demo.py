"""Demo memberships (after the catalog's demo, before the orders'): a membership that ran out two weeks ago for the
affiliate account, so the expired state, the renewal links and the history have something real to show, and one
grant an admin gave by hand. Built through the services; running it twice changes nothing.

member@sanggar.test gets its active Gold membership from the orders demo (a real paid order)."""

from datetime import timedelta

from django.utils import timezone

from sanggar.access.models import Grant, Resource
from sanggar.access.services import grant_admin_create
from sanggar.accounts.models import User
from sanggar.catalog.constants import DURATION_MONTHS, PlanStatus
from sanggar.catalog.models import MembershipPlan, PlanPrice
from sanggar.core.dates import add_months

from .models import UserMembership
from .selectors import membership_active_for
from .services import membership_activate, memberships_expire_sweep
from .services_admin import membership_grant


def seed(*, log):
    admin = User.objects.filter(email="admin@sanggar.test").first()
    affiliate = User.objects.filter(email="affiliate@sanggar.test").first()
    supplier = User.objects.filter(email="supplier@sanggar.test").first()
    if not (admin and affiliate and supplier):
        log("demo accounts missing; run the accounts demo first")
        return
    active_plans = MembershipPlan.objects.filter(status=PlanStatus.ACTIVE)
    plan = active_plans.filter(slug="silver").first() or active_plans.order_by("rank", "id").first()
    option = PlanPrice.objects.filter(plan=plan, duration="1m", is_active=True).first() if plan else None
    if option is None:
        option = PlanPrice.objects.filter(plan=plan, is_active=True).exclude(duration="lifetime").first()
    if option is None:
        log("no active plan with a limited option in the catalog; no demo memberships")
    elif UserMembership.objects.filter(user=affiliate).exists():
        log("expired demo membership already there")
    else:
        # Ended two weeks ago.
        started = add_months(timezone.now() - timedelta(days=14), -DURATION_MONTHS[option.duration])
        membership_activate(user=affiliate, plan_price=option, amount_paid=option.price, now=started)
        memberships_expire_sweep()
        log(f"{affiliate.email}: {plan.title} ({option.get_duration_display()}) that has run out")

    mentor = User.objects.filter(email="mentor@sanggar.test").first()
    gold = PlanPrice.objects.filter(plan__slug="gold", duration="3m").first() or option
    if mentor is None or gold is None:
        log("no mentor account or plan; no complimentary demo membership")
    elif UserMembership.objects.filter(user=mentor, source="admin").exists():
        log("complimentary demo membership already there")
    elif membership_active_for(user=mentor) is None:
        membership_grant(
            user=mentor, plan_price=gold, actor=admin,
            reason="Mentor tamu: akses penuh untuk menyiapkan materi kelas ekspor (data demo)",
        )  # fmt: skip
        log(f"{mentor.email}: complimentary {gold.plan.title} from the admin")

    group = Resource.objects.filter(kind="group", is_active=True).order_by("id").first()
    if group is None:
        log("no group resource yet; no demo admin grant")
    elif Grant.objects.filter(user=supplier, source="admin").exists():
        log("demo admin grant already there")
    else:
        grant_admin_create(
            user=supplier, resource=group, actor=admin, ends_at=timezone.now() + timedelta(days=30),
            note="Akses percobaan 30 hari untuk supplier (data demo)",
        )  # fmt: skip
        log(f"{supplier.email}: 30-day admin grant to {group.title}")
