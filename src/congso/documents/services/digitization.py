"""Digitisation (số hóa) of incoming and outgoing documents.

``digitization_start(document=...)`` marks the document *pending* and, once the caller's
transaction commits, enqueues ``digitize_document``. The task claims the job (a conditional
UPDATE: one worker only), marks the document *processing*, makes a searchable copy of every
attached PDF or image (``congso.kernel.ocr.services.digitize_file``: the text layer when there
is one, OCR otherwise; the original is kept), writes the text into ``document.text`` and the
status *done*. A failure is retried up to ``DIGITIZATION_MAX_ATTEMPTS`` times with a growing
delay (``run_after`` on a backend that defers, at once otherwise) unless it cannot succeed
(an encrypted or corrupt file): then the status is *failed* with the reason in Vietnamese and
the person who registered the document is notified.

Nothing stays stuck silently: ``digitization_recover_stuck()`` (the command
``documents_digitization_recover``, a clock next to the worker in ``scripts/serve.sh``) puts
back in the queue any job processing for longer than ``DIGITIZATION_STUCK_MINUTES`` (a worker
that died) or pending that long (a task that was never enqueued), or fails it when its attempts
are used up; each recovery is logged and audited. Every status change is audited.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks import task

from congso.documents.models import DigitizationStatus, IncomingDocument, OutgoingDocument
from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.files.models import StoredFile
from congso.kernel.ocr.models import DigitizationJob, DigitizedCopy, JobStatus
from congso.kernel.ocr.services import digitize_file, is_digitizable

logger = logging.getLogger(__name__)

Document = IncomingDocument | OutgoingDocument

#: Errors that another attempt cannot fix: fail at once.
PERMANENT_ERRORS = frozenset(
    {"pdf_encrypted", "pdf_corrupt", "image_unreadable", "file_not_digitizable", "file_missing"}
)
#: Seconds to wait before the 2nd, 3rd, … attempt.
BACKOFF_SECONDS = (60, 300, 900, 1800)
KINDS: dict[str, type[IncomingDocument] | type[OutgoingDocument]] = {
    "den": IncomingDocument,
    "di": OutgoingDocument,
}


def max_attempts() -> int:
    return max(1, int(getattr(settings, "DIGITIZATION_MAX_ATTEMPTS", 3)))


def stuck_after() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "DIGITIZATION_STUCK_MINUTES", 30)))


def kind_of(document: Document) -> str:
    return "den" if isinstance(document, IncomingDocument) else "di"


def document_label(document: Document) -> str:
    if isinstance(document, IncomingDocument):
        return f"văn bản đến số {document.arrival_number:02d}/{document.arrival_year}"
    return f"văn bản đi {document.notation}" if document.notation else "dự thảo văn bản đi"


def _document_url(document: Document) -> str:
    name = "incoming_detail" if isinstance(document, IncomingDocument) else "outgoing_detail"
    try:
        return reverse(f"documents:{name}", args=[document.pk])
    except NoReverseMatch:
        return ""


def _content_type(document: Document) -> ContentType:
    return ContentType.objects.get_for_model(type(document))


def _attached_files(document: Document) -> list[StoredFile]:
    return list(
        StoredFile.objects.filter(
            owner_type=_content_type(document), owner_id=str(document.pk)
        ).order_by("created_at", "pk")
    )


def digitizable_originals(document: Document) -> list[StoredFile]:
    """The document's PDFs and images, without the searchable copies made from them."""
    files = _attached_files(document)
    copies = set(
        DigitizedCopy.objects.filter(searchable__in=files)
        .exclude(searchable_id=F("original_id"))
        .values_list("searchable_id", flat=True)
    )
    return [f for f in files if is_digitizable(f) and f.pk not in copies]


def job_for(document: Document) -> DigitizationJob | None:
    return DigitizationJob.objects.filter(
        owner_type=_content_type(document), owner_id=str(document.pk)
    ).first()


def _set_document(
    document: Document, status: str, *, error: str | None = None, **more: Any
) -> None:
    """Write the document's digitisation fields (an UPDATE: never overwrites other fields)."""
    values: dict[str, Any] = {"digitization_status": status, **more}
    if error is not None and isinstance(document, IncomingDocument):
        values["digitization_error"] = error[:2000]
    type(document).objects.filter(pk=document.pk).update(**values)
    for name, value in values.items():
        setattr(document, name, value)


