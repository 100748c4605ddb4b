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

BUREAU = {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER}
REVIEWERS = BUREAU | {Role.DISTRICT_REVIEWER}
ORGS = {Role.ORG_ADMIN, Role.ORG_STAFF}

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
    ("policy:calendar", _("工作日历"), BUREAU),
    ("notices:manage", _("公示管理"), BUREAU),
    ("core:audit", _("审计日志"), {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER}),
    ("accounts:tokens", _("接口令牌"), {Role.BUREAU_ADMIN, Role.ORG_ADMIN}),
    ("accounts:security_alerts", _("安全警报"), {Role.BUREAU_ADMIN}),
    ("registry:me", _("我的信息"), {Role.WORKER}),
    ("training:classes", _("培训班"), REVIEWERS | ORGS),
    ("training:review_queue", _("开班审核"), REVIEWERS),
    ("training:refusals", _("报名复核"), BUREAU),
    ("training:mine", _("我的培训"), {Role.WORKER}),
    ("subsidies:claims", _("补贴申领"), ORGS),
    ("subsidies:queue", _("补贴审核"), REVIEWERS),
    ("subsidies:catalogue", _("补贴标准"), BUREAU),
    ("payments:batches", _("资金支付"), {Role.BUREAU_ADMIN}),
    ("subsidies:totals", _("补贴对账"), BUREAU),
    ("subsidies:mine", _("我的补贴"), {Role.WORKER}),
    ("supervision:index", _("线上培训监管"), REVIEWERS | {Role.ORG_ADMIN}, "platform"),
    ("supervision:flags", _("监管预警"), REVIEWERS),
    ("xapi:platform-list", _("线上培训平台"), {Role.BUREAU_ADMIN, Role.ORG_ADMIN}, "platform"),
    ("panels:tasks", _("评审任务"), {Role.EXPERT}),
    ("panels:index", _("评审专家组"), BUREAU),
    ("panels:experts", _("专家库"), BUREAU),
]


def _is_platform_or_staff(user) -> bool:
    """Organisation users see the supervision pages only for an online training platform."""
    if user.role not in ORGS:
        return True
    organisation = user.organisation
    return organisation is not None and organisation.has_kind("online_training_platform")


PREDICATES = {"platform": _is_platform_or_staff}


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for name, label, roles, *condition in NAV:
            if user.role in roles and all(PREDICATES[c](user) for c in condition):
                url = reverse(name)
                items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"nav_items": items}
