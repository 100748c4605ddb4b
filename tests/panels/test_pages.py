"""The pages: the expert's home and task list, the scoring form (with errors in place), the
bureau's panel and roster pages, the roster import (all or nothing) and navigation."""

import datetime

import pytest
from django.urls import reverse

from haihe.core.imports import job_create, run_job
from haihe.core.models import ImportJob
from haihe.panels import services
from haihe.panels.models import Assignment, ConflictDeclaration, Expert, Panel
from tests.factories import OrganisationFactory, PersonFactory
from tests.panels.factories import FULL, panel_ready, users_of

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode("utf-8")


@pytest.fixture
def assigned(admin, clock):
    panel, experts, (case,) = panel_ready(
        admin, n_experts=3, deadline=clock.today + datetime.timedelta(days=5)
    )
    services.assignments_draw(actor=admin, panel=panel, seed=4)
    return panel, experts, case, users_of(experts)


def test_an_expert_lands_on_a_home_of_their_assignments_then_their_task_list(client, assigned):
    panel, _experts, case, users = assigned
    client.force_login(users[1])
    response = client.get("/")
    assert response.status_code == 200
    home = response.context["home"]
    assert (home.assignments, home.unscored, home.due_soon, home.overdue) == (1, 1, 1, 0)
    assert panel.name in text(response) and reverse("panels:tasks") in response.content.decode()
    nav = [item["url"] for item in response.context["nav_items"]]
    assert nav == [reverse("panels:tasks")]
    page = text(client.get(reverse("panels:tasks")))
    assert panel.name in page and case.target.name in page
    assert "待完成 1 项评分任务" in page and "还剩 5 天" in page and "待评 1" in page


def test_an_experts_home_counts_overdue_assignments_and_no_one_elses(client, assigned, clock):
    _panel, _experts, _case, users = assigned
    clock.shift(6)
    client.force_login(users[1])
    home = client.get("/").context["home"]
    assert (home.unscored, home.overdue, home.due_soon) == (1, 1, 0)
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="expert", person=PersonFactory()))
    stranger = client.get("/").context["home"]
    assert (stranger.assignments, stranger.unscored, stranger.panels) == (0, 0, [])


def test_an_overdue_panel_says_so(client, assigned, clock):
    _panel, _experts, _case, users = assigned
    clock.shift(6)
    client.force_login(users[1])
    assert "已逾期" in text(client.get(reverse("panels:tasks")))


def test_an_expert_account_without_a_roster_entry_is_told(client, reference_data):
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="expert", person=PersonFactory()))
    assert "尚未关联专家库" in text(client.get(reverse("panels:tasks")))


def test_the_scoring_form_saves_shows_errors_in_place_and_submits(client, assigned):
    _panel, experts, case, users = assigned
    assignment = Assignment.objects.get(case=case, member__expert=experts[1])
    url = reverse("panels:task", args=[assignment.pk])
    client.force_login(users[1])
    form = {f"score_{k}": v for k, v in FULL.items()}
    bad = {**form, "score_trainers": "120", "action": "submit"}
    page = text(client.post(url, bad))
    assert "之间" in page and 'value="120"' in page  # the error beside the value typed
    assignment.sheet.refresh_from_db()
    assert assignment.sheet.status == "draft" and not assignment.sheet.scores.exists()
    response = client.post(url, {**form, "action": "save"})
    assert response.status_code == 302
    assert assignment.sheet.scores.count() == 5
    response = client.post(url, {**form, "action": "submit"}, follow=True)
    assert "评分已提交" in text(response)
    assignment.sheet.refresh_from_db()
    assert assignment.sheet.status == "submitted" and str(assignment.sheet.total) == "80.00"
    page = text(client.get(url))
    assert 'data-testid="submit"' not in page  # no longer editable


def test_recusal_from_the_scoring_page(client, assigned):
    _panel, experts, case, users = assigned
    assignment = Assignment.objects.get(case=case, member__expert=experts[2])
    client.force_login(users[2])
    response = client.post(reverse("panels:recuse", args=[assignment.pk]), {"reason": ""})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == "assigned"
    client.post(reverse("panels:recuse", args=[assignment.pk]), {"reason": "近亲属在该单位任职"})
    assignment.refresh_from_db()
    assert assignment.status == "recused"
    assert client.get(reverse("panels:task", args=[assignment.pk])).status_code == 404


def test_declaring_a_standing_conflict(client, assigned):
    _panel, _experts, _case, users = assigned
    other = OrganisationFactory(name="申报冲突单位")
    client.force_login(users[1])
    response = client.post(
        reverse("panels:declare"), {"uscc": "bad", "reason": "顾问"}, follow=True
    )
    assert not ConflictDeclaration.objects.exists() and "flash-error" in text(response)
    response = client.post(
        reverse("panels:declare"), {"uscc": other.uscc, "reason": "担任技术顾问"}, follow=True
    )
    assert ConflictDeclaration.objects.get().organisation == other
    assert "申报冲突单位" in text(response)


