"""Pages of the training module: thin, every object through `visible_to` (else 404)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.accounts.roles import Role
from haihe.core import clock
from haihe.core.pagination import paginate
from haihe.core.views import object_trail
from haihe.policy.rules import Reason
from haihe.registry.models import District, Occupation
from haihe.training import perms, services
from haihe.training.forms import ClassForm, EnrolForm, OutcomeForm, ReasonForm, SessionForm
from haihe.training.models import (
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    Mode,
    Outcome,
    TrainingClass,
    TrainingSession,
)
from haihe.training.workflows import CLASS_WORKFLOW


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _classes(request):
    return TrainingClass.objects.visible_to(request.user).select_related(
        "organisation", "occupation", "district", "platform"
    )


def _filter_classes(request, rows):
    get = request.GET
    if get.get("status") in ClassStatus.values:
        rows = rows.filter(status=get["status"])
    if get.get("district"):
        rows = rows.filter(district__code=get["district"])
    if get.get("occupation"):
        rows = rows.filter(occupation__code=get["occupation"])
    if get.get("mode") in Mode.values:
        rows = rows.filter(mode=get["mode"])
    if get.get("level", "").isdigit():
        rows = rows.filter(level=int(get["level"]))
    q = get.get("q", "").strip()
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(organisation__name__icontains=q))
    for param, lookup in (("start_from", "start_date__gte"), ("start_until", "start_date__lte")):
        try:
            rows = rows.filter(**{lookup: datetime.date.fromisoformat(get.get(param, ""))})
        except ValueError:
            pass
    return rows


def _filter_context(request) -> dict:
    return {
        "filters": request.GET,
        "statuses": ClassStatus.choices,
        "modes": Mode.choices,
        "districts": District.objects.all(),
        "occupations": Occupation.objects.filter(active=True).only("code", "name_zh", "name_en"),
    }


@login_required
def classes(request):
    if request.user.role == Role.WORKER:
        return redirect("training:mine")
    rows = (
        _filter_classes(request, _classes(request))
        .annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__status__in=("enrolled", "completed")))
        )
        .order_by("-start_date", "-id")
    )
    return render(
        request,
        "training/classes.html",
        {
            "page": paginate(request, rows),
            "can_file": perms.can_file_class(request.user),
            **_filter_context(request),
        },
    )


@login_required
def review_queue(request):
    """The district reviewer's queue: submitted classes of their district, soonest start first."""
    if not perms.can_view_review_queue(request.user):
        raise PermissionDenied
    rows = _filter_classes(
        request, _classes(request).filter(status=ClassStatus.SUBMITTED)
    ).order_by("start_date", "submitted_at", "id")
    return render(
        request,
        "training/review_queue.html",
        {
            "page": paginate(request, rows),
            "today": clock.today(),
            **_filter_context(request),
        },
    )


