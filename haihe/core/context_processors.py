"""Navigation by role: each entry names the URL, its label and the roles that see it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import Role

ALL_STAFF = {
    Role.BUREAU_ADMIN,
    Role.MUNICIPAL_REVIEWER,
    Role.DISTRICT_REVIEWER,
    Role.ORG_ADMIN,
    Role.ORG_STAFF,
}

NAV = [
    (
        "stats:dashboard",
        _("数据看板"),
        {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER, Role.DISTRICT_REVIEWER},
    ),
    ("registry:people", _("人员"), ALL_STAFF),
    ("registry:organisations", _("单位"), ALL_STAFF),
    ("registry:occupations", _("职业目录"), ALL_STAFF),
    ("registry:districts", _("行政区"), {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER}),
    ("policy:parameters", _("政策参数"), {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER}),
    ("core:audit", _("审计日志"), {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER}),
    ("accounts:tokens", _("接口令牌"), {Role.BUREAU_ADMIN, Role.ORG_ADMIN}),
    ("registry:me", _("我的信息"), {Role.WORKER}),
]


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for name, label, roles in NAV:
            if user.role in roles:
                url = reverse(name)
                items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"nav_items": items}
