"""`{% explain reasons %}`: a decision's reasons as its reader should see them.

Everyone sees each reason in plain words, and for a reason that rests on a dated parameter the
parameter's name, its value and the date it took effect. The bureau's staff (the bureau and the
district reviewers) also see the rule's code, the parameter's key, its source and whether the
value is an unconfirmed default — those are for the people who maintain the rules, not for a
worker or an institution.
"""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import BUREAU_ROLES, Role, active_role
from haihe.policy.rules import SOURCE_LABELS, Reason

register = template.Library()

STAFF = BUREAU_ROLES | {Role.DISTRICT_REVIEWER}
# the parameters' units (stored as codes) in the reader's words; a ratio has none
UNITS = {
    "bytes": _("字节"),
    "days": _("天"),
    "experts": _("名专家"),
    "hours": _("小时"),
    "minutes": _("分钟"),
    "months": _("个月"),
    "people": _("人"),
    "points": _("分"),
    "seconds": _("秒"),
    "square_metres": _("平方米"),
    "times": _("次"),
    "working_days": _("个工作日"),
    "years": _("年"),
    "yuan": _("元"),
    "ratio": "",
}


@register.filter
def unit_label(unit: str) -> str:
    """A parameter's unit code in the reader's words."""
    return str(UNITS.get(unit, unit))


def _labels() -> dict[str, tuple[str, str, str]]:
    from haihe.policy.models import Parameter

    return {p.key: (p.label_zh, p.label_en, p.unit) for p in Parameter.objects.all()}


def _reason(item) -> Reason:
    if isinstance(item, Reason):
        return item
    if isinstance(item, dict) and isinstance(item.get("parameter"), dict):  # nested form
        flat = {**item, **{k: v for k, v in item["parameter"].items() if k != "key"}}
        flat["parameter"] = item["parameter"].get("key") or item["parameter"].get("parameter")
        return Reason.from_dict(flat)
    return Reason.from_dict(item)


@register.inclusion_tag("policy/_reasons.html", takes_context=True)
def explain(context, reasons, compact=False):
    request = context.get("request")
    staff = active_role(getattr(request, "user", None)) in STAFF
    cache = context.render_context.setdefault("policy_labels", {})
    if "labels" not in cache:
        cache["labels"] = _labels()
    english = (get_language() or "").startswith("en")
    if reasons is not None and not isinstance(reasons, list | tuple):
        reasons = [reasons]  # one reason
    rows = []
    for item in reasons or []:
        reason = _reason(item)
        # an explained dict carries its message already rendered in the reader's language
        message = item.get("message") if isinstance(item, dict) else None
        row = {"ok": reason.ok, "message": message or reason.message, "rule": reason.rule}
        parameter = reason.parameter
        if parameter is not None:
            zh, en, unit = cache["labels"].get(parameter.key, (None, None, ""))
            if zh is None:  # not a dated parameter (e.g. the subsidy catalogue): its own label
                zh = en = str(SOURCE_LABELS.get(parameter.key, parameter.key))
            row.update(
                label=en if english else zh,
                value=parameter.value,
                unit=UNITS.get(unit, unit),
                effective_from=parameter.effective_from,
                key=parameter.key,
                source=parameter.source,
                confirmed=parameter.confirmed,
                simple=not isinstance(parameter.value, dict | list),
            )
        rows.append(row)
    return {"rows": rows, "staff": staff, "compact": compact}
