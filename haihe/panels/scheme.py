"""A purpose's scoring scheme, read from dated parameters under the purpose's prefix:

    <prefix>.criteria          the weighted criteria: code, labels, weight, range, decimals, and
                               optionally the largest spread allowed between scorers on it
    <prefix>.aggregation       how scorers' totals combine: {"method": mean | median |
                               trimmed_mean, "trim": how many highest and lowest to drop}
    <prefix>.spread_limit      the largest difference between scorers' weighted totals before
                               the case goes back for re-scoring (null: no check)
    <prefix>.scorers_per_case  how many members score each case

Each is read with `param(key, on=panel.reference_date)`; the panel keeps the values it opened
with (`Scheme.as_json`), so a later parameter change never alters a panel under way.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from haihe.policy.rules import ParameterMissing, ParamValue, param

METHODS = ("mean", "median", "trimmed_mean")
NAMES = ("criteria", "aggregation", "spread_limit", "scorers_per_case")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
LIMIT = Decimal(10000)  # scores, ranges and weights stay within what the score columns hold


@dataclass(frozen=True)
class Criterion:
    code: str
    label_zh: str
    label_en: str
    weight: Decimal
    min: Decimal
    max: Decimal
    decimals: int = 1
    spread: Decimal | None = None  # the largest spread allowed on this criterion, if any

    @property
    def label(self) -> str:
        english = (get_language() or "").startswith("en")
        return self.label_en if english and self.label_en else self.label_zh


def _decimal(value, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("评分办法有误：%(what)s 不是数字。") % {"what": what}) from None
    if not number.is_finite():
        raise ValidationError(_("评分办法有误：%(what)s 不是数字。") % {"what": what})
    return number


def _criteria(value) -> tuple[Criterion, ...]:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("评分办法有误：评分项应为非空列表。"))
    criteria, seen = [], set()
    for item in value:
        if not isinstance(item, dict):
            raise ValidationError(_("评分办法有误：每个评分项应为一个对象。"))
        code = str(item.get("code", ""))
        if not CODE.match(code) or code in seen:
            raise ValidationError(
                _("评分办法有误：评分项代码“%(code)s”无效或重复。") % {"code": code}
            )
        seen.add(code)
        low, high = _decimal(item.get("min", 0), code), _decimal(item.get("max"), code)
        weight = _decimal(item.get("weight"), code)
        decimals = item.get("decimals", 1)
        if (
            low >= high
            or not -LIMIT <= low < high <= LIMIT
            or not 0 < weight <= LIMIT
            or decimals not in (0, 1, 2)
        ):
            raise ValidationError(
                _("评分办法有误：评分项“%(code)s”的分值范围、权重或小数位数无效。") % {"code": code}
            )
        spread = item.get("spread")
        spread = None if spread is None else _decimal(spread, code)
        criteria.append(
            Criterion(
                code=code,
                label_zh=str(item.get("label_zh") or code),
                label_en=str(item.get("label_en") or item.get("label_zh") or code),
                weight=weight,
                min=low,
                max=high,
                decimals=decimals,
                spread=spread,
            )
        )
    return tuple(criteria)


@dataclass(frozen=True)
class Scheme:
    criteria: tuple[Criterion, ...]
    method: str
    trim: int
    spread_limit: Decimal | None
    scorers: int
    params: dict[str, ParamValue]  # name -> the dated value it came from

    @classmethod
    def from_values(cls, params: dict[str, ParamValue]) -> "Scheme":
        aggregation = params["aggregation"].value
        if isinstance(aggregation, str):
            aggregation = {"method": aggregation}
        if not isinstance(aggregation, dict) or aggregation.get("method") not in METHODS:
            raise ValidationError(
                _("评分办法有误：计分方法应为 mean、median 或 trimmed_mean 之一。")
            )
        trim = aggregation.get("trim", 1 if aggregation["method"] == "trimmed_mean" else 0)
        scorers = params["scorers_per_case"].value
        if not isinstance(trim, int) or trim < 0 or not isinstance(scorers, int) or scorers < 1:
            raise ValidationError(_("评分办法有误：去掉的分数个数或每案评分人数无效。"))
        raw_limit = params["spread_limit"].value
        limit = None if raw_limit in (None, "") else _decimal(raw_limit, "spread_limit")
        if limit is not None and limit < 0:
            raise ValidationError(_("评分办法有误：分差上限不能为负数。"))
        return cls(
            criteria=_criteria(params["criteria"].value),
            method=aggregation["method"],
            trim=trim,
            spread_limit=limit,
            scorers=scorers,
            params=params,
        )

    @classmethod
    def read(cls, purpose, on: datetime.date) -> "Scheme":
        """The scheme of `purpose` in force on day `on`; a clear error if a value is missing."""
        params = {}
        for name in NAMES:
            key = purpose.param_key(name)
            try:
                params[name] = param(key, on=on)
            except ParameterMissing:
                raise ValidationError(
                    {
                        "reference_date": _(
                            "评分办法参数 %(key)s 在 %(day)s 没有有效取值，请先在政策参数中设定。"
                        )
                        % {"key": key, "day": on.isoformat()}
                    }
                ) from None
        return cls.from_values(params)

    def as_json(self) -> dict:
        return {name: value.as_dict() for name, value in self.params.items()}

    @classmethod
    def from_json(cls, data: dict) -> "Scheme":
        params = {
            name: ParamValue(
                item["parameter"],
                item["value"],
                datetime.date.fromisoformat(item["effective_from"]),
                item.get("source", ""),
                item.get("confirmed", True),
            )
            for name, item in data.items()
        }
        return cls.from_values(params)

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.criteria if c.code == code), None)
