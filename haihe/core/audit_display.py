"""The audit trail as sentences: each action code has a sentence (Chinese msgid, English in the
catalogue), registered by the module that records it, in its `audit_texts.py` imported from its
AppConfig.ready():

    audit_display.register({"training_class.submit": _("{actor} 提交了培训班 {target} 的开班备案")})

`{actor}` and `{target}` are the event's actor and target labels (escaped). A code nobody
registered reads as a generic sentence naming the code. The event's data is shown beside the
sentence: a status change "状态：待审核 → 已备案", changed fields "field: old → new" with the
target model's verbose names and choice labels, and other facts as "name: value".
tests/test_architecture.py checks that every code used in haihe/ (workflow transitions
included) has a sentence, with an English translation.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SENTENCES: dict[str, Any] = {}
PREFIXES: dict[str, Any] = {}  # a family of codes, e.g. "import." for "import.<kind>"

GENERIC = gettext_lazy("{actor} 执行了操作“{action}”，对象：{target}")
GENERIC_NO_TARGET = gettext_lazy("{actor} 执行了操作“{action}”")
MAX_VALUE = 200


def register(sentences: dict[str, Any]) -> None:
    for code, sentence in sentences.items():
        existing = SENTENCES.get(code)
        if existing is not None and existing is not sentence and str(existing) != str(sentence):
            raise ValueError(f"audit action {code!r} already has a sentence")
        SENTENCES[code] = sentence


# Labels of data keys that are not fields of the event's target (its model's verbose names come
# first); modules add theirs with register_keys.
KEYS: dict[str, Any] = {
    "reason": gettext_lazy("理由"),
    "note": gettext_lazy("备注"),
    "person": gettext_lazy("人员"),
    "user": gettext_lazy("账户"),
    "claim": gettext_lazy("申领"),
    "amount": gettext_lazy("金额"),
    "lines": gettext_lazy("明细数"),
    "name": gettext_lazy("姓名"),
    "address": gettext_lazy("地址"),
    "created": gettext_lazy("新增"),
    "updated": gettext_lazy("更新"),
    "deactivated": gettext_lazy("停用"),
    "source": gettext_lazy("来源"),
    "eligibility": gettext_lazy("资格审查结果"),
    "valid_from": gettext_lazy("生效日期"),
    "valid_until": gettext_lazy("截止日期"),
    "count": gettext_lazy("数量"),
}


def register_keys(labels: dict[str, Any]) -> None:
    KEYS.update(labels)


def register_prefix(prefix: str, sentence) -> None:
    PREFIXES[prefix] = sentence


def text_for(code: str):
    """The registered sentence of `code` (lazy), or None."""
    if code in SENTENCES:
        return SENTENCES[code]
    for prefix, sentence in PREFIXES.items():
        if code.startswith(prefix):
            return sentence
    return None


def _actor(event) -> str:
    label = event.actor_label or ""
    return _("系统") if label in ("", "system") else label


def _model(event):
    if not event.target_type_id:
        return None
    return ContentType.objects.get_for_id(event.target_type_id).model_class()


def _parts(event) -> tuple[str, dict]:
    template = text_for(event.action)
    target = event.target_label or ""
    if template is None:
        template = GENERIC if target else GENERIC_NO_TARGET
    values = {
        "actor": _actor(event),
        "target": target,
        "action": event.action,
        "kind": event.action.split(".", 1)[-1],
    }
    return str(template), values


def sentence(event) -> SafeString:
    """What happened, as one sentence in the active language (HTML-safe: the values escaped)."""
    template, values = _parts(event)
    return _capitalised(format_html(template, **values), template)


def plain(event) -> str:
    """The same sentence as plain text (the CSV export)."""
    template, values = _parts(event)
    return _capitalised(template.format(**values), template)


def _capitalised(text, template: str):
    """ "the system …" starts a sentence with a capital; an account's name is left as written."""
    system = str(_("系统"))
    if template.startswith("{actor}") and text.startswith(system) and text[:1].islower():
        fixed = text[:1].upper() + text[1:]
        return SafeString(fixed) if isinstance(text, SafeString) else fixed
    return text


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None  # None: a fact, not a change
    new: str


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _display(field, value) -> str:
    if value is None or value == "":
        return "—"
    if field is not None and getattr(field, "flatchoices", None):
        labels = {str(k): v for k, v in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dict | list):
        text = "; ".join(
            f"{k}: {v}" for k, v in (value.items() if isinstance(value, dict) else enumerate(value))
        )
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _label(model, field, key: str) -> str:
    verbose = getattr(field, "verbose_name", None) if field is not None else None
    if verbose and str(verbose) != key.replace("_", " "):  # not Django's default from the name
        return str(verbose)
    return str(KEYS.get(key, key))


def changes(event) -> list[Change]:
    """The event's data for people: the status change first, then changed fields (old → new),
    then the other facts; empty values are left out."""
    data = event.data if isinstance(event.data, dict) else {}
    model = _model(event)
    rows: list[Change] = []
    if "to" in data:
        state = _field(model, "status")
        label = _label(model, state, "status") if state is not None else _("状态")
        rows.append(Change(label, _display(state, data.get("from")), _display(state, data["to"])))
    for key, value in data.items():
        if key in ("from", "to") or value in (None, "", [], {}):
            continue
        field = _field(model, key)
        if isinstance(value, list) and len(value) == 2 and key not in ("lines",):
            rows.append(
                Change(
                    _label(model, field, key), _display(field, value[0]), _display(field, value[1])
                )
            )
        else:
            rows.append(Change(_label(model, field, key), None, _display(field, value)))
    return rows


def plain_changes(event) -> str:
    return "；".join(
        f"{c.label}：{c.old} → {c.new}" if c.old is not None else f"{c.label}：{c.new}"
        for c in changes(event)
    )


CHANNELS = {
    "web": gettext_lazy("网页"),
    "api": gettext_lazy("接口"),
    "import": gettext_lazy("批量导入"),
    "system": gettext_lazy("系统"),
    "xapi": gettext_lazy("学习记录接口"),
    "task": gettext_lazy("后台任务"),
    "cli": gettext_lazy("命令行"),
    "command": gettext_lazy("命令行"),
    "demo": gettext_lazy("演示数据"),
}


def channel_label(channel: str) -> str:
    return str(CHANNELS.get(channel, channel))
