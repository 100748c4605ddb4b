"""The bureau's roster of experts: the list with a search, a new entry, one expert's page
(profile, account, memberships, declared conflicts, retire or reinstate). The bulk import goes
through the shared import pages (core.imports, kind "panel_experts")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.accounts.models import User
from haihe.accounts.roles import Role
from haihe.core.pagination import paginate
from haihe.core.views import object_trail
from haihe.panels import perms
from haihe.panels.forms import (
    AccountForm,
    ExpertForm,
    occupations_by_codes,
    organisation_by_uscc,
    person_by_ric,
)
from haihe.panels.models import ConflictDeclaration, Expert
from haihe.panels.services_experts import (
    conflict_declare,
    conflict_void,
    expert_account_create,
    expert_create,
    expert_reinstate,
    expert_retire,
    expert_update,
)
from haihe.panels.views import as_int, flash_errors


def _add_errors(form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, messages_ in errors.items():
        target = field if field in form.fields else None
        if field == "person":
            target = "ric"
        for message in messages_:
            form.add_error(target, message)


@login_required
def experts(request):
    user = request.user
    if not perms.can_view_roster(user):
        raise PermissionDenied
    form = ExpertForm(request.POST or None)
    if request.method == "POST":
        if not perms.can_manage_roster(user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                expert = expert_create(
                    actor=user,
                    person=person_by_ric(data["ric"]),
                    employer=organisation_by_uscc(data["employer"]),
                    title=data["title"],
                    expertise=data["expertise"],
                    specialities=occupations_by_codes(data["specialities"]),
                    note=data["note"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已加入专家库。"))
                return redirect("panels:expert", pk=expert.pk)
    rows = Expert.objects.visible_to(user).select_related("person", "employer")
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(
            Q(person__name__icontains=q)
            | Q(expertise__icontains=q)
            | Q(employer__name__icontains=q)
            | Q(specialities__code=q)
        ).distinct()
    status = request.GET.get("status", "")
    if status in ("active", "retired"):
        rows = rows.filter(status=status)
    return render(
        request,
        "panels/experts.html",
        {
            "page": paginate(request, rows.prefetch_related("specialities")),
            "form": form,
            "can_manage": perms.can_manage_roster(user),
            "filters": request.GET,
        },
    )


@login_required
def expert_detail(request, pk):
    user = request.user
    if not perms.can_view_roster(user):
        raise PermissionDenied
    expert = get_object_or_404(
        Expert.objects.visible_to(user).select_related("person", "employer"), pk=pk
    )
    initial = {
        "employer": expert.employer.uscc if expert.employer else "",
        "title": expert.title,
        "expertise": expert.expertise,
        "specialities": "; ".join(o.code for o in expert.specialities.all()),
        "note": expert.note,
    }
    form = ExpertForm(request.POST or None, initial=initial)
    account_form = AccountForm(prefix="account")
    if request.method == "POST":
        if not perms.can_manage_roster(user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                expert_update(
                    actor=user,
                    expert=expert,
                    employer=organisation_by_uscc(data["employer"]),
                    title=data["title"],
                    expertise=data["expertise"],
                    specialities=occupations_by_codes(data["specialities"]),
                    note=data["note"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("panels:expert", pk=pk)
    accounts = User.objects.filter(person_id=expert.person_id, role=Role.EXPERT)
    return render(
        request,
        "panels/expert_detail.html",
        {
            "expert": expert,
            "form": form,
            "account_form": account_form,
            "accounts": accounts,
            "memberships": expert.memberships.select_related("panel"),
            "declarations": ConflictDeclaration.objects.visible_to(user)
            .filter(expert=expert)
            .select_related("organisation", "person", "case__panel"),
            "can_manage": perms.can_manage_roster(user),
            "trail": object_trail(user, expert),
        },
    )


@login_required
@require_POST
def expert_action(request, pk):
    user = request.user
    if not perms.can_manage_roster(user):
        raise PermissionDenied
    expert = get_object_or_404(Expert.objects.visible_to(user).select_related("person"), pk=pk)
    op = request.POST.get("op", "")
    try:
        if op == "account":
            form = AccountForm(request.POST, prefix="account")
            if not form.is_valid():
                raise ValidationError(list(_form_messages(form)))
            expert_account_create(
                actor=user,
                expert=expert,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        elif op == "retire":
            expert_retire(actor=user, expert=expert, reason=request.POST.get("reason", ""))
        elif op == "reinstate":
            expert_reinstate(actor=user, expert=expert)
        elif op == "declare":
            uscc, ric = request.POST.get("uscc", "").strip(), request.POST.get("ric", "").strip()
            if bool(uscc) == bool(ric):
                raise ValidationError(
                    _("请填写单位的统一社会信用代码或人员的身份证号码（二选一）。")
                )
            conflict_declare(
                actor=user,
                expert=expert,
                organisation=organisation_by_uscc(uscc, "uscc") if uscc else None,
                person=person_by_ric(ric) if ric else None,
                reason=request.POST.get("reason", ""),
            )
        elif op == "void":
            declaration = get_object_or_404(
                ConflictDeclaration.objects.visible_to(user).filter(expert=expert),
                pk=as_int(request.POST.get("declaration")),
            )
            conflict_void(actor=user, declaration=declaration, reason=request.POST.get("reason"))
        else:
            raise ValidationError(_("未知的操作。"))
    except ValidationError as exc:
        flash_errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您无权执行此操作。"))
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("panels:expert", pk=pk)


def _form_messages(form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            yield f"{label}：{error}" if label else error
