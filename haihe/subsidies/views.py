"""Pages for institutions (claims), reviewers (queues, a claim with its checks, batch approval)
and workers (the subsidies paid for them). The bureau's pages are in views_bureau.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.accounts.roles import Role
from haihe.core import clock
from haihe.core.apischema import filter_page
from haihe.core.pagination import paginate
from haihe.core.views import object_trail
from haihe.evidence.selectors import case_panel
from haihe.payments.models import Payment
from haihe.registry.models import District
from haihe.subsidies import perms, services
from haihe.subsidies.filters import ClaimFilter
from haihe.subsidies.forms import ReviewForm
from haihe.subsidies.models import (
    Claim,
    ClaimCheck,
    ClaimLine,
    ClaimStatus,
    LineStatus,
)
from haihe.subsidies.rules import explained
from haihe.subsidies.selectors import review_queue
from haihe.subsidies.workflows import claim_workflow
from haihe.training.models import Outcome, TrainingClass


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _list_context(request, claims, **extra):
    """The claims the filter bar asks for (ClaimFilter, the same as the API's); a refused filter
    lists nothing and is shown in the bar."""
    rows, problems = filter_page(request, ClaimFilter, claims)
    rows = rows.select_related("organisation", "district", "training_class__occupation").order_by(
        "submitted_at", "id"
    )
    return {
        "page": paginate(request, rows),
        "districts": District.objects.all(),
        "statuses": ClaimStatus.choices,
        "filters": request.GET,
        "filter_errors": problems,
        **extra,
    }


def _render_list(request, template, context):
    return render(request, template, context, status=400 if context["filter_errors"] else 200)


@login_required
def claims(request):
    """Every claim the user may see, with filters; institutions also see classes to claim for."""
    user = request.user
    if user.role == Role.WORKER:
        return redirect("subsidies:mine")
    if not (perms.can_file_claims(user) or perms.can_view_queue(user)):
        raise PermissionDenied
    visible = Claim.objects.visible_to(user)
    extra = {}
    if perms.can_file_claims(user):
        claimable = (
            Outcome.objects.current()
            .filter(enrolment__training_class=OuterRef("pk"))
            .exclude(enrolment__subsidy_lines__holds_outcome=True)
        )
        extra["classes"] = (
            TrainingClass.objects.visible_to(user)
            .filter(organisation_id=user.organisation_id, status="approved")
            .filter(Exists(claimable))
            .select_related("occupation")[:50]
        )
    return _render_list(request, "subsidies/claims.html", _list_context(request, visible, **extra))


@login_required
def claim_new(request):
    user = request.user
    if not perms.can_file_claims(user):
        raise PermissionDenied
    klass = get_object_or_404(
        TrainingClass.objects.visible_to(user).filter(organisation_id=user.organisation_id),
        pk=request.GET.get("class") or request.POST.get("class") or 0,
    )
    if request.method == "POST":
        try:
            claim = services.claim_create(actor=user, training_class=klass)
            if request.POST.get("submit_now"):
                claim = services.claim_submit(actor=user, claim=claim)
                messages.success(request, _("已提交申领 %(number)s。") % {"number": claim.number})
            else:
                messages.success(
                    request, _("已保存申领草稿 %(number)s。") % {"number": claim.number}
                )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            return redirect("subsidies:claim", pk=claim.pk)
    preview = services.claim_preview(actor=user, training_class=klass)
    rows = [{"outcome": o, "decision": d, "reasons": explained(d.as_dict())} for o, d in preview]
    return render(
        request,
        "subsidies/claim_new.html",
        {
            "klass": klass,
            "rows": rows,
            "eligible": sum(1 for r in rows if r["decision"].ok),
            "total": sum((r["decision"].amount or 0) for r in rows if r["decision"].ok),
        },
    )


def _claim_for(request, pk):
    return get_object_or_404(
        Claim.objects.visible_to(request.user).select_related(
            "organisation",
            "district",
            "training_class__occupation",
            "district_reviewed_by",
            "municipal_reviewed_by",
        ),
        pk=pk,
    )


@login_required
def claim_detail(request, pk):
    claim = _claim_for(request, pk)
    user = request.user
    lines = list(
        ClaimLine.objects.filter(claim=claim)
        .select_related("person", "outcome", "excluded_by")
        .order_by("status", "id")
    )
    checks = list(
        ClaimCheck.objects.visible_to(user).current().filter(claim=claim).order_by("code", "id")
    )
    checks_by_line: dict[int, list] = {}
    for check in checks:
        checks_by_line.setdefault(check.line_id, []).append(check)
    for line in lines:
        line.reasons = explained(line.decision)
        line.raised = checks_by_line.get(line.pk, [])
    can_review = perms.can_review_claim(user, claim)
    refusal = None
    if user.role in (Role.DISTRICT_REVIEWER, Role.MUNICIPAL_REVIEWER) and claim.in_review:
        name = "district_approve" if claim.status == "submitted" else "municipal_approve"
        refusal = claim_workflow.refusal(user, claim, name)
    return render(
        request,
        "subsidies/claim_detail.html",
        {
            "claim": claim,
            "lines": lines,
            "checks": checks,
            "show_checks": ClaimCheck.objects.visible_to(user).exists()
            or perms.can_view_queue(user),
            "can_edit": perms.can_edit_claim(user, claim),
            "can_review": can_review,
            "review_refusal": refusal,
            "review_form": ReviewForm(),
            "payments": Payment.objects.visible_to(user).of(claim).select_related("batch"),
            "evidence": case_panel(user, claim),
            "trail": object_trail(user, claim),
        },
    )


@login_required
@require_POST
def claim_submit(request, pk):
    claim = _claim_for(request, pk)
    try:
        claim = services.claim_submit(actor=request.user, claim=claim)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已提交，等待区级审核。"))
    return redirect("subsidies:claim", pk=claim.pk)


@login_required
@require_POST
def claim_withdraw(request, pk):
    claim = _claim_for(request, pk)
    try:
        services.claim_withdraw(
            actor=request.user, claim=claim, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已撤回。"))
    return redirect("subsidies:claim", pk=claim.pk)


@login_required
@require_POST
def claim_review(request, pk):
    claim = _claim_for(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("subsidies:claim", pk=claim.pk)
    try:
        services.claim_review(
            actor=request.user,
            claim=claim,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("subsidies:claim", pk=claim.pk)
    messages.success(request, _("已审核申领 %(number)s。") % {"number": claim.number})
    return redirect("subsidies:queue")


@login_required
@require_POST
def line_exclude(request, pk, line_pk):
    claim = _claim_for(request, pk)
    line = get_object_or_404(claim.lines.all(), pk=line_pk)
    try:
        if request.POST.get("include"):
            services.line_include(actor=request.user, line=line)
        else:
            services.line_exclude(
                actor=request.user, line=line, reason=request.POST.get("reason", "")
            )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("subsidies:claim", pk=claim.pk)


@login_required
def queue(request):
    """The claims waiting for the reviewer, oldest first, with filters and batch approval."""
    user = request.user
    if not perms.can_view_queue(user):
        raise PermissionDenied
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("claim") if i.isdigit()]
        chosen = list(review_queue(user).filter(pk__in=ids))
        if not chosen:
            messages.error(request, _("请选择要审核的申领。"))
        else:
            try:
                count = services.claims_batch_approve(actor=user, claims=chosen)
            except ValidationError as exc:
                messages.error(request, _("未审核任何申领：") + " ".join(exc.messages))
            else:
                messages.success(request, _("已批量通过 %(count)d 件申领。") % {"count": count})
        return redirect(request.get_full_path())
    can_decide = user.role in (Role.DISTRICT_REVIEWER, Role.MUNICIPAL_REVIEWER)
    return _render_list(
        request,
        "subsidies/queue.html",
        _list_context(request, review_queue(user), can_decide=can_decide, today=clock.today()),
    )


@login_required
def mine(request):
    """A worker's subsidies: the claim lines about them, with status and explanation."""
    user = request.user
    if user.role != Role.WORKER:
        raise PermissionDenied
    lines = (
        ClaimLine.objects.visible_to(user)
        .select_related("claim__organisation", "outcome", "enrolment__training_class__occupation")
        .order_by("-claim__submitted_at")
    )
    rows = list(lines)
    for line in rows:
        line.reasons = explained(line.decision)
    return render(
        request,
        "subsidies/mine.html",
        {"lines": rows, "LineStatus": LineStatus},
    )
