"""Factories for training tests (beside tests/factories.py, which covers registry and accounts)."""

import datetime
from decimal import Decimal

import factory

from haihe.core import clock
from haihe.registry.models import Occupation
from haihe.training.models import Enrolment, TrainingClass
from tests.factories import OrganisationFactory, PersonFactory


def soon(days: int = 10) -> datetime.date:
    return clock.today() + datetime.timedelta(days=days)


def occupation(code: str = "6-18-01-01") -> Occupation:
    found = Occupation.objects.filter(code=code).first()
    return found or Occupation.objects.order_by("code").first()


class TrainingClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingClass

    organisation = factory.SubFactory(OrganisationFactory, kinds=["training_institution"])
    name = factory.Sequence(lambda n: f"测试班{n}")
    occupation = factory.LazyFunction(occupation)
    level = 4
    mode = "offline"
    platform = None
    planned_theory_hours = Decimal("20")
    planned_practice_hours = Decimal("20")
    start_date = factory.LazyFunction(lambda: soon(10))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=9))
    district = factory.LazyAttribute(lambda o: o.organisation.district)
    venue = "测试路 1 号"
    capacity = 30
    status = "draft"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    training_class = factory.SubFactory(TrainingClassFactory, status="approved")
    person = factory.SubFactory(PersonFactory)
    status = "enrolled"
    eligible = True
