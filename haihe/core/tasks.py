"""Background work of the core, through Django's Tasks API."""

from django.tasks import task

from haihe.core.imports import run_job


@task
def run_import_job(job_id: int) -> None:
    run_job(job_id)
