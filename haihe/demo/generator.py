"""The Tianjin 2020 scenario, deterministic for a seed, at any scale.

At --scale 1 the populations have the sizes the seed article implies (370,000 person-times of
subsidised training need roughly 300,000 trainees); smaller scales shrink people and enterprises,
never the platform counts (1 supervision platform, 30 online training platforms, …).
"""

import datetime
import importlib
import importlib.util
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from haihe.accounts.models import User
from haihe.accounts.roles import Role
from haihe.core import clock
from haihe.demo import names
from haihe.policy.loader import load_calendars, load_parameters
from haihe.registry.models import (
    Affiliation,
    District,
    InsurancePeriod,
    KeyGroup,
    KeyGroupMembership,
    Organisation,
    OrganisationKind,
    OrgKind,
    Person,
)
from haihe.registry.services import DATA_DIR, load_districts, occupations_replace

# The scenario's day: the article's date. The demo pins the platform's clock to it
# (core.clock, HAIHE_TODAY), so that its 2020 is live: claims within their deadlines, review
# queues with work dated around it, the dashboard on the scenario's months.
SCENARIO_DAY = datetime.date(2020, 11, 27)
DEMO_PASSWORD = "haihe2020"  # noqa: S105  (printed at start; demo only)

PEOPLE_AT_SCALE_1 = 300_000
ENTERPRISES_AT_SCALE_1 = 20_000
TRAINING_INSTITUTIONS = 240
TECHNICAL_SCHOOLS = 40
THIRD_PARTY_EVALUATION_BODIES = 25
ONLINE_TRAINING_PLATFORMS = 30

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Birth counties valid in every year we draw from (1960-2004); stdnum checks the year.
BIRTH_COUNTIES = [
    "120101", "120102", "120103", "120104", "120105", "120106",
    "120110", "120111", "120112", "120113",
    "120221", "120222", "120223", "120224", "120225",
    "130102", "130203", "130602", "131002", "370102", "410102", "140105", "210102",
]  # fmt: skip


@dataclass
class DemoResult:
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # printed at start (e.g. xAPI credentials)


# The programme modules' parts of the scenario, in order; each is a module with
# `build(scenario: Scenario) -> dict[str, int]` (counts to print). A step may add notes to
# `scenario.result.notes` and read what earlier steps left on the scenario.
STEPS = [
    "haihe.demo.training_scenario",
    "haihe.demo.subsidy_scenario",
    "haihe.demo.supervision_scenario",
    "haihe.demo.schools_scenario",
    "haihe.demo.accreditation_scenario",
]