# --- start -----------------------------------------------------------------------------------


def digitization_start(
    *, document: Document, user: Any = None, reason: str = ""
) -> DigitizationJob | None:
    """Queue the digitisation of the document's files (after the caller's commit).

    With no PDF or image attached the status becomes *no_file* and None is returned. A job
    that is processing right now is left alone: when it finishes it picks up files attached
    in the meantime.
    """
    originals = digitizable_originals(document)
    with transaction.atomic():
        before = (
            type(document)
            .objects.filter(pk=document.pk)
            .values_list("digitization_status", flat=True)
            .first()
        )
        if not originals:
            if before != DigitizationStatus.NO_FILE:
                _set_document(document, DigitizationStatus.NO_FILE, error="")
            return None
        job, created = DigitizationJob.objects.select_for_update().get_or_create(
            owner_type=_content_type(document),
            owner_id=str(document.pk),
            defaults={"unit_id": document.unit_id, "max_attempts": max_attempts()},
        )
        if not created and job.status == JobStatus.PROCESSING:
            return job
        now = timezone.now()
        job.status = JobStatus.PENDING
        job.attempts = 0
        job.max_attempts = max_attempts()
        job.token = ""
        job.error_code = job.error = ""
        job.files_total, job.files_done = len(originals), 0
        job.queued_at, job.run_after = now, None
        job.started_at = job.finished_at = None
        job.save()
        _set_document(document, DigitizationStatus.PENDING, error="")
        audit_record(
            action="documents.digitization_start",
            obj=document,
            actor=user,
            unit=document.unit_id,
            changes={"digitization_status": [before, DigitizationStatus.PENDING]},
            summary=(
                f"Đưa {document_label(document)} vào hàng đợi số hóa ({len(originals)} tệp)"
                + (f": {reason}" if reason else ".")
            ),
        )
        transaction.on_commit(partial(_enqueue, job.pk))
    return job


def digitization_queue_new(
    *, document: Document, files: list[StoredFile]
) -> DigitizationJob | None:
    """Queue a document registered in the caller's transaction with ``files`` just stored.

    The cheap path of registration: the job row is written in the same transaction as the
    document (no second transaction, no re-reading the document and its files), the document
    already carries its *pending* status and the registration's audit event records it; the task
    is enqueued after the commit (``digitization_recover_stuck`` enqueues it again if that
    fails). Returns None, and sets *no_file*, when no file is a PDF or an image.
    """
    originals = [f for f in files if is_digitizable(f)]
    if not originals:
        _set_document(document, DigitizationStatus.NO_FILE, error="")
        return None
    job = DigitizationJob.objects.create(
        owner_type=_content_type(document),
        owner_id=str(document.pk),
        unit_id=document.unit_id,
        status=JobStatus.PENDING,
        max_attempts=max_attempts(),
        files_total=len(originals),
        files_done=0,
        queued_at=timezone.now(),
    )
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _enqueue(job_id: int, run_after: dt.datetime | None = None) -> None:
    """Hand the job to the worker. A failure to enqueue is logged; the job stays pending and
    ``digitization_recover_stuck`` enqueues it again later."""
    try:
        runner = digitize_document
        if run_after is not None and runner.get_backend().supports_defer:
            runner = runner.using(run_after=run_after)
        result = runner.enqueue(job_id)
    except Exception:
        logger.exception("could not enqueue digitisation job %s", job_id)
        return
    DigitizationJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def digitization_retry(*, document: Document, user: Any) -> DigitizationJob | None:
    """A clerk (or an administrator) of the document's unit starts a failed digitisation
    again, with fresh attempts."""
    from congso.kernel.people.models import Role
    from congso.kernel.people.rules import has_role

    if not has_role(user, Role.CLERK, Role.ADMIN, unit=document.unit_id):
        raise PermissionDenied("Chỉ văn thư hoặc quản trị của đơn vị được chạy lại số hóa.")
    job = job_for(document)
    if job is not None and job.status == JobStatus.PROCESSING:
        raise DomainError("digitization_running", "Văn bản đang được số hóa; hãy chờ kết quả.")
    return digitization_start(document=document, user=user, reason="chạy lại theo yêu cầu")


