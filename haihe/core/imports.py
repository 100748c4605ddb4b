"""Background imports of uploaded tables: one mechanism for every kind (people, organisations,
enrolments, …). A module registers an Importer; the upload view creates an ImportJob and enqueues
`run_import_job`; the page polls the job's progress."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise

from haihe.core import clock
from haihe.core.audit import log_action
from haihe.core.models import ImportJob
from haihe.core.tabular import (
    Column,
    ParsedTable,
    RowError,
    TableError,
    estimate_rows,
    parse_table,
)
from haihe.core.workflows import IMPORT_JOB_WORKFLOW


@dataclass(frozen=True)
class Importer:
    kind: str
    label: Promise
    columns: list[Column]
    # check(actor, parsed) -> extra row errors (cross-row and database checks); no writes
    check: Callable[[Any, ParsedTable], list[RowError]]
    # write(actor, parsed) -> summary; runs inside one transaction
    write: Callable[[Any, ParsedTable], dict]
    may_import: Callable[[Any], bool]
    # prepare() -> None; runs before parsing (e.g. reads lookup tables once)
    prepare: Callable[[], None] | None = None


IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    IMPORTERS[importer.kind] = importer
    return importer


def job_create(*, actor, kind: str, filename: str, data: bytes) -> ImportJob:
    job = ImportJob.objects.create(
        kind=kind,
        uploaded_by=actor,
        organisation_id=getattr(actor, "organisation_id", None),
        language=translation.get_language() or "zh-hans",
        filename=filename[:255],
        data=data,
    )
    from haihe.core.tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def run_job(job_id: int) -> ImportJob:
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    if job.finished:
        return job
    importer = IMPORTERS[job.kind]
    actor = job.uploaded_by
    with translation.override(job.language):
        IMPORT_JOB_WORKFLOW.apply(
            actor=None,
            obj=job,
            name="check",
            channel="task",
            extra_updates={"total_rows": estimate_rows(bytes(job.data), job.filename)},
        )

        def progress(count: int) -> None:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=count)

        if importer.prepare is not None:
            importer.prepare()
        try:
            parsed = parse_table(importer.columns, bytes(job.data), job.filename, progress)
        except TableError as exc:
            return _fail(job, [RowError(0, "", str(exc))])
        job.total_rows = len(parsed.rows)
        job.processed_rows = len(parsed.rows)
        job.save(update_fields=["total_rows", "processed_rows"])
        errors = parsed.errors + importer.check(actor, parsed)
        if not parsed.rows and not errors:
            errors = [RowError(0, "", str(_no_rows_message()))]
        if errors:
            return _fail(job, errors)
        IMPORT_JOB_WORKFLOW.apply(actor=None, obj=job, name="write", channel="task")
        with transaction.atomic():
            summary = importer.write(actor, parsed)
            IMPORT_JOB_WORKFLOW.apply(
                actor=None,
                obj=job,
                name="finish",
                channel="task",
                extra_updates={"summary": summary, "finished_at": clock.real_now()},
            )
            log_action(
                actor=actor,
                action=f"import.{job.kind}",
                target=job,
                data={"filename": job.filename, "rows": job.total_rows, **summary},
                channel="task",
            )
    return job


def _no_rows_message():
    from django.utils.translation import gettext

    return gettext("文件中没有数据行。")


def _fail(job: ImportJob, errors: list[RowError]) -> ImportJob:
    errors.sort(key=lambda e: (e.row, e.column))
    IMPORT_JOB_WORKFLOW.apply(
        actor=None,
        obj=job,
        name="fail",
        channel="task",
        data={"errors": len(errors)},
        extra_updates={"errors": [e.as_dict() for e in errors], "finished_at": clock.real_now()},
    )
    return job
