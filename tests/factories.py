"""Factories for tests (factory_boy, Faker fr_FR). Synthetic data only."""

from __future__ import annotations

from datetime import date

import factory
from django.conf import settings
from django.utils import timezone

from parcours.accounts.models import Organisation, OrganisationKind, Role, User
from parcours.catalog.models import MeasureType
from parcours.measures.models import Measure, MeasureStatus
from parcours.people.models import Assignment, Person
from parcours.rules.identity import fold

factory.Faker._DEFAULT_LOCALE = "fr_FR"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.SPIP
    name = factory.Sequence(lambda n: f"Organisation {n}")
    timezone = "Europe/Paris"

    @factory.post_generation
    def link_spip(obj: Organisation, create: bool, extracted: object, **kwargs: object) -> None:
        if obj.kind == OrganisationKind.SPIP and obj.spip_id is None:
            obj.spip = obj
            obj.save(update_fields=["spip"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.CPIP
    charter_accepted_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", settings.DEMO_PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


def measure_type(code: str = "sursis_probatoire") -> MeasureType:
    return MeasureType.objects.current().get(code=code)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    last_name = factory.Faker("last_name")
    first_names = factory.Faker("first_name")
    birth_date = date(1990, 5, 17)
    search_name = ""

    @factory.post_generation
    def assignment(obj: Person, create: bool, extracted: object, **kwargs: object) -> None:
        obj.search_name = fold(f"{obj.last_name} {obj.first_names} {obj.birth_name}")
        if create and obj.referent_id:
            Assignment.objects.create(
                person=obj, cpip_id=obj.referent_id, started_at=timezone.now()
            )


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    person = factory.SubFactory(PersonFactory)
    measure_type = factory.LazyFunction(measure_type)
    judgment_date = date(2025, 3, 1)
    start_date = date(2025, 3, 15)
    end_date = date(2027, 3, 15)
    probation_months = 24
    status = MeasureStatus.EN_COURS
