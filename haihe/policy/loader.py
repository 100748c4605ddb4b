"""Load the shipped parameter files (policy/parameters/*.yaml) into the database.

Idempotent: a value already present (same parameter, region, effective date) is left as it is,
so a value the bureau changed in the interface is never overwritten."""

import datetime
from dataclasses import dataclass
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


# -- the working-day calendar --------------------------------------------------------------

CALENDAR_DIR = Path(__file__).parent / "calendars"


@dataclass(frozen=True)
class CalendarFile:
    """One shipped year: the notices it comes from and its entries
    (day, "holiday"|"workday", name_zh, name_en, source)."""

    year: int
    source: str
    entries: tuple[tuple[datetime.date, str, str, str, str], ...]


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def read_calendar(path: Path) -> CalendarFile:
    """Parse and check one calendars/YYYY.yaml (a broken file fails loudly, naming itself)."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    year = int(spec["year"])
    sources = spec["sources"]
    entries = []

    def check(day: datetime.date, source: str) -> None:
        if not (day.year == year or (day.year == year - 1 and day.month == 12)):
            raise ValueError(f"{path.name}: {day} is outside {year}")
        if source not in sources:
            raise ValueError(f"{path.name}: {day} cites {source!r}, not listed in sources")

    for item in spec.get("holidays", []):
        first, last = _as_date(item["from"]), _as_date(item["to"])
        if last < first:
            raise ValueError(f"{path.name}: holiday {first}..{last} ends before it begins")
        day = first
        while day <= last:
            check(day, item["source"])
            entries.append((day, "holiday", item["name_zh"], item["name_en"], item["source"]))
            day += datetime.timedelta(days=1)
    for item in spec.get("workdays", []):
        day = _as_date(item["date"])
        check(day, item["source"])
        if day.weekday() < 5:
            raise ValueError(f"{path.name}: adjusted working day {day} is not a weekend day")
        entries.append((day, "workday", item["name_zh"], item["name_en"], item["source"]))
    days = [entry[0] for entry in entries]
    if len(days) != len(set(days)):
        raise ValueError(f"{path.name}: a day is listed twice")
    source = "\n".join(
        f"{doc['title']}（{number}，{_as_date(doc['signed']).isoformat()}）"
        for number, doc in sources.items()
    )
    return CalendarFile(year, source, tuple(sorted(entries)))


def shipped_calendars(directory: Path = CALENDAR_DIR) -> dict[int, CalendarFile]:
    files = [read_calendar(path) for path in sorted(directory.glob("*.yaml"))]
    return {f.year: f for f in files}


def load_calendars(directory: Path = CALENDAR_DIR) -> int:
    """Load each shipped year not in the database yet; a year already there (perhaps edited by
    the bureau) is left as it is. Returns the number of years loaded. Like the shipped
    parameters, a shipped year is not an action of anyone's (no audit event, no created_by);
    every later change by the bureau is audited (calendar_services)."""
    from haihe.policy.models import CalendarDay, CalendarYear

    loaded = 0
    with transaction.atomic():
        for year, spec in sorted(shipped_calendars(directory).items()):
            if CalendarYear.objects.filter(year=year).exists():
                continue
            taken = set(
                CalendarDay.objects.filter(
                    day__in=[e[0] for e in spec.entries], voided_at__isnull=True
                ).values_list("day", flat=True)
            )
            calendar = CalendarYear.objects.create(year=year, source=spec.source)
            CalendarDay.objects.bulk_create(
                CalendarDay(
                    calendar=calendar,
                    day=day,
                    kind=kind,
                    name_zh=name_zh,
                    name_en=name_en,
                    source=source,
                )
                for day, kind, name_zh, name_en, source in spec.entries
                if day not in taken
            )
            loaded += 1
    return loaded