class Scenario:
    def __init__(self, *, seed: int = 2020, scale: float = 0.02):
        self.rng = random.Random(seed)
        self.scale = scale
        self.region = settings.HAIHE_REGION_CODE
        self.used_rics: set[str] = set()
        self.used_usccs: set[str] = set()
        self.result = DemoResult()

    # identifiers ---------------------------------------------------------------------
    def ric(self, birth: datetime.date, sex: str) -> str:
        while True:
            county = self.rng.choice(BIRTH_COUNTIES)
            seq = self.rng.randrange(0, 100)
            sex_digit = self.rng.choice("13579" if sex == "M" else "02468")
            body = f"{county}{birth:%Y%m%d}{seq:02d}{sex_digit}"
            number = body + stdnum_ric.calc_check_digit(body + "0")
            if number in self.used_rics or not stdnum_ric.is_valid(number):
                continue
            self.used_rics.add(number)
            return number

    def uscc(self, district_code: str, authority: str = "91") -> str:
        while True:
            body = authority + district_code
            body += "".join(self.rng.choice(USCC_ALPHABET) for _ in range(9))
            number = body + stdnum_uscc.calc_check_digit(body)
            if number not in self.used_usccs:
                self.used_usccs.add(number)
                return number

    def person_name(self) -> str:
        given = "".join(self.rng.choice(names.GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(names.SURNAMES) + given

    def mobile(self) -> str:
        return f"1{self.rng.choice('3578')}{self.rng.randrange(10**9):09d}"

    def moment(self, start: datetime.date, end: datetime.date) -> datetime.datetime:
        days = (end - start).days
        day = start + datetime.timedelta(days=self.rng.randrange(days + 1))
        return timezone.make_aware(
            datetime.datetime.combine(
                day, datetime.time(self.rng.randrange(8, 18), self.rng.randrange(60))
            )
        )

    # the scenario ----------------------------------------------------------------------
    def build(self) -> DemoResult:
        with clock.pinned(SCENARIO_DAY), transaction.atomic():
            return self._build()

    def _build(self) -> DemoResult:
        load_districts(self.region)
        occupations_replace(
            actor=None, text=(DATA_DIR / "occupations.csv").read_text(encoding="utf-8")
        )
        load_parameters(self.region)
        load_calendars()
        self.districts = list(District.objects.filter(region_code=self.region))
        weights = []
        import csv

        with (DATA_DIR / f"districts_{self.region}.csv").open(encoding="utf-8") as handle:
            population = {
                row["code"]: int(row["population_2020"]) for row in csv.DictReader(handle)
            }
        weights = [population.get(d.code, 1) for d in self.districts]
        self.weights = weights
        self.organisations()
        self.people()
        self.accounts()
        for step in STEPS:
            if importlib.util.find_spec(step) is None:
                continue  # that module's scenario is not built yet
            self.result.counts.update(importlib.import_module(step).build(self) or {})
        return self.result

    def district(self) -> District:
        return self.rng.choices(self.districts, weights=self.weights)[0]

    def _org(self, name, district, kinds, size="", authority="91", since=None):
        org = Organisation(
            uscc=self.uscc(district.code, authority),
            name=name,
            district=district,
            size_class=size,
            address=f"{district.name_zh}{self.rng.choice(names.ORG_WORDS)}路{self.rng.randrange(1, 300)}号",
            contact_name=self.person_name(),
            contact_mobile=self.mobile(),
            bank_name=self.rng.choice(
                ["中国工商银行天津分行", "中国建设银行天津分行", "中国银行天津分行", "天津银行"]
            ),
            bank_account=f"{self.rng.randrange(10**18):019d}",
            created_at=self.moment(datetime.date(2015, 1, 1), datetime.date(2019, 12, 31)),
        )
        org._kinds = kinds
        org._since = since
        return org

    def organisations(self) -> None:
        by_code = {d.code: d for d in self.districts}
        hexi = by_code.get("120103", self.districts[0])
        orgs = [self._org("天津市人力资源和社会保障局", hexi, [OrgKind.BUREAU], authority="11")]
        orgs.append(
            self._org(
                "天津市职业技能线上培训监管平台",
                hexi,
                [OrgKind.SUPERVISION_PLATFORM],
                authority="12",
            )
        )
        platform_names = set()
        while len(platform_names) < ONLINE_TRAINING_PLATFORMS:
            platform_names.add(
                f"{self.rng.choice(names.ORG_WORDS)}{self.rng.choice(names.PLATFORM_WORDS)}"
            )
        for n in sorted(platform_names):
            orgs.append(
                self._org(
                    f"{n}网络科技有限公司",
                    self.district(),
                    [OrgKind.ONLINE_TRAINING_PLATFORM, OrgKind.ENTERPRISE],
                    size="medium",
                    since=datetime.date(2020, 3, 1),
                )
            )
        for i in range(TRAINING_INSTITUTIONS):
            d = self.district()
            orgs.append(
                self._org(
                    f"天津市{d.name_zh}{self.rng.choice(names.ORG_WORDS)}{self.rng.choice(names.TRAINING_WORDS)}（{i + 1}）",
                    d,
                    [OrgKind.TRAINING_INSTITUTION],
                    authority="52",
                )
            )
        for i in range(TECHNICAL_SCHOOLS):
            d = self.district()
            orgs.append(
                self._org(
                    f"天津市{d.name_zh}第{i + 1}技工学校",
                    d,
                    [OrgKind.TECHNICAL_SCHOOL],
                    authority="12",
                )
            )
        for i in range(THIRD_PARTY_EVALUATION_BODIES):
            d = self.district()
            orgs.append(
                self._org(
                    f"天津{self.rng.choice(names.ORG_WORDS)}职业技能评价中心（{i + 1}）",
                    d,
                    [OrgKind.EVALUATION_BODY],
                    authority="52",
                )
            )
        n_enterprises = max(40, round(ENTERPRISES_AT_SCALE_1 * self.scale))
        sizes = ["large", "medium", "small", "micro"]
        for i in range(n_enterprises):
            d = self.district()
            orgs.append(
                self._org(
                    f"天津{self.rng.choice(names.ORG_WORDS)}{self.rng.choice(names.INDUSTRIES)}有限公司（{i + 1}）",
                    d,
                    [OrgKind.ENTERPRISE],
                    size=self.rng.choices(sizes, weights=[3, 12, 35, 50])[0],
                )
            )
        Organisation.objects.bulk_create(orgs, batch_size=2000)
        if orgs[0].pk is None:
            ids = dict(Organisation.objects.values_list("uscc", "pk"))
            for org in orgs:
                org.pk = org.id = ids[org.uscc]
        kinds, periods = [], []
        for org in orgs:
            for kind in org._kinds:
                kinds.append(OrganisationKind(organisation=org, kind=kind, since=org._since))
            if OrgKind.ENTERPRISE in org._kinds:
                start = org.created_at.date()
                status = self.rng.choices(["insured", "arrears"], weights=[92, 8])[0]
                periods.append(
                    InsurancePeriod(
                        organisation=org,
                        status="insured",
                        valid_from=start,
                        valid_until=None if status == "insured" else datetime.date(2020, 1, 31),
                        insured_headcount=self.rng.randrange(3, 2000),
                    )
                )
                if status == "arrears":
                    periods.append(
                        InsurancePeriod(
                            organisation=org, status="arrears", valid_from=datetime.date(2020, 2, 1)
                        )
                    )
        OrganisationKind.objects.bulk_create(kinds, batch_size=2000)
        InsurancePeriod.objects.bulk_create(periods, batch_size=2000)
        self.orgs = orgs
        self.result.counts["organisations"] = len(orgs)

    def add_enterprises(self, orgs: list, headcount: tuple[int, int] = (300, 5000)) -> None:
        """Register enterprises a later step needs beyond the scale's population (`_org`
        objects), insured since they were registered."""
        Organisation.objects.bulk_create(orgs, batch_size=2000)
        ids = dict(
            Organisation.objects.filter(uscc__in=[o.uscc for o in orgs]).values_list("uscc", "pk")
        )
        for org in orgs:
            org.pk = org.id = ids[org.uscc]
        OrganisationKind.objects.bulk_create(
            [OrganisationKind(organisation=o, kind=k) for o in orgs for k in o._kinds]
        )
        InsurancePeriod.objects.bulk_create(
            [
                InsurancePeriod(
                    organisation=o,
                    status="insured",
                    valid_from=o.created_at.date(),
                    insured_headcount=self.rng.randrange(*headcount),
                )
                for o in orgs
            ]
        )
        self.orgs.extend(orgs)

    def people(self) -> None:
        n = max(200, round(PEOPLE_AT_SCALE_1 * self.scale))
        people = []
        for _ in range(n):
            sex = self.rng.choice("MF")
            birth = datetime.date(1960, 1, 1) + datetime.timedelta(
                days=self.rng.randrange(365 * 44)
            )
            people.append(
                Person(
                    ric=self.ric(birth, sex),
                    name=self.person_name(),
                    birth_date=birth,
                    sex=sex,
                    mobile=self.mobile() if self.rng.random() < 0.95 else "",
                    district=self.district(),
                    created_at=self.moment(datetime.date(2018, 6, 1), datetime.date(2020, 3, 31)),
                )
            )
        Person.objects.bulk_create(people, batch_size=5000)
        if people[0].pk is None:
            ids = dict(Person.objects.values_list("ric", "pk"))
            for p in people:
                p.pk = p.id = ids[p.ric]
        memberships = []
        groups = [g for g, _label in KeyGroup.choices]
        for person in people:
            if self.rng.random() < 0.18:
                group = self.rng.choices(groups, weights=[25, 20, 25, 5, 20, 3, 2])[0]
                start = person.created_at.date() - datetime.timedelta(
                    days=self.rng.randrange(30, 400)
                )
                memberships.append(
                    KeyGroupMembership(
                        person=person,
                        group=group,
                        valid_from=start,
                        valid_until=start + datetime.timedelta(days=730)
                        if group == KeyGroup.UNEMPLOYED_GRADUATE
                        else None,
                        evidence=f"津人社证字〔{start.year}〕{self.rng.randrange(1, 9999):04d}号",
                        recorded_at=person.created_at,
                    )
                )
        KeyGroupMembership.objects.bulk_create(memberships, batch_size=5000)
        # Employees of enterprises, trainees of institutions: what lets an organisation see them.
        enterprises = [o for o in self.orgs if OrgKind.ENTERPRISE in o._kinds and o.size_class]
        institutions = [o for o in self.orgs if OrgKind.TRAINING_INSTITUTION in o._kinds]
        links = []
        for person in people:
            if self.rng.random() < 0.6:
                links.append(
                    Affiliation(
                        organisation=self.rng.choice(enterprises),
                        person=person,
                        relation="employee",
                        since=person.created_at.date(),
                    )
                )
            if self.rng.random() < 0.5:
                links.append(
                    Affiliation(
                        organisation=self.rng.choice(institutions),
                        person=person,
                        relation="trainee",
                        since=person.created_at.date(),
                    )
                )
        Affiliation.objects.bulk_create(links, batch_size=5000)
        self.people_list = people
        self.result.counts["people"] = len(people)

    def accounts(self) -> None:
        """Demo accounts for every role; `self.users` maps username -> User for later steps."""
        self.users: dict[str, User] = {}
        # Every demo account has the same password: hash it once (Argon2 is slow by design).
        password_hash = make_password(DEMO_PASSWORD)

        def add(username, role, label, **scope):
            user = User(username=username, role=role, display_name=label, **scope)
            user.password = password_hash
            user.save()
            self.users[username] = user
            self.result.accounts.append(
                (str(Role(role).label), username, DEMO_PASSWORD, str(label))
            )
            return user

        bureau = next(o for o in self.orgs if OrgKind.BUREAU in o._kinds)
        add("admin", Role.BUREAU_ADMIN, "市人社局管理员", organisation=None)
        add("municipal1", Role.MUNICIPAL_REVIEWER, "市级审核员一")
        add("municipal2", Role.MUNICIPAL_REVIEWER, "市级审核员二")
        del bureau
        for d in self.districts:
            add(f"district-{d.code}", Role.DISTRICT_REVIEWER, f"{d.name_zh}审核员", district=d)
        institution = next(o for o in self.orgs if OrgKind.TRAINING_INSTITUTION in o._kinds)
        add("institution-admin", Role.ORG_ADMIN, institution.name, organisation=institution)
        add("institution-staff", Role.ORG_STAFF, institution.name, organisation=institution)
        enterprise = next(
            o for o in self.orgs if OrgKind.ENTERPRISE in o._kinds and o.size_class == "small"
        )
        add("enterprise-admin", Role.ORG_ADMIN, enterprise.name, organisation=enterprise)
        platform = next(o for o in self.orgs if OrgKind.ONLINE_TRAINING_PLATFORM in o._kinds)
        add("platform-admin", Role.ORG_ADMIN, platform.name, organisation=platform)
        school = next(o for o in self.orgs if OrgKind.TECHNICAL_SCHOOL in o._kinds)
        add("school-admin", Role.ORG_ADMIN, school.name, organisation=school)
        body = next(o for o in self.orgs if OrgKind.EVALUATION_BODY in o._kinds)
        add("evaluation-admin", Role.ORG_ADMIN, body.name, organisation=body)
        add("expert1", Role.EXPERT, "评审专家一")
        worker = self.people_list[0]
        add("worker1", Role.WORKER, worker.name, person=worker)
