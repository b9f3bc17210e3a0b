from datetime import date

from sanggar.trainings import services
from sanggar.trainings.constants import BatchStatus


class World:
    def __init__(self, make_user, admin_user, *, capacity=30):
        self.admin = admin_user
        self.member = make_user(full_name="Siti Rahma", email="siti@example.com")
        self.batch = services.batch_create(
            actor=admin_user,
            name="Batch 5 Trainer Profesional",
            starts_on=date(2027, 1, 10),
            ends_on=date(2027, 1, 12),
            capacity=capacity,
            location="Jakarta",
            status=BatchStatus.OPEN,
        )
        self.platinum = services.tier_create(
            actor=admin_user, batch=self.batch, name="Platinum", price=4_500_000, benefits="Semua kursus\nSertifikat"
        )
        self.basic = services.tier_create(actor=admin_user, batch=self.batch, name="Trainer Only", price=1_500_000)
