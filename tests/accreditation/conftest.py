import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haihe.accreditation import services
from haihe.evidence.services import attach
from haihe.panels import scoring
from haihe.panels import services as panels
from tests.evidence.samples import pdf
from tests.factories import (
    OrganisationFactory,
    bureau_admin,
    district_reviewer,
    municipal_reviewer,
    org_admin,
)
from tests.panels.factories import expert, expert_user

DAY = datetime.date(2020, 6, 1)  # a Monday
CRITERIA = ("conditions", "trainers", "programme", "results")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def on_day(clock, reference_data):
    clock.travel(DAY)
    return clock


@pytest.fixture
def heping(districts):
    return districts["120101"]


@pytest.fixture
def hexi(districts):
    return districts["120103"]


@pytest.fixture
def admin(on_day):
    return bureau_admin(username="bureau")


@pytest.fixture
def municipal(on_day):
    return municipal_reviewer(username="municipal")


@pytest.fixture
def enterprise(heping):
    return OrganisationFactory(district=heping, kinds=["enterprise"])


@pytest.fixture
def applicant(enterprise):
    return org_admin(enterprise)


@pytest.fixture
def reviewer(heping):
    return district_reviewer(heping)


def make_call(admin, kind="enterprise_training_centre", required=("business_licence",), **kw):
    values = {
        "kind": kind,
        "year": 2020,
        "round": 1,
        "title": f"2020年{kind}认定申报通知",
        "opens_on": datetime.date(2020, 5, 1),
        "closes_on": datetime.date(2020, 7, 31),
        "required_evidence": list(required),
        **kw,
    }
    call = services.call_create(actor=admin, **values)
    return services.call_open(actor=admin, call=call)


@pytest.fixture
def centre_call(admin):
    return make_call(admin)


def upload(kind_name="licence.pdf"):
    return SimpleUploadedFile(kind_name, pdf(kind_name), content_type="application/pdf")


def attach_kind(user, application, kind="business_licence"):
    return attach(actor=user, case=application, kind=kind, uploaded_file=upload(f"{kind}.pdf"))


def good_centre(applicant, call):
    return services.application_create(
        actor=applicant, call=call, trainers=8, area=500, workstations=40, summary="企业培训中心"
    )


def settle_panel(admin, application, *, value=85):
    """A panel of three scores the application and signs off (chair, then a bureau person)."""
    from haihe.accreditation.workflows import purpose_key

    panel = panels.panel_create(actor=admin, purpose=purpose_key(application.kind), name="评审组")
    experts = [expert() for _ in range(3)]
    for e in experts:
        panels.member_add(actor=admin, panel=panel, expert=e)
    panels.chair_set(actor=admin, panel=panel, expert=experts[0])
    case = panels.case_add(actor=admin, panel=panel, obj=application)
    panels.panel_open(actor=admin, panel=panel)
    panels.assignments_draw(actor=admin, panel=panel, seed=3)
    users = [expert_user(e) for e in experts]
    scheme = panels.scheme_of(panel)
    for user in users:
        sheet = case.assignments.get(member__expert__person=user.person, status="assigned").sheet
        scoring.sheet_submit(
            actor=user, sheet=sheet, scores={c.code: str(value) for c in scheme.criteria}
        )
    scoring.panel_lock(actor=users[0], panel=panel)
    scoring.panel_sign(actor=users[0], panel=panel)
    countersigner = bureau_admin()
    scoring.panel_countersign(actor=countersigner, panel=panel)
    return panel, case, users


def grant(admin, organisation, kind, *, required=(), clock=None, **facts):
    """An application of `organisation` under a fresh call of `kind`, taken through every stage
    and its notice: the recognition."""
    from haihe.accreditation.models import Call, Recognition
    from haihe.notices.models import Notice
    from haihe.notices.services import notice_approve, notice_finalise_due
    from tests.factories import municipal_reviewer

    round_ = Call.objects.filter(kind=kind, year=2020).count() + 1
    call = make_call(admin, kind=kind, required=required, round=round_)
    user = org_admin(organisation)
    application = services.application_create(actor=user, call=call, **facts)
    for code in required:
        attach_kind(user, application, code)
    services.application_submit(actor=user, application=application)
    services.application_decide(
        actor=district_reviewer(organisation.district), application=application, decision="approve"
    )
    settle_panel(admin, application)
    services.application_decide(
        actor=municipal_reviewer(), application=application, decision="approve"
    )
    services.application_decide(actor=admin, application=application, decision="approve")
    notice = Notice.objects.get(pk=application.notice_id)
    notice_approve(actor=municipal_reviewer(), notice=notice)
    notice.refresh_from_db()
    notice_finalise_due(today=notice.ends_on + datetime.timedelta(days=1))
    return Recognition.objects.get(application=application)
