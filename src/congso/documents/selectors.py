"""Scoped reads of the documents domain. Every list is filtered by the reader's scope here,
never in templates; list pages load their rows with a constant number of queries.

Each area appends its own selectors below its heading; ``incoming_scope`` is shared.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from congso.documents.models import (
    Assignment,
    AssignmentStatus,
    IncomingDocument,
    IncomingStatus,
    Organisation,
    OutgoingDocument,
    OutgoingStatus,
    ProgressNote,
)
from congso.kernel.errors import DomainError, NotFound
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Delegation, Role
from congso.kernel.people.selectors import effective_positions, unit_descendant_ids

#: Roles that see every incoming document of their unit.
FULL_VIEW_ROLES = frozenset({Role.CLERK.value, Role.LEADER.value, Role.ADMIN.value})
#: Of those, the roles that also see the documents of descendant units (the kernel's rule).
SCOPE_DOWN_ROLES = frozenset({Role.LEADER.value, Role.ADMIN.value})

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


# --- scope -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingScope:
    """What one user may see of incoming documents, computed once per request or call."""

    user_id: int | None
    clearance: int = 0
    #: Units whose incoming documents the user sees in full.
    full_unit_ids: frozenset[int] = field(default_factory=frozenset)
    #: Units where the user holds any position (they see what involves them there).
    member_unit_ids: frozenset[int] = field(default_factory=frozenset)
    #: Departments of the user's positions (lent ones included).
    department_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def limited_unit_ids(self) -> frozenset[int]:
        return self.member_unit_ids - self.full_unit_ids


def _staff(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "kind", "staff") != "citizen"
    )


def incoming_scope(user: Any, *, on: dt.date | None = None) -> IncomingScope:
    """The user's scope for incoming documents (at most two queries)."""
    if not _staff(user):
        return IncomingScope(user_id=None)
    clearance = int(getattr(user, "clearance", 0) or 0)
    if user.is_superuser:
        every = frozenset(AdminUnit.objects.values_list("id", flat=True))
        return IncomingScope(
            user_id=user.pk, clearance=clearance, full_unit_ids=every, member_unit_ids=every
        )
    rows = list(effective_positions(user, on).values_list("unit_id", "role", "department_id"))
    full = {unit_id for unit_id, role, _ in rows if role in FULL_VIEW_ROLES}
    down = {unit_id for unit_id, role, _ in rows if role in SCOPE_DOWN_ROLES}
    if down:
        full |= unit_descendant_ids(down)
    return IncomingScope(
        user_id=user.pk,
        clearance=clearance,
        full_unit_ids=frozenset(full),
        member_unit_ids=frozenset(unit_id for unit_id, _, _ in rows) | frozenset(full),
        department_ids=frozenset(dept for _, _, dept in rows if dept is not None),
    )


def assignment_involving_q(user_id: int | None, department_ids: frozenset[int] | set[int]) -> Q:
    """Assignments naming the user (lead or cooperating) or one of the departments."""
    coop_user = Assignment.cooperating_users.through.objects.filter(
        assignment_id=OuterRef("pk"), user_id=user_id or 0
    )
    q = Q(lead_user_id=user_id) | Q(Exists(coop_user))
    if department_ids:
        coop_dept = Assignment.cooperating_departments.through.objects.filter(
            assignment_id=OuterRef("pk"), department_id__in=department_ids
        )
        q |= Q(lead_department_id__in=department_ids) | Q(Exists(coop_dept))
    return q


# --- incoming documents ----------------------------------------------------------------------


def incoming_visible(
    user: Any, *, scope: IncomingScope | None = None
) -> QuerySet[IncomingDocument]:
    """Incoming documents the user may see: scope and clearance (no ordering, no joins)."""
    scope = scope or incoming_scope(user)
    if scope.user_id is None:
        return IncomingDocument.objects.none()
    visible = Q(unit_id__in=scope.full_unit_ids)
    limited = scope.limited_unit_ids
    if limited:
        involving = Assignment.objects.filter(
            assignment_involving_q(scope.user_id, scope.department_ids),
            document_id=OuterRef("pk"),
        )
        visible |= Q(unit_id__in=limited) & Q(Exists(involving))
    return IncomingDocument.objects.filter(visible, secrecy__lte=scope.clearance)


