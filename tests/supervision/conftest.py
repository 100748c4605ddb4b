"""Fixtures of the supervision tests: two platforms, a class on the first, a trainee with a
real-name registered account, and `send` to store statements through the xAPI store (so the
`statements_stored` signal and the task run as in production)."""

import datetime
import uuid
from decimal import Decimal

import pytest

from haihe.registry.models import Occupation
from haihe.supervision import statements as st
from haihe.xapi.auth import Principal
from haihe.xapi.store import store_statements
from tests.factories import OrganisationFactory, PersonFactory

TZ_DAY = datetime.date(2020, 5, 11)


class World:
    def __init__(self, districts, capture):
        import zoneinfo

        self.tz = zoneinfo.ZoneInfo("Asia/Shanghai")
        self.capture = capture
        self.heping = districts["120101"]
        self.hexi = districts["120103"]
        self.platform = OrganisationFactory(
            district=self.heping, kinds=["online_training_platform", "enterprise"]
        )
        self.platform2 = OrganisationFactory(
            district=self.hexi, kinds=["online_training_platform", "enterprise"]
        )
        self.institution = OrganisationFactory(district=self.heping, kinds=["training_institution"])
        self.occupation = Occupation.objects.order_by("code").first()
        self.klass = self.make_class()
        self.person = PersonFactory(district=self.heping, name="张三")
        self.enrolment = self.enrol(self.person, self.klass)

    def home(self, platform) -> str:
        return f"https://p{platform.pk}.example.cn/"

    def at(self, hour, minute=0, second=0, day=TZ_DAY):
        return datetime.datetime.combine(day, datetime.time(hour, minute, second), tzinfo=self.tz)

    def make_class(self, platform=None, district=None, start=None, end=None, mode="online"):
        from haihe.training.models import TrainingClass

        start = start or datetime.date(2020, 5, 1)
        return TrainingClass.objects.create(
            organisation=self.institution,
            name="线上班",
            occupation=self.occupation,
            level=5,
            mode=mode,
            platform=platform or self.platform,
            planned_theory_hours=Decimal(40),
            planned_practice_hours=Decimal(0),
            start_date=start,
            end_date=end or start + datetime.timedelta(days=60),
            district=district or self.heping,
            capacity=30,
            status="approved",
        )

    def enrol(self, person, klass):
        from haihe.training.models import Enrolment

        return Enrolment.objects.create(training_class=klass, person=person)

    def send(self, platform, statements):
        principal = Principal(platform_id=platform.pk, credential_id=None,
                              platform_uscc=platform.uscc)  # fmt: skip
        with self.capture(execute=True):
            store_statements(principal, statements)

    def register(self, person, platform=None, account=None, at=None, name=None, ric=None):
        platform = platform or self.platform
        account = account or f"u{person.pk}"
        statement = st.real_name_registration(
            home_page=self.home(platform),
            account=account,
            ric=ric or person.ric,
            real_name=name or person.name,
            at=at or self.at(8),
        )
        self.send(platform, [statement])
        return statement

    def session(
        self,
        start,
        end,
        *,
        enrolment=None,
        platform=None,
        account=None,
        checks=None,
        claimed=None,
        send=True,
    ):
        enrolment = enrolment or self.enrolment
        platform = platform or self.platform
        if checks is None:
            checks, t = [], start
            while t < (end or start + datetime.timedelta(minutes=1)):
                checks.append((t, True))
                t += datetime.timedelta(minutes=30)
        statements = st.session_statements(
            home_page=self.home(platform),
            account=account or f"u{enrolment.person_id}",
            registration=enrolment.registration,
            course_id=f"{self.home(platform)}courses/{enrolment.training_class_id}",
            lesson_id=f"{self.home(platform)}lessons/{uuid.uuid4()}",
            start=start,
            end=end,
            checks=checks,
            claimed_seconds=claimed,
        )
        if send:
            self.send(platform, statements)
        return statements

    def hours(self, enrolment=None):
        from haihe.supervision.models import VerifiedHours

        row = VerifiedHours.objects.filter(enrolment=enrolment or self.enrolment).first()
        return row.hours if row else Decimal(0)


@pytest.fixture
def world(districts, django_capture_on_commit_callbacks):
    return World(districts, django_capture_on_commit_callbacks)
