import factory

from sanggar.accounts.models import User, UserRole
from sanggar.core.roles import Role

PASSWORD = "rahasia-uji-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@contoh.test")
    full_name = factory.Faker("name", locale="id_ID")
    whatsapp = factory.Sequence(lambda n: f"+62812{n:08d}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """UserFactory(roles=["admin"]): every user is a Member, plus the roles given."""
        if not create:
            return
        self.save()
        for role in {Role.MEMBER, *(extracted or ())}:
            UserRole.objects.get_or_create(user=self, role=role)
        self.__dict__.pop("role_set", None)
