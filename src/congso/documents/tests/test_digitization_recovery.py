"""Retries with a growing delay, and recovery of digitisation that got stuck."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from congso.documents.models import DigitizationStatus, IncomingDocument
from congso.documents.services import digitization as svc
from congso.documents.tests.digitization_helpers import (
    attach,
    bare_document,
    scanned_upload,
)
from congso.kernel.audit.models import AuditEvent
from congso.kernel.ocr.models import DigitizationJob, JobStatus

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker_batch() -> int:
    """What ``manage.py db_worker --batch`` does, inside the test's transaction: claim each
    ready task (those whose ``run_after`` has passed) and run it with the worker's own code.
    (The command itself closes the database connection between tasks, which a test cannot.)"""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (result := DBTaskResult.objects.ready().get_locked()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


@pytest.fixture
def no_tesseract(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """The OCR programs are not on the PATH (a broken installation: a transient failure)."""
    monkeypatch.setenv("PATH", str(tmp_path))


def _scan_document(register: Callable[..., IncomingDocument]) -> IncomingDocument:
    """A registered document whose only file is a scan (its task not run yet)."""
    document = bare_document(register)
    attach(document, "quet.pdf", scanned_upload(seed=3, dpi=100).read())
    return document


def test_a_transient_failure_is_retried_then_reported(
    register: Callable[..., IncomingDocument],
    no_tesseract: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = _scan_document(register)
    with django_capture_on_commit_callbacks(execute=True):
        svc.digitization_start(document=document)
    document.refresh_from_db()
    job = svc.job_for(document)
    assert job is not None
    assert (job.status, job.attempts, job.error_code) == (JobStatus.FAILED, 3, "ocr_unavailable")
    assert document.digitization_status == DigitizationStatus.FAILED
    assert "đã thử 3 lần" in document.digitization_error
    actions = list(
        AuditEvent.objects.filter(object_id=str(document.pk), action__startswith="documents.dig")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "documents.digitization_start",
        "documents.digitization_retry",
        "documents.digitization_retry",
        "documents.digitization_failed",
    ]


@pytest.mark.slow
@override_settings(TASKS=DB_TASKS)
def test_a_retry_waits_in_the_database_queue_and_the_worker_runs_it_later(
    register: Callable[..., IncomingDocument],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django_tasks_db.models import DBTaskResult

    document = bare_document(register)
    attach(document, "quet.pdf", scanned_upload(seed=4, dpi=100).read())
    with django_capture_on_commit_callbacks(execute=True):
        job = svc.digitization_start(document=document)
    assert job is not None
    first = DBTaskResult.objects.get(pk=svc.job_for(document).task_id)  # type: ignore[union-attr]
    assert first.task_result.task.run_after is None  # the first attempt runs at once
    # first attempt, with the OCR programs missing
    monkeypatch.setenv("PATH", str(tmp_path))
    with django_capture_on_commit_callbacks(execute=True):
        assert run_worker_batch() == 1
    monkeypatch.undo()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error_code) == (JobStatus.PENDING, 1, "ocr_unavailable")
    retry = DBTaskResult.objects.get(pk=job.task_id)
    assert retry.task_result.task.run_after == job.run_after
    assert job.run_after is not None
    assert dt.timedelta(seconds=50) < job.run_after - timezone.now() < dt.timedelta(seconds=70)
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.PENDING
    # the page shows the reason and when it will try again
    state = svc.digitization_state(document)
    assert state.running and "phần mềm nhận dạng chữ" in state.last_error and state.retry_at
    # not before its time…
    with django_capture_on_commit_callbacks(execute=True):
        assert run_worker_batch() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING
    # …but once the delay has passed
    with (
        time_machine.travel(timezone.now() + dt.timedelta(minutes=2), tick=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert run_worker_batch() == 1
    job.refresh_from_db()
    document.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert document.digitization_status == DigitizationStatus.DONE
    assert "QUYẾT ĐỊNH" in document.text


def test_a_job_stuck_in_processing_is_requeued_and_finishes(
    register: Callable[..., IncomingDocument], django_capture_on_commit_callbacks: Any
) -> None:
    document = bare_document(register)
    from congso.documents.tests.conftest import letter_pdf

    attach(document, "cong-van.pdf", letter_pdf("Về việc B."))
    job = svc.digitization_start(document=document)  # not committed: the task never ran
    assert job is not None
    token = svc._claim(job.pk)  # a worker took it… and died
    assert token
    svc._set_document(document, DigitizationStatus.PROCESSING)
    # still within the limit: left alone
    assert svc.digitization_recover_stuck() == []
    later = timezone.now() + dt.timedelta(minutes=31)
    with django_capture_on_commit_callbacks(execute=True):
        recovered = svc.digitization_recover_stuck(now=later)
    assert [(r.was, r.now) for r in recovered] == [("processing", "pending")]
    job.refresh_from_db()
    document.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert document.digitization_status == DigitizationStatus.DONE and "Về việc B." in document.text
    assert AuditEvent.objects.filter(
        action="documents.digitization_recovered", object_id=str(document.pk)
    ).exists()
    # the dead worker's late result cannot overwrite the new run's
    assert svc._finish(job.pk, token, document, []).status == "superseded"


def test_a_job_stuck_after_its_last_attempt_fails_visibly(
    register: Callable[..., IncomingDocument],
) -> None:
    document = _scan_document(register)
    job = svc.digitization_start(document=document)
    assert job is not None
    DigitizationJob.objects.filter(pk=job.pk).update(attempts=2)
    svc._claim(job.pk)  # the third and last attempt starts… and never ends
    out = StringIO()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        call_command("documents_digitization_recover", stdout=out)
    assert "processing → failed" in out.getvalue()
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.FAILED
    assert "gián đoạn" in document.digitization_error


def test_a_task_that_was_never_enqueued_is_enqueued_again(
    register: Callable[..., IncomingDocument], django_capture_on_commit_callbacks: Any
) -> None:
    from congso.documents.tests.conftest import letter_pdf

    document = bare_document(register)
    attach(document, "cong-van.pdf", letter_pdf("Về việc C."))
    svc.digitization_start(document=document)  # its on-commit enqueue is lost
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("documents_digitization_recover", "--minutes", "0", stdout=out)
        # --minutes 0 means the default (30): nothing yet
    assert "Không có văn bản nào bị treo" in out.getvalue()
    with (
        time_machine.travel(timezone.now() + dt.timedelta(minutes=45)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("documents_digitization_recover", stdout=out)
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.DONE
    assert "pending → pending" in out.getvalue()


@pytest.mark.slow
def test_retry_by_the_clerk_after_a_failure(
    register: Callable[..., IncomingDocument],
    clerk: Any,
    specialist: Any,
    no_tesseract: None,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from congso.kernel.errors import PermissionDenied

    document = _scan_document(register)
    with django_capture_on_commit_callbacks(execute=True):
        svc.digitization_start(document=document)
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.FAILED
    with pytest.raises(PermissionDenied):
        svc.digitization_retry(document=document, user=specialist)
    monkeypatch.undo()  # the OCR programs are back
    with django_capture_on_commit_callbacks(execute=True):
        svc.digitization_retry(document=document, user=clerk)
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.DONE
    assert document.digitization_error == ""
    assert svc.job_for(document).attempts == 1  # type: ignore[union-attr]


@override_settings(TASKS=DB_TASKS)
def test_a_long_queue_is_not_taken_for_a_lost_task(
    register: Callable[..., IncomingDocument], django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from congso.documents.tests.conftest import letter_pdf

    document = bare_document(register)
    attach(document, "cong-van.pdf", letter_pdf("Về việc F."))
    with django_capture_on_commit_callbacks(execute=True):
        job = svc.digitization_start(document=document)
    assert job is not None
    later = timezone.now() + dt.timedelta(minutes=45)
    # still waiting in the worker's queue behind others: left alone, no duplicate task
    assert svc.digitization_recover_stuck(now=later) == []
    assert DBTaskResult.objects.count() == 1
    # the queue lost it (pruned, or the row never committed): enqueued again
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        recovered = svc.digitization_recover_stuck(now=later)
    assert [(r.was, r.now) for r in recovered] == [("pending", "pending")]
    job.refresh_from_db()
    assert DBTaskResult.objects.filter(pk=job.task_id).exists()


def test_files_removed_before_the_run_leave_no_file(
    register: Callable[..., IncomingDocument], django_capture_on_commit_callbacks: Any
) -> None:
    from congso.documents.tests.conftest import letter_pdf
    from congso.kernel.files.services import file_delete

    document = bare_document(register)
    stored = attach(document, "cong-van.pdf", letter_pdf("Về việc G."))
    job = svc.digitization_start(document=document)  # queued, not run yet
    assert job is not None
    file_delete(stored_file=stored)
    outcome = svc.digitization_run(job_id=job.pk)
    document.refresh_from_db()
    assert outcome.files == 0
    assert document.digitization_status == DigitizationStatus.NO_FILE
