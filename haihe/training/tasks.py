"""Background work of the training module (Django's Tasks API): thin wrappers of services."""

from django.tasks import task

from haihe.training import services


@task
def refresh_online_hours(enrolment_ids: list[int]) -> dict:
    """For large batches of changed online hours: enqueue inside transaction.on_commit."""
    return services.refresh_online_hours(list(enrolment_ids))


@task
def evaluate_completion(enrolment_ids: list[int]) -> dict:
    return services.evaluate_completion(list(enrolment_ids))
