"""Test data for the live-class tests, built through the services."""

from sanggar.classes import services
from sanggar.core.roles import Role


class World:
    def __init__(self, make_user, admin, *, max_students=2, **template):
        self.admin = admin
        self.tutor = make_user(Role.MENTOR, full_name="Dr. Ahmad", email="ahmad@example.com")
        self.student = make_user(full_name="Siti Rahma", email="siti@example.com")
        self.template = services.template_create(
            actor=admin,
            data={
                "name": "Semi-Private Grammar",
                "subject": "Bahasa Inggris",
                "price": 500_000,
                "max_students": max_students,
                **template,
            },
        )
        self.section = services.section_create(actor=admin, template=self.template, tutor=self.tutor)
        self._n = 0

    def new_student(self, make_user):
        self._n += 1
        return make_user(full_name=f"Siswa {self._n}", email=f"siswa{self._n}@example.com")
