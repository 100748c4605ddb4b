from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from haihe.accounts import perms, services
from haihe.accounts.models import ApiToken, SecurityAlert, User
from haihe.accounts.roles import Role
from haihe.core.network import client_address
from haihe.core.pagination import paginate


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    error = None
    status = 200
    username = ""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        password = request.POST.get("password", "")
        address = client_address(request)
        if services.login_blocked(username, address):
            error, status = _("登录失败次数过多，请稍后再试。"), 429
        else:
            user = authenticate(request, username=username, password=password)
            if user is None:
                services.login_failed(username, address)
                error = _("用户名或密码不正确。")
            else:
                login(request, user)
                services.login_succeeded(user, address)
                if not url_has_allowed_host_and_scheme(
                    next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                ):
                    next_url = ""
                return redirect(next_url or "core:home")
    return render(
        request,
        "accounts/login.html",
        {"error": error, "username": username, "next": next_url},
        status=status,
    )


@require_POST
def logout_view(request):
    logout(request)
    return redirect("core:home")


def _token_owners(user):
    if user.role == Role.BUREAU_ADMIN:
        return User.objects.filter(role__in=[Role.ORG_ADMIN, Role.ORG_STAFF])
    if user.role == Role.ORG_ADMIN:
        return User.objects.filter(organisation_id=user.organisation_id)
    return User.objects.none()


@login_required
def tokens(request):
    if request.user.role not in (Role.BUREAU_ADMIN, Role.ORG_ADMIN):
        raise PermissionDenied
    owners = _token_owners(request.user)
    new_secret = None
    error = None
    if request.method == "POST":
        owner = owners.filter(pk=request.POST.get("user") or request.user.pk).first()
        if owner is None:
            owner = request.user
        try:
            _token, new_secret = services.token_issue(
                actor=request.user, user=owner, name=request.POST.get("name", "")
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied:
            error = _("您无权为该账户签发令牌。")
    token_rows = ApiToken.objects.visible_to(request.user).select_related("user")
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": token_rows, "owners": owners, "new_secret": new_secret, "error": error},
    )


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(
        ApiToken.objects.visible_to(request.user).select_related("user"), pk=pk
    )
    if not perms.can_manage_tokens(request.user, token.user):
        raise PermissionDenied
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("令牌已吊销。"))
    return redirect("accounts:tokens")


@login_required
def security_alerts(request):
    if not perms.can_view_security_alerts(request.user):
        raise PermissionDenied
    alerts = SecurityAlert.objects.visible_to(request.user).select_related(
        "user", "acknowledged_by"
    )
    return render(
        request,
        "accounts/security_alerts.html",
        {
            "page": paginate(request, alerts),
            "window_minutes": settings.HAIHE_LOGIN_ALERT_WINDOW_SECONDS // 60,
        },
    )


@login_required
@require_POST
def security_alert_acknowledge(request, pk):
    alert = get_object_or_404(SecurityAlert.objects.visible_to(request.user), pk=pk)
    services.security_alert_acknowledge(actor=request.user, alert=alert)
    messages.success(request, _("警报已确认。"))
    return redirect("accounts:security_alerts")
