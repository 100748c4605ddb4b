"""Pages of technical schools: a school's majors and agreements (apply, attach, submit), the
reviewers' queue and decisions (district, then the bureau), an enterprise's agreements
(read-only) and the public register of majors with its exports. Pay plans: views_pay.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.core.apischema import filter_page, refusal_summary
from haihe.core.exports import XlsxBook
from haihe.core.pagination import csv_download, paginate
from haihe.core.views import object_trail
from haihe.evidence.selectors import case_panel
from haihe.registry.models import District
from haihe.review.services import history
from haihe.schools import perms, services
from haihe.schools.filters import AgreementFilter, MajorFilter, RegisterFilter
from haihe.schools.forms import AgreementForm, DecisionForm, MajorForm
from haihe.schools.models import (
    Agreement,
    CaseStatus,
    CooperationForm,
    Industry,
    Major,
    MajorLevel,
    PayPlan,
)
from haihe.schools.workflows import AGREEMENT_PIPELINE, MAJOR_PIPELINE, PAY_PIPELINE


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _list(request, template, filter_class, rows, **extra):
    rows, problems = filter_page(request, filter_class, rows)
    context = {
        "page": paginate(request, rows),
        "districts": District.objects.all(),
        "statuses": CaseStatus.choices,
        "levels": MajorLevel.choices,
        "forms": CooperationForm.choices,
        "industries": Industry.objects.all(),
        "filters": request.GET,
        "filter_errors": problems,
        **extra,
    }
    return render(request, template, context, status=400 if problems else 200)


def _majors_of(user):
    return Major.objects.visible_to(user).select_related(
        "school", "district", "occupation", "industry"
    )


def _agreements_of(user):
    return Agreement.objects.visible_to(user).select_related(
        "school", "enterprise", "district", "major"
    )


def _review_context(pipeline, user, case) -> dict:
    refusal = None
    if pipeline.stage_waiting(case) is not None and perms.is_reviewer(user):
        refusal = perms.review_refusal(pipeline, user, case)
    actions = history(case)
    labels = {stage.name: stage.label for stage in pipeline.stages}
    for action in actions:
        action.stage_label = labels.get(action.stage, "")
    submit = "resubmit" if case.status == "returned" else "submit"
    submit_refusal = pipeline.workflow.refusal(user, case, submit)
    return {
        "can_edit": perms.can_edit(user, case),
        "can_submit": submit_refusal is None,
        "submit_refusal": submit_refusal,
        "can_review": perms.can_review(pipeline, user, case),
        "review_refusal": refusal,
        "decision_form": DecisionForm(),
        "history": actions,
        "trail": object_trail(user, case),
    }


def _act(request, pipeline, case, *, submit, withdraw, decide, url):
    """The POST actions of a case page: submit, withdraw, decide (permission first)."""
    action = request.resolver_match.kwargs["action"]
    user = request.user
    try:
        if action == "submit":
            submit(case)
            messages.success(request, _("已提交。"))
        elif action == "withdraw":
            withdraw(case, request.POST.get("reason", ""))
            messages.success(request, _("已撤回。"))
        elif action == "decide":
            if not perms.is_reviewer(user):
                raise PermissionDenied
            form = DecisionForm(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    messages.error(request, " ".join(errors))
                return redirect(url, pk=case.pk)
            decide(case, form.cleaned_data["decision"], form.cleaned_data["reason"])
            messages.success(request, _("已办理 %(number)s。") % {"number": case.number})
            return redirect("schools:queue")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(url, pk=case.pk)


# majors ----------------------------------------------------------------------------------------


@login_required
def majors(request):
    user = request.user
    if not (perms.can_file(user) or perms.is_reviewer(user)):
        raise PermissionDenied
    return _list(
        request,
        "schools/majors.html",
        MajorFilter,
        _majors_of(user).order_by("-start_year", "-id"),
        can_file=perms.can_file(user),
    )


@login_required
def major_edit(request, pk=None):
    user = request.user
    if not perms.can_file(user):
        raise PermissionDenied
    major = get_object_or_404(_majors_of(user), pk=pk) if pk else None
    if major is not None and not perms.can_edit(user, major):
        raise PermissionDenied
    initial = {}
    if major is not None:
        initial = {
            "name": major.name,
            "occupation": major.occupation.code,
            "level": major.level,
            "industry": major.industry.code,
            "planned_intake": major.planned_intake,
            "start_year": major.start_year,
        }
    form = MajorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if major is None:
                major = services.major_create(actor=user, data=form.cleaned_data)
            else:
                services.major_update(actor=user, major=major, data=form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已保存。请上传专业人才培养方案后提交。"))
            return redirect("schools:major", pk=major.pk)
    return render(request, "schools/major_form.html", {"form": form, "major": major})


@login_required
def major_detail(request, pk):
    user = request.user
    major = get_object_or_404(_majors_of(user), pk=pk)
    context = {"major": major, "evidence": case_panel(user, major)}
    context.update(_review_context(MAJOR_PIPELINE, user, major))
    return render(request, "schools/major_detail.html", context)


@login_required
@require_POST
def major_action(request, pk, action):
    user = request.user
    if not (perms.can_file(user) or perms.is_reviewer(user)):
        raise PermissionDenied
    major = get_object_or_404(_majors_of(user), pk=pk)
    return _act(
        request,
        MAJOR_PIPELINE,
        major,
        submit=lambda m: services.major_submit(actor=user, major=m),
        withdraw=lambda m, reason: services.major_withdraw(actor=user, major=m, reason=reason),
        decide=lambda m, d, reason: services.major_decide(
            actor=user, major=m, decision=d, reason=reason
        ),
        url="schools:major",
    )


# the public register -----------------------------------------------------------------------


def _register_rows():
    return (
        Major.objects.register()
        .select_related("school", "district", "occupation", "industry")
        .order_by("-start_year", "school__name", "name", "id")
    )


def register(request):
    """The register of approved majors by school and year: public."""
    return _list(request, "schools/register.html", RegisterFilter, _register_rows())


REGISTER_HEADER = (
    "编号",
    "技工院校",
    "所在区",
    "专业名称",
    "职业编码",
    "职业",
    "培养层次",
    "服务产业",
    "计划招生人数",
    "开设年份",
    "批准日期",
)


def _register_line(m: Major) -> list:
    return [
        m.number,
        m.school.name,
        m.district.name_zh,
        m.name,
        m.occupation.code,
        m.occupation.name_zh,
        m.get_level_display(),
        m.industry.name_zh,
        m.planned_intake,
        m.start_year,
        m.approved_at.date().isoformat() if m.approved_at else "",
    ]


def register_export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows, problems = filter_page(request, RegisterFilter, _register_rows())
    if problems:
        return HttpResponse(refusal_summary(problems), status=400, content_type="text/plain")
    if fmt == "csv":
        response, writer = csv_download("majors-register.csv")
        writer.writerow(REGISTER_HEADER)
        for major in rows.iterator():
            writer.writerow(_register_line(major))
        return response
    book = XlsxBook()
    sheet = book.sheet(_("专业目录"), numbers={8: "0", 9: "0"})
    sheet.append(REGISTER_HEADER)
    for major in rows.iterator():
        sheet.append(_register_line(major))
    response = HttpResponse(
        book.to_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="majors-register.xlsx"'
    return response


# agreements ------------------------------------------------------------------------------------


@login_required
def agreements(request):
    user = request.user
    if not (perms.can_file(user) or perms.is_reviewer(user) or perms.is_enterprise_user(user)):
        raise PermissionDenied
    return _list(
        request,
        "schools/agreements.html",
        AgreementFilter,
        _agreements_of(user).order_by("-start_date", "-id"),
        can_file=perms.can_file(user),
    )


@login_required
def agreement_edit(request, pk=None):
    user = request.user
    if not perms.can_file(user):
        raise PermissionDenied
    agreement = get_object_or_404(_agreements_of(user), pk=pk) if pk else None
    if agreement is not None and not perms.can_edit(user, agreement):
        raise PermissionDenied
    own_majors = Major.objects.filter(school_id=user.organisation_id, status="approved")
    initial = {}
    if agreement is not None:
        initial = {
            "enterprise": agreement.enterprise.uscc,
            "form": agreement.form,
            "major": agreement.major_id,
            "students": agreement.students,
            "start_date": agreement.start_date,
            "end_date": agreement.end_date,
            "summary": agreement.summary,
        }
    form = AgreementForm(request.POST or None, initial=initial, majors=own_majors)
    if request.method == "POST" and form.is_valid():
        try:
            if agreement is None:
                agreement = services.agreement_create(actor=user, data=form.cleaned_data)
            else:
                services.agreement_update(actor=user, agreement=agreement, data=form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已保存。请上传双方签署的合作协议后提交。"))
            return redirect("schools:agreement", pk=agreement.pk)
    return render(request, "schools/agreement_form.html", {"form": form, "agreement": agreement})


@login_required
def agreement_detail(request, pk):
    user = request.user
    agreement = get_object_or_404(_agreements_of(user), pk=pk)
    context = {"agreement": agreement, "evidence": case_panel(user, agreement)}
    context.update(_review_context(AGREEMENT_PIPELINE, user, agreement))
    return render(request, "schools/agreement_detail.html", context)


@login_required
@require_POST
def agreement_action(request, pk, action):
    user = request.user
    if not (perms.can_file(user) or perms.is_reviewer(user)):
        raise PermissionDenied
    agreement = get_object_or_404(_agreements_of(user), pk=pk)
    return _act(
        request,
        AGREEMENT_PIPELINE,
        agreement,
        submit=lambda a: services.agreement_submit(actor=user, agreement=a),
        withdraw=lambda a, reason: services.agreement_withdraw(
            actor=user, agreement=a, reason=reason
        ),
        decide=lambda a, d, reason: services.agreement_decide(
            actor=user, agreement=a, decision=d, reason=reason
        ),
        url="schools:agreement",
    )


# the reviewers' queue ----------------------------------------------------------------------


@login_required
def queue(request):
    """What waits for the reviewer: majors, agreements and (for the bureau) pay plans, oldest
    first, in their jurisdiction and never of their own organisation (pipeline.queue)."""
    user = request.user
    if not perms.is_reviewer(user):
        raise PermissionDenied
    order = ("stage_due_on", "submitted_at", "id")
    return render(
        request,
        "schools/queue.html",
        {
            "majors": MAJOR_PIPELINE.queue(_majors_of(user), user).order_by(*order)[:200],
            "agreements": AGREEMENT_PIPELINE.queue(_agreements_of(user), user).order_by(*order)[
                :200
            ],
            "plans": PAY_PIPELINE.queue(
                PayPlan.objects.visible_to(user).select_related("school"), user
            ).order_by(*order)[:200],
        },
    )