# --- the work --------------------------------------------------------------------------------


@dataclass
class RunOutcome:
    job_id: int
    status: str
    files: int = 0
    pages: int = 0
    ocr_pages: int = 0
    error_code: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "status": self.status,
            "files": self.files,
            "pages": self.pages,
            "ocr_pages": self.ocr_pages,
            "error_code": self.error_code,
        }


def _document_of(job: DigitizationJob) -> Document | None:
    model = job.owner_type.model_class()
    if model is IncomingDocument:
        return IncomingDocument.objects.filter(pk=job.owner_id).first()
    if model is OutgoingDocument:
        return OutgoingDocument.objects.filter(pk=job.owner_id).first()
    return None


def _claim(job_id: int) -> str | None:
    token = uuid.uuid4().hex
    claimed = DigitizationJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.PROCESSING,
        token=token,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        finished_at=None,
        run_after=None,
    )
    return token if claimed else None


def digitization_run(*, job_id: int) -> RunOutcome:
    """Run one attempt of a job (the task's body). Safe to call twice: only one run claims it."""
    token = _claim(job_id)
    if token is None:
        status = DigitizationJob.objects.filter(pk=job_id).values_list("status", flat=True)
        return RunOutcome(job_id, f"skipped ({status.first() or 'missing'})")
    job = DigitizationJob.objects.select_related("owner_type").get(pk=job_id)
    document = _document_of(job)
    if document is None:
        DigitizationJob.objects.filter(pk=job_id, token=token).update(
            status=JobStatus.FAILED, error_code="owner_missing", finished_at=timezone.now()
        )
        return RunOutcome(job_id, JobStatus.FAILED, error_code="owner_missing")
    _set_document(document, DigitizationStatus.PROCESSING)
    copies: list[DigitizedCopy] = []
    try:
        originals = digitizable_originals(document)
        DigitizationJob.objects.filter(pk=job_id, token=token).update(files_total=len(originals))
        for n, original in enumerate(originals, 1):
            copies.append(
                digitize_file(
                    stored_file=original,
                    languages=getattr(settings, "OCR_LANGUAGES", "vie+eng"),
                    jobs=int(getattr(settings, "OCR_JOBS", 0)) or None,
                )
            )
            DigitizationJob.objects.filter(pk=job_id, token=token).update(
                files_done=n,
                pages=sum(c.pages for c in copies),
                ocr_pages=sum(c.ocr_pages for c in copies),
            )
    except DomainError as exc:
        return _attempt_failed(job_id, token, document, exc)
    except Exception as exc:  # a bug or an outage must not leave the document processing
        logger.exception("digitisation job %s failed", job_id)
        return _attempt_failed(
            job_id,
            token,
            document,
            DomainError(
                "digitization_error",
                "Lỗi không mong đợi khi số hóa; hệ thống sẽ thử lại.",
                details={"detail": f"{type(exc).__name__}: {exc}"[:300]},
            ),
        )
    return _finish(job_id, token, document, copies)


def _finish(job_id: int, token: str, document: Document, copies: list[DigitizedCopy]) -> RunOutcome:
    pages = sum(c.pages for c in copies)
    ocr_pages = sum(c.ocr_pages for c in copies)
    text = "\n\n".join(c.text for c in copies if c.text)
    with transaction.atomic():
        job = DigitizationJob.objects.select_for_update().filter(pk=job_id, token=token).first()
        if job is None:  # taken over by the recovery: the newer run decides
            return RunOutcome(job_id, "superseded")
        started = job.started_at or timezone.now()
        job.status = JobStatus.DONE
        job.finished_at = timezone.now()
        job.seconds = round((job.finished_at - started).total_seconds(), 3)
        job.files_done = len(copies)
        job.pages, job.ocr_pages = pages, ocr_pages
        job.error_code = job.error = ""
        job.save()
        more: dict[str, Any] = {"text": text}
        if document.page_count is None and pages:
            more["page_count"] = min(pages, 32767)
        # files removed while it waited: nothing left to digitise
        final = DigitizationStatus.DONE if copies else DigitizationStatus.NO_FILE
        _set_document(document, final, error="", **more)
        _reindex(document)
        audit_record(
            action="documents.digitization_done",
            obj=document,
            unit=document.unit_id,
            changes={
                "digitization_status": [DigitizationStatus.PROCESSING, final],
                "pages": [None, pages],
                "ocr_pages": [None, ocr_pages],
            },
            summary=(
                f"Số hóa xong {document_label(document)}: {len(copies)} tệp, {pages} trang"
                f" ({ocr_pages} trang nhận dạng chữ)."
            ),
        )
        transaction.on_commit(partial(_pick_up_late_files, type(document), document.pk))
    return RunOutcome(job_id, JobStatus.DONE, len(copies), pages, ocr_pages)


