"""The home pages, one per group of roles (registered with haihe.core.homes; core's `home`
view dispatches to them). Each shows what needs the user now, with links to the lists."""

from django.shortcuts import render

from haihe.core import clock
from haihe.portal import selectors


def reviewer_home(request):
    """The bureau's administrator, municipal and district reviewers: their review queues."""
    user = request.user
    return render(
        request,
        "portal/home_reviewer.html",
        {"home": selectors.reviewer_home(user), "today": clock.today()},
    )


def org_home(request):
    """An organisation's administrator and staff: its classes, claims and flags to act on."""
    user = request.user
    return render(
        request,
        "portal/home_org.html",
        {
            "home": selectors.org_home(user),
            "organisation": user.organisation,
            "today": clock.today(),
        },
    )


def expert_home(request):
    """An expert: their panel assignments, due and unscored."""
    return render(
        request,
        "portal/home_expert.html",
        {"home": selectors.expert_home(request.user), "today": clock.today()},
    )


def worker_home(request):
    """A worker: their trainings, certificates and subsidies."""
    return render(
        request,
        "portal/home_worker.html",
        {"home": selectors.worker_home(request.user), "today": clock.today()},
    )
