"""Incoming and outgoing documents in the search index (kernel/search, issue 4).

Two search sources, ``incoming`` and ``outgoing``, registered from ``DocumentsConfig.ready()``.
Each document becomes one index entry: its subject (trích yếu) as the title, its notation, its
text (extracted or OCR) as the body, sender/signer/type as extra words; its unit, secrecy and
access list for the permission filter inside the engine; type, status and urgency as filters.

Who may find a document is the same rule as ``rules.can_view_incoming`` /
``rules.can_view_outgoing``: clerks, leaders and administrators see their committees' documents
in full (leaders and administrators of a parent unit also the descendants'); anyone else only
those naming them or one of their departments (assignments for incoming documents; drafter,
department and reviewers for outgoing ones); never above their clearance. In the index: the
document's ``acl`` lists those people and departments, and :func:`document_grants` gives a
user one full grant (their full units) and one restricted grant (their other units, their own
``user:`` and ``dept:`` tokens).

Secret documents are found by cleared users, but their results show no text snippet (opening
the document is the audited read).

Keeping the index in step: the outbox row must be written in the transaction of the change.
Documents are saved by ``services/`` but also through ``.update()`` (digitisation writes the
OCR text that way), assignments and review steps change who may see a document. So this module
connects ``post_save``/``post_delete``/``m2m_changed`` receivers that only queue the document
(index maintenance is infrastructure, the one exception to "no logic in signals"; see
docs/decisions/0008-search-engine.md), and services that write with ``.update()`` call
:func:`document_changed` after it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from congso.documents.models import (
    Assignment,
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    ReviewStep,
    Urgency,
)
from congso.kernel.search.registry import (
    FilterChoice,
    FilterSpec,
    Grant,
    IndexDocument,
    SearchSource,
    key_range,
    kind_for_model,
    register_source,
    unit_grant,
)
from congso.kernel.search.services import search_enqueue_delete, search_enqueue_many

INCOMING = "incoming"
OUTGOING = "outgoing"
#: An access list naming nobody: only full-scope users (clerks, leaders) find the document.
NOBODY = "-"


# --- index documents -------------------------------------------------------------------------


def _acl(users: set[int | None], departments: set[int | None]) -> tuple[str, ...]:
    tokens = sorted({f"user:{u}" for u in users if u} | {f"dept:{d}" for d in departments if d})
    return tuple(tokens) or (NOBODY,)


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def incoming_document(doc: IncomingDocument) -> IndexDocument:
    users: set[int | None] = set()
    departments: set[int | None] = set()
    for assignment in doc.assignments.all():
        users.add(assignment.lead_user_id)
        departments.add(assignment.lead_department_id)
        users.update(u.pk for u in assignment.cooperating_users.all())
        departments.update(d.pk for d in assignment.cooperating_departments.all())
    return _incoming_entry(
        (
            doc.pk,
            doc.unit_id,
            doc.subject,
            doc.notation,
            doc.text,
            doc.sender_name,
            doc.signer_name,
            doc.signer_position,
            doc.arrival_number,
            doc.arrival_year,
            doc.arrived_at,
            doc.issued_date,
            doc.secrecy,
            doc.urgency,
            doc.status,
            doc.document_type_id,
            doc.document_type.name,
        ),
        users,
        departments,
    )


def _incoming_entry(
    row: tuple[Any, ...], users: set[int | None], departments: set[int | None]
) -> IndexDocument:
    """The entry of one incoming document from its values in ``INCOMING_FIELDS`` order: one
    function for the model path and the fast read, so both give the same entry."""
    (
        pk,
        unit_id,
        subject,
        notation,
        text,
        sender_name,
        signer_name,
        signer_position,
        arrival_number,
        arrival_year,
        arrived_at,
        issued_date,
        secrecy,
        urgency,
        status,
        type_id,
        type_name,
    ) = row
    return IndexDocument(
        kind=INCOMING,
        id=int(pk),
        title=subject,
        unit_id=unit_id,
        secrecy=int(secrecy),
        acl=_acl(users, departments),
        notation=notation,
        body=text,
        extra=_join(
            sender_name,
            type_name,
            signer_name,
            signer_position,
            f"số đến {arrival_number:02d}/{arrival_year}",
        ),
        # The arrival's date in Hà Nội (the database gives an aware UTC datetime back): a
        # letter that arrived at 06:30 is filed under that day, not the day before.
        date=timezone.localdate(arrived_at) if arrived_at else issued_date,
        attrs=(
            ("type", str(type_id)),
            ("status", str(status)),
            ("urgency", str(urgency)),
        ),
        snippet=int(secrecy) == 0,
    )


def outgoing_document(doc: OutgoingDocument) -> IndexDocument:
    users: set[int | None] = {doc.created_by_id}
    users.update(step.reviewer_id for step in doc.review_steps.all())
    return _outgoing_entry(
        (
            doc.pk,
            doc.unit_id,
            doc.department_id,
            doc.created_by_id,
            doc.subject,
            doc.notation,
            doc.text,
            doc.signer_title,
            doc.recipients_text,
            doc.issued_date,
            doc.created_at,
            doc.secrecy,
            doc.urgency,
            doc.status,
            doc.document_type_id,
            doc.document_type.name,
        ),
        users,
    )


def _outgoing_entry(row: tuple[Any, ...], users: set[int | None]) -> IndexDocument:
    """The entry of one outgoing document from its values in ``OUTGOING_FIELDS`` order
    (``users``: the drafter and the reviewers)."""
    (
        pk,
        unit_id,
        department_id,
        _created_by_id,
        subject,
        notation,
        text,
        signer_title,
        recipients_text,
        issued_date,
        created_at,
        secrecy,
        urgency,
        status,
        type_id,
        type_name,
    ) = row
    return IndexDocument(
        kind=OUTGOING,
        id=int(pk),
        title=subject,
        unit_id=unit_id,
        secrecy=int(secrecy),
        acl=_acl(users, {department_id}),
        notation=notation,
        body=text,
        extra=_join(type_name, signer_title, recipients_text),
        date=issued_date or (timezone.localdate(created_at) if created_at else None),
        attrs=(
            ("type", str(type_id)),
            ("status", str(status)),
            ("urgency", str(urgency)),
        ),
        snippet=int(secrecy) == 0,
    )


INCOMING_FIELDS = (
    "id",
    "unit_id",
    "subject",
    "notation",
    "text",
    "sender_name",
    "signer_name",
    "signer_position",
    "arrival_number",
    "arrival_year",
    "arrived_at",
    "issued_date",
    "secrecy",
    "urgency",
    "status",
    "document_type_id",
    "document_type__name",
)
OUTGOING_FIELDS = (
    "id",
    "unit_id",
    "department_id",
    "created_by_id",
    "subject",
    "notation",
    "text",
    "signer_title",
    "recipients_text",
    "issued_date",
    "created_at",
    "secrecy",
    "urgency",
    "status",
    "document_type_id",
    "document_type__name",
)


def incoming_queryset() -> QuerySet[IncomingDocument]:
    # Only the indexed columns: a rebuild reads every row (a million at city scale).
    assignments = Assignment.objects.only(
        "id", "document_id", "lead_user_id", "lead_department_id"
    ).prefetch_related("cooperating_users", "cooperating_departments")
    return (
        IncomingDocument.objects.select_related("document_type")
        .only(*INCOMING_FIELDS)
        .prefetch_related(Prefetch("assignments", queryset=assignments))
    )


def outgoing_queryset() -> QuerySet[OutgoingDocument]:
    steps = ReviewStep.objects.only("id", "document_id", "reviewer_id")
    return (
        OutgoingDocument.objects.select_related("document_type")
        .only(*OUTGOING_FIELDS)
        .prefetch_related(Prefetch("review_steps", queryset=steps))
    )


# --- the fast read (rebuild, check, drain): rows, no model instances ---------------------------


def _rows(
    model: type[Model],
    fields: tuple[str, ...],
    after: int,
    upto: int | None,
    limit: int | None,
    ids: Sequence[int] | None,
) -> list[tuple[Any, ...]]:
    queryset = key_range(model._default_manager.all(), after=after, upto=upto, limit=limit, ids=ids)
    return list(queryset.values_list(*fields))


def _of_rows(path: str, rows: list[tuple[Any, ...]], ids: Sequence[int] | None) -> dict[str, Any]:
    """A filter on ``path`` (a document id) for the related rows of ``rows``: a key range when
    the rows are a range (every document in it was read), else the keys themselves."""
    if ids is not None:
        return {f"{path}__in": [row[0] for row in rows]}
    return {f"{path}__gte": rows[0][0], f"{path}__lte": rows[-1][0]}


def read_incoming(
    *,
    after: int = 0,
    upto: int | None = None,
    limit: int | None = None,
    ids: Sequence[int] | None = None,
) -> list[tuple[int, IndexDocument | None]]:
    """Incoming documents as index entries from ``.values_list()`` rows: one query for the
    documents, one for their assignments and, if there are any, one per cooperating table
    (the same entries as :func:`incoming_document`, for a fraction of the CPU)."""
    rows = _rows(IncomingDocument, INCOMING_FIELDS, after, upto, limit, ids)
    if not rows:
        return []
    users: dict[int, set[int | None]] = defaultdict(set)
    departments: dict[int, set[int | None]] = defaultdict(set)
    assignments = (
        Assignment.objects.filter(**_of_rows("document_id", rows, ids))
        .order_by()
        .values_list("document_id", "lead_user_id", "lead_department_id")
    )
    found = False
    for document_id, lead_user, lead_department in assignments:
        found = True
        users[document_id].add(lead_user)
        departments[document_id].add(lead_department)
    if found:
        where = _of_rows("assignment__document_id", rows, ids)
        for document_id, user_id in (
            Assignment.cooperating_users.through.objects.filter(**where)
            .order_by()
            .values_list("assignment__document_id", "user_id")
        ):
            users[document_id].add(user_id)
        for document_id, department_id in (
            Assignment.cooperating_departments.through.objects.filter(**where)
            .order_by()
            .values_list("assignment__document_id", "department_id")
        ):
            departments[document_id].add(department_id)
    nobody: set[int | None] = set()
    return [
        (
            row[0],
            _incoming_entry(row, users.get(row[0], nobody), departments.get(row[0], nobody)),
        )
        for row in rows
    ]


def read_outgoing(
    *,
    after: int = 0,
    upto: int | None = None,
    limit: int | None = None,
    ids: Sequence[int] | None = None,
) -> list[tuple[int, IndexDocument | None]]:
    """Outgoing documents as index entries from rows: one query for the documents, one for
    their reviewers (the same entries as :func:`outgoing_document`)."""
    rows = _rows(OutgoingDocument, OUTGOING_FIELDS, after, upto, limit, ids)
    if not rows:
        return []
    reviewers: dict[int, set[int | None]] = defaultdict(set)
    for document_id, reviewer_id in (
        ReviewStep.objects.filter(**_of_rows("document_id", rows, ids))
        .order_by()
        .values_list("document_id", "reviewer_id")
    ):
        reviewers[document_id].add(reviewer_id)
    out: list[tuple[int, IndexDocument | None]] = []
    for row in rows:
        users = {row[3]}  # the drafter
        users.update(reviewers.get(row[0], ()))
        out.append((row[0], _outgoing_entry(row, users)))
    return out


# --- who may find what -----------------------------------------------------------------------


def document_grants(user: Any) -> list[Grant]:
    """The same scope as ``selectors.incoming_visible`` / ``outgoing_visible``."""
    from congso.documents.selectors import incoming_scope

    scope = incoming_scope(user)
    if scope.user_id is None:
        return []
    grants = [unit_grant(scope.full_unit_ids)]
    limited = scope.limited_unit_ids
    if limited:
        principals = {f"user:{scope.user_id}"} | {f"dept:{d}" for d in scope.department_ids}
        grants.append(unit_grant(limited, principals=principals))
    return grants


# --- filters ---------------------------------------------------------------------------------


def _types() -> list[FilterChoice]:
    return [
        FilterChoice(str(pk), name)
        for pk, name in DocumentType.objects.filter(is_active=True).values_list("pk", "name")
    ]


def _choices(choices: Any) -> list[FilterChoice]:
    return [FilterChoice(str(value), str(label)) for value, label in choices]


def _url(name: str, pk: int) -> str:
    try:
        return reverse(f"documents:{name}", args=[pk])
    except NoReverseMatch:
        return ""


# --- keeping the index in step ---------------------------------------------------------------


def document_changed(document: IncomingDocument | OutgoingDocument) -> None:
    """Queue ``document`` for re-indexing in the current transaction (call it after writing a
    document with ``QuerySet.update()``, which sends no signal)."""
    kind = kind_for_model(type(document))
    if kind is not None and document.pk is not None:
        search_enqueue_many(kind, [int(document.pk)])


def _saved(sender: type[Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata
        return
    document_changed(instance)


def _deleted(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    kind = kind_for_model(sender)
    if kind is not None and instance.pk is not None:
        search_enqueue_delete(kind, int(instance.pk))


def _assignment_saved(sender: type[Model], instance: Assignment, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    search_enqueue_many(INCOMING, [instance.document_id])


def _assignment_people_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Assignment):
        search_enqueue_many(INCOMING, [instance.document_id])


def _review_step_saved(sender: type[Model], instance: ReviewStep, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    search_enqueue_many(OUTGOING, [instance.document_id])


def register_search_sources() -> None:
    """Called from ``DocumentsConfig.ready()``."""
    urgency = (FilterSpec("urgency", "Độ khẩn", lambda: _choices(Urgency.choices)),)
    register_source(
        SearchSource(
            kind=INCOMING,
            label="Văn bản đến",
            model=IncomingDocument,
            to_document=incoming_document,
            queryset=incoming_queryset,
            read=read_incoming,
            url=lambda pk: _url("incoming_detail", pk),
            grants=document_grants,
            filters=(
                FilterSpec("type", "Loại văn bản", _types),
                FilterSpec("status", "Trạng thái", lambda: _choices(IncomingStatus.choices)),
                *urgency,
            ),
            order=10,
            group="Văn bản",
        )
    )
    register_source(
        SearchSource(
            kind=OUTGOING,
            label="Văn bản đi",
            model=OutgoingDocument,
            to_document=outgoing_document,
            queryset=outgoing_queryset,
            read=read_outgoing,
            url=lambda pk: _url("outgoing_detail", pk),
            grants=document_grants,
            filters=(
                FilterSpec("type", "Loại văn bản", _types),
                FilterSpec("status", "Trạng thái", lambda: _choices(OutgoingStatus.choices)),
                *urgency,
            ),
            order=20,
            group="Văn bản",
        )
    )
    uid = "congso.documents.search"
    for model in (IncomingDocument, OutgoingDocument):
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
    post_save.connect(_assignment_saved, sender=Assignment, dispatch_uid=f"{uid}.assignment")
    post_delete.connect(
        _assignment_saved, sender=Assignment, dispatch_uid=f"{uid}.assignment.delete"
    )
    for through in (
        Assignment.cooperating_users.through,
        Assignment.cooperating_departments.through,
    ):
        m2m_changed.connect(
            _assignment_people_changed, sender=through, dispatch_uid=f"{uid}.m2m.{through.__name__}"
        )
    post_save.connect(_review_step_saved, sender=ReviewStep, dispatch_uid=f"{uid}.review")
    post_delete.connect(_review_step_saved, sender=ReviewStep, dispatch_uid=f"{uid}.review.delete")
