"""Factories for the registry and accounts; each module adds its own beside its tests."""

import datetime
import itertools
import random

import factory
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from haihe.accounts.models import User
from haihe.accounts.roles import Role
from haihe.registry.models import (
    Affiliation,
    District,
    Organisation,
    OrganisationKind,
    Person,
)

_rng = random.Random(7)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


_ric_sequence = itertools.count(_rng.randrange(500))


def make_ric(birth: datetime.date = datetime.date(1990, 3, 7), sex: str = "M", county="120101"):
    """A valid RIC not yet in the database. Successive calls walk the 500 sequence numbers a
    birth date, county and sex allow, so numbers made in one test never repeat each other."""
    while True:
        n = next(_ric_sequence) % 500
        digit = ("13579" if sex == "M" else "02468")[n % 5]
        body = f"{county}{birth:%Y%m%d}{n // 5:02d}{digit}"
        number = body + stdnum_ric.calc_check_digit(body + "0")
        if not Person.objects.filter(ric=number).exists():
            return number


def make_uscc(district_code: str = "120101") -> str:
    body = "91" + district_code + "".join(_rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + stdnum_uscc.calc_check_digit(body)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = "120101"
    name_zh = "和平区"
    name_en = "Heping District"
    region_code = "120000"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试{n}")
    birth_date = datetime.date(1990, 3, 7)
    sex = "M"
    ric = factory.LazyAttribute(lambda o: make_ric(o.birth_date, o.sex))
    mobile = factory.Sequence(lambda n: f"138{n:08d}")
    district = factory.SubFactory(DistrictFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    uscc = factory.LazyFunction(make_uscc)
    name = factory.Sequence(lambda n: f"测试单位{n}")
    district = factory.SubFactory(DistrictFactory)
    size_class = "small"

    @factory.post_generation
    def kinds(self, create, extracted, **kwargs):
        for kind in extracted or ["enterprise"]:
            OrganisationKind.objects.create(organisation=self, kind=kind)


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    organisation = factory.SubFactory(OrganisationFactory)
    person = factory.SubFactory(PersonFactory)
    relation = "trainee"
    since = datetime.date(2020, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.BUREAU_ADMIN
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()


def bureau_admin(**kw):
    return UserFactory(role=Role.BUREAU_ADMIN, **kw)


def municipal_reviewer(**kw):
    return UserFactory(role=Role.MUNICIPAL_REVIEWER, **kw)


def district_reviewer(district, **kw):
    return UserFactory(role=Role.DISTRICT_REVIEWER, district=district, **kw)


def org_admin(organisation, **kw):
    return UserFactory(role=Role.ORG_ADMIN, organisation=organisation, **kw)


def org_staff(organisation, **kw):
    return UserFactory(role=Role.ORG_STAFF, organisation=organisation, **kw)


def worker(person, **kw):
    return UserFactory(role=Role.WORKER, person=person, **kw)
