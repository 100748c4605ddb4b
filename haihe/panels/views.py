"""The expert's pages: the task list (open assignments with deadlines and counts, the panels
they chair, their declared conflicts), the scoring form of one case, and an export of their
own scores. Thin: parse input, call a service or selector, render. The bureau's pages are in
views_bureau.py and views_roster.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.accounts.roles import Role, active_role
from haihe.core.pagination import csv_download
from haihe.panels import selectors
from haihe.panels.forms import organisation_by_uscc, person_by_ric
from haihe.panels.models import Assignment, SheetStatus
from haihe.panels.rules import fmt
from haihe.panels.scoring import conflict_refusal, sheet_save, sheet_submit
from haihe.panels.services import assignment_recuse, scheme_of
from haihe.panels.services_experts import conflict_declare


def as_int(value) -> int | None:
    """A non-negative integer that fits a database column, or None."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < 2**63 else None


def errors_of(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}


def flash_errors(request, exc: ValidationError) -> None:
    for field_errors in errors_of(exc).values():
        for message in field_errors:
            messages.error(request, message)


def _expert_only(user) -> None:
    """The expert role's pages (an expert account not tied to a person sees an empty list)."""
    if active_role(user) != Role.EXPERT:
        raise PermissionDenied


@login_required
def tasks(request):
    _expert_only(request.user)
    task_list = selectors.task_list(request.user)
    blocked = selectors.conflicted(a for g in task_list.panels for a in g.assignments)
    rows = []
    for group in task_list.panels:
        views = [
            (
                a,
                selectors.withheld(a.case)
                if a.pk in blocked
                else selectors.present(request.user, a.case),
            )
            for a in group.assignments
        ]
        rows.append((group, views, selectors.due_label(group.panel.deadline)))
    return render(
        request,
        "panels/tasks.html",
        {"tasks": task_list, "groups": rows, "declare_errors": {}},
    )


@login_required
@require_POST
def declare(request):
    """The expert declares a standing conflict with an organisation or a person."""
    _expert_only(request.user)
    expert = selectors.expert_for(request.user)
    if expert is None:
        raise PermissionDenied
    uscc, ric = request.POST.get("uscc", "").strip(), request.POST.get("ric", "").strip()
    try:
        if bool(uscc) == bool(ric):
            raise ValidationError(_("请填写单位的统一社会信用代码或人员的身份证号码（二选一）。"))
        conflict_declare(
            actor=request.user,
            expert=expert,
            organisation=organisation_by_uscc(uscc, "uscc") if uscc else None,
            person=person_by_ric(ric) if ric else None,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("已登记利益冲突申报。"))
    return redirect("panels:tasks")


def _rows(scheme, sheet, data, errors):
    saved = {s.criterion: s for s in sheet.scores.all()}
    rows = []
    for criterion in scheme.criteria:
        score = saved.get(criterion.code)
        value = data.get(f"score_{criterion.code}") if data else None
        if value is None:
            value = fmt(score.value) if score else ""
        note = data.get(f"note_{criterion.code}") if data else None
        if note is None:
            note = score.note if score else ""
        rows.append(
            {
                "criterion": criterion,
                "value": value,
                "note": note,
                "errors": errors.get(criterion.code, []),
                "step": "1" if criterion.decimals == 0 else f"0.{'0' * (criterion.decimals - 1)}1",
            }
        )
    return rows


@login_required
def task(request, pk):
    """The scoring form of one assigned case."""
    _expert_only(request.user)
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user)
        .live()
        .select_related("case__panel__chair", "member__expert", "sheet"),
        pk=pk,
    )
    case, sheet = assignment.case, assignment.sheet
    refusal = conflict_refusal(request.user, assignment)
    errors: dict = {}
    if request.method == "POST" and refusal is None:
        action = request.POST.get("action", "save")
        scheme = scheme_of(case.panel)
        scores = {c.code: request.POST.get(f"score_{c.code}", "") for c in scheme.criteria}
        notes = {c.code: request.POST.get(f"note_{c.code}", "") for c in scheme.criteria}
        write = sheet_submit if action == "submit" else sheet_save
        try:
            write(
                actor=request.user,
                sheet=sheet,
                scores=scores,
                notes=notes,
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as exc:
            errors = errors_of(exc)
            messages.error(request, _("评分未保存，请按提示修改。"))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("panels:task", pk=pk)
        else:
            if action == "submit":
                messages.success(request, _("评分已提交。"))
                return redirect("panels:tasks")
            messages.success(request, _("评分已保存（尚未提交）。"))
            return redirect("panels:task", pk=pk)
    context = {
        "assignment": assignment,
        "case": case,
        "panel": case.panel,
        "sheet": sheet,
        "refusal": refusal,
        "errors": errors,
        "general_errors": errors.get("", []) + errors.get("comment", []),
    }
    if refusal is None:
        scheme = scheme_of(case.panel)
        aggregation = selectors.latest_aggregation(request.user, case)
        context.update(
            view=selectors.present(request.user, case),
            scheme=scheme,
            rows=_rows(scheme, sheet, request.POST if errors else None, errors),
            editable=sheet.status in (SheetStatus.DRAFT, SheetStatus.RETURNED)
            and case.panel.status == "scoring",
            comment=request.POST.get("comment", sheet.comment) if errors else sheet.comment,
            aggregation=aggregation,
            aggregation_reasons=selectors.reasons_of(aggregation.decision) if aggregation else [],
        )
    return render(request, "panels/task.html", context)


@login_required
@require_POST
def recuse(request, pk):
    _expert_only(request.user)
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user).live().select_related("case__panel"), pk=pk
    )
    try:
        assignment_recuse(
            actor=request.user, assignment=assignment, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("panels:task", pk=pk)
    messages.success(request, _("已申请回避，该案卷已从您的任务中移除。"))
    return redirect("panels:tasks")


@login_required
def tasks_export(request):
    """The expert's own sheets as CSV (blind panels show their blind labels only)."""
    _expert_only(request.user)
    response, writer = csv_download("my-scores.csv")
    writer.writerow(
        [_("专家组"), _("案卷"), _("任务状态"), _("评分状态"), _("加权总分"), _("各项得分")]
    )
    assignments = list(
        Assignment.objects.visible_to(request.user)
        .live()
        .select_related("case__panel", "sheet", "member__expert")
        .prefetch_related("sheet__scores", "case__target")
        .order_by("case__panel_id", "case__code")
    )
    blocked = selectors.conflicted(assignments)
    for assignment in assignments:
        case = assignment.case
        view = (
            selectors.withheld(case)
            if assignment.pk in blocked
            else selectors.present(request.user, case)
        )
        sheet = assignment.sheet
        writer.writerow(
            [
                assignment.case.panel.name,
                view.label,
                assignment.get_status_display(),
                sheet.get_status_display(),
                fmt(sheet.total) if sheet.total is not None else "",
                "; ".join(f"{s.criterion}={fmt(s.value)}" for s in sheet.scores.all()),
            ]
        )
    return response
