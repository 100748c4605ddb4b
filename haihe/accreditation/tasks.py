"""Background work of accreditation, through Django's Tasks API."""

from django.tasks import task

from haihe.accreditation import services


@task
def expire_due_recognitions() -> dict:
    """Recognitions past their validity become expired (run daily)."""
    return {"expired": services.recognitions_expire_due()}
