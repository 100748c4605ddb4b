from ninja import Router

from haihe.core import clock
from haihe.core.apischema import Day
from haihe.stats.figures import compute_all

router = Router(tags=["stats"])


@router.get("/", summary="Headline figures as of a date")
def headline(request, as_of: Day | None = None) -> dict:
    day = as_of or clock.today()
    return {"as_of": day.isoformat(), "figures": compute_all(day)}