def _with_list_data(qs: QuerySet[IncomingDocument], today: dt.date) -> QuerySet[IncomingDocument]:
    """What a list row shows: type, sender, the open assignment with its handler. Whether a row
    is overdue comes from the prefetched open assignments (``mark_overdue``): a correlated EXISTS
    in the SELECT list made PostgreSQL hash every overdue assignment for each page."""
    return qs.select_related("document_type", "sender", "unit").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(status=AssignmentStatus.OPEN)
            .select_related("lead_user", "lead_department")
            .order_by("-assigned_at", "-pk"),
            to_attr="open_assignments",
        )
    )


def mark_overdue(
    rows: list[IncomingDocument], today: dt.date | None = None
) -> list[IncomingDocument]:
    """Set ``is_overdue`` on rows loaded by ``incoming_for_user``: an open assignment's deadline
    has passed."""
    today = today or timezone.localdate()
    for row in rows:
        row.is_overdue = any(  # type: ignore[attr-defined]
            a.deadline is not None and a.deadline < today
            for a in getattr(row, "open_assignments", [])
        )
    return rows


@dataclass(frozen=True)
class IncomingFilters:
    year: int | None = None
    status: str = ""
    urgency: int | None = None  # exact level
    urgent: bool = False  # Khẩn and above
    q: str = ""
    overdue: bool = False
    unit_id: int | None = None
    channel: str = ""
    secret: bool = False  # only secret documents

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> IncomingFilters:
        """From query parameters or cleaned form data; bad values are ignored (a list page
        should not fail on a hand-edited URL)."""

        def _int(name: str) -> int | None:
            value = data.get(name)
            if value in (None, ""):
                return None
            try:
                return int(str(value))
            except ValueError:
                return None

        def _bool(name: str) -> bool:
            value = data.get(name)
            return str(value).lower() in {"1", "true", "on", "yes", "co"}

        status = str(data.get("status") or "")
        channel = str(data.get("channel") or "")
        return cls(
            year=_int("year"),
            status=status if status in IncomingStatus.values else "",
            urgency=_int("urgency"),
            urgent=_bool("urgent"),
            q=str(data.get("q") or "").strip()[:200],
            overdue=_bool("overdue"),
            unit_id=_int("unit"),
            channel=channel,
            secret=_bool("secret"),
        )


#: The FTS5 trigram table over subject, notation and sender (SQLite; migration 0008).
INCOMING_FTS = "documents_incoming_fts"
_fts_tables: dict[str, bool] = {}


def _sqlite_fts_ready() -> bool:
    key = str(connection.settings_dict.get("NAME"))
    if key not in _fts_tables:
        _fts_tables[key] = INCOMING_FTS in connection.introspection.table_names()
    return _fts_tables[key]


def incoming_text_q(text: str) -> Q:
    """Documents whose subject, notation or sender contains ``text`` (any case).

    Indexed either way (migration 0008): on SQLite through the FTS5 trigram table (a quoted
    phrase is a substring match; it also folds the case of Vietnamese letters, which SQLite's
    LIKE does not); on PostgreSQL ``icontains`` is ``UPPER(col) LIKE UPPER(%term%)``, which the
    pg_trgm GIN indexes on ``UPPER(col)`` serve. Fewer than three characters: a plain scan.
    """
    term = unicodedata.normalize("NFC", " ".join(text.split()))
    if connection.vendor == "sqlite" and len(term) >= 3 and _sqlite_fts_ready():
        phrase = '"' + term.replace('"', '""') + '"'
        return Q(
            pk__in=RawSQL(  # noqa: S611 - constant SQL, the phrase is a parameter
                f"SELECT rowid FROM {INCOMING_FTS} WHERE {INCOMING_FTS} MATCH %s",  # noqa: S608
                [phrase],
            )
        )
    return Q(subject__icontains=term) | Q(notation__icontains=term) | Q(sender_name__icontains=term)


