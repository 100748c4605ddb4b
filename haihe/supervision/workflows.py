"""The lifecycle of a supervision flag, declared once (haihe.core.workflow).

open → resolved | dismissed, by the bureau or the district reviewer of the flag's district, with
a reason; open → withdrawn by the platform when a later verification no longer finds what the
flag said (a voided statement, a corrected registration), and withdrawn → open again when it
does. A platform never closes a flag: it would be judging itself.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.accounts.roles import Role
from haihe.core.workflow import Refusal, Transition, Workflow, forbidden
from haihe.supervision.models import FlagStatus


def _can_close(user, flag) -> Refusal | None:
    if user.role == Role.DISTRICT_REVIEWER and flag.district_id != user.district_id:
        return forbidden(_("只能处理本区的监管标记。"))
    return None


REVIEWERS = frozenset({Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER, Role.DISTRICT_REVIEWER})
FLAG_WORKFLOW = Workflow("supervision_flag", initial=(FlagStatus.OPEN,))
FLAG_WORKFLOW.add(
    Transition(
        "resolve",
        (FlagStatus.OPEN,),
        FlagStatus.RESOLVED,
        REVIEWERS,
        gettext_lazy("已处理"),
        guard=_can_close,
        needs_reason=True,
    )
)
FLAG_WORKFLOW.add(
    Transition(
        "dismiss",
        (FlagStatus.OPEN,),
        FlagStatus.DISMISSED,
        REVIEWERS,
        gettext_lazy("驳回（无问题）"),
        guard=_can_close,
        needs_reason=True,
    )
)
FLAG_WORKFLOW.add(
    Transition(
        "withdraw",
        (FlagStatus.OPEN,),
        FlagStatus.WITHDRAWN,
        label=gettext_lazy("核验后不再成立，自动撤销"),
        system=True,
    )
)
FLAG_WORKFLOW.add(
    Transition(
        "reopen",
        (FlagStatus.WITHDRAWN,),
        FlagStatus.OPEN,
        label=gettext_lazy("再次核验成立，重新打开"),
        system=True,
    )
)

can_resolve_flag = FLAG_WORKFLOW.can("resolve")
