"""Load the shipped parameter files (policy/parameters/*.yaml) into the database.

Idempotent: a value already present (same parameter, region, effective date) is left as it is,
so a value the bureau changed in the interface is never overwritten."""

import datetime
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from haihe.policy.models import Parameter, ParameterValue

PARAMETER_DIR = Path(__file__).parent / "parameters"


def load_parameters(region: str | None = None, directory: Path = PARAMETER_DIR) -> int:
    region = region or settings.HAIHE_REGION_CODE
    created = 0
    with transaction.atomic():
        for path in sorted(directory.glob("*.yaml")):
            for key, spec in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
                parameter, _created = Parameter.objects.update_or_create(
                    key=key,
                    defaults={
                        "label_zh": spec["label_zh"],
                        "label_en": spec["label_en"],
                        "unit": spec.get("unit", ""),
                        "kind": spec.get("kind", "int"),
                        "description": spec.get("description", ""),
                    },
                )
                for item in spec["values"]:
                    day = item["effective_from"]
                    if isinstance(day, str):
                        day = datetime.date.fromisoformat(day)
                    _value, made = ParameterValue.objects.get_or_create(
                        parameter=parameter,
                        region_code=str(item.get("region", region)),
                        effective_from=day,
                        defaults={
                            "value": item["value"],
                            "source": item.get("source", ""),
                            "confirmed": item.get("confirmed", True),
                        },
                    )
                    created += made
    return created
