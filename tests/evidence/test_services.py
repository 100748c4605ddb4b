"""attach / remove: what is stored, what is refused (each refusal names its field), the audit."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.core.audit import trail_for
from haihe.core.workflow import TransitionNotPossible
from haihe.evidence import services
from haihe.evidence.files import JPEG, PDF, PNG, XLSX
from haihe.evidence.models import Evidence
from haihe.policy.models import Parameter
from haihe.policy.services import value_add
from haihe.subsidies import services as claims
from tests.evidence import samples
from tests.evidence.conftest import upload
from tests.factories import bureau_admin, worker

pytestmark = pytest.mark.django_db


def _attach(actor, case, data, name="file.pdf", kind="attendance_sheet"):
    return services.attach(actor=actor, case=case, kind=kind, uploaded_file=upload(data, name))


@pytest.mark.parametrize(
    ("data", "name", "media_type"),
    [
        (samples.pdf(), "签到表.pdf", PDF),
        (samples.png(), "签到表.png", PNG),
        (samples.jpeg(), "签到表.JPG", JPEG),
        (samples.xlsx(), "签到表.xlsx", XLSX),
        (samples.pdf(), "签到表", PDF),  # no extension: the content decides
    ],
)
def test_each_accepted_type_is_stored_with_its_detected_type_size_and_hash(
    filer, draft, media, data, name, media_type
):
    row = _attach(filer, draft, data, name)
    row.refresh_from_db()
    assert row.media_type == media_type
    assert row.size == len(data)
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert row.original_name == name
    assert row.case == draft and row.organisation == filer.organisation
    assert row.uploaded_by == filer
    # stored under a random name without the user's name or extension, with the same bytes
    assert row.file.name.startswith("evidence/") and "." not in row.file.name
    assert name not in row.file.name
    stored = (media / row.file.name).read_bytes()
    assert stored == data


def test_an_audit_event_on_the_case_records_the_attachment(filer, draft):
    row = _attach(filer, draft, samples.pdf())
    event = trail_for(draft).filter(action="evidence.attached").get()
    assert event.actor == filer
    assert event.data["evidence"] == row.pk
    assert event.data["sha256"] == row.sha256
    assert event.data["kind"] == "attendance_sheet"
    assert event.organisation_id == draft.organisation_id


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (samples.exe(), "报告.pdf", "可执行程序"),
        (samples.html(), "page.pdf", "HTML"),
        (samples.svg(), "logo.png", "SVG"),
        (samples.xlsm(), "签到表.xlsx", "宏"),
        (samples.docx(), "签到表.xlsx", "不是 Excel 工作簿"),
        (samples.zip_bomb(), "签到表.xlsx", "压缩炸弹"),
        (samples.png(), "签到表.pdf", "扩展名（.pdf）与文件内容"),
        (samples.pdf(), "签到表.exe", "扩展名（.exe）与文件内容"),
        (b"", "empty.pdf", "文件为空"),
    ],
    ids=[
        "exe-as-pdf",
        "html",
        "svg",
        "xlsm",
        "docx-as-xlsx",
        "zip-bomb",
        "png-as-pdf",
        "pdf-as-exe",
        "empty",
    ],
)
def test_refused_files_name_the_file_field_and_store_nothing(
    filer, draft, media, data, name, words
):
    with pytest.raises(ValidationError) as refused:
        _attach(filer, draft, data, name)
    assert list(refused.value.error_dict) == ["file"]
    assert words in " ".join(refused.value.messages)
    assert not Evidence.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_a_file_over_the_dated_limit_is_refused(filer, draft, clock):
    limit = 10 * 1024 * 1024
    data = samples.pdf() + b"\0" * (limit + 1 - len(samples.pdf()))
    with pytest.raises(ValidationError) as refused:
        _attach(filer, draft, data)
    assert "10.0 MB" in " ".join(refused.value.messages) or "10.0" in str(refused.value)
    assert not Evidence.objects.exists()
    assert _attach(filer, draft, data[:limit]).size == limit


def test_the_bureau_lowers_the_limit_from_a_date(filer, draft, clock):
    value_add(
        actor=bureau_admin(),
        parameter=Parameter.objects.get(key="evidence.max_bytes"),
        effective_from=clock.today + datetime.timedelta(days=1),
        raw_value="100",
        source="测试通知",
    )
    big = samples.pdf() + b"\0" * 200
    assert _attach(filer, draft, big).size == len(big)  # today the old limit
    clock.shift(1)
    with pytest.raises(ValidationError, match="100"):
        _attach(filer, draft, big + b"x")


def test_a_kind_accepts_only_its_types(filer, draft):
    """Invoices: PDF and images only (evidence.media_types), not a workbook."""
    with pytest.raises(ValidationError) as refused:
        _attach(filer, draft, samples.xlsx(), "发票.xlsx", kind="invoice")
    assert list(refused.value.error_dict) == ["file"]
    assert "发票只接受" in " ".join(refused.value.messages)
    assert _attach(filer, draft, samples.xlsx(), "签到表.xlsx", kind="other").media_type == XLSX


def test_an_unknown_kind_is_refused_naming_kind(filer, draft):
    with pytest.raises(ValidationError) as refused:
        _attach(filer, draft, samples.pdf(), kind="passport")
    assert list(refused.value.error_dict) == ["kind"]


def test_no_file_is_refused_naming_file(filer, draft):
    with pytest.raises(ValidationError) as refused:
        services.attach(actor=filer, case=draft, kind="invoice", uploaded_file=None)
    assert list(refused.value.error_dict) == ["file"]


def test_the_same_file_twice_on_one_case_is_refused(filer, draft, media):
    _attach(filer, draft, samples.pdf())
    with pytest.raises(ValidationError, match="已上传过"):
        _attach(filer, draft, samples.pdf(), "again.pdf", kind="other")
    assert Evidence.objects.count() == 1
    assert len([p for p in media.rglob("*") if p.is_file()]) == 1  # the copy was not kept


def test_nobody_but_the_institution_attaches_and_only_while_editable(
    filer, colleague, draft, district_user, municipal_user, other_org_user
):
    for outsider in (district_user, municipal_user, other_org_user, bureau_admin()):
        with pytest.raises(PermissionDenied):
            _attach(outsider, draft, samples.pdf())
    assert _attach(colleague, draft, samples.pdf()).uploaded_by == colleague
    claims.claim_submit(actor=filer, claim=draft)
    draft.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _attach(filer, draft, samples.png(), "a.png")


def test_a_worker_attaches_nothing(filer, draft):
    line = draft.lines.first()
    with pytest.raises(PermissionDenied):
        _attach(worker(line.person), draft, samples.pdf())


def test_removal_voids_the_row_keeps_the_file_and_is_audited(filer, draft, media):
    row = _attach(filer, draft, samples.pdf())
    services.remove(actor=filer, evidence=row, reason="传错了")
    row.refresh_from_db()
    assert row.removed and row.removed_by == filer and row.removal_reason == "传错了"
    assert (media / row.file.name).exists()
    assert list(services.for_case(filer, draft)) == []
    assert trail_for(draft).filter(action="evidence.removed").get().data["reason"] == "传错了"
    with pytest.raises(TransitionNotPossible):
        services.remove(actor=filer, evidence=row)
    # the same file may be attached again once the first copy is removed
    assert _attach(filer, draft, samples.pdf()).pk != row.pk


def test_removal_only_while_the_case_is_editable(filer, draft, district_user):
    row = _attach(filer, draft, samples.pdf())
    with pytest.raises(PermissionDenied):
        services.remove(actor=district_user, evidence=row)
    claims.claim_submit(actor=filer, claim=draft)
    with pytest.raises(PermissionDenied):
        services.remove(actor=filer, evidence=row)
    with pytest.raises(ValidationError) as refused:
        services.remove(actor=filer, evidence=row, reason="x" * 256)
    assert list(refused.value.error_dict) == ["reason"]
