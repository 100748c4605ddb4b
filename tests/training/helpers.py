import datetime
from decimal import Decimal

from haihe.core import clock
from tests.training.factories import TrainingClassFactory


def days_ago(n: int) -> datetime.date:
    return clock.today() - datetime.timedelta(days=n)


def running_class(institution, district, **overrides):
    """An approved class that started five days ago and ends in five days; 10 planned hours."""
    data = {
        "organisation": institution,
        "district": district,
        "status": "approved",
        "start_date": days_ago(5),
        "end_date": days_ago(-5),
        "planned_theory_hours": Decimal(5),
        "planned_practice_hours": Decimal(5),
    }
    data.update(overrides)
    return TrainingClassFactory(**data)


def certificate(level: int, serial: int = 1) -> str:
    """A 22-character skill certificate number whose 16th character is the level."""
    return f"Y{serial:014d}{level}{serial:06d}"