def _reindex(document: Document) -> None:
    """The recognised text is searchable: queue the document for the search index (an
    ``update()`` sends no signal)."""
    from congso.documents.search import document_changed

    document_changed(document)


def _pick_up_late_files(model: type[Document], pk: int) -> None:
    """Files attached while the job ran have no copy yet: digitise them too."""
    document = model.objects.filter(pk=pk).first()
    if document is None:
        return
    pending = [
        f
        for f in digitizable_originals(document)
        if not DigitizedCopy.objects.filter(original=f).exists()
    ]
    if pending:
        digitization_start(document=document, reason="có tệp mới gắn thêm")


def _attempt_failed(job_id: int, token: str, document: Document, exc: DomainError) -> RunOutcome:
    permanent = exc.code in PERMANENT_ERRORS
    run_after: dt.datetime | None = None
    with transaction.atomic():
        job = DigitizationJob.objects.select_for_update().filter(pk=job_id, token=token).first()
        if job is None:
            return RunOutcome(job_id, "superseded", error_code=exc.code)
        now = timezone.now()
        job.error_code, job.error = exc.code[:40], exc.message
        if not permanent and job.attempts < job.max_attempts:
            delay = BACKOFF_SECONDS[min(job.attempts - 1, len(BACKOFF_SECONDS) - 1)]
            run_after = now + dt.timedelta(seconds=delay)
            deferrable = digitize_document.get_backend().supports_defer
            job.status = JobStatus.PENDING
            job.token = ""
            job.queued_at = now
            job.run_after = run_after if deferrable else None
            job.save()
            _set_document(document, DigitizationStatus.PENDING)
            audit_record(
                action="documents.digitization_retry",
                obj=document,
                unit=document.unit_id,
                changes={
                    "digitization_status": [
                        DigitizationStatus.PROCESSING,
                        DigitizationStatus.PENDING,
                    ],
                    "error": [None, exc.code],
                },
                summary=(
                    f"Số hóa {document_label(document)} lần {job.attempts} không thành công "
                    f"({exc.message}); sẽ thử lại."
                ),
            )
            transaction.on_commit(partial(_enqueue, job.pk, run_after if deferrable else None))
            return RunOutcome(job_id, JobStatus.PENDING, error_code=exc.code)
        job.status = JobStatus.FAILED
        job.token = ""
        job.finished_at = now
        job.save()
        message = exc.message
        if job.attempts > 1:
            message = f"{message} (đã thử {job.attempts} lần)"
        _set_document(document, DigitizationStatus.FAILED, error=message)
        audit_record(
            action="documents.digitization_failed",
            obj=document,
            unit=document.unit_id,
            changes={
                "digitization_status": [DigitizationStatus.PROCESSING, DigitizationStatus.FAILED],
                "error": [None, exc.code],
            },
            summary=f"Số hóa {document_label(document)} không thành công: {message}",
        )
        _notify_failure(document, message)
    return RunOutcome(job_id, JobStatus.FAILED, error_code=exc.code)


def _notify_failure(document: Document, message: str) -> None:
    from congso.kernel.notifications.services import notify

    if isinstance(document, IncomingDocument):
        person = document.registered_by
    else:
        person = document.issued_by or document.created_by
    if person is None:
        return
    notify(
        recipients=[person],
        title=f"Số hóa {document_label(document)} không thành công",
        body=message,
        url=_document_url(document),
        level="warning",
        email=False,
        kind="documents.digitization_failed",
        obj=document,
    )


# --- recovery --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recovered:
    job_id: int
    document: str
    was: str
    now: str


