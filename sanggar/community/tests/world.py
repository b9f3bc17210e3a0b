"""Test data for the community tests, built through the services."""

from django.utils import timezone

from sanggar.catalog.models import PlanPrice
from sanggar.community import services
from sanggar.core.roles import Role
from sanggar.memberships.services import membership_activate
from sanggar.orders.tests.shop import Shop


class World:
    def __init__(self, make_user, admin):
        self.admin = admin
        self.shop = Shop(admin)
        self.public = services.group_create(actor=admin, data={"name": "UKM Ekspor", "visibility": "public"})
        self.private = services.group_create(actor=admin, data={"name": "Ekspor Jepang", "visibility": "private"})
        self.hidden = services.group_create(
            actor=admin, data={"name": "VIP Platinum", "slug": "grup-vip-platinum", "visibility": "hidden"}
        )
        self.plan = self.shop.plan("Gold", rank=2, resources=[self.hidden.resource], slug="gold")
        self.premium = make_user(full_name="Dinda Premium", email="dinda@example.com")
        self.premium.date_joined = timezone.now() - timezone.timedelta(days=30)
        self.premium.save(update_fields=["date_joined"])
        self.membership = membership_activate(
            user=self.premium, plan_price=PlanPrice.objects.get(plan=self.plan), amount_paid=1_200_000
        )
        services.group_join(user=self.premium, group=self.public)
        self.free = make_user(full_name="Riko Gratis", email="riko@example.com")
        self.mentor = make_user(Role.MENTOR, full_name="Mentor Budi", email="budi@example.com")
        self.outsider = make_user(full_name="Orang Luar", email="luar@example.com")
