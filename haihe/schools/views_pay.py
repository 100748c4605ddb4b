"""The performance-pay calculator of a cooperating school and the bureau's decision on it.

The school fills staff, current total, proposed increase and its split between base and
incentive pay; the page shows the cap with the income figure and its effective date (and to the
bureau the parameter keys) through `{% explain %}`. An amount over the cap is refused with that
explanation and nothing is saved."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.core import clock
from haihe.schools import perms, services
from haihe.schools.forms import PayForm
from haihe.schools.models import PayPlan
from haihe.schools.views import _act, _review_context
from haihe.schools.workflows import PAY_PIPELINE


def _plans_of(user):
    return PayPlan.objects.visible_to(user).select_related("school", "district")


@login_required
def plans(request):
    user = request.user
    if not (perms.can_file(user) or perms.is_pay_reviewer(user)):
        raise PermissionDenied
    rows = _plans_of(user).order_by("-year", "-id")[:200]
    return render(
        request, "schools/pay_list.html", {"plans": rows, "can_file": perms.can_file(user)}
    )


@login_required
def plan_edit(request, pk=None):
    """The calculator: "calculate" shows the decision; "save" keeps a plan within the rules."""
    user = request.user
    if not perms.can_file(user):
        raise PermissionDenied
    plan = get_object_or_404(_plans_of(user), pk=pk) if pk else None
    if plan is not None and not perms.can_edit(user, plan):
        raise PermissionDenied
    initial = {"year": clock.today().year}
    if plan is not None:
        initial = {name: getattr(plan, name) for name in services.PAY_FIELDS}
    form = PayForm(request.POST or None, initial=initial)
    decision = None
    if request.method == "POST" and form.is_valid():
        _values, errors, decision = services.pay_calculate(actor=user, data=form.cleaned_data)
        for field, problems in errors.items():
            form.add_error(field if field in form.fields else None, problems)
        if request.POST.get("save") and decision is not None:
            try:
                if plan is None:
                    plan = services.pay_create(actor=user, data=form.cleaned_data)
                else:
                    services.pay_update(actor=user, plan=plan, data=form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _saved())
                return redirect("schools:pay_plan", pk=plan.pk)
    status = 400 if decision is not None and not decision.ok else 200
    return render(
        request,
        "schools/pay_form.html",
        {
            "form": form,
            "plan": plan,
            "decision": decision,
            "reasons": decision.as_dict()["reasons"] if decision else [],
        },
        status=status,
    )


def _saved():
    return _("已保存增核申请，核对无误后提交市人社局核定。")


@login_required
def plan_detail(request, pk):
    user = request.user
    plan = get_object_or_404(_plans_of(user), pk=pk)
    context = {"plan": plan, "reasons": (plan.decision or {}).get("reasons", [])}
    context.update(_review_context(PAY_PIPELINE, user, plan))
    return render(request, "schools/pay_detail.html", context)


@login_required
@require_POST
def plan_action(request, pk, action):
    user = request.user
    if not (perms.can_file(user) or perms.is_pay_reviewer(user)):
        raise PermissionDenied
    plan = get_object_or_404(_plans_of(user), pk=pk)
    return _act(
        request,
        PAY_PIPELINE,
        plan,
        submit=lambda p: services.pay_submit(actor=user, plan=p),
        withdraw=lambda p, reason: services.pay_withdraw(actor=user, plan=p, reason=reason),
        decide=lambda p, d, reason: services.pay_decide(
            actor=user, plan=p, decision=d, reason=reason
        ),
        url="schools:pay_plan",
    )
