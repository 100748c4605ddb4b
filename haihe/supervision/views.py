"""Supervisor pages: platforms, classes, trainees' timelines and the flag queue.

Every read goes through a `visible_to(user)` queryset; what is out of scope is a 404."""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES
from haihe.core.apischema import filter_page
from haihe.core.pagination import paginate
from haihe.core.views import object_trail
from haihe.registry.models import Organisation, OrgKind
from haihe.supervision import perms, selectors, services
from haihe.supervision.filters import FlagFilter
from haihe.supervision.models import (
    Flag,
    FlagKind,
    FlagStatus,
    LearnerAccount,
    LearningSession,
    VerifiedHours,
)
from haihe.supervision.scopes import supervised_classes, supervised_enrolments


def _require(request) -> None:
    if not perms.can_view_supervision(request.user):
        raise PermissionDenied


def _classes(user):
    """Online and blended classes whose supervision data `user` may see."""
    return supervised_classes(user)


def _enrolments(user):
    return supervised_enrolments(user)


@login_required
def index(request):
    _require(request)
    user = request.user
    if user.role in ORG_ROLES:
        return redirect("supervision:platform", pk=user.organisation_id)
    context = {"open_flags": Flag.objects.visible_to(user).filter(status=FlagStatus.OPEN).count()}
    if user.role in BUREAU_ROLES:
        platforms = (
            Organisation.objects.of_kind(OrgKind.ONLINE_TRAINING_PLATFORM)
            .annotate(
                open_flags=Count(
                    "supervision_flags",
                    filter=Q(supervision_flags__status=FlagStatus.OPEN),
                    distinct=True,
                ),
            )
            .order_by("name")
        )
        volume = _statement_counts()
        learners = dict(
            LearningSession.objects.values("platform_id")
            .annotate(n=Count("person_id", distinct=True))
            .values_list("platform_id", "n")
        )
        rows = [(p, volume.get(p.pk, 0), learners.get(p.pk, 0)) for p in platforms]
        context["platforms"] = rows
    classes = (
        _classes(user)
        .select_related("platform", "district", "occupation")
        .annotate(
            trainees=Count("enrolments", distinct=True),
            verified=Sum("enrolments__verified_online__hours"),
        )
        .order_by("-start_date", "-id")
    )
    context["page"] = paginate(request, classes)
    return render(request, "supervision/index.html", context)


def _statement_counts(platform_ids=None) -> dict[int, int]:
    from haihe.xapi.models import Statement

    rows = Statement.objects.all()
    if platform_ids is not None:
        rows = rows.filter(platform_id__in=platform_ids)
    return dict(rows.values("platform_id").annotate(n=Count("id")).values_list("platform_id", "n"))


@login_required
def platform(request, pk):
    _require(request)
    platform = get_object_or_404(
        Organisation.objects.of_kind(OrgKind.ONLINE_TRAINING_PLATFORM).distinct(), pk=pk
    )
    if not perms.can_view_platform(request.user, platform):
        raise Http404
    from haihe.xapi.models import Credential, PlatformSelection, Statement

    statements = Statement.objects.filter(platform=platform)
    volume = statements.aggregate(
        total=Count("id"),
        voided=Count("id", filter=Q(voided=True)),
        last=Max("stored"),
        latest=Max("timestamp"),
    )
    sessions = LearningSession.objects.filter(platform=platform)
    latest = sessions.aggregate(m=Max("started_at"))["m"]
    active = 0
    if latest is not None:
        active = (
            sessions.filter(started_at__gte=latest - datetime.timedelta(days=30))
            .values("person_id")
            .distinct()
            .count()
        )
    flags = Flag.objects.filter(platform=platform)
    by_kind = (
        flags.filter(status=FlagStatus.OPEN).values("kind").annotate(n=Count("id")).order_by("-n")
    )
    kinds = dict(FlagKind.choices)
    context = {
        "platform": platform,
        "volume": volume,
        "accounts": LearnerAccount.objects.filter(platform=platform).count(),
        "learners": sessions.values("person_id").distinct().count(),
        "active": active,
        "sessions": sessions.aggregate(
            n=Count("id"),
            counted=Count("id", filter=Q(status="counted")),
            excluded=Count("id", filter=Q(status="excluded")),
            seconds=Sum("counted_seconds"),
        ),
        "flags_by_kind": [
            (row["kind"], kinds.get(row["kind"], row["kind"]), row["n"]) for row in by_kind
        ],
        "flags_total": flags.count(),
        "credentials": Credential.objects.filter(organisation=platform),
        "selections": PlatformSelection.objects.filter(organisation=platform),
        "classes": _classes(request.user)
        .filter(platform=platform)
        .select_related("district", "occupation")
        .order_by("-start_date")[:50],
    }
    hours = context["sessions"]["seconds"] or 0
    context["verified_hours"] = services.hours_of(hours)
    return render(request, "supervision/platform.html", context)


