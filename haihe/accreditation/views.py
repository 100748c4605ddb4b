"""Pages of accreditation: applicants (open calls, the apply form with its live eligibility
explanation, their applications, recognitions and duties), district and bureau reviewers
(queues, decisions with reasons), the bureau (calls, suspension and revocation), and the
public register of recognised holders (no sign-in; CSV and xlsx through core.exports)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.accreditation import perms, selectors, services
from haihe.accreditation.filters import (
    ApplicationFilter,
    RecognitionFilter,
    RecognitionRegisterFilter,
)
from haihe.accreditation.models import (
    AnnualReport,
    Application,
    ApplicationStatus,
    Call,
    ChangeRequest,
    Kind,
    Recognition,
    RecognitionStatus,
)
from haihe.accreditation.workflows import APPLICATION_PIPELINE, recognition_workflow
from haihe.core.apischema import filter_page
from haihe.core.exports import XlsxBook
from haihe.core.pagination import csv_download, paginate
from haihe.core.workflow import TransitionForbidden
from haihe.evidence.selectors import case_panel
from haihe.review.services import history


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _facts_from(post) -> dict:
    data = {}
    for name in ("summary", "leader_title"):
        if name in post:
            data[name] = post.get(name, "")
    for name in ("trainers", "workstations", "area"):
        if post.get(name, "") != "":
            data[name] = post.get(name)
    if "leader" in post:
        data["leader"] = post.get("leader") or None
    if post.get("scope", "").strip():
        items = []
        for line in post["scope"].replace("，", ",").splitlines():
            code, _sep, level = line.strip().partition(",")
            if code:
                items.append({"occupation": code.strip(), "level": level.strip()})
        data["scope"] = items
    return data


@login_required
def home(request):
    user = request.user
    if perms.can_view_queue(user):
        return redirect("accreditation:queue")
    return redirect("accreditation:calls")


@login_required
def calls(request):
    user = request.user
    if perms.can_manage_calls(user):
        rows = Call.objects.visible_to(user)
    elif perms.can_apply(user):
        rows = selectors.open_calls(user.organisation)
    else:
        rows = Call.objects.visible_to(user).filter(status="open")
    return render(
        request,
        "accreditation/calls.html",
        {"calls": rows, "can_manage": perms.can_manage_calls(user), "kinds": Kind.choices},
    )


def _call_data(post) -> dict:
    """The call form's fields as the service takes them (quotas: one "district code: n" a line)."""
    data = {k: post.get(k, "") for k in ("kind", "title", "opens_on", "closes_on", "description")}
    for name in ("year", "round"):
        if post.get(name, "").strip():
            data[name] = post.get(name).strip()
    data["required_evidence"] = post.getlist("required_evidence")
    quotas: dict = {}
    for line in post.get("quotas", "").replace("：", ":").splitlines():
        code, _sep, number = line.partition(":")
        if code.strip():
            number = number.strip()
            quotas[code.strip()] = int(number) if number.isdigit() else number
    data["quotas"] = quotas
    return data


