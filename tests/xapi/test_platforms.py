"""Platform selection and credentials: refusal of lapsed/revoked platforms, isolation, the
operators' pages and the `platform-credentials` command."""

import datetime
import io
import uuid

import orjson
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from haihe.core import clock
from haihe.core.models import AuditEvent
from haihe.xapi import services
from haihe.xapi.auth import secret_digest
from haihe.xapi.models import Credential, PlatformSelection, Statement
from tests.factories import OrganisationFactory, bureau_admin, district_reviewer, org_admin
from tests.xapi.conftest import XAPIClient, make_platform, statement

pytestmark = pytest.mark.django_db


def test_secret_is_stored_only_as_digest(platform):
    credential, key, secret = services.credential_issue(actor=None, organisation=platform)
    credential.refresh_from_db()
    assert credential.key == key
    assert credential.secret_digest == secret_digest(secret)
    assert secret not in credential.secret_digest
    assert len(secret) >= 43  # 256 random bits, URL-safe base64


def test_wrong_secret_unknown_key_and_no_auth_are_401(lrs, platform):
    _c, key, _secret = services.credential_issue(actor=None, organisation=platform)
    assert XAPIClient(key, "wrong").statements(statement()).status_code == 401
    assert XAPIClient("nokey", "x").statements(statement()).status_code == 401
    response = XAPIClient(None, None).get("statements")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    garbage = XAPIClient(None, None).get("statements", headers={"HTTP_AUTHORIZATION": "Basic !!"})
    assert garbage.status_code == 401


def test_revoked_credential_is_refused_and_others_keep_working(platform):
    admin = bureau_admin()
    first, key1, secret1 = services.credential_issue(actor=admin, organisation=platform)
    _second, key2, secret2 = services.credential_issue(actor=admin, organisation=platform)
    services.credential_revoke(actor=admin, credential=first, reason="泄露")
    response = XAPIClient(key1, secret1).statements(statement())
    assert response.status_code == 401
    assert "revoked" in response.json()["message_en"]
    assert XAPIClient(key2, secret2).statements(statement()).status_code == 200


def test_revoked_selection_is_refused_with_clear_message_and_records_stay(lrs, platform):
    data = statement()
    lrs.statements(data)
    admin = bureau_admin()
    services.selection_revoke(
        actor=admin, selection=PlatformSelection.objects.get(organisation=platform), reason="违规"
    )
    response = lrs.statements(statement())
    assert response.status_code == 403
    body = response.json()
    assert "不在入选期内" in body["message_zh"]
    assert "not currently selected" in body["message_en"]
    assert lrs.get("statements").status_code == 403
    assert Statement.objects.filter(statement_id=data["id"]).exists()
    assert AuditEvent.objects.filter(action="xapi.selection_revoked").count() == 1


def test_lapsed_selection_is_refused_on_the_day_after(platform):
    today = clock.today()
    lapsed = make_platform("丙平台", selected=False)
    services.platform_select(
        actor=None,
        organisation=lapsed,
        valid_from=today - datetime.timedelta(days=10),
        valid_until=today - datetime.timedelta(days=1),
    )
    _c, key, secret = services.credential_issue(actor=None, organisation=lapsed)
    assert XAPIClient(key, secret).statements(statement()).status_code == 403
    future = make_platform("丁平台", selected=False)
    services.platform_select(
        actor=None,
        organisation=future,
        valid_from=today + datetime.timedelta(days=1),
        valid_until=today + datetime.timedelta(days=10),
    )
    _c, key, secret = services.credential_issue(actor=None, organisation=future)
    assert XAPIClient(key, secret).statements(statement()).status_code == 403
    edge = make_platform("戊平台", selected=False)
    services.platform_select(actor=None, organisation=edge, valid_from=today, valid_until=today)
    _c, key, secret = services.credential_issue(actor=None, organisation=edge)
    assert XAPIClient(key, secret).statements(statement()).status_code == 200


def test_platform_reads_only_its_own_statements(lrs, other_lrs):
    mine, theirs = statement(), statement()
    lrs.statements(mine)
    other_lrs.statements(theirs)
    assert [s["id"] for s in lrs.get("statements").json()["statements"]] == [mine["id"]]
    assert other_lrs.get("statements", {"statementId": mine["id"]}).status_code == 404
    agent = orjson.dumps(mine["actor"]).decode()
    ids = [s["id"] for s in other_lrs.get("statements", {"agent": agent}).json()["statements"]]
    assert mine["id"] not in ids


def test_platform_cannot_overwrite_or_void_another_platforms_statement(lrs, other_lrs):
    mine = statement()
    lrs.statements(mine)
    assert other_lrs.statements(mine).status_code == 409
    voiding = {
        "actor": mine["actor"],
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
        "object": {"objectType": "StatementRef", "id": mine["id"]},
    }
    assert other_lrs.statements(voiding).status_code == 200
    assert Statement.objects.get(statement_id=mine["id"]).voided is False
    assert lrs.get("statements", {"statementId": mine["id"]}).status_code == 200


def test_a_signed_in_session_does_not_authenticate_xapi_calls(client, lrs, other_lrs, platform):
    """HTTP Basic only (issue 9, item 7; tests/security/test_browser_protections.py)."""
    mine, theirs = statement(), statement()
    lrs.statements(mine)
    other_lrs.statements(theirs)
    client.force_login(bureau_admin())
    session = XAPIClient(None, None, client)
    assert session.get("statements").status_code == 401
    assert session.statements(statement()).status_code == 401