def test_bureau_pages_render_and_drive_the_panel(client, admin, assigned):
    panel, experts, case, _users = assigned
    client.force_login(admin)
    for name, args in [
        ("panels:index", []),
        ("panels:panel", [panel.pk]),
        ("panels:case", [case.pk]),
        ("panels:experts", []),
        ("panels:expert", [experts[0].pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    page = text(client.get(reverse("panels:panel", args=[panel.pk])))
    assert "panels.accreditation_review.criteria" in page  # the bureau sees the parameter keys
    response = client.post(
        reverse("panels:panel_assign", args=[panel.pk]), {"op": "draw", "seed": "x"}, follow=True
    )
    assert "应为整数" in text(response)
    response = client.post(
        reverse("panels:panel_action", args=[panel.pk]),
        {"name": "cancel", "reason": ""},
        follow=True,
    )
    assert "请填写理由" in text(response)
    panel.refresh_from_db()
    assert panel.status == "scoring"


def test_creating_a_panel_through_the_form(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("panels:index"),
        {
            "purpose": "test_org_review",
            "name": "2020 年企业培训中心认定评审",
            "reference_date": "2019-05-01",
        },
    )
    assert response.status_code == 200 and not Panel.objects.exists()
    assert "没有有效取值" in text(response)
    response = client.post(
        reverse("panels:index"),
        {"purpose": "test_org_review", "name": "2020 年企业培训中心认定评审", "blind": "on"},
    )
    panel = Panel.objects.get()
    assert response.status_code == 302 and panel.blind


def test_the_roster_form_and_the_account(client, admin):
    person, employer = PersonFactory(name="王建国"), OrganisationFactory()
    client.force_login(admin)
    response = client.post(reverse("panels:experts"), {"ric": "123"})
    assert response.status_code == 200 and not Expert.objects.exists()
    response = client.post(
        reverse("panels:experts"),
        {"ric": person.ric, "employer": employer.uscc, "title": "高级技师", "specialities": "nope"},
    )
    assert "未知的职业编码" in text(response) and not Expert.objects.exists()
    response = client.post(
        reverse("panels:experts"),
        {
            "ric": person.ric,
            "employer": employer.uscc,
            "title": "高级技师",
            "specialities": "6-18-01-01",
        },
    )
    made = Expert.objects.get()
    assert made.employer == employer and [o.code for o in made.specialities.all()] == ["6-18-01-01"]
    url = reverse("panels:expert_action", args=[made.pk])
    client.post(url, {"op": "account", "account-username": "wangjg", "account-password": "123"})
    assert not made.person.accounts.exists()  # too weak a password
    client.post(
        url,
        {"op": "account", "account-username": "wangjg", "account-password": "Haihe-expert-2020"},
    )
    account = made.person.accounts.get()
    assert account.role == "expert" and account.username == "wangjg"
    client.post(url, {"op": "retire", "reason": "年龄原因"})
    made.refresh_from_db()
    assert made.status == "retired"


def test_the_roster_import_is_all_or_nothing(admin):
    known, other = PersonFactory(), PersonFactory()
    employer = OrganisationFactory()
    header = "居民身份证号码,工作单位统一社会信用代码,职称或职务,专业领域,擅长职业编码\n"
    bad = header + f"{known.ric},{employer.uscc},高级工程师,数控,6-18-01-01\n{other.ric},,,,9-99\n"
    job = run_job(
        job_create(actor=admin, kind="panel_experts", filename="e.csv", data=bad.encode()).pk
    )
    assert job.status == ImportJob.Status.FAILED
    assert [e["row"] for e in job.errors] == [3] and not Expert.objects.exists()
    good = header + f"{known.ric},{employer.uscc},高级工程师,数控,6-18-01-01\n{other.ric},,,,\n"
    job = run_job(
        job_create(actor=admin, kind="panel_experts", filename="e.csv", data=good.encode()).pk
    )
    assert job.status == ImportJob.Status.DONE and job.summary == {"created": 2, "updated": 0}
    assert Expert.objects.get(person=known).employer == employer
    again = header + f"{known.ric},,教授,,\n"
    run_job(job_create(actor=admin, kind="panel_experts", filename="e.csv", data=again.encode()).pk)
    assert Expert.objects.get(person=known).title == "教授"


def test_the_bureau_navigation_has_the_panel_pages(client, admin):
    client.force_login(admin)
    urls = [i["url"] for i in client.get(reverse("panels:index")).context["nav_items"]]
    assert reverse("panels:index") in urls and reverse("panels:experts") in urls
    assert reverse("panels:tasks") not in urls


def test_the_chair_finds_their_panel_and_locks_it(client, assigned):
    panel, _experts, case, users = assigned
    from tests.panels.factories import score_all

    score_all(case, users, [80, 81, 82])
    client.force_login(users[0])
    page = text(client.get(reverse("panels:tasks")))
    assert reverse("panels:panel", args=[panel.pk]) in page
    assert 'data-testid="chaired-progress">1 / 1<' in page  # one case, counted once
    page = text(client.get(reverse("panels:panel", args=[panel.pk])))
    assert 'data-testid="panel-lock"' in page and "panels.accreditation_review" not in page
    client.post(reverse("panels:panel_action", args=[panel.pk]), {"name": "lock"})
    panel.refresh_from_db()
    assert panel.status == "locked"