def digitization_recover_stuck(
    *, older_than: dt.timedelta | None = None, now: dt.datetime | None = None
) -> list[Recovered]:
    """Requeue (or fail, when its attempts are used up) every document job processing for
    longer than ``older_than`` (default ``DIGITIZATION_STUCK_MINUTES``), and enqueue again every
    job pending that long. Logged and audited; returns what was done."""
    now = now or timezone.now()
    limit = now - (older_than if older_than is not None else stuck_after())
    types = [ContentType.objects.get_for_model(m) for m in (IncomingDocument, OutgoingDocument)]
    candidates = DigitizationJob.objects.filter(owner_type__in=types).filter(
        Q(status=JobStatus.PROCESSING, started_at__lt=limit)
        | Q(status=JobStatus.PENDING, queued_at__lt=limit)
        & (Q(run_after__isnull=True) | Q(run_after__lt=limit))
    )
    done: list[Recovered] = []
    for job_id in candidates.values_list("pk", flat=True):
        item = _recover_one(job_id, limit)
        if item is not None:
            logger.warning(
                "digitisation of %s recovered: %s → %s", item.document, item.was, item.now
            )
            done.append(item)
    return done


def _task_waiting(task_id: str) -> bool:
    """Whether the job's task is still in the queue (a long backlog is not a lost task). A
    backend that keeps no results (immediate) cannot say: the task counts as lost."""
    from django_tasks import TaskResultStatus

    if not task_id:
        return False
    try:
        result = digitize_document.get_backend().get_result(task_id)
    except Exception:
        return False
    return result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def _recover_one(job_id: int, limit: dt.datetime) -> Recovered | None:
    with transaction.atomic():
        job = (
            DigitizationJob.objects.select_for_update()
            .select_related("owner_type")
            .filter(pk=job_id)
            .first()
        )
        if job is None:
            return None
        stuck = job.status == JobStatus.PROCESSING and job.started_at and job.started_at < limit
        lost = (
            job.status == JobStatus.PENDING
            and job.queued_at < limit
            and not _task_waiting(job.task_id)
        )
        if not (stuck or lost):
            return None
        document = _document_of(job)
        if document is None:
            job.delete()
            return None
        was = job.status
        minutes = int(stuck_after().total_seconds() // 60)
        now = timezone.now()
        if stuck and job.attempts >= job.max_attempts:
            job.status, job.token, job.finished_at = JobStatus.FAILED, "", now
            job.error_code = "digitization_stuck"
            job.error = (
                f"Số hóa bị gián đoạn (quá {minutes} phút chưa xong) và đã thử "
                f"{job.attempts} lần. Hãy kiểm tra tệp rồi chạy lại."
            )
            job.save()
            _set_document(document, DigitizationStatus.FAILED, error=job.error)
            action, new = "documents.digitization_failed", JobStatus.FAILED
            _notify_failure(document, job.error)
        else:
            job.status, job.token, job.queued_at, job.run_after = JobStatus.PENDING, "", now, None
            if stuck:
                job.error_code = "digitization_stuck"
                job.error = f"Lần chạy trước bị gián đoạn (quá {minutes} phút chưa xong)."
            job.save()
            _set_document(document, DigitizationStatus.PENDING)
            action, new = "documents.digitization_recovered", JobStatus.PENDING
            transaction.on_commit(partial(_enqueue, job.pk))
        label = document_label(document)
        audit_record(
            action=action,
            obj=document,
            unit=document.unit_id,
            changes={"digitization_status": [was, new]},
            summary=(
                f"Số hóa {label} bị treo ở trạng thái '{JobStatus(was).label}' quá "
                f"{minutes} phút: "
                + ("đưa lại vào hàng đợi." if new == JobStatus.PENDING else "dừng.")
            ),
        )
    return Recovered(job_id=job_id, document=label, was=was, now=new)


# --- reading the state (templates, API) ------------------------------------------------------


@dataclass
class DigitizationState:
    kind: str
    document_id: int
    status: str
    label: str
    error: str = ""
    attempts: int = 0
    max_attempts: int = 0
    files_total: int = 0
    files_done: int = 0
    pages: int = 0
    ocr_pages: int = 0
    seconds: float = 0.0
    retry_at: dt.datetime | None = None
    last_error: str = ""
    copies: list[DigitizedCopy] = field(default_factory=list)
    text: str = ""
    can_retry: bool = False

    @property
    def running(self) -> bool:
        return self.status in (DigitizationStatus.PENDING, DigitizationStatus.PROCESSING)

    @property
    def percent(self) -> int:
        if not self.files_total:
            return 0
        return round(100 * self.files_done / self.files_total)


def digitization_state(document: Document) -> DigitizationState:
    """What the document page shows about digitisation (three queries)."""
    status = document.digitization_status
    job = job_for(document)
    error = getattr(document, "digitization_error", "") or ""
    state = DigitizationState(
        kind=kind_of(document),
        document_id=document.pk,
        status=status,
        label=DigitizationStatus(status).label if status in DigitizationStatus.values else status,
        error=error or (job.error if job and status == DigitizationStatus.FAILED else ""),
        text=document.text or "",
    )
    if job is not None:
        state.attempts, state.max_attempts = job.attempts, job.max_attempts
        state.files_total, state.files_done = job.files_total, job.files_done
        state.pages, state.ocr_pages, state.seconds = job.pages, job.ocr_pages, job.seconds
        state.retry_at = job.run_after
        if status != DigitizationStatus.FAILED and job.error:
            state.last_error = job.error
    originals = [f for f in _attached_files(document) if is_digitizable(f)]
    if job is None:
        state.files_total = len(originals)
    state.copies = list(
        DigitizedCopy.objects.filter(original__in=originals)
        .exclude(searchable_id=None)
        .select_related("original", "searchable")
        .order_by("original__created_at", "original_id")
    )
    return state


# --- the task --------------------------------------------------------------------------------
# Kept here (not in documents/tasks.py) so that the whole pipeline reads in one module; the
# worker imports it by its path ``congso.documents.services.digitization.digitize_document``.


@task()
def digitize_document(job_id: int) -> dict[str, Any]:
    """Digitise the files of one document (one attempt; see ``digitization_run``)."""
    return digitization_run(job_id=job_id).as_dict()


# --- the home page ---------------------------------------------------------------------------


def digitization_work_item(user: Any, position: Any) -> Any:
    """ "Việc của tôi": this year's documents of the position's committee without a searchable
    copy (failed ones count as overdue), with the digitisation rate as the description."""
    from congso.documents.selectors import digitization_rate
    from congso.kernel.core.home import WorkItem

    if position is None:
        return None
    today = timezone.localdate()
    rate = digitization_rate(position.unit_id, dt.date(today.year, 1, 1), today)
    failed = (
        IncomingDocument.objects.filter(
            unit_id=position.unit_id,
            arrived_at__year=today.year,
            digitization_status=DigitizationStatus.FAILED,
        ).count()
        + OutgoingDocument.objects.filter(
            unit_id=position.unit_id,
            number__isnull=False,
            issued_date__year=today.year,
            digitization_status=DigitizationStatus.FAILED,
        ).count()
    )
    percent = rate.percent
    if percent is None:
        description = f"Năm {today.year} chưa có văn bản nào vào sổ."
    else:
        description = (
            f"Tỷ lệ số hóa năm {today.year}: {vn_percent(percent)} "
            f"({vn_number(rate.digitized)}/{vn_number(rate.total)} văn bản)"
        )
    try:
        url = reverse("documents:registers_index")
    except NoReverseMatch:
        url = ""
    return WorkItem(
        title=f"Văn bản chưa số hóa năm {today.year}",
        count=rate.missing,
        overdue=failed,
        url=url,
        description=description,
        empty_text=f"Mọi văn bản năm {today.year} đã được số hóa. {description}",
    )


def vn_number(n: int) -> str:
    """1234567 → "1.234.567" (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def vn_percent(percent: float) -> str:
    """97.5 → "97,5%", 100.0 → "100%"."""
    return f"{percent:.1f}".replace(".", ",").removesuffix(",0") + "%"


def register_digitization() -> None:
    """Called from ``DocumentsConfig.ready()``: the home-page item for clerks and leaders."""
    from congso.kernel.core.home import register_work_items
    from congso.kernel.people.models import Role

    register_work_items(
        "documents.digitization",
        digitization_work_item,
        roles={Role.CLERK, Role.LEADER, Role.ADMIN},
        order=25,
    )