def test_statements_are_scoped_for_users_like_the_pages(lrs, other_lrs, platform):
    mine, theirs = statement(), statement()
    lrs.statements(mine)
    other_lrs.statements(theirs)

    def ids(user):
        return {str(s.statement_id) for s in Statement.objects.visible_to(user)}

    assert ids(bureau_admin()) == {mine["id"], theirs["id"]}
    assert ids(org_admin(platform)) == {mine["id"]}
    elsewhere = OrganisationFactory(district__code="120102", district__name_zh="河东区")
    assert ids(district_reviewer(elsewhere.district)) == set()


def test_only_bureau_admin_selects_and_issues(platform):
    outsider = org_admin(platform)
    with pytest.raises(PermissionDenied):
        services.platform_select(
            actor=outsider,
            organisation=platform,
            valid_from=datetime.date(2020, 1, 1),
            valid_until=datetime.date(2020, 12, 31),
        )
    with pytest.raises(PermissionDenied):
        services.credential_issue(actor=outsider, organisation=platform)


def test_platform_admin_revokes_own_credential_but_not_others(platform, other_platform):
    own, _k, _s = services.credential_issue(actor=None, organisation=platform)
    foreign, _k, _s = services.credential_issue(actor=None, organisation=other_platform)
    admin = org_admin(platform)
    services.credential_revoke(actor=admin, credential=own, reason="换新")
    with pytest.raises(PermissionDenied):
        services.credential_revoke(actor=admin, credential=foreign, reason="x")


def test_selection_rules(platform):
    admin = bureau_admin()
    with pytest.raises(ValidationError):
        services.platform_select(
            actor=admin,
            organisation=platform,
            valid_from=datetime.date(2020, 2, 1),
            valid_until=datetime.date(2020, 1, 1),
        )
    enterprise = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.platform_select(
            actor=admin,
            organisation=enterprise,
            valid_from=datetime.date(2020, 1, 1),
            valid_until=datetime.date(2020, 12, 31),
        )
    selection = PlatformSelection.objects.get(organisation=platform)
    with pytest.raises(ValidationError):
        services.selection_revoke(actor=admin, selection=selection, reason=" ")
    services.selection_revoke(actor=admin, selection=selection, reason="到期前终止")
    with pytest.raises(ValidationError):
        services.selection_revoke(actor=admin, selection=selection, reason="again")


def test_command_prints_a_working_key_and_secret(platform):
    out = io.StringIO()
    call_command("platform-credentials", platform.uscc, stdout=out)
    lines = dict(line.split(":", 1) for line in out.getvalue().splitlines())
    key, secret = lines["key"].strip(), lines["secret"].strip()
    assert XAPIClient(key, secret).statements(statement()).status_code == 200
    assert Credential.objects.get(key=key).secret_digest != secret


def test_command_unknown_uscc_fails():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("platform-credentials", "91120101XXXXXXXXX0")


def test_pages_issue_show_secret_once_and_revoke(client, platform):
    admin = bureau_admin()
    client.force_login(admin)
    assert client.get("/xapi/platforms/").status_code == 200
    assert client.get(f"/xapi/platforms/{platform.pk}/").status_code == 200
    response = client.post(f"/xapi/platforms/{platform.pk}/credentials/", {"label": "生产"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    credential = Credential.objects.get(label="生产")
    secret = response.context["secret"]
    assert secret in response.content.decode()
    detail = client.get(f"/xapi/platforms/{platform.pk}/").content.decode()
    assert credential.key in detail and secret not in detail
    client.post(f"/xapi/credentials/{credential.pk}/revoke/", {"reason": "测试吊销"})
    credential.refresh_from_db()
    assert credential.revoked_at is not None


def test_pages_select_and_revoke_selection(client, platform):
    client.force_login(bureau_admin())
    client.post(
        f"/xapi/platforms/{platform.pk}/select/",
        {"valid_from": "2021-01-01", "valid_until": "2021-12-31"},
    )
    assert PlatformSelection.objects.filter(organisation=platform).count() == 2
    selection = PlatformSelection.objects.get(valid_from=datetime.date(2021, 1, 1))
    client.post(f"/xapi/selections/{selection.pk}/revoke/", {"reason": "撤销"})
    selection.refresh_from_db()
    assert selection.reason == "撤销"


def test_pages_scope(client, platform, other_platform):
    client.force_login(org_admin(platform))
    assert client.get(f"/xapi/platforms/{platform.pk}/").status_code == 200
    assert client.get(f"/xapi/platforms/{other_platform.pk}/").status_code == 404
    foreign, _k, _s = services.credential_issue(actor=None, organisation=other_platform)
    assert (
        client.post(f"/xapi/credentials/{foreign.pk}/revoke/", {"reason": "x"}).status_code == 404
    )
    assert client.post(f"/xapi/platforms/{platform.pk}/credentials/").status_code == 403
    unknown = uuid.uuid4().int % 10**6 + 10**6
    assert client.get(f"/xapi/platforms/{unknown}/").status_code == 404


def test_demo_setup_selects_all_and_issues_one(db):
    platforms = [make_platform(f"演示{i}", selected=False) for i in range(3)]
    credential, key, secret = services.demo_platforms_setup(platforms=platforms)
    assert PlatformSelection.objects.filter(valid_from=datetime.date(2020, 1, 1)).count() == 3
    assert XAPIClient(key, secret).statements(statement()).status_code == 200
    assert credential.organisation == platforms[0]
