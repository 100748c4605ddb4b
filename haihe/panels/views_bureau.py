"""The panel pages of the bureau and of a panel's chair: the list of panels, a panel with its
scheme, members, cases, conflicts and assignments, a case with its rounds, and the results
export. The chair sees their panel through the same pages, with blind labels on a blind panel
and never another member's score sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.core.pagination import csv_download, paginate
from haihe.core.views import object_trail
from haihe.panels import perms, scoring, selectors, services
from haihe.panels.cases import purpose_for
from haihe.panels.forms import PanelForm
from haihe.panels.models import (
    Aggregation,
    Assignment,
    Expert,
    Panel,
    PanelCase,
    PanelMember,
)
from haihe.panels.rules import fmt
from haihe.panels.views import as_int, flash_errors
from haihe.panels.workflows import case_workflow, panel_workflow


@login_required
def index(request):
    user = request.user
    if not perms.can_view_panels(user):
        raise PermissionDenied
    form = PanelForm(request.POST or None)
    if request.method == "POST":
        if not perms.can_manage_panels(user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                panel = services.panel_create(
                    actor=user,
                    purpose=data["purpose"],
                    name=data["name"],
                    reference_date=data["reference_date"],
                    deadline=data["deadline"],
                    blind=data["blind"],
                )
            except ValidationError as exc:
                for field, errors in selectors_errors(exc).items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("已创建专家组。"))
                return redirect("panels:panel", pk=panel.pk)
    panels = Panel.objects.visible_to(user).select_related("chair__person")
    status = request.GET.get("status", "")
    if status:
        panels = panels.filter(status=status)
    return render(
        request,
        "panels/index.html",
        {
            "page": paginate(request, panels),
            "form": form,
            "can_manage": perms.can_manage_panels(user),
            "statuses": Panel._meta.get_field("status").choices,
            "filters": request.GET,
        },
    )


def selectors_errors(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _panel_for(user, pk) -> Panel:
    if not perms.can_view_panels(user):
        raise PermissionDenied
    panel = get_object_or_404(Panel.objects.visible_to(user).select_related("chair__person"), pk=pk)
    if not (perms.is_bureau(user) or perms.is_chair(user, panel)):
        raise PermissionDenied
    return panel


@login_required
def panel_detail(request, pk):
    user = request.user
    panel = _panel_for(user, pk)
    bureau = perms.is_bureau(user)
    try:
        scheme = services.scheme_of(panel)
    except ValidationError as exc:
        scheme, scheme_error = None, " ".join(exc.messages)
    else:
        scheme_error = ""
    members = (
        PanelMember.objects.visible_to(user)
        .filter(panel=panel)
        .select_related("expert__person", "expert__employer")
    )
    can_setup = perms.can_manage_panels(user) and panel.status in services.SETUP
    context = {
        "panel": panel,
        "purpose": purpose_for(panel.purpose),
        "scheme": scheme,
        "scheme_error": scheme_error,
        "members": members,
        "rows": selectors.panel_cases(user, panel, with_conflicts=bureau),
        "transitions": [
            t for t in panel_workflow.available(user, panel) if t.name != "open" or can_setup
        ],
        "can_setup": can_setup,
        "bureau": bureau,
        "candidates": (
            Expert.objects.active()
            .exclude(memberships__panel=panel)
            .select_related("person")
            .order_by("person__name")[:500]
            if can_setup
            else []
        ),
        "trail": object_trail(user, panel) if bureau else [],
    }
    return render(request, "panels/panel_detail.html", context)


@login_required
@require_POST
def panel_action(request, pk):
    user = request.user
    panel = _panel_for(user, pk)
    name, reason = request.POST.get("name", ""), request.POST.get("reason", "")
    actions = {
        "open": lambda: services.panel_open(actor=user, panel=panel),
        "cancel": lambda: services.panel_cancel(actor=user, panel=panel, reason=reason),
        "lock": lambda: scoring.panel_lock(actor=user, panel=panel),
        "sign": lambda: scoring.panel_sign(actor=user, panel=panel),
        "countersign": lambda: scoring.panel_countersign(actor=user, panel=panel),
        "reopen": lambda: scoring.panel_reopen(actor=user, panel=panel, reason=reason),
    }
    if name not in actions:
        messages.error(request, _("未知的操作。"))
        return redirect("panels:panel", pk=pk)
    try:
        actions[name]()
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("panels:panel", pk=pk)


@login_required
@require_POST
def panel_members(request, pk):
    user = request.user
    if not perms.can_manage_panels(user):
        raise PermissionDenied
    panel = get_object_or_404(Panel.objects.visible_to(user), pk=pk)
    op = request.POST.get("op", "")
    try:
        if op in ("add", "chair"):
            expert = Expert.objects.filter(pk=as_int(request.POST.get("expert"))).first()
            if expert is None:
                raise ValidationError(_("请选择专家。"))
            if op == "add":
                services.member_add(actor=user, panel=panel, expert=expert)
            else:
                services.chair_set(actor=user, panel=panel, expert=expert)
        elif op == "withdraw":
            member = get_object_or_404(panel.members, pk=as_int(request.POST.get("member")))
            services.member_withdraw(
                actor=user, member=member, reason=request.POST.get("reason", "")
            )
        else:
            raise ValidationError(_("未知的操作。"))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("panels:panel", pk=pk)


@login_required
@require_POST
def panel_assign(request, pk):
    user = request.user
    if not perms.can_manage_panels(user):
        raise PermissionDenied
    panel = get_object_or_404(Panel.objects.visible_to(user), pk=pk)
    try:
        if request.POST.get("op") == "manual":
            case = get_object_or_404(panel.cases, pk=as_int(request.POST.get("case")))
            member = get_object_or_404(panel.members, pk=as_int(request.POST.get("member")))
            services.assignment_create(actor=user, case=case, member=member)
            messages.success(request, _("已分配。"))
        else:
            raw_n, raw_seed = request.POST.get("per_case", ""), request.POST.get("seed", "")
            per_case = as_int(raw_n) if raw_n.strip() else None
            seed = as_int(raw_seed) if raw_seed.strip() else None
            if (raw_n.strip() and per_case is None) or (raw_seed.strip() and seed is None):
                raise ValidationError(_("每案评分人数和随机种子应为整数。"))
            created = services.assignments_draw(
                actor=user, panel=panel, per_case=per_case, seed=seed
            )
            seed_used = created[0].seed if created else seed
            messages.success(
                request,
                _("随机抽取完成：新分配 %(n)d 项任务（随机种子 %(seed)s）。")
                % {"n": len(created), "seed": seed_used if seed_used is not None else "—"},
            )
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("panels:panel", pk=pk)


def _case_for(user, pk) -> PanelCase:
    if not perms.can_view_panels(user):
        raise PermissionDenied
    case = get_object_or_404(
        PanelCase.objects.visible_to(user).select_related("panel__chair__person"), pk=pk
    )
    if not (perms.is_bureau(user) or perms.is_chair(user, case.panel)):
        raise PermissionDenied
    return case


@login_required
def case_detail(request, pk):
    user = request.user
    case = _case_for(user, pk)
    bureau = perms.is_bureau(user)
    try:
        scheme = services.scheme_of(case.panel)
    except ValidationError:
        scheme = None
    sheets = []
    if bureau and scheme is not None:
        for assignment in (
            Assignment.objects.visible_to(user)
            .filter(case=case)
            .select_related("member__expert__person", "sheet")
            .prefetch_related("sheet__scores")
        ):
            scores = {s.criterion: s for s in assignment.sheet.scores.all()}
            sheets.append((assignment, [scores.get(c.code) for c in scheme.criteria]))
    aggregations = [
        (a, selectors.reasons_of(a.decision))
        for a in Aggregation.objects.visible_to(user).filter(case=case).order_by("-pk")
    ]
    return render(
        request,
        "panels/case_detail.html",
        {
            "case": case,
            "panel": case.panel,
            "view": selectors.present(user, case),
            "scheme": scheme,
            "sheets": sheets,
            "aggregations": aggregations,
            "bureau": bureau,
            "can_return": case_workflow.refusal(user, case, "return") is None
            and case.panel.status == "scoring",
            "can_manage": perms.can_manage_panels(user) and case.panel.status in services.SETUP,
            "trail": object_trail(user, case) if bureau else [],
        },
    )


@login_required
@require_POST
def case_action(request, pk):
    user = request.user
    case = _case_for(user, pk)
    op, reason = request.POST.get("op", ""), request.POST.get("reason", "")
    try:
        if op == "return":
            scoring.case_return(actor=user, case=case, reason=reason)
        elif op == "withdraw":
            services.case_withdraw(actor=user, case=case, reason=reason)
        elif op == "cancel_assignment":
            assignment = get_object_or_404(
                Assignment.objects.visible_to(user).filter(case=case),
                pk=as_int(request.POST.get("assignment")),
            )
            services.assignment_cancel(actor=user, assignment=assignment, reason=reason)
        else:
            raise ValidationError(_("未知的操作。"))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("panels:case", pk=pk)


@login_required
def results_export(request, pk):
    """The panel's results as CSV: blind labels for the chair of a blind panel."""
    user = request.user
    panel = _panel_for(user, pk)
    response, writer = csv_download(f"panel-{panel.pk}-results.csv")
    header = [_("编号"), _("案卷"), _("单位"), _("状态"), _("评分轮次"), _("综合得分")]
    writer.writerow(header + ([_("各专家总分")] if perms.is_bureau(user) else []))
    for row in selectors.panel_cases(user, panel):
        line = [
            row.case.code,
            row.view.label,
            "、".join(row.view.organisations),
            row.case.get_status_display(),
            row.case.round,
            fmt(row.case.score) if row.case.score is not None else "",
        ]
        if perms.is_bureau(user):
            line.append(
                "; ".join(
                    f"{a.member.expert.person.name}={fmt(a.sheet.total)}"
                    for a in row.assignments
                    if a.sheet.total is not None and a.status == "assigned"
                )
            )
        writer.writerow(line)
    return response
