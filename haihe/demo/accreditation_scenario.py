"""The accreditation part of the Tianjin 2020 scenario (issue 10), the same at every scale (the
counts are the bureau's, not the population's):

- 241 enterprise training centres built before the platform, loaded by the bureau's import of
  existing holders on 2020-01-06 (source "import", recognised 2018–2019, three years' validity);
- the 2020 rounds, taken through the district, the expert panel and the bureau, each result on
  public notice and then granted: 36 new enterprise training centres, 12 high-skill training
  bases, 15 master studios (each led by an employee with a qualifying title), the 30 online
  training platforms of "1+N" (their recognitions take over the selections the supervision step
  made, nothing is duplicated), and 37 enterprises + 10 technical schools filed as evaluation
  bodies with their scopes;
- a second 2020 round of enterprise training centres, open on the scenario's day, with
  applications in every state: drafts, waiting at each stage (the demo enterprise's own, at the
  district), returned with reasons, on notice (one with an objection received), refused with
  reasons, withdrawn.

History is written in bulk (Workflow.restore, with the review history and the audit trail of
each step at the time it happened); the notices still open and the objection go through the
notices services on their days. Enterprises with a centre are the large and medium ones; where
the scale has too few, the step registers the groups that built them."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from haihe.accreditation import services
from haihe.accreditation.eligibility import check
from haihe.accreditation.imports import COLUMNS
from haihe.accreditation.imports import write as import_write
from haihe.accreditation.models import Application, Call, Kind, Recognition
from haihe.accreditation.workflows import (
    APPLICATION_PIPELINE,
    application_workflow,
    call_workflow,
    recognition_workflow,
)
from haihe.core import clock, numbering
from haihe.core.models import AuditEvent
from haihe.core.tabular import parse_table
from haihe.demo import names
from haihe.registry.models import Affiliation, Occupation, Organisation, OrgKind
from haihe.review.models import ReviewAction

CENTRES_EXISTING = 241
CENTRES_NEW = 36
BASES = 12
STUDIOS = 15
BODIES_ENTERPRISES = 37
BODIES_SCHOOLS = 10
IMPORT_DAY = datetime.date(2020, 1, 6)
TITLES = ["天津市技术能手", "海河工匠", "全国技术能手"]
# the second round of centres: (status, submissions, reason) — every state an application has
SECOND_ROUND = [
    ("draft", 0, ""),
    ("draft", 0, ""),
    ("submitted", 1, ""),  # the demo enterprise's (enterprise-admin)
    ("submitted", 1, ""),
    ("submitted", 2, ""),  # resubmitted after a return
    ("returned", 1, "未提供培训场地的产权证明或租赁合同，请补充后重新提交。"),
    ("returned", 1, "专兼职培训师资名单与社保缴费记录不一致，请核实后重新提交。"),
    ("district_approved", 1, ""),
    ("district_approved", 1, ""),
    ("panel_scored", 1, ""),
    ("approved", 1, ""),
    ("approved", 1, ""),  # an objection is received during its notice
    ("rejected", 1, "专家评审认为实训工位与申报职业不匹配，培训管理制度不健全，不符合认定条件。"),
    ("withdrawn", 1, "企业调整培训规划，主动撤回申请。"),
]
OBJECTION = (
    "该企业申报材料中所列实训场地实际已于今年出租给其他单位使用，"
    "申报的培训师资中有多人已离职，请核实。"
)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class AccreditationDemo:
    def __init__(self, scenario):
        self.s = scenario
        self.rng = scenario.rng
        self.admin = scenario.users["admin"]
        self.municipal = scenario.users["municipal1"]
        self.second = scenario.users["municipal2"]
        self.district = {
            u.district_id: u for u in scenario.users.values() if u.role == "district_reviewer"
        }
        self.app_type = ContentType.objects.get_for_model(Application)
        self.recognition_type = ContentType.objects.get_for_model(Recognition)
        self.call_type = ContentType.objects.get_for_model(Call)
        self.events: list[AuditEvent] = []
        self.actions: list[ReviewAction] = []

    # organisations ----------------------------------------------------------------------
    def enterprises(self, needed: int) -> list[Organisation]:
        """Large and medium enterprises (not platforms), the demo enterprise excluded; groups
        registered for the rest when the scale has too few."""
        home = self.s.users["enterprise-admin"].organisation_id
        pool = [
            o
            for o in self.s.orgs
            if o._kinds == [OrgKind.ENTERPRISE] and o.size_class in ("large", "medium")
            and o.pk != home
        ]  # fmt: skip
        pool.sort(key=lambda o: (o.size_class != "large", o.pk))
        missing = needed - len(pool)
        if missing > 0:
            made = []
            for i in range(missing):
                d = self.s.district()
                made.append(
                    self.s._org(
                        f"天津{self.rng.choice(names.ORG_WORDS)}{self.rng.choice(names.INDUSTRIES)}"
                        f"集团有限公司（培{i + 1}）",
                        d,
                        [OrgKind.ENTERPRISE],
                        size="large",
                    )
                )
            self.s.add_enterprises(made)
            pool.extend(made)
        return pool[:needed]

    # the trail --------------------------------------------------------------------------
    def event(self, obj, action, at, actor, data, label=None):
        self.events.append(
            AuditEvent(
                at=at,
                actor=actor,
                actor_label=actor.username if actor else (label or "system"),
                action=action,
                target_type={Application: self.app_type, Recognition: self.recognition_type,
                             Call: self.call_type}[type(obj)],
                target_id=str(obj.pk),
                target_label=str(obj.number)[:255],
                organisation_id=getattr(obj, "organisation_id", None)
                or getattr(obj, "holder_id", None),
                district_id=getattr(obj, "district_id", None),
                channel="web" if actor or label else "system",
                data=data,
            )
        )  # fmt: skip

    def review(self, app, *, round_, stage, step, actor, at, reason="", due=None):
        self.actions.append(
            ReviewAction(
                pipeline=APPLICATION_PIPELINE.name, case_type=self.app_type, case_id=app.pk,
                round=round_, stage=stage, step=step, actor=actor,
                actor_person_id=getattr(actor, "person_id", None), reason=reason, at=at,
                due_on=due,
            )
        )  # fmt: skip
        transition = {"submit": "submit", "resubmit": "resubmit", "withdraw": "withdraw"}.get(
            step, f"{stage}_{step}"
        )
        self.event(
            app, f"{application_workflow.name}.{transition}", at, actor,
            {"reason": reason}, label=app.organisation.name[:150] if actor is None else None,
        )  # fmt: skip

    # calls ------------------------------------------------------------------------------
    def call(self, kind, round_, title, opens, closes, status) -> Call:
        call = Call(
            number=numbering.issue("SB", period="2020", width=4),
            kind=kind, year=2020, round=round_, title=title, opens_on=opens, closes_on=closes,
            required_evidence=[], description=title, created_by=self.admin,
            created_at=_at(opens - datetime.timedelta(days=14)),
        )  # fmt: skip
        call_workflow.restore([call], status)
        call.save()
        self.event(call, "accreditation.call_created", call.created_at, self.admin,
                   {"kind": kind, "year": 2020, "round": round_})  # fmt: skip
        self.event(call, f"{call_workflow.name}.open", _at(opens, 9), self.admin, {})
        if status == "closed":
            self.event(call, f"{call_workflow.name}.close", _at(closes, 18), self.admin, {})
        return call

    # applications -----------------------------------------------------------------------
    def facts(self, kind, org) -> dict:
        r = self.rng
        if kind == Kind.ENTERPRISE_TRAINING_CENTRE:
            return {"trainers": r.randrange(6, 40), "area": r.randrange(320, 4000),
                    "workstations": r.randrange(20, 200)}  # fmt: skip
        if kind == Kind.HIGH_SKILL_BASE:
            return {"trainers": r.randrange(22, 90), "area": r.randrange(1200, 12000),
                    "workstations": r.randrange(80, 500)}  # fmt: skip
        if kind == Kind.EVALUATION_BODY:
            return {"trainers": r.randrange(4, 30), "scope": self.scope()}
        return {}

    def scope(self) -> list[dict]:
        if not hasattr(self, "_occupations"):
            self._occupations = list(
                Occupation.objects.filter(active=True).exclude(levels=[]).order_by("code")
            )
        items = {}
        for occupation in self.rng.sample(self._occupations, min(3, len(self._occupations))):
            for level in sorted(self.rng.sample(occupation.levels, min(2, len(occupation.levels)))):
                items[(occupation.code, level)] = {"occupation": occupation.code, "level": level}
        return sorted(items.values(), key=lambda i: (i["occupation"], i["level"]))

    def application(self, call, org, submitted_on, *, leader=None, facts=None) -> Application:
        app = Application(
            number=numbering.issue("RD", period="2020", width=6),
            call=call, organisation=org, district_id=org.district_id, kind=call.kind,
            summary=f"{org.name}申报{call.get_kind_display()}。",
            leader=leader, leader_title=self.rng.choice(TITLES) if leader else "",
            created_at=_at(submitted_on - datetime.timedelta(days=self.rng.randrange(2, 10)), 9),
            **(facts if facts is not None else self.facts(call.kind, org)),
        )  # fmt: skip
        app.organisation = org
        return app

    def run(self, app, status, submitted_on, *, submissions=1, reason="", days=None) -> dict:
        """Restore `app` to `status` with its dates; the review history and the audit trail."""
        r = self.rng
        district = self.district.get(app.district_id)
        steps = days or {}
        submitted = _at(submitted_on)
        district_at = _at(
            submitted_on + datetime.timedelta(days=steps.get("district", r.randrange(5, 14)))
        )
        panel_at = district_at + datetime.timedelta(days=steps.get("panel", r.randrange(15, 30)))
        bureau_at = panel_at + datetime.timedelta(days=steps.get("bureau", r.randrange(3, 10)))
        app.first_submitted_at = submitted if status != "draft" else None
        app.submitted_at = app.first_submitted_at
        app.submissions = submissions if status != "draft" else 0
        reached = {
            "draft": 0, "submitted": 1, "returned": 1, "withdrawn": 1, "district_approved": 2,
            "panel_scored": 3, "approved": 4, "granted": 4, "rejected": 4,
        }[status]  # fmt: skip
        if reached >= 2:
            app.district_reviewed_by, app.district_reviewed_at = district, district_at
        if reached >= 3:
            app.panel_reviewed_by, app.panel_reviewed_at = self.municipal, panel_at
        if reached >= 4:
            app.decided_by, app.decided_at = self.admin, bureau_at
        if status in ("submitted", "district_approved", "panel_scored"):
            app.stage_due_on = clock.today() + datetime.timedelta(days=r.randrange(3, 20))
        application_workflow.restore([app], status)
        if status != "draft":
            app.eligibility = check(app, on=submitted_on).as_dict()
        app.save()
        if status == "draft":
            return {}
        user = None
        if submissions > 1:  # returned once by the district, corrected and resubmitted
            first = submitted - datetime.timedelta(days=20)
            back = first + datetime.timedelta(days=6)
            app.first_submitted_at = first
            Application.objects.filter(pk=app.pk).update(first_submitted_at=first)
            self.review(app, round_=1, stage="", step="submit", actor=user, at=first)
            self.review(app, round_=1, stage="district", step="return", actor=district, at=back,
                        reason="营业执照副本不清晰，请重新上传。")  # fmt: skip
            self.review(app, round_=2, stage="", step="resubmit", actor=user, at=submitted)
        else:
            self.review(app, round_=1, stage="", step="submit", actor=user, at=submitted)
        n = submissions
        if status == "returned":
            self.review(app, round_=n, stage="district", step="return", actor=district,
                        at=district_at, reason=reason)  # fmt: skip
        if status == "withdrawn":
            self.review(app, round_=n, stage="", step="withdraw", actor=user,
                        at=submitted + datetime.timedelta(days=3), reason=reason)  # fmt: skip
        if reached >= 2:
            self.review(
                app, round_=n, stage="district", step="approve", actor=district, at=district_at
            )
        if reached >= 3:
            self.review(
                app, round_=n, stage="panel", step="approve", actor=self.municipal, at=panel_at
            )
        if status == "rejected":
            self.review(app, round_=n, stage="bureau", step="reject", actor=self.admin,
                        at=bureau_at, reason=reason)  # fmt: skip
        elif reached >= 4:
            self.review(
                app, round_=n, stage="bureau", step="approve", actor=self.admin, at=bureau_at
            )
        return {"decided": bureau_at}

    # granted: notice and recognition ----------------------------------------------------
    def grant(self, app, decided: datetime.datetime, *, selection=None) -> Recognition:
        from haihe.notices.models import Notice
        from haihe.notices.workflows import notice_workflow

        kind = app.get_kind_display()
        starts = decided.date() + datetime.timedelta(days=1)
        ends = starts + datetime.timedelta(days=6)
        granted_on = ends + datetime.timedelta(days=1)
        notice = Notice(
            reference=numbering.issue("GS", period=f"{starts:%Y}", width=6),
            kind="accreditation.result",
            title=f"{kind}认定结果公示：{app.organisation.name}"[:200],
            body=f"经单位申报、区级初审、专家评审和市人力资源和社会保障局研究，拟认定"
            f"{app.organisation.name}为{kind}（申请编号 {app.number}）。",
            publisher_name="天津市人力资源和社会保障局",
            target_type=self.app_type, target_id=str(app.pk),
            period_working_days=5, starts_on=starts, ends_on=ends,
            created_by=self.admin, created_at=decided, approved_by=self.second,
            approved_at=_at(starts, 9), closed_at=_at(granted_on, 0),
        )  # fmt: skip
        notice_workflow.restore([notice], "final")
        notice.save()
        recognition = Recognition(
            number=services.recognition_number(app.kind, granted_on.year),
            holder_id=app.organisation_id, district_id=app.district_id, kind=app.kind,
            application=app, source="application", scope=app.scope, leader_id=app.leader_id,
            valid_from=granted_on, valid_until=services.validity(app.kind, granted_on),
            granted_at=_at(granted_on, 1), status_since=granted_on, xapi_selection=selection,
        )  # fmt: skip
        recognition_workflow.start(recognition)
        recognition.save()
        application_workflow.restore([app], "granted")
        app.notice_id = notice.pk
        app.save(update_fields=["status", "notice_id"])
        self.event(app, f"{application_workflow.name}.grant", recognition.granted_at, None,
                   {"notice": notice.reference})  # fmt: skip
        self.event(recognition, "accreditation.recognition_granted", recognition.granted_at,
                   None, {"application": app.number,
                          "valid_until": recognition.valid_until.isoformat()})  # fmt: skip
        return recognition

    def round_granted(self, call, orgs, *, leaders=None, selections=None) -> int:
        span = max(1, (call.closes_on - call.opens_on).days)
        for i, org in enumerate(orgs):
            day = call.opens_on + datetime.timedelta(days=self.rng.randrange(span))
            leader = (leaders or {}).get(org.pk)
            app = self.application(call, org, day, leader=leader)
            submissions = 2 if i % 9 == 4 else 1
            done = self.run(app, "approved", day, submissions=submissions,
                            days={"district": 8, "panel": 20, "bureau": 6})  # fmt: skip
            selection = (selections or {}).get(org.pk)
            recognition = self.grant(app, done["decided"], selection=selection)
            if selection is not None:  # the selection is this recognition: selected then
                type(selection).objects.filter(pk=selection.pk).update(
                    selected_at=recognition.granted_at, note=recognition.number
                )
        return len(orgs)

    # the parts --------------------------------------------------------------------------
    def existing_centres(self, orgs) -> int:
        """The bureau's import of the centres built before the platform (2018–2019)."""
        header = ",".join(str(c.label) for c in COLUMNS)
        lines = [header]
        for i, org in enumerate(orgs):
            start = datetime.date(2018, 1, 15) + datetime.timedelta(days=self.rng.randrange(700))
            # three years, as recognised then (the dated parameter starts with the platform)
            until = start.replace(year=start.year + 3) - datetime.timedelta(days=1)
            lines.append(f"QP{start.year}-{i + 1:04d},{org.uscc},企业培训中心,{start},{until},")
        with clock.pinned(IMPORT_DAY):
            parsed = parse_table(COLUMNS, "\n".join(lines).encode("utf-8"), "existing.csv")
            assert not parsed.errors, parsed.errors[:3]
            import_write(self.admin, parsed)
        return len(orgs)

    def leaders(self, orgs) -> dict[int, object]:
        """An employee of each studio's holder leads it (one with a title of the parameter)."""
        found = {}
        for link in (
            Affiliation.objects.filter(organisation__in=orgs, relation="employee")
            .select_related("person")
            .order_by("organisation_id", "person_id")
        ):
            found.setdefault(link.organisation_id, link.person)
        return found

    def second_round(self, call, orgs) -> dict[str, int]:
        from haihe.notices import services as notices

        home = self.s.users["enterprise-admin"].organisation
        counts: dict[str, int] = {}
        applicants = list(orgs[: len(SECOND_ROUND)])
        applicants.insert(2, home)  # the demo enterprise's application waits at the district
        for (status, submissions, reason), org in zip(SECOND_ROUND, applicants, strict=False):
            day = clock.today() - datetime.timedelta(days=self.rng.randrange(25, 35))
            if status in ("submitted", "draft"):
                day = clock.today() - datetime.timedelta(days=self.rng.randrange(2, 8))
            app = self.application(call, org, day)
            steps = {"district": 5, "panel": 8, "bureau": 3}
            if status == "approved":
                day = clock.today() - datetime.timedelta(days=19)
            done = self.run(app, status, day, submissions=submissions, reason=reason, days=steps)
            counts[status] = counts.get(status, 0) + 1
            if status == "approved":
                with clock.pinned(done["decided"].date()):
                    notice = services._notice_for(self.admin, app, "demo")
                    notices.notice_approve(actor=self.second, notice=notice)
                Application.objects.filter(pk=app.pk).update(notice_id=notice.pk)
                if counts[status] == 2:
                    notices.objection_submit(
                        notice=notice, name="王立新", phone="13920001234", grounds=OBJECTION,
                        pledge=True, client_address="192.0.2.10", channel="demo",
                    )  # fmt: skip
        return counts

    def build(self) -> dict[str, int]:
        with_centre = self.enterprises(CENTRES_EXISTING + CENTRES_NEW + len(SECOND_ROUND))
        existing = with_centre[:CENTRES_EXISTING]
        new = with_centre[CENTRES_EXISTING : CENTRES_EXISTING + CENTRES_NEW]
        candidates = with_centre[CENTRES_EXISTING + CENTRES_NEW :]
        counts = {"accreditation_existing_centres": self.existing_centres(existing)}

        d = datetime.date
        centres = self.call(Kind.ENTERPRISE_TRAINING_CENTRE, 1, "2020年度天津市企业培训中心认定申报通知",
                            d(2020, 3, 16), d(2020, 4, 30), "closed")  # fmt: skip
        counts["accreditation_new_centres"] = self.round_granted(centres, new)
        # the refused one of the first round
        refused = self.application(centres, candidates[-1], d(2020, 4, 20))
        self.run(refused, "rejected", d(2020, 4, 20),
                 reason="培训师资中具有技师以上职业资格的人员不足 3 人，实训场地为临时租用，"
                        "不符合企业培训中心认定条件。")  # fmt: skip

        bases = self.call(Kind.HIGH_SKILL_BASE, 1, "2020年度天津市高技能人才培训基地申报通知",
                          d(2020, 4, 1), d(2020, 5, 31), "closed")  # fmt: skip
        schools = [o for o in self.s.orgs if OrgKind.TECHNICAL_SCHOOL in o._kinds]
        base_orgs = [*with_centre[:6], *schools[: BASES - 6]]
        counts["accreditation_bases"] = self.round_granted(bases, base_orgs)

        studios = self.call(Kind.MASTER_STUDIO, 1, "2020年度天津市技能大师工作室申报通知",
                            d(2020, 4, 1), d(2020, 5, 31), "closed")  # fmt: skip
        employers = [o for o in self.s.orgs if OrgKind.ENTERPRISE in o._kinds and o.size_class
                     and OrgKind.ONLINE_TRAINING_PLATFORM not in o._kinds]  # fmt: skip
        leaders = self.leaders(employers)
        studio_orgs = [o for o in employers if o.pk in leaders][:STUDIOS]
        counts["accreditation_studios"] = self.round_granted(studios, studio_orgs, leaders=leaders)

        from haihe.xapi.models import PlatformSelection

        platforms = sorted(
            (o for o in self.s.orgs if OrgKind.ONLINE_TRAINING_PLATFORM in o._kinds),
            key=lambda o: o.pk,
        )
        selections = {}
        for selection in PlatformSelection.objects.filter(
            organisation__in=platforms, revoked_at__isnull=True
        ).order_by("valid_from"):
            selections.setdefault(selection.organisation_id, selection)
        online = self.call(Kind.ONLINE_PLATFORM, 1, "2020年度“1+N”线上职业技能培训平台遴选通知",
                           d(2020, 2, 3), d(2020, 2, 14), "closed")  # fmt: skip
        counts["accreditation_platforms"] = self.round_granted(
            online, platforms, selections=selections
        )

        bodies = self.call(Kind.EVALUATION_BODY, 1, "2020年度职业技能等级认定评价机构备案通知",
                           d(2020, 5, 6), d(2020, 8, 31), "closed")  # fmt: skip
        body_orgs = [
            *with_centre[6 : 6 + BODIES_ENTERPRISES],
            *schools[BASES : BASES + BODIES_SCHOOLS],
        ]
        counts["accreditation_bodies"] = self.round_granted(bodies, body_orgs)

        second = self.call(Kind.ENTERPRISE_TRAINING_CENTRE, 2, "2020年度天津市企业培训中心认定（第二批）申报通知",
                           d(2020, 10, 12), d(2020, 12, 31), "open")  # fmt: skip
        progress = self.second_round(second, candidates[:-1])
        counts["accreditation_in_progress"] = sum(progress.values())

        ReviewAction.objects.bulk_create(self.actions, batch_size=2000)
        AuditEvent.objects.bulk_create(self.events, batch_size=2000)
        counts["accreditation_recognitions"] = Recognition.objects.count()
        return counts


def build(scenario) -> dict[str, int]:
    return AccreditationDemo(scenario).build()
