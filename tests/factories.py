import factory
from factory.django import DjangoModelFactory

from accountability.models import Organisation, Role, RoleAssignment, Unit, User

PASSWORD = "Test@2026-pass"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org{n}")
    name = factory.Sequence(lambda n: f"第{n}测试局")
    short_name = factory.LazyAttribute(lambda o: o.name)


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"第{n}处")
    kind = Unit.Kind.DEPARTMENT


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试人员{n}")
    organisation = factory.LazyAttribute(lambda u: u.unit.organisation if u.unit else None)
    unit = None
    # Hashed before the row is written: one INSERT per person rather than an INSERT and then an
    # UPDATE (with its history row) to store the password.
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            RoleAssignment.objects.get_or_create(
                user=self, organisation=self.organisation, role=role
            )
        # A person found by username (get_or_create) gets the shared password back, as before.
        if create and not self.check_password(PASSWORD):
            self.set_password(PASSWORD)
            self.save()


__all__ = [
    "OrganisationFactory",
    "PASSWORD",
    "Role",
    "UnitFactory",
    "UserFactory",
]