def _apply_filters(
    qs: QuerySet[IncomingDocument], filters: IncomingFilters, today: dt.date
) -> QuerySet[IncomingDocument]:
    if filters.year is not None:
        qs = qs.filter(arrival_year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.urgency is not None:
        qs = qs.filter(urgency=filters.urgency)
    if filters.urgent:
        qs = qs.filter(urgency__gte=1)
    if filters.unit_id is not None:
        qs = qs.filter(unit_id=filters.unit_id)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.secret:
        qs = qs.filter(secrecy__gte=1)
    if filters.q:
        qs = qs.filter(incoming_text_q(filters.q))
    if filters.overdue:
        # An uncorrelated IN (the overdue open assignments are few, found by their index): a
        # correlated EXISTS made SQLite walk the (status, deadline) index once per document.
        overdue_ids = Assignment.objects.filter(
            status=AssignmentStatus.OPEN, deadline__lt=today
        ).values("document_id")
        qs = qs.filter(pk__in=overdue_ids)
    return qs


def incoming_for_user(
    user: Any,
    *,
    filters: IncomingFilters | Mapping[str, Any] | None = None,
    scope: IncomingScope | None = None,
    today: dt.date | None = None,
) -> QuerySet[IncomingDocument]:
    """The incoming documents the user may see, filtered, newest arrival first, with what a list
    row needs loaded (a constant number of queries whatever the page size)."""
    if filters is None:
        filters = IncomingFilters()
    elif not isinstance(filters, IncomingFilters):
        filters = IncomingFilters.from_mapping(filters)
    today = today or timezone.localdate()
    qs = _apply_filters(incoming_visible(user, scope=scope), filters, today)
    return _with_list_data(qs, today).order_by("-arrived_at", "-pk")


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


def encode_cursor(moment: dt.datetime, pk: int) -> str:
    raw = f"{moment.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.rsplit("|", 1)
        moment = dt.datetime.fromisoformat(stamp)
        if timezone.is_naive(moment):
            raise ValueError("naive cursor")
        return moment, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise DomainError("invalid_cursor", "Con trỏ phân trang không hợp lệ.") from exc


def incoming_page(
    user: Any,
    *,
    filters: IncomingFilters | Mapping[str, Any] | None = None,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
    scope: IncomingScope | None = None,
) -> Page:
    """One page of ``incoming_for_user`` by keyset (arrival time, id): same cost at any depth."""
    size = min(max(int(size), 1), MAX_PAGE_SIZE)
    qs = incoming_for_user(user, filters=filters, scope=scope)
    if cursor:
        moment, pk = decode_cursor(cursor)
        qs = qs.filter(Q(arrived_at__lt=moment) | Q(arrived_at=moment, pk__lt=pk))
    rows = mark_overdue(list(qs[: size + 1]))
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor(rows[-1].arrived_at, rows[-1].pk) if more and rows else None
    return Page(items=rows, next_cursor=next_cursor)


def incoming_get(
    user: Any, pk: int | str, *, scope: IncomingScope | None = None
) -> IncomingDocument:
    """One document the user may see, with its detail loaded; NotFound otherwise (outside the
    user's scope a document does not exist)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise NotFound("Không tìm thấy văn bản đến.") from None
    document = (
        incoming_visible(user, scope=scope)
        .select_related(
            "unit", "document_type", "sender", "registered_by", "presented_to", "source_dispatch"
        )
        .filter(pk=key)
        .first()
    )
    if document is None:
        raise NotFound("Không tìm thấy văn bản đến.")
    return document


def incoming_assignments(document: IncomingDocument) -> list[Assignment]:
    """Every assignment of the document (history included), oldest first, fully loaded."""
    return list(
        Assignment.objects.filter(document=document)
        .select_related(
            "assigned_by", "lead_user", "lead_department", "completed_by", "answer", "document"
        )
        .prefetch_related("cooperating_departments", "cooperating_users")
        .order_by("assigned_at", "pk")
    )


def incoming_notes(document: IncomingDocument) -> list[ProgressNote]:
    return list(
        ProgressNote.objects.filter(document=document)
        .select_related("author", "assignment")
        .order_by("created_at", "pk")
    )


def incoming_files(document: IncomingDocument) -> list[Any]:
    """The document's stored files (the scan or electronic copy and any derived copies)."""
    from django.contrib.contenttypes.models import ContentType

    from congso.kernel.files.models import StoredFile

    content_type = ContentType.objects.get_for_model(IncomingDocument)
    return list(
        StoredFile.objects.filter(owner_type=content_type, owner_id=str(document.pk)).order_by(
            "created_at", "pk"
        )
    )


def progress_note_files(notes: list[ProgressNote]) -> dict[int, list[Any]]:
    """Attachments of the notes, by note id (one query)."""
    from django.contrib.contenttypes.models import ContentType

    from congso.kernel.files.models import StoredFile

    if not notes:
        return {}
    content_type = ContentType.objects.get_for_model(ProgressNote)
    out: dict[int, list[Any]] = {note.pk: [] for note in notes}
    for stored in StoredFile.objects.filter(
        owner_type=content_type, owner_id__in=[str(note.pk) for note in notes]
    ).order_by("created_at", "pk"):
        out[int(stored.owner_id)].append(stored)
    return out


# --- directory and answers ------------------------------------------------------------------


def organisations_active() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("name")


def organisation_by_name(name: str) -> Organisation | None:
    """The active directory entry with exactly this name (case and spacing aside), if one."""
    key = " ".join(unicodedata.normalize("NFC", name or "").split()).casefold()
    if not key:
        return None
    first_word = key.split()[0]
    for organisation in Organisation.objects.filter(
        is_active=True, name__icontains=first_word[:20]
    ).order_by("pk"):
        if " ".join(organisation.name.split()).casefold() == key:
            return organisation
    # SQLite's LIKE folds ASCII only: compare in Python when the first word has other letters.
    for pk, other in organisations_active().values_list("pk", "name"):
        if " ".join(other.split()).casefold() == key:
            return Organisation.objects.get(pk=pk)
    return None


def outgoing_answer_candidate(unit_id: int, notation: str) -> OutgoingDocument | None:
    """An issued outgoing document of the unit with this notation (the answer to link)."""
    text = " ".join(unicodedata.normalize("NFC", notation or "").split())
    if not text:
        return None
    return (
        OutgoingDocument.objects.filter(
            unit_id=unit_id, notation=text, status=OutgoingStatus.ISSUED
        )
        .order_by("-issued_date", "-pk")
        .first()
    )


# --- "Việc của tôi" --------------------------------------------------------------------------


def my_work(user: Any, *, today: dt.date | None = None) -> QuerySet[Assignment]:
    """Open assignments waiting for the user: as lead person, as cooperating person, or for one of
    their departments (when no person leads it, or as cooperating department). Secret ones only
    within the user's clearance. Each row has ``is_overdue``; earliest deadline first."""
    scope = incoming_scope(user)
    if scope.user_id is None:
        return Assignment.objects.none()
    today = today or timezone.localdate()
    coop_user = Assignment.cooperating_users.through.objects.filter(
        assignment_id=OuterRef("pk"), user_id=scope.user_id
    )
    mine = Q(lead_user_id=scope.user_id) | Q(Exists(coop_user))
    if scope.department_ids:
        coop_dept = Assignment.cooperating_departments.through.objects.filter(
            assignment_id=OuterRef("pk"), department_id__in=scope.department_ids
        )
        mine |= Q(lead_user__isnull=True, lead_department_id__in=scope.department_ids) | Q(
            Exists(coop_dept)
        )
    return (
        Assignment.objects.filter(
            mine,
            status=AssignmentStatus.OPEN,
            document__unit_id__in=scope.member_unit_ids,
            document__secrecy__lte=scope.clearance,
        )
        .select_related(
            "document", "document__document_type", "lead_user", "lead_department", "assigned_by"
        )
        .annotate(
            is_overdue=ExpressionWrapper(Q(deadline__lt=today), output_field=BooleanField()),
        )
        .order_by("deadline", "assigned_at", "pk")
    )


def awaiting_assignment(user: Any) -> QuerySet[IncomingDocument]:
    """Documents presented to the user (or to a leader the user acts for today) and not yet
    assigned."""
    scope = incoming_scope(user)
    if scope.user_id is None:
        return IncomingDocument.objects.none()
    today = timezone.localdate()
    principals = set(
        Delegation.objects.filter(
            delegate_id=scope.user_id, start__lte=today, end__gte=today, revoked_at__isnull=True
        ).values_list("principal_id", flat=True)
    )
    return (
        IncomingDocument.objects.filter(
            status=IncomingStatus.PRESENTED,
            presented_to_id__in={scope.user_id} | principals,
            secrecy__lte=scope.clearance,
        )
        .select_related("document_type")
        .order_by("-urgency", "arrived_at", "pk")
    )


def awaiting_presentation(user: Any) -> QuerySet[IncomingDocument]:
    """Registered documents of the units where the user is a clerk, not yet presented."""
    from congso.kernel.people.selectors import user_roles

    scope = incoming_scope(user)
    if scope.user_id is None:
        return IncomingDocument.objects.none()
    units = [
        unit_id
        for unit_id in scope.member_unit_ids
        if {Role.CLERK.value, Role.ADMIN.value} & user_roles(user, unit_id)
    ]
    return IncomingDocument.objects.filter(
        unit_id__in=units, status=IncomingStatus.REGISTERED, secrecy__lte=scope.clearance
    ).order_by("-urgency", "arrived_at", "pk")


def previous_working_day(day: dt.date) -> dt.date:
    from congso.kernel.calendar.services import is_working_day

    candidate = day - dt.timedelta(days=1)
    for _ in range(60):
        if is_working_day(candidate):
            return candidate
        candidate -= dt.timedelta(days=1)
    return candidate


def presentation_late_before(today: dt.date | None = None) -> dt.datetime:
    """Art. 23: present the same day, at the latest the next working day. A document that arrived
    before this moment and is still not presented is late."""
    today = today or timezone.localdate()
    day = previous_working_day(today)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class IncomingCounters:
    assigned_to_me: int
    assigned_overdue: int
    awaiting_my_assignment: int
    awaiting_my_assignment_urgent: int
    awaiting_presentation: int
    awaiting_presentation_late: int


def incoming_counters(user: Any) -> IncomingCounters:
    """The home page's numbers for the user (a handful of COUNT queries)."""
    today = timezone.localdate()
    work = my_work(user, today=today)
    assign = awaiting_assignment(user)
    present = awaiting_presentation(user)
    return IncomingCounters(
        assigned_to_me=work.count(),
        assigned_overdue=work.filter(deadline__lt=today).count(),
        awaiting_my_assignment=assign.count(),
        awaiting_my_assignment_urgent=assign.filter(urgency__gte=1).count(),
        awaiting_presentation=present.count(),
        awaiting_presentation_late=present.filter(
            arrived_at__lt=presentation_late_before(today)
        ).count(),
    )


# --- digitisation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DigitizationRate:
    """Registered documents with a searchable electronic copy ÷ all registered (the seed's
    "100% digitised" figure). ``percent`` is None when nothing was registered (no data)."""

    digitized: int
    total: int
    incoming_digitized: int = 0
    incoming_total: int = 0
    outgoing_digitized: int = 0
    outgoing_total: int = 0

    @property
    def percent(self) -> float | None:
        return round(100.0 * self.digitized / self.total, 1) if self.total else None

    @property
    def missing(self) -> int:
        return self.total - self.digitized


def digitization_rate(unit: AdminUnit | int, start: dt.date, end: dt.date) -> DigitizationRate:
    """The committee's digitisation rate over ``start``..``end`` (inclusive, local dates):
    incoming documents registered (by arrival) and outgoing documents issued (by issue date)
    in the period, and how many of them are digitised (status *done*). Two queries."""
    from django.db.models import Count

    from congso.documents.models import DigitizationStatus

    unit_id = unit if isinstance(unit, int) else unit.pk
    done = Q(digitization_status=DigitizationStatus.DONE)
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    incoming = IncomingDocument.objects.filter(
        unit_id=unit_id, arrived_at__gte=since, arrived_at__lt=until
    ).aggregate(total=Count("pk"), digitized=Count("pk", filter=done))
    outgoing = OutgoingDocument.objects.filter(
        unit_id=unit_id, number__isnull=False, issued_date__gte=start, issued_date__lte=end
    ).aggregate(total=Count("pk"), digitized=Count("pk", filter=done))
    return DigitizationRate(
        digitized=incoming["digitized"] + outgoing["digitized"],
        total=incoming["total"] + outgoing["total"],
        incoming_digitized=incoming["digitized"],
        incoming_total=incoming["total"],
        outgoing_digitized=outgoing["digitized"],
        outgoing_total=outgoing["total"],
    )


# --- outgoing documents ----------------------------------------------------------------------


def outgoing_visible(
    user: Any, *, scope: IncomingScope | None = None
) -> QuerySet[OutgoingDocument]:
    """Outgoing documents the user may see (see ``rules.can_view_outgoing``)."""
    from congso.documents.models import ReviewStep

    scope = scope or incoming_scope(user)
    if scope.user_id is None:
        return OutgoingDocument.objects.none()
    visible = Q(unit_id__in=scope.full_unit_ids)
    limited = scope.limited_unit_ids
    if limited:
        reviewing = ReviewStep.objects.filter(document_id=OuterRef("pk"), reviewer_id=scope.user_id)
        visible |= Q(unit_id__in=limited) & (
            Q(created_by_id=scope.user_id)
            | Q(department_id__in=scope.department_ids)
            | Q(Exists(reviewing))
        )
    return OutgoingDocument.objects.filter(visible, secrecy__lte=scope.clearance)


def _outgoing_list_data(qs: QuerySet[OutgoingDocument]) -> QuerySet[OutgoingDocument]:
    return qs.select_related("document_type", "department", "unit", "created_by", "signer")


@dataclass(frozen=True)
class OutgoingFilters:
    status: str = ""
    year: int | None = None
    q: str = ""
    unit_id: int | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> OutgoingFilters:
        status = str(data.get("status") or "")
        year: int | None
        try:
            year = int(str(data.get("year") or "")) or None
        except ValueError:
            year = None
        try:
            unit_id = int(str(data.get("unit") or "")) or None
        except ValueError:
            unit_id = None
        return cls(
            status=status if status in OutgoingStatus.values else "",
            year=year,
            q=unicodedata.normalize("NFC", str(data.get("q") or "")).strip()[:200],
            unit_id=unit_id,
        )


def outgoing_list(user: Any, filters: OutgoingFilters | None = None) -> QuerySet[OutgoingDocument]:
    """The outgoing documents the user sees, newest first, with what a list row shows."""
    filters = filters or OutgoingFilters()
    qs = outgoing_visible(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year:
        qs = qs.filter(Q(year=filters.year) | Q(year__isnull=True, created_at__year=filters.year))
    if filters.unit_id:
        qs = qs.filter(unit_id=filters.unit_id)
    if filters.q:
        qs = qs.filter(Q(subject__icontains=filters.q) | Q(notation__icontains=filters.q))
    return _outgoing_list_data(qs).order_by("-created_at", "-pk")


def outgoing_my_drafts(user: Any) -> QuerySet[OutgoingDocument]:
    """Drafts I wrote that are not issued yet."""
    if not _staff(user):
        return OutgoingDocument.objects.none()
    return _outgoing_list_data(
        outgoing_visible(user).filter(
            created_by_id=user.pk,
            status__in=[
                OutgoingStatus.DRAFT,
                OutgoingStatus.RETURNED,
                OutgoingStatus.IN_REVIEW,
                OutgoingStatus.APPROVED,
                OutgoingStatus.SIGNED,
            ],
        )
    ).order_by("-updated_at", "-pk")


def outgoing_my_reviews(user: Any) -> QuerySet[OutgoingDocument]:
    """Documents in review whose current step is mine (no earlier pending step)."""
    from congso.documents.models import ReviewDecision, ReviewStep

    if not _staff(user):
        return OutgoingDocument.objects.none()
    earlier = ReviewStep.objects.filter(
        document_id=OuterRef("document_id"),
        decision=ReviewDecision.PENDING,
        order__lt=OuterRef("order"),
    )
    mine = ReviewStep.objects.filter(
        reviewer_id=user.pk, decision=ReviewDecision.PENDING, document_id=OuterRef("pk")
    ).filter(~Exists(earlier))
    return _outgoing_list_data(
        outgoing_visible(user).filter(Exists(mine), status=OutgoingStatus.IN_REVIEW)
    ).order_by("-urgency", "updated_at", "pk")


def _role_unit_ids(user: Any, role: str) -> set[int]:
    if not _staff(user):
        return set()
    return set(effective_positions(user).filter(role=role).values_list("unit_id", flat=True))


def outgoing_to_sign(user: Any) -> QuerySet[OutgoingDocument]:
    """Approved documents of the committees I lead, waiting for a signature."""
    units = _role_unit_ids(user, Role.LEADER)
    return _outgoing_list_data(
        outgoing_visible(user).filter(unit_id__in=units, status=OutgoingStatus.APPROVED)
    ).order_by("-urgency", "updated_at", "pk")


def outgoing_to_issue(user: Any) -> QuerySet[OutgoingDocument]:
    """Signed documents of my committees waiting for the clerk's number."""
    units = _role_unit_ids(user, Role.CLERK)
    return _outgoing_list_data(
        outgoing_visible(user).filter(unit_id__in=units, status=OutgoingStatus.SIGNED)
    ).order_by("-urgency", "signed_at", "pk")


def outgoing_get(user: Any, pk: int) -> OutgoingDocument:
    """One outgoing document the user may see, with its related rows loaded; else NotFound."""
    from congso.documents.models import Dispatch, DraftVersion, OutgoingAttachment, ReviewStep

    document = (
        _outgoing_list_data(outgoing_visible(user).filter(pk=pk))
        .select_related("issued_by", "signed_file", "issued_file")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=DraftVersion.objects.select_related("file", "uploaded_by").order_by(
                    "number"
                ),
            ),
            Prefetch(
                "review_steps",
                queryset=ReviewStep.objects.select_related("reviewer", "version").order_by(
                    "order", "pk"
                ),
            ),
            Prefetch(
                "attachments",
                queryset=OutgoingAttachment.objects.select_related("file", "signed_file").order_by(
                    "order", "pk"
                ),
            ),
            Prefetch(
                "dispatches",
                queryset=Dispatch.objects.select_related("recipient", "incoming").order_by("pk"),
            ),
            "external_recipients",
        )
        .first()
    )
    if document is None:
        raise NotFound("Không tìm thấy văn bản đi, hoặc bạn không có quyền xem.")
    return document
