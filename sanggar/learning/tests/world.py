"""Test data for the learning tests, built through the services."""

from django.utils import timezone

from sanggar.catalog.models import PlanPrice
from sanggar.core.roles import Role
from sanggar.learning import services
from sanggar.memberships.services import membership_activate
from sanggar.orders.tests.shop import Shop


def build_course(actor, title="Dasar Ekspor", *, modules=2, lessons=2, quiz=True, **data):
    course = services.course_create(actor=actor, data={"title": title, "summary": f"Ringkasan {title}", **data})
    for m in range(1, modules + 1):
        module = services.module_save(actor=actor, course=course, title=f"Modul {m}")
        for n in range(1, lessons + 1):
            services.lesson_save(
                actor=actor,
                module=module,
                data={
                    "title": f"Pelajaran {m}.{n}",
                    "kind": "video" if n == 1 else "text",
                    "video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ" if n == 1 else "",
                    "content": f"<p>Isi pelajaran {m}.{n}</p>",
                    "duration_minutes": 10,
                    "is_preview": m == 1 and n == 1,
                },
            )
        if quiz and m == modules:
            q = services.quiz_save(
                actor=actor,
                module=module,
                data={
                    "title": "Kuis Akhir",
                    "pass_percent": 50,
                    "max_attempts": 2,
                    "is_required": True,
                    "show_answers": True,
                },
            )
            services.question_add(
                actor=actor,
                quiz=q,
                kind="single",
                text="Incoterm untuk harga di pelabuhan muat?",
                choices=[("FOB", True), ("DDP", False), ("EXW", False)],
            )
            services.question_add(
                actor=actor, quiz=q, kind="true_false", text="HS Code terdiri dari angka.", choices=[("", True)]
            )
    course.refresh_from_db()
    return course


class World:
    def __init__(self, make_user, admin):
        self.admin = admin
        self.shop = Shop(admin)
        self.mentor = make_user(Role.MENTOR, full_name="Mentor Budi", email="mentor@example.com")
        self.member = make_user(full_name="Member Premium", email="premium@example.com")
        self.free = make_user(full_name="Member Gratis", email="gratis@example.com")
        self.affiliate = make_user(Role.AFFILIATE, full_name="Dinda Affiliate", email="dinda@example.com")
        self.course = build_course(admin, "Dasar Ekspor", mentor=self.mentor.pk)
        self.plan = self.shop.plan("Gold", rank=2, resources=[self.course.resource], slug="gold")
        price = PlanPrice.objects.get(plan=self.plan)
        membership_activate(user=self.member, plan_price=price, amount_paid=1_200_000, now=timezone.now())