@login_required
def training_class(request, pk):
    _require(request)
    klass = get_object_or_404(
        _classes(request.user).select_related("platform", "district", "occupation"), pk=pk
    )
    enrolments = list(
        klass.enrolments.select_related("person", "verified_online").order_by("person__name")
    )
    sessions = defaultdict(lambda: defaultdict(int))
    for row in (
        LearningSession.objects.filter(enrolment__training_class=klass)
        .values("enrolment_id", "status")
        .annotate(n=Count("id"))
    ):
        sessions[row["enrolment_id"]][row["status"]] = row["n"]
    flags = dict(
        Flag.objects.filter(enrolment__training_class=klass, status=FlagStatus.OPEN)
        .values("enrolment_id")
        .annotate(n=Count("id"))
        .values_list("enrolment_id", "n")
    )
    planned = klass.planned_hours
    rows = []
    for e in enrolments:
        verified = getattr(e, "verified_online", None)
        hours = verified.hours if verified else 0
        rows.append(
            {
                "enrolment": e,
                "hours": hours,
                "share": round(hours * 100 / planned) if planned else None,
                "sessions": sessions.get(e.pk, {}),
                "flags": flags.get(e.pk, 0),
            }
        )
    return render(
        request,
        "supervision/class.html",
        {"klass": klass, "rows": rows, "planned": planned},
    )


@login_required
def enrolment(request, pk):
    _require(request)
    enrolment = get_object_or_404(
        _enrolments(request.user).select_related(
            "person", "training_class", "training_class__platform"
        ),
        pk=pk,
    )
    verified = VerifiedHours.objects.filter(enrolment=enrolment).first()
    mine = list(selectors.trainee_sessions(request.user, enrolment.person_id))
    days: dict = defaultdict(list)
    for s in mine:
        moment = s.started_at or s.ended_at
        day = timezone.localtime(moment).date() if moment else None
        days[day].append(
            {
                "session": s,
                "own": s.enrolment_id == enrolment.pk,
                "reasons": s.reason_objects(),
                "checks_ok": sum(1 for _at, ok in s.face_checks if ok),
                "checks_failed": sum(1 for _at, ok in s.face_checks if not ok),
            }
        )
    timeline = sorted(days.items(), key=lambda kv: (kv[0] is None, kv[0] or datetime.date.min))
    return render(
        request,
        "supervision/enrolment.html",
        {
            "enrolment": enrolment,
            "klass": enrolment.training_class,
            "verified": verified,
            "explanation": verified.reason_objects() if verified else [],
            "timeline": timeline,
            "flags": Flag.objects.visible_to(request.user).filter(person=enrolment.person),
        },
    )


@login_required
def flags(request):
    """The flag queue; its filters are the API's (FlagFilter): a refused one lists nothing and is
    shown in the filter bar."""
    _require(request)
    queue, problems = filter_page(request, FlagFilter, selectors.visible_flags(request.user))
    return render(
        request,
        "supervision/flags.html",
        {
            "page": paginate(request, queue, 50),
            "filters": request.GET,
            "filter_errors": problems,
            "status": request.GET.get("status", FlagStatus.OPEN),
            "statuses": FlagStatus.choices,
            "kinds": FlagKind.choices,
        },
        status=400 if problems else 200,
    )


@login_required
def flag_detail(request, pk):
    _require(request)
    flag = get_object_or_404(
        Flag.objects.visible_to(request.user).select_related(
            "platform", "person", "enrolment__training_class", "district", "closed_by"
        ),
        pk=pk,
    )
    return _flag_page(request, flag)


def _flag_page(request, flag, error=None):
    sessions = selectors.flag_sessions(request.user, flag)
    return render(
        request,
        "supervision/flag.html",
        {
            "flag": flag,
            "reason": flag.reason,
            "sessions": [(s, s.reason_objects()) for s in sessions],
            "can_close": perms.can_close_flag(request.user, flag),
            "error": error,
            "trail": object_trail(request.user, flag),
        },
    )


@login_required
@require_POST
def flag_close(request, pk):
    _require(request)
    flag = get_object_or_404(Flag.objects.visible_to(request.user), pk=pk)
    action = request.POST.get("action", "")
    try:
        services.flag_close(
            actor=request.user, flag=flag, action=action, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        return _flag_page(request, flag, error=" ".join(exc.messages))
    messages.success(
        request, _("已处理该监管标记。") if action == "resolve" else _("已驳回该监管标记。")
    )
    return redirect("supervision:flag", pk=flag.pk)
