"""Background work of the registry (Django's Tasks API): thin wrappers of services."""

from django.contrib.auth import get_user_model
from django.tasks import task

from haihe.registry import services
from haihe.registry.models import District


@task
def process_registration(
    *, actor_id: int, ric: str, name: str, district_id: int, mobile: str, channel: str
) -> None:
    """The deferred half of a registration by an organisation (services.person_register)."""
    services.person_registration_process(
        actor=get_user_model().objects.get(pk=actor_id),
        ric=ric,
        name=name,
        district=District.objects.get(pk=district_id),
        mobile=mobile,
        channel=channel,
    )