@login_required
def class_new(request):
    if not perms.can_file_class(request.user):
        raise PermissionDenied
    initial = {"district": request.user.organisation.district_id}
    form = ClassForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            training_class = services.class_file(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存草稿。请核对后提交备案。"))
            return redirect("training:class", pk=training_class.pk)
    return render(request, "training/class_form.html", {"form": form, "training_class": None})


@login_required
def class_edit(request, pk):
    training_class = get_object_or_404(_classes(request), pk=pk)
    if not perms.can_edit_class(request.user, training_class):
        raise PermissionDenied
    fields = list(ClassForm.base_fields)
    initial = {f: getattr(training_class, f) for f in fields}
    form = ClassForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.class_update(
                actor=request.user, training_class=training_class, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("training:class", pk=training_class.pk)
    return render(
        request, "training/class_form.html", {"form": form, "training_class": training_class}
    )


@login_required
def class_detail(request, pk):
    training_class = get_object_or_404(_classes(request), pk=pk)
    return _class_page(request, training_class)


def _class_page(request, training_class, enrol_form=None, session_form=None, status=200):
    user = request.user
    enrolments = (
        Enrolment.objects.visible_to(user)
        .filter(training_class=training_class)
        .select_related("person")
        .order_by("status", "person__name")
    )
    counts = dict(enrolments.values_list("status").annotate(n=Count("id")).order_by())
    status_filter = request.GET.get("enrolment_status", "")
    if status_filter in EnrolmentStatus.values:
        enrolments = enrolments.filter(status=status_filter)
    transitions = [t for t in CLASS_WORKFLOW.available(user, training_class) if t.name != "cancel"]
    return render(
        request,
        "training/class_detail.html",
        {
            "c": training_class,
            "page": paginate(request, enrolments, 50),
            "status_counts": [
                (code, label, counts.get(code, 0)) for code, label in EnrolmentStatus.choices
            ],
            "status_filter": status_filter,
            "sessions": TrainingSession.objects.visible_to(user)
            .filter(training_class=training_class)
            .annotate(signed=Count("attendance")),
            "transitions": transitions,
            "can_cancel": CLASS_WORKFLOW.refusal(user, training_class, "cancel") is None,
            "can_edit": perms.can_edit_class(user, training_class),
            "can_enrol": perms.can_enrol(user, training_class),
            "can_attend": perms.can_record_attendance(user, training_class),
            "enrol_form": enrol_form or EnrolForm(),
            "session_form": session_form or SessionForm(),
            "reason_form": ReasonForm(),
            "trail": object_trail(user, training_class),
        },
        status=status,
    )


@login_required
@require_POST
def class_transition(request, pk, name):
    training_class = get_object_or_404(_classes(request), pk=pk)
    if name not in CLASS_WORKFLOW.transitions:
        raise PermissionDenied
    try:
        services.class_transition(
            actor=request.user,
            training_class=training_class,
            name=name,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("已完成：%(action)s。") % {"action": CLASS_WORKFLOW.transitions[name].label}
        )
    if request.POST.get("next") == "queue":
        return redirect("training:review_queue")
    return redirect("training:class", pk=training_class.pk)


@login_required
@require_POST
def enrol(request, pk):
    training_class = get_object_or_404(_classes(request), pk=pk)
    if not perms.can_enrol(request.user, training_class):
        raise PermissionDenied
    form = EnrolForm(request.POST)
    if form.is_valid():
        try:
            enrolment = services.enrol_by_ric(
                actor=request.user, training_class=training_class, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if enrolment.status == EnrolmentStatus.REFUSED:
                messages.warning(
                    request,
                    _("不符合补贴性培训条件，报名未通过。原因见下方；如有异议可申请市级复核。"),
                )
            else:
                messages.success(request, _("已报名。"))
            return redirect("training:enrolment", pk=enrolment.pk)
    return _class_page(request, training_class, enrol_form=form, status=400)


@login_required
@require_POST
def session_create(request, pk):
    training_class = get_object_or_404(_classes(request), pk=pk)
    if not perms.can_record_attendance(request.user, training_class):
        raise PermissionDenied
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            session = services.session_create(
                actor=request.user, training_class=training_class, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已添加课次。"))
            return redirect("training:session", pk=session.pk)
    return _class_page(request, training_class, session_form=form, status=400)


@login_required
def session_detail(request, pk):
    session = get_object_or_404(
        TrainingSession.objects.visible_to(request.user).select_related("training_class"), pk=pk
    )
    training_class = session.training_class
    attended = {
        a.enrolment_id: a for a in session.attendance.all().select_related("enrolment__person")
    }
    enrolments = (
        Enrolment.objects.visible_to(request.user)
        .filter(training_class=training_class)
        .active()
        .select_related("person")
        .order_by("person__name")
    )
    can_attend = perms.can_record_attendance(request.user, training_class)
    error = None
    if request.method == "POST":
        if not can_attend:
            raise PermissionDenied
        chosen = [e for e in enrolments if str(e.pk) in set(request.POST.getlist("enrolment"))]
        moment = None
        raw = request.POST.get("signed_in_at", "").strip()
        if raw:
            try:
                moment = timezone.make_aware(datetime.datetime.fromisoformat(raw))
            except ValueError:
                error = _("签到时间格式不正确。")
        if not chosen and error is None:
            error = _("请选择要签到的学员。")
        if error is None:
            try:
                services.attendance_record(
                    actor=request.user, session=session, enrolments=chosen, signed_in_at=moment
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("已签到 %(n)d 人。") % {"n": len(chosen)})
                return redirect("training:session", pk=session.pk)
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "c": training_class,
            "rows": [(e, attended.get(e.pk)) for e in enrolments],
            "can_attend": can_attend,
            "error": error,
        },
        status=400 if error else 200,
    )


def _reasons(enrolment):
    return [Reason.from_dict(r) for r in enrolment.eligibility.get("reasons", [])]


@login_required
def enrolment_detail(request, pk, outcome_form=None, status=200):
    enrolment = get_object_or_404(
        Enrolment.objects.visible_to(request.user).select_related(
            "person", "training_class__occupation", "training_class__organisation"
        ),
        pk=pk,
    )
    user = request.user
    training_class = enrolment.training_class
    return render(
        request,
        "training/enrolment_detail.html",
        {
            "e": enrolment,
            "c": training_class,
            "reasons": _reasons(enrolment),
            "completion": services.completion_facts(enrolment),
            "attendance": enrolment.attendance.select_related("session"),
            "outcomes": Outcome.objects.visible_to(user).filter(enrolment=enrolment),
            "can_override": perms.can_override_refusal(user, enrolment),
            "can_withdraw": perms.can_withdraw_enrolment(user, enrolment),
            "can_record_outcome": perms.can_record_outcome(user, training_class)
            and enrolment.status == EnrolmentStatus.COMPLETED,
            "outcome_form": outcome_form or OutcomeForm(),
            "reason_form": ReasonForm(),
            "trail": object_trail(user, enrolment),
        },
        status=status,
    )


@login_required
@require_POST
def enrolment_action(request, pk, name):
    enrolment = get_object_or_404(Enrolment.objects.visible_to(request.user), pk=pk)
    action = {"override": services.enrolment_override, "withdraw": services.enrolment_withdraw}
    if name not in action:
        raise PermissionDenied
    try:
        action[name](actor=request.user, enrolment=enrolment, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已完成。"))
    return redirect("training:enrolment", pk=enrolment.pk)


@login_required
@require_POST
def outcome_record(request, pk):
    enrolment = get_object_or_404(
        Enrolment.objects.visible_to(request.user).select_related("training_class"), pk=pk
    )
    if not perms.can_record_outcome(request.user, enrolment.training_class):
        raise PermissionDenied
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.outcome_record(actor=request.user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已登记培训成果。"))
            return redirect("training:enrolment", pk=enrolment.pk)
    return enrolment_detail(request, enrolment.pk, outcome_form=form, status=400)


@login_required
@require_POST
def outcome_void(request, pk):
    outcome = get_object_or_404(
        Outcome.objects.visible_to(request.user).select_related("enrolment__training_class"),
        pk=pk,
    )
    try:
        services.outcome_void(
            actor=request.user, outcome=outcome, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已作废。"))
    return redirect("training:enrolment", pk=outcome.enrolment_id)


@login_required
def refusals(request):
    """Refused enrolments, for the municipal reviewer who may override them."""
    if request.user.role not in (Role.MUNICIPAL_REVIEWER, Role.BUREAU_ADMIN):
        raise PermissionDenied
    rows = (
        Enrolment.objects.visible_to(request.user)
        .filter(status=EnrolmentStatus.REFUSED)
        .select_related("person", "training_class__organisation", "training_class__district")
        .order_by("-enrolled_at", "-id")
    )
    if request.GET.get("district"):
        rows = rows.filter(training_class__district__code=request.GET["district"])
    return render(
        request,
        "training/refusals.html",
        {
            "page": paginate(request, rows),
            "districts": District.objects.all(),
            "filters": request.GET,
        },
    )


@login_required
def mine(request):
    """A worker's own trainings and outcomes."""
    if request.user.role != Role.WORKER:
        raise PermissionDenied
    enrolments = (
        Enrolment.objects.visible_to(request.user)
        .select_related("training_class__occupation", "training_class__organisation")
        .order_by("-training_class__start_date")
    )
    return render(
        request,
        "training/mine.html",
        {
            "enrolments": enrolments,
            "outcomes": Outcome.objects.visible_to(request.user)
            .current()
            .select_related("enrolment__training_class__occupation"),
        },
    )