@login_required
def call_new(request):
    """The bureau drafts a call (申报通知): kind, year and round, the days it is open, the
    evidence every application must carry, quotas per district; it publishes it on its page."""
    from haihe.accreditation.cases import EVIDENCE_KINDS
    from haihe.core import clock

    if not perms.can_manage_calls(request.user):
        raise PermissionDenied
    errors: dict = {}
    if request.method == "POST":
        try:
            call = services.call_create(actor=request.user, **_call_data(request.POST))
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        else:
            messages.success(request, _("申报通知已保存为草稿，核对后发布。"))
            return redirect("accreditation:call", pk=call.pk)
    return render(
        request,
        "accreditation/call_form.html",
        {
            "kinds": Kind.choices,
            "evidence_kinds": list(EVIDENCE_KINDS.items()),
            "post": request.POST,
            "chosen": request.POST.getlist("required_evidence"),
            "year": clock.today().year,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def call_detail(request, pk):
    call = get_object_or_404(Call.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        if not perms.can_manage_calls(request.user):
            raise PermissionDenied
        try:
            if request.POST.get("action") == "close":
                services.call_close(actor=request.user, call=call)
            else:
                services.call_open(actor=request.user, call=call)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect("accreditation:call", pk=pk)
    from haihe.accreditation.cases import EVIDENCE_KINDS

    return render(
        request,
        "accreditation/call_detail.html",
        {
            "call": call,
            "required": [EVIDENCE_KINDS.get(k, k) for k in call.required_evidence],
            "can_apply": perms.can_apply(request.user) and call.is_open_on(_today()),
            "can_manage": perms.can_manage_calls(request.user),
        },
    )


def _today():
    from haihe.core import clock

    return clock.today()


def _open_call(request, pk) -> Call:
    if not perms.can_apply(request.user):
        raise PermissionDenied
    return get_object_or_404(selectors.open_calls(request.user.organisation), pk=pk)


@login_required
def apply(request, pk):
    call = _open_call(request, pk)
    error = None
    if request.method == "POST":
        try:
            application = services.application_create(
                actor=request.user, call=call, **_facts_from(request.POST)
            )
        except ValidationError as exc:
            error = _errors(exc)
        else:
            messages.success(request, _("申请已保存为草稿，请上传材料后提交。"))
            return redirect("accreditation:application", pk=application.pk)
    return render(
        request,
        "accreditation/apply.html",
        {"call": call, "error": error, "post": request.POST},
        status=400 if error else 200,
    )


@login_required
@require_POST
def eligibility_preview(request, pk):
    """The form's live explanation (htmx): the conditions of the call's kind, checked on the
    facts typed so far."""
    call = _open_call(request, pk)
    try:
        decision = services.preview(
            organisation=request.user.organisation, call=call, data=_facts_from(request.POST)
        )
    except ValidationError as exc:
        return render(request, "accreditation/_eligibility.html", {"error": _errors(exc)})
    return render(request, "accreditation/_eligibility.html", {"decision": decision})


def _filtered(request, filter_class, rows, template, **extra):
    """A list read through its filters (the same class as the API's): a refused filter lists
    nothing and is shown in the filter bar (400)."""
    rows, problems = filter_page(request, filter_class, rows)
    context = {
        "page": paginate(request, rows),
        "filters": request.GET,
        "filter_errors": problems,
        "kinds": Kind.choices,
        **extra,
    }
    return render(request, template, context, status=400 if problems else 200)


@login_required
def applications(request):
    user = request.user
    rows = Application.objects.visible_to(user).select_related("organisation", "call", "district")
    return _filtered(
        request, ApplicationFilter, rows, "accreditation/applications.html",
        title=_("认定申请"), statuses=ApplicationStatus.choices,
    )  # fmt: skip


def _application_for(request, pk) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related(
            "organisation", "call", "district", "leader"
        ),
        pk=pk,
    )


@login_required
def application_detail(request, pk):
    application = _application_for(request, pk)
    user = request.user
    editable = perms.can_edit_application(user, application)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        try:
            services.application_update(
                actor=user, application=application, **_facts_from(request.POST)
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect("accreditation:application", pk=pk)
    stage = APPLICATION_PIPELINE.stage_waiting(application)
    refusal = None
    if stage is not None and user.role in stage.roles:
        refusal = perms.review_refusal(user, application)
    return render(
        request,
        "accreditation/application_detail.html",
        {
            "application": application,
            "editable": editable,
            "decision": services.eligibility_of(application) if editable else None,
            "stored": application.eligibility.get("reasons", []),
            "evidence": case_panel(user, application),
            "history": history(application),
            "can_review": perms.can_review(user, application),
            "stage": stage,
            "review_refusal": refusal,
        },
    )


@login_required
@require_POST
def application_submit(request, pk):
    application = _application_for(request, pk)
    try:
        if request.POST.get("action") == "withdraw":
            services.application_withdraw(
                actor=request.user, application=application, reason=request.POST.get("reason", "")
            )
        else:
            services.application_submit(actor=request.user, application=application)
            messages.success(request, _("申请已提交。"))
    except TransitionForbidden:
        raise
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("accreditation:application", pk=pk)


@login_required
@require_POST
def application_decide(request, pk):
    application = _application_for(request, pk)
    if not perms.can_review(request.user, application):
        raise PermissionDenied
    try:
        services.application_decide(
            actor=request.user,
            application=application,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("审核结论已提交。"))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("accreditation:application", pk=pk)


@login_required
def review_queue(request):
    user = request.user
    if not perms.can_view_queue(user):
        raise PermissionDenied
    rows = selectors.queue(
        user,
        Application.objects.visible_to(user).select_related("organisation", "call", "district"),
    )
    return _filtered(
        request, ApplicationFilter, rows, "accreditation/applications.html",
        title=_("待审核的认定申请"), queue=True, statuses=ApplicationStatus.choices,
    )  # fmt: skip


@login_required
def recognitions(request):
    rows = Recognition.objects.visible_to(request.user).select_related("holder", "district")
    return _filtered(
        request, RecognitionFilter, rows, "accreditation/recognitions.html",
        statuses=RecognitionStatus.choices,
        can_import=perms.can_manage_recognitions(request.user),
    )  # fmt: skip


def _recognition_for(request, pk) -> Recognition:
    return get_object_or_404(
        Recognition.objects.visible_to(request.user).select_related("holder", "district", "leader"),
        pk=pk,
    )


@login_required
def recognition_detail(request, pk):
    recognition = _recognition_for(request, pk)
    user = request.user
    return render(
        request,
        "accreditation/recognition_detail.html",
        {
            "recognition": recognition,
            "reports": AnnualReport.objects.visible_to(user).filter(recognition=recognition),
            "changes": ChangeRequest.objects.visible_to(user).filter(recognition=recognition),
            "actions": [t for t in recognition_workflow.available(user, recognition)],
            "can_report": perms.can_file_report(user, recognition),
            "can_change": perms.can_request_change(user, recognition),
            "is_district": user.role == "district_reviewer",
            "is_bureau": perms.can_manage_recognitions(user),
        },
    )


STEPS = {
    "suspend": services.recognition_suspend,
    "reinstate": services.recognition_reinstate,
    "revoke": services.recognition_revoke,
}


@login_required
@require_POST
def recognition_status(request, pk):
    recognition = _recognition_for(request, pk)
    if not perms.can_manage_recognitions(request.user):
        raise PermissionDenied
    step = STEPS.get(request.POST.get("action", ""))
    if step is None:
        raise Http404
    try:
        step(actor=request.user, recognition=recognition, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("accreditation:recognition", pk=pk)


@login_required
@require_POST
def report_file(request, pk):
    recognition = _recognition_for(request, pk)
    if not perms.can_file_report(request.user, recognition):
        raise PermissionDenied
    try:
        services.report_submit(
            actor=request.user,
            recognition=recognition,
            year=request.POST.get("year"),
            trained=request.POST.get("trained") or 0,
            body=request.POST.get("body", ""),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("accreditation:recognition", pk=pk)


@login_required
@require_POST
def change_file(request, pk):
    recognition = _recognition_for(request, pk)
    if not perms.can_request_change(request.user, recognition):
        raise PermissionDenied
    facts = _facts_from(request.POST)
    try:
        services.change_request(
            actor=request.user,
            recognition=recognition,
            change=request.POST.get("change", ""),
            reason=request.POST.get("reason", ""),
            new_scope=facts.get("scope"),
            new_leader=facts.get("leader"),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("accreditation:recognition", pk=pk)


@login_required
@require_POST
def report_check(request, pk):
    report = get_object_or_404(AnnualReport.objects.visible_to(request.user), pk=pk)
    try:
        services.report_check(
            actor=request.user,
            report=report,
            accept=request.POST.get("decision") == "accept",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("accreditation:recognition", pk=report.recognition_id)


@login_required
@require_POST
def change_decide(request, pk):
    change = get_object_or_404(ChangeRequest.objects.visible_to(request.user), pk=pk)
    try:
        services.change_decide(
            actor=request.user,
            request=change,
            approve=request.POST.get("decision") == "approve",
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("accreditation:recognition", pk=change.recognition_id)


# -- the public register (no sign-in) --------------------------------------------------------
def _kind_or_404(kind: str | None) -> str:
    if kind is None:
        return Kind.ENTERPRISE_TRAINING_CENTRE
    if kind not in Kind.values:
        raise Http404
    return kind


def public_register(request, kind=None):
    kind = _kind_or_404(kind)
    return _filtered(
        request, RecognitionRegisterFilter, selectors.register(kind), "accreditation/register.html",
        kind=kind, kind_label=Kind(kind).label,
    )  # fmt: skip


def _register_rows(kind):
    header = [
        _("认定编号"),
        _("认定单位"),
        _("所在区"),
        _("有效期起"),
        _("有效期止"),
        _("认定范围（职业、等级）"),
    ]
    yield header
    for r in selectors.register(kind):
        scope = "、".join(f"{s['occupation']}/{s['level']}" for s in r.scope or [])
        yield [r.number, r.holder.name, r.district.name, r.valid_from.isoformat(),
               r.valid_until.isoformat(), scope]  # fmt: skip


def register_export(request, kind, fmt):
    kind = _kind_or_404(kind)
    if fmt == "csv":
        response, writer = csv_download(f"register-{kind}.csv")
        writer.writerows(_register_rows(kind))
        return response
    if fmt == "xlsx":
        book = XlsxBook()
        sheet = book.sheet(str(Kind(kind).label))
        for row in _register_rows(kind):
            sheet.append(row)
        response = HttpResponse(
            book.to_bytes(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="register-{kind}.xlsx"'
        return response
    raise Http404
