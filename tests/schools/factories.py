"""Technical schools, enterprises and their cases for the tests."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from haihe.evidence import services as evidence
from haihe.registry.models import Occupation, OrgKind
from haihe.schools import services
from tests.evidence import samples
from tests.factories import OrganisationFactory


def school(district, **kw):
    return OrganisationFactory(
        district=district, kinds=[OrgKind.TECHNICAL_SCHOOL], size_class="", **kw
    )


def enterprise(district, **kw):
    return OrganisationFactory(district=district, kinds=[OrgKind.ENTERPRISE], **kw)


def major_data(**kw):
    data = {
        "name": "工业机器人应用与维护",
        "occupation": "6-30-99-00",
        "level": "pre_technician",
        "industry": "intelligent_technology",
        "planned_intake": 40,
        "start_year": 2026,
    }
    data.update(kw)
    return data


def pdf_upload(name="plan.pdf"):
    return SimpleUploadedFile(name, samples.pdf(), content_type="application/pdf")


def attach(actor, case, kind):
    return evidence.attach(actor=actor, case=case, kind=kind, uploaded_file=pdf_upload())


def submitted_major(filer, **kw):
    major = services.major_create(actor=filer, data=major_data(**kw))
    attach(filer, major, "programme_plan")
    return services.major_submit(actor=filer, major=major)


def agreement_data(partner, **kw):
    data = {
        "enterprise": partner.uscc,
        "form": "order_class",
        "students": 30,
        "start_date": datetime.date(2026, 3, 1),
        "end_date": datetime.date(2027, 7, 31),
        "summary": "订单班：企业参与课程设置，学生毕业后进入企业工作。",
    }
    data.update(kw)
    return data


def approved_agreement(filer, partner, district_user, municipal_user, **kw):
    agreement = services.agreement_create(actor=filer, data=agreement_data(partner, **kw))
    attach(filer, agreement, "signed_agreement")
    services.agreement_submit(actor=filer, agreement=agreement)
    services.agreement_decide(actor=district_user, agreement=agreement, decision="approve")
    services.agreement_decide(actor=municipal_user, agreement=agreement, decision="approve")
    return agreement


def occupation(code):
    return Occupation.objects.get(code=code)
