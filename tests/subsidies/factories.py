"""Training rows for subsidy tests, made directly (the training module's own services are tested
there); each helper takes the few facts a test cares about."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from haihe.core import clock
from haihe.registry.models import Occupation
from haihe.training.models import Enrolment, Outcome, TrainingClass
from tests.factories import OrganisationFactory, PersonFactory, make_uscc

_serial = itertools.count(1)


def institution(district, **kw):
    kw.setdefault("bank_name", "天津银行")
    kw.setdefault("bank_account", "6222000011112222333")
    return OrganisationFactory(
        district=district, kinds=["training_institution"], uscc=make_uscc(district.code), **kw
    )


def training_class(organisation, *, district=None, occ=None, level=4, start=None, end=None, **kw):
    start = start or datetime.date(2020, 3, 1)
    end = end or start + datetime.timedelta(days=30)
    return TrainingClass.objects.create(
        organisation=organisation,
        name=kw.pop("name", f"测试班{next(_serial)}"),
        occupation=occ or Occupation.objects.order_by("code").first(),
        level=level,
        mode="offline",
        planned_theory_hours=Decimal(40),
        planned_practice_hours=Decimal(40),
        start_date=start,
        end_date=end,
        district=district or organisation.district,
        venue="测试地点",
        capacity=50,
        status=kw.pop("status", "approved"),
        **kw,
    )


def enrolment(klass, person=None, *, status="completed", eligible=True, enrolled_at=None, **kw):
    person = person or PersonFactory(district=klass.district)
    return Enrolment.objects.create(
        training_class=klass,
        person=person,
        status=status,
        eligible=eligible,
        enrolled_at=enrolled_at
        or timezone.make_aware(datetime.datetime.combine(klass.start_date, datetime.time(9))),
        completed_at=clock.now() if status == "completed" else None,
        **kw,
    )


def certificate_number(level=4, year=20):
    return f"S000112000001{year:02d}{level}{next(_serial):06d}"


def outcome(enrol, *, kind="skill_certificate", issued_on=None, level=None, number=None):
    klass = enrol.training_class
    lvl = level if level is not None else (klass.level if kind == "skill_certificate" else None)
    return Outcome.objects.create(
        enrolment=enrol,
        kind=kind,
        certificate_number=number or certificate_number(klass.level),
        level=lvl,
        issuing_body="天津市职业技能评价中心",
        issued_on=issued_on or klass.end_date + datetime.timedelta(days=10),
    )


def class_with_outcomes(organisation, n=3, **kw):
    klass = training_class(organisation, **kw)
    outcomes = [outcome(enrolment(klass)) for _ in range(n)]
    return klass, outcomes
