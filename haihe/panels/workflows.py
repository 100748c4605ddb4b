"""The lifecycles of an expert on the roster, a panel, a case, an assignment and a score sheet,
declared once (core.workflow). Pages, the API and the services read who may do what from here.

System transitions (roles `SYSTEM`) are taken by the platform as the consequence of a person's
action — the spread check sending a case back, a lock freezing the sheets — with `System(cause)`
as the actor: no account has the role "system", so nobody can take them by hand, and the audit
entry says "system" with the account that caused it.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.accounts.roles import BUREAU_ROLES, Role
from haihe.core.workflow import Transition, Workflow, forbidden
from haihe.panels import perms

SYSTEM = frozenset({"system"})
ADMIN = frozenset({Role.BUREAU_ADMIN})
BUREAU = frozenset(BUREAU_ROLES)
EXPERT = frozenset({Role.EXPERT})


class System:
    """The platform acting on behalf of `cause` (the account whose action set it off)."""

    role = "system"
    is_authenticated = False
    is_active = True
    pk = None
    person_id = None

    def __init__(self, cause=None):
        self.cause = cause

    def data(self) -> dict:
        return {"caused_by": getattr(self.cause, "pk", None)}


def _chair(user, obj) -> str | None:
    panel = getattr(obj, "panel", obj)
    return perms.chair_refusal(user, panel)


def _chair_or_bureau(user, obj) -> str | None:
    return None if user.role == Role.BUREAU_ADMIN else _chair(user, obj)


def _reopen(user, panel) -> str | None:
    if user.role == Role.BUREAU_ADMIN:
        return None
    if panel.status == "signed_off":
        return _("结果签发后只有人社局管理员可以重新开启。")
    return _chair(user, panel)


def _countersign(user, panel) -> str | None:
    return perms.countersign_refusal(user, panel)


def _own_assignment(user, assignment) -> str | None:
    if user.role == Role.BUREAU_ADMIN:
        return None
    if not perms.owns_assignment(user, assignment):
        return _("只能处理分配给本人的评分任务。")
    return None


def _own_sheet(user, sheet) -> str | None:
    if not perms.owns_assignment(user, sheet.assignment):
        return _("只能提交本人的评分表。")
    return None


def _who(guard):
    """The guards here judge who the user is (chair, own assignment, second signer): a refusal
    is `forbidden` (403); what is not possible now is refused by the states themselves."""
    if guard is None:
        return None

    def check(user, obj):
        message = guard(user, obj)
        return forbidden(message) if message else None

    return check


def _flow(name: str, rows) -> Workflow:
    flow = Workflow(name)
    for key, sources, target, roles, label, guard, reason in rows:
        flow.add(
            Transition(key, sources, target, roles, label, guard=_who(guard), needs_reason=reason)
        )
    return flow


expert_workflow = _flow(
    "panel_expert",
    [
        ("retire", ("active",), "retired", ADMIN, gettext_lazy("出库"), None, True),
        ("reinstate", ("retired",), "active", ADMIN, gettext_lazy("重新入库"), None, False),
    ],
)

panel_workflow = _flow(
    "panel",
    [
        ("open", ("draft",), "scoring", ADMIN, gettext_lazy("开始评分"), None, False),
        ("lock", ("scoring",), "locked", EXPERT, gettext_lazy("锁定评分"), _chair, False),
        ("sign", ("locked",), "signed", EXPERT, gettext_lazy("组长签字"), _chair, False),
        (
            "countersign",
            ("signed",),
            "signed_off",
            BUREAU,
            gettext_lazy("复核签发"),
            _countersign,
            False,
        ),
        (
            "reopen",
            ("locked", "signed", "signed_off"),
            "scoring",
            EXPERT | ADMIN,
            gettext_lazy("重新开启评分"),
            _reopen,
            True,
        ),
        (
            "cancel",
            ("draft", "scoring"),
            "cancelled",
            ADMIN,
            gettext_lazy("撤销专家组"),
            None,
            True,
        ),
    ],
)

case_workflow = _flow(
    "panel_case",
    [
        ("settle", ("scoring", "rescore"), "scored", SYSTEM, gettext_lazy("评定"), None, False),
        (
            "spread_return",
            ("scoring", "rescore"),
            "rescore",
            SYSTEM,
            gettext_lazy("分差过大退回"),
            None,
            False,
        ),
        ("resume", ("scored",), "scoring", SYSTEM, gettext_lazy("继续评分"), None, False),
        (
            "return",
            ("scoring", "scored"),
            "rescore",
            EXPERT | ADMIN,
            gettext_lazy("退回重新评分"),
            _chair_or_bureau,
            True,
        ),
        (
            "withdraw",
            ("scoring", "rescore", "scored"),
            "withdrawn",
            ADMIN,
            gettext_lazy("撤出评审"),
            None,
            True,
        ),
    ],
)

assignment_workflow = _flow(
    "panel_assignment",
    [
        (
            "recuse",
            ("assigned",),
            "recused",
            EXPERT | ADMIN,
            gettext_lazy("回避"),
            _own_assignment,
            True,
        ),
        ("cancel", ("assigned",), "cancelled", ADMIN, gettext_lazy("取消分配"), None, True),
        (
            "end",
            ("assigned",),
            "cancelled",
            SYSTEM,
            gettext_lazy("随成员退出或案卷撤出取消"),
            None,
            False,
        ),
    ],
)

sheet_workflow = _flow(
    "panel_sheet",
    [
        ("submit", ("draft",), "submitted", EXPERT, gettext_lazy("提交评分"), _own_sheet, False),
        (
            "resubmit",
            ("returned",),
            "submitted",
            EXPERT,
            gettext_lazy("重新提交评分"),
            _own_sheet,
            False,
        ),
        ("return", ("submitted",), "returned", SYSTEM, gettext_lazy("退回重新评分"), None, False),
        ("lock", ("submitted",), "locked", SYSTEM, gettext_lazy("锁定"), None, False),
        ("unlock", ("locked",), "submitted", SYSTEM, gettext_lazy("解除锁定"), None, False),
        (
            "void",
            ("draft", "submitted", "returned"),
            "voided",
            SYSTEM,
            gettext_lazy("作废"),
            None,
            False,
        ),
    ],
)
