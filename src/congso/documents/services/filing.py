"""Files (hồ sơ) and the yearly file list (danh mục hồ sơ): Decree 30/2020 Art. 28–31, App. V,
App. VI §III (shared/domain/vietnam-rules.md §1.8, §1.7).

- The file list of a committee for a year: top headings (Roman numerals, with the abbreviation
  that goes into file numbers), sub-headings (Arabic), files numbered ``<nn>.<ABBR>`` (e.g.
  "01.TCCB") across the whole list or within each top heading. Drafted by the clerk, approved
  by a leader, issued at the start of the year (files open then); files may be added later.
- Documents (incoming or outgoing) are added to an open file; the file's dates and page total
  follow its documents. A file is closed with its closing note (chứng từ kết thúc).
- Deposit (nộp lưu, Art. 30): files kept 5 years or more (or permanently) go to the archive
  within a year after the work ends; ``files_deposit_remind`` notifies 30 days ahead; the export
  is a ZIP with the documents' PDFs, the metadata XML (App. VI) and the archive list (Mục lục
  hồ sơ, tài liệu nộp lưu) as PDF.

Every write is audited in its transaction.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from congso.documents.models import (
    AccessRegime,
    File,
    FileEntry,
    FileHeading,
    FileList,
    FileNumbering,
    FileStatus,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
)
from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Position, Role, User
from congso.kernel.people.rules import can_read_secret, has_role, is_staff_member
from congso.kernel.people.selectors import visible_unit_ids

#: Files kept this many years or more must be deposited (Art. 30–31); permanent ones too.
DEPOSIT_MIN_YEARS = 5
#: Deposit within a year after the work ends (Art. 30.1.b).
DEPOSIT_AFTER_DAYS = 365
#: Notify this many days before a file is due for deposit (App. VI Part I §III).
DEPOSIT_NOTICE_DAYS = 30

_ABBREVIATION = re.compile(r"^[A-ZĐ0-9]{1,20}$")
MANAGE_ROLES = (Role.CLERK, Role.LEADER, Role.ADMIN)

Document = IncomingDocument | OutgoingDocument


# --- permissions -----------------------------------------------------------------------------


def can_view_files(user: Any, unit: AdminUnit | int) -> bool:
    """The file list of a committee is for its staff (and those who see it from above)."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return is_staff_member(user) and unit_id in visible_unit_ids(user)


def can_manage_files(user: Any, unit: AdminUnit | int) -> bool:
    """Draft the file list, add and close files: the committee's clerks, leaders, admins."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return is_staff_member(user) and has_role(user, *MANAGE_ROLES, unit=unit_id)


def can_approve_file_list(user: Any, unit: AdminUnit | int) -> bool:
    """Approve the file list: the head of the committee (a leader, or his delegate)."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return is_staff_member(user) and has_role(user, Role.LEADER, unit=unit_id)


def can_file_documents(user: Any, file: File) -> bool:
    """Add documents to (or remove them from) a file: its keeper, or whoever manages files."""
    if not is_staff_member(user):
        return False
    return bool(file.keeper_id == user.pk) or can_manage_files(user, file.unit_id)


def can_close_file(user: Any, file: File) -> bool:
    return can_file_documents(user, file)


def can_export_file(user: Any, file: File) -> bool:
    return can_file_documents(user, file)


def _can_view_document(user: Any, document: Document) -> bool:
    """The documents area's own rule when it is there; else: clearance, and a reader of the
    committee's registers (clerk, leader, admin) or the document's drafter/registrar."""
    from congso.documents import rules

    if not can_read_secret(user, document.secrecy):
        return False
    name = "can_view_incoming" if isinstance(document, IncomingDocument) else "can_view_outgoing"
    rule = getattr(rules, name, None)
    if rule is not None:
        return bool(rule(user, document))
    if has_role(user, *MANAGE_ROLES, unit=document.unit_id):
        return True
    owner_id = (
        document.registered_by_id
        if isinstance(document, IncomingDocument)
        else document.created_by_id
    )
    return bool(owner_id == user.pk)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- reads -----------------------------------------------------------------------------------


def file_lists_for(user: Any, unit: AdminUnit | int) -> QuerySet[FileList]:
    unit_id = unit if isinstance(unit, int) else unit.pk
    if not can_view_files(user, unit_id):
        return FileList.objects.none()
    return FileList.objects.filter(unit_id=unit_id).select_related("approved_by", "issued_by")


def file_list_get(user: Any, pk: int | str) -> FileList:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise NotFound("Không tìm thấy danh mục hồ sơ.") from None
    file_list = (
        FileList.objects.select_related("unit", "approved_by", "issued_by").filter(pk=key).first()
    )
    if file_list is None or not can_view_files(user, file_list.unit_id):
        raise NotFound("Không tìm thấy danh mục hồ sơ.")
    return file_list


def file_get(user: Any, pk: int | str) -> File:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise NotFound("Không tìm thấy hồ sơ.") from None
    file = (
        File.objects.select_related(
            "unit", "file_list", "heading", "heading__parent", "keeper", "closed_by"
        )
        .filter(pk=key)
        .first()
    )
    if file is None or not can_view_files(user, file.unit_id):
        raise NotFound("Không tìm thấy hồ sơ.")
    return file


@dataclass
class HeadingNode:
    heading: FileHeading
    files: list[File]
    children: list[HeadingNode]


def file_list_tree(file_list: FileList) -> list[HeadingNode]:
    """Top headings with their files and sub-headings (with theirs): three queries."""
    headings = list(FileHeading.objects.filter(file_list=file_list).order_by("order", "pk"))
    files = list(
        File.objects.filter(file_list=file_list).select_related("keeper").order_by("number", "pk")
    )
    by_heading: dict[int, list[File]] = {}
    for file in files:
        by_heading.setdefault(file.heading_id, []).append(file)
    nodes = {h.pk: HeadingNode(h, by_heading.get(h.pk, []), []) for h in headings}
    roots: list[HeadingNode] = []
    for heading in headings:
        node = nodes[heading.pk]
        if heading.parent_id is None:
            roots.append(node)
        elif heading.parent_id in nodes:
            nodes[heading.parent_id].children.append(node)
    return roots


def file_entries(file: File) -> list[FileEntry]:
    """The documents of a file in order, loaded in one query per document kind."""
    return list(
        FileEntry.objects.filter(file=file)
        .select_related(
            "incoming",
            "incoming__document_type",
            "outgoing",
            "outgoing__document_type",
            "outgoing__unit",
        )
        .order_by("ordinal", "pk")
    )


def _document_date(document: Document) -> dt.date | None:
    if isinstance(document, IncomingDocument):
        return document.issued_date or timezone.localtime(document.arrived_at).date()
    return document.issued_date


def _document_author(document: Document) -> str:
    if isinstance(document, IncomingDocument):
        return document.sender_name
    return document.unit.display_committee


def file_document_rows(file: File, user: Any) -> list[dict[str, Any]]:
    """App. V §IV: STT | Số, ký hiệu | Ngày | Tên loại và trích yếu | Tác giả | Tờ số | Ghi chú.

    The file's keeper and the committee's clerks, leaders and administrators read every row
    (within their clearance); other staff read the rows of documents they may see elsewhere
    (assigned to them or their department), the others show only their number and date."""
    from congso.documents.services.registers import type_and_subject

    rows = []
    page = 1
    clearance = int(getattr(user, "clearance", 0) or 0)
    full = bool(file.keeper_id == getattr(user, "pk", None)) or can_manage_files(user, file.unit_id)
    for entry in file_entries(file):
        document = entry.document
        assert document is not None
        hidden = document.secrecy > clearance or (
            not full and not _can_view_document(user, document)
        )
        rows.append(
            {
                "entry": entry,
                "document": document,
                "kind": "incoming" if entry.incoming_id else "outgoing",
                "ordinal": entry.ordinal,
                "notation": document.notation,
                "date": _document_date(document),
                "type_and_subject": (
                    ("(Văn bản mật)" if document.secrecy > clearance else "(Không có quyền xem)")
                    if hidden
                    else type_and_subject(document.document_type.name, document.subject)
                ),
                "author": _document_author(document),
                "sheet": page if entry.pages else None,
                "pages": entry.pages,
                "note": entry.note,
                "hidden": hidden,
            }
        )
        page += entry.pages
    return rows


def files_of_unit(unit: AdminUnit | int, *, year: int | None = None) -> QuerySet[File]:
    unit_id = unit if isinstance(unit, int) else unit.pk
    qs = File.objects.filter(unit_id=unit_id).select_related("file_list", "keeper")
    if year is not None:
        qs = qs.filter(file_list__year=year)
    return qs.order_by("-file_list__year", "number", "pk")


def open_files_for_document(user: Any, document: Document) -> list[File]:
    """Open files of the document's committee where ``user`` may file it (the document's year
    first). Used by the "add to file" form on the document pages."""
    year = (_document_date(document) or timezone.localdate()).year
    files = list(
        File.objects.filter(
            unit_id=document.unit_id,
            status=FileStatus.OPEN,
            file_list__issued_at__isnull=False,
        )
        .select_related("file_list")
        .order_by("-file_list__year", "number", "pk")
    )
    allowed = [f for f in files if can_file_documents(user, f)]
    allowed.sort(key=lambda f: (f.file_list.year != year, -f.file_list.year, f.number))
    return allowed


def document_files(document: Document) -> list[FileEntry]:
    """The files the document is in."""
    field = "incoming" if isinstance(document, IncomingDocument) else "outgoing"
    return list(
        FileEntry.objects.filter(**{field: document})
        .select_related("file", "file__file_list")
        .order_by("file__file_list__year", "file__number")
    )


# --- the file list ---------------------------------------------------------------------------


def _locked_list(file_list: FileList) -> FileList:
    return FileList.objects.select_for_update().get(pk=file_list.pk)


def _check_draft(file_list: FileList) -> None:
    if file_list.approved_at is not None:
        raise DomainError(
            "file_list_approved",
            "Danh mục hồ sơ đã được phê duyệt: không sửa cấu trúc được nữa "
            "(có thể bổ sung hồ sơ mới).",
        )


def file_list_create(
    *,
    user: Any,
    unit: AdminUnit,
    year: int,
    title: str = "",
    numbering: str = FileNumbering.LIST,
    copy_from_previous: bool = False,
) -> FileList:
    """A new (draft) file list for the committee and year; optionally with the headings and
    files of the previous year's list (new numbers, same titles, retention and keepers)."""
    _require(can_manage_files(user, unit), "Bạn không có quyền lập danh mục hồ sơ.")
    if not isinstance(year, int) or not 1945 <= year <= timezone.localdate().year + 1:
        raise DomainError("invalid_year", "Năm của danh mục hồ sơ không hợp lệ.")
    if numbering not in FileNumbering.values:
        raise DomainError("invalid_numbering", "Cách đánh số hồ sơ không hợp lệ.")
    with transaction.atomic():
        if FileList.objects.filter(unit=unit, year=year).exists():
            raise DomainError("file_list_exists", f"Cơ quan đã có danh mục hồ sơ năm {year}.")
        file_list = FileList.objects.create(
            unit=unit,
            year=year,
            title=_clean(title, 255) or f"Danh mục hồ sơ năm {year} của {unit.display_committee}",
            numbering=numbering,
            created_by=user,
        )
        copied = 0
        if copy_from_previous:
            previous = FileList.objects.filter(unit=unit, year__lt=year).order_by("-year").first()
            if previous is not None:
                copied = _copy_structure(previous, file_list, user)
        audit_record(
            action="documents.file_list_create",
            obj=file_list,
            actor=user,
            unit=unit,
            summary=f"Lập danh mục hồ sơ năm {year}"
            + (f" (sao từ năm trước: {copied} hồ sơ)" if copy_from_previous else ""),
        )
    return file_list


def _copy_structure(source: FileList, target: FileList, user: Any) -> int:
    mapping: dict[int, FileHeading] = {}
    headings = list(FileHeading.objects.filter(file_list=source).order_by("order", "pk"))
    # Top headings first (NULL parents sort first on SQLite, last on PostgreSQL).
    headings.sort(key=lambda h: h.parent_id is not None)
    for heading in headings:
        if heading.parent_id is not None and heading.parent_id not in mapping:
            continue
        mapping[heading.pk] = FileHeading.objects.create(
            file_list=target,
            parent=mapping.get(heading.parent_id) if heading.parent_id else None,
            order=heading.order,
            title=heading.title,
            abbreviation=heading.abbreviation,
        )
    copied = 0
    for file in File.objects.filter(file_list=source).order_by("number", "pk"):
        new_heading = mapping.get(file.heading_id)
        if new_heading is None:
            continue
        File.objects.create(
            unit=target.unit,
            file_list=target,
            heading=new_heading,
            number=file.number,
            notation=file.notation,
            title=file.title,
            retention_years=file.retention_years,
            keeper=file.keeper,
            access=file.access,
            language=file.language,
            note=file.note,
            created_by=user,
        )
        copied += 1
    return copied


def file_list_update(
    *,
    user: Any,
    file_list: FileList,
    title: str | None = None,
    numbering: str | None = None,
    note: str | None = None,
) -> FileList:
    _require(can_manage_files(user, file_list.unit_id), "Bạn không có quyền sửa danh mục hồ sơ.")
    with transaction.atomic():
        file_list = _locked_list(file_list)
        _check_draft(file_list)
        changes: dict[str, list[Any]] = {}
        if title is not None and _clean(title, 255) != file_list.title:
            changes["title"] = [file_list.title, _clean(title, 255)]
            file_list.title = _clean(title, 255)
        if note is not None and note != file_list.note:
            changes["note"] = [file_list.note, note]
            file_list.note = note
        if numbering is not None and numbering != file_list.numbering:
            if numbering not in FileNumbering.values:
                raise DomainError("invalid_numbering", "Cách đánh số hồ sơ không hợp lệ.")
            changes["numbering"] = [file_list.numbering, numbering]
            file_list.numbering = numbering
        if not changes:
            return file_list
        file_list.save()
        if "numbering" in changes:
            _renumber(file_list)
        audit_record(
            action="documents.file_list_update", obj=file_list, actor=user,
            unit=file_list.unit_id, changes=changes, summary="Sửa danh mục hồ sơ",
        )  # fmt: skip
    return file_list


def file_list_approve(*, user: Any, file_list: FileList, decision_notation: str = "") -> FileList:
    """The head of the committee approves the list (Art. 28.1)."""
    _require(
        can_approve_file_list(user, file_list.unit_id),
        "Chỉ lãnh đạo cơ quan được phê duyệt danh mục hồ sơ.",
    )
    with transaction.atomic():
        file_list = _locked_list(file_list)
        _check_draft(file_list)
        if not File.objects.filter(file_list=file_list).exists():
            raise DomainError("file_list_empty", "Danh mục hồ sơ chưa có hồ sơ nào.")
        missing = FileHeading.objects.filter(
            file_list=file_list, parent__isnull=True, abbreviation=""
        )
        if missing.exists():
            raise DomainError(
                "heading_abbreviation_required", "Mỗi đề mục lớn phải có chữ viết tắt."
            )
        file_list.approved_by = user
        file_list.approved_at = timezone.now()
        file_list.decision_notation = _clean(decision_notation, 60)
        file_list.save()
        audit_record(
            action="documents.file_list_approve",
            obj=file_list,
            actor=user,
            unit=file_list.unit_id,
            summary=f"Phê duyệt danh mục hồ sơ năm {file_list.year}",
        )
    return file_list


def file_list_issue(*, user: Any, file_list: FileList) -> FileList:
    """Issue the approved list: its files open, their keepers are told."""
    _require(can_manage_files(user, file_list.unit_id), "Bạn không có quyền ban hành danh mục.")
    from congso.kernel.notifications.services import notify

    with transaction.atomic():
        file_list = _locked_list(file_list)
        if file_list.approved_at is None:
            raise DomainError(
                "file_list_not_approved", "Danh mục hồ sơ phải được phê duyệt trước khi ban hành."
            )
        if file_list.issued_at is not None:
            raise DomainError("file_list_issued", "Danh mục hồ sơ đã được ban hành.")
        now = timezone.now()
        file_list.issued_at = now
        file_list.issued_by = user
        file_list.save()
        File.objects.filter(file_list=file_list, opened_at__isnull=True).update(opened_at=now)
        audit_record(
            action="documents.file_list_issue",
            obj=file_list,
            actor=user,
            unit=file_list.unit_id,
            summary=f"Ban hành danh mục hồ sơ năm {file_list.year}",
        )
        keepers = User.objects.filter(
            pk__in=File.objects.filter(file_list=file_list, keeper__isnull=False).values(
                "keeper_id"
            )
        )
        notify(
            recipients=keepers,
            title=f"Danh mục hồ sơ năm {file_list.year} đã ban hành",
            body="Bạn được giao lập hồ sơ trong danh mục: hãy đưa văn bản vào hồ sơ khi giải "
            "quyết xong công việc.",
            url=_url("documents:filing_list", file_list.pk),
            obj=file_list,
        )
    return file_list


# --- headings --------------------------------------------------------------------------------


def _clean(text: Any, limit: int) -> str:
    value = unicodedata.normalize("NFC", " ".join(str(text or "").split()))
    return value[:limit]


def _clean_abbreviation(value: str) -> str:
    text = unicodedata.normalize("NFC", (value or "").strip()).upper()
    if not _ABBREVIATION.match(text):
        raise DomainError(
            "invalid_abbreviation",
            "Chữ viết tắt của đề mục gồm chữ in hoa và chữ số, không dấu cách (ví dụ TCCB).",
        )
    return text


def heading_create(
    *,
    user: Any,
    file_list: FileList,
    title: str,
    abbreviation: str = "",
    parent: FileHeading | None = None,
) -> FileHeading:
    """A top heading (with its abbreviation) or a sub-heading of a top heading."""
    _require(can_manage_files(user, file_list.unit_id), "Bạn không có quyền sửa danh mục hồ sơ.")
    title = _clean(title, 300)
    if not title:
        raise DomainError("heading_title_required", "Hãy nhập tên đề mục.")
    with transaction.atomic():
        file_list = _locked_list(file_list)
        _check_draft(file_list)
        if parent is not None:
            if parent.file_list_id != file_list.pk:
                raise DomainError("invalid_heading", "Đề mục lớn không thuộc danh mục này.")
            if parent.parent_id is not None:
                raise DomainError(
                    "invalid_heading", "Danh mục chỉ có hai cấp: đề mục lớn và đề mục nhỏ."
                )
            abbreviation = ""
        else:
            abbreviation = _clean_abbreviation(abbreviation)
            if FileHeading.objects.filter(
                file_list=file_list, parent__isnull=True, abbreviation=abbreviation
            ).exists():
                raise DomainError(
                    "duplicate_abbreviation", f"Chữ viết tắt {abbreviation} đã được dùng."
                )
        siblings = FileHeading.objects.filter(file_list=file_list, parent=parent)
        order = (siblings.aggregate(m=Max("order"))["m"] or 0) + 1
        heading = FileHeading.objects.create(
            file_list=file_list, parent=parent, order=order, title=title,
            abbreviation=abbreviation,
        )  # fmt: skip
        audit_record(
            action="documents.file_heading_create",
            obj=heading,
            actor=user,
            unit=file_list.unit_id,
            summary=f"Thêm đề mục {heading.number}. {title}",
        )
    return heading


def heading_update(
    *, user: Any, heading: FileHeading, title: str | None = None, abbreviation: str | None = None
) -> FileHeading:
    file_list = heading.file_list
    _require(can_manage_files(user, file_list.unit_id), "Bạn không có quyền sửa danh mục hồ sơ.")
    with transaction.atomic():
        _check_draft(_locked_list(file_list))
        changes: dict[str, list[str]] = {}
        if title is not None:
            new_title = _clean(title, 300)
            if not new_title:
                raise DomainError("heading_title_required", "Hãy nhập tên đề mục.")
            if new_title != heading.title:
                changes["title"] = [heading.title, new_title]
                heading.title = new_title
        if abbreviation is not None and heading.parent_id is None:
            new_abbr = _clean_abbreviation(abbreviation)
            if new_abbr != heading.abbreviation:
                if (
                    FileHeading.objects.filter(
                        file_list=file_list, parent__isnull=True, abbreviation=new_abbr
                    )
                    .exclude(pk=heading.pk)
                    .exists()
                ):
                    raise DomainError(
                        "duplicate_abbreviation", f"Chữ viết tắt {new_abbr} đã được dùng."
                    )
                changes["abbreviation"] = [heading.abbreviation, new_abbr]
                heading.abbreviation = new_abbr
        if changes:
            heading.save()
            if "abbreviation" in changes:
                _renumber(file_list)
            audit_record(
                action="documents.file_heading_update", obj=heading, actor=user,
                unit=file_list.unit_id, changes=changes, summary="Sửa đề mục",
            )  # fmt: skip
    return heading


def heading_delete(*, user: Any, heading: FileHeading) -> None:
    file_list = heading.file_list
    _require(can_manage_files(user, file_list.unit_id), "Bạn không có quyền sửa danh mục hồ sơ.")
    with transaction.atomic():
        _check_draft(_locked_list(file_list))
        if heading.children.exists() or heading.files.exists():
            raise DomainError(
                "heading_not_empty",
                "Đề mục còn đề mục nhỏ hoặc hồ sơ: chuyển hoặc xóa chúng trước.",
            )
        summary = f"Xóa đề mục {heading.number}. {heading.title}"
        audit_record(
            action="documents.file_heading_delete", obj=heading, actor=user,
            unit=file_list.unit_id, summary=summary,
        )  # fmt: skip
        parent = heading.parent
        heading.delete()
        for order, sibling in enumerate(
            FileHeading.objects.filter(file_list=file_list, parent=parent).order_by("order", "pk"),
            start=1,
        ):
            if sibling.order != order:
                FileHeading.objects.filter(pk=sibling.pk).update(order=order)
        _renumber(file_list)


# --- files -----------------------------------------------------------------------------------


def _top(heading: FileHeading) -> FileHeading:
    if heading.parent_id is None:
        return heading
    parent = heading.parent
    assert parent is not None
    return parent


def _notation(number: int, top: FileHeading) -> str:
    return f"{number:02d}.{top.abbreviation}"


def _scope(file_list: FileList, top: FileHeading) -> QuerySet[File]:
    files = File.objects.filter(file_list=file_list)
    if file_list.numbering == FileNumbering.HEADING:
        files = files.filter(Q(heading=top) | Q(heading__parent=top))
    return files


def _renumber(file_list: FileList) -> None:
    """Number the files again in list order (draft lists only: headings moved, deleted, the
    numbering scheme or an abbreviation changed). Two passes, so that the unique notation
    constraint never sees two files with the same notation."""
    headings = {h.pk: h for h in FileHeading.objects.filter(file_list=file_list)}

    def position(file: File) -> tuple[int, int, int, int]:
        heading = headings[file.heading_id]
        top = headings[heading.parent_id] if heading.parent_id else heading
        sub = heading.order if heading.parent_id else 0
        return (top.order, sub, file.number, file.pk)

    files = sorted(File.objects.filter(file_list=file_list), key=position)
    for file in files:
        File.objects.filter(pk=file.pk).update(notation=f"~{file.pk}")
    counters: dict[int | None, int] = {}
    for file in files:
        heading = headings[file.heading_id]
        top = headings[heading.parent_id] if heading.parent_id else heading
        key = top.pk if file_list.numbering == FileNumbering.HEADING else None
        counters[key] = counters.get(key, 0) + 1
        File.objects.filter(pk=file.pk).update(
            number=counters[key], notation=_notation(counters[key], top)
        )


def _retention(value: Any) -> int | None:
    if value in (None, "", "vinh-vien", "permanent", 0, "0"):
        return None
    try:
        years = int(value)
    except (TypeError, ValueError):
        raise DomainError("invalid_retention", "Thời hạn bảo quản không hợp lệ.") from None
    if not 1 <= years <= 100:
        raise DomainError("invalid_retention", "Thời hạn bảo quản phải từ 1 đến 100 năm.")
    return years


def _keeper(keeper: Any, unit_id: int) -> User | None:
    if keeper in (None, ""):
        return None
    user = keeper if isinstance(keeper, User) else User.objects.filter(pk=keeper).first()
    if user is None or not Position.objects.active().filter(user=user, unit_id=unit_id).exists():
        raise DomainError("invalid_keeper", "Người lập hồ sơ phải là cán bộ của cơ quan.")
    return user


def file_create(
    *,
    user: Any,
    heading: FileHeading,
    title: str,
    retention_years: Any = None,
    keeper: Any = None,
    access: str = AccessRegime.PUBLIC,
    note: str = "",
) -> File:
    """A new file under ``heading``, numbered next in its scope (e.g. "03.TCCB")."""
    file_list = heading.file_list
    _require(can_manage_files(user, file_list.unit_id), "Bạn không có quyền thêm hồ sơ.")
    title = _clean(title, 500)
    if not title:
        raise DomainError("file_title_required", "Hãy nhập tiêu đề hồ sơ.")
    if access not in AccessRegime.values:
        raise DomainError("invalid_access", "Chế độ sử dụng không hợp lệ.")
    years = _retention(retention_years)
    keeper_user = _keeper(keeper, file_list.unit_id)
    with transaction.atomic():
        file_list = _locked_list(file_list)
        top = _top(heading)
        if not top.abbreviation:
            raise DomainError("heading_abbreviation_required", "Đề mục lớn chưa có chữ viết tắt.")
        number = (_scope(file_list, top).aggregate(m=Max("number"))["m"] or 0) + 1
        file = File.objects.create(
            unit_id=file_list.unit_id,
            file_list=file_list,
            heading=heading,
            number=number,
            notation=_notation(number, top),
            title=title,
            retention_years=years,
            keeper=keeper_user,
            access=access,
            note=_clean(note, 500),
            opened_at=timezone.now() if file_list.issued_at else None,
            created_by=user,
        )
        audit_record(
            action="documents.file_create",
            obj=file,
            actor=user,
            summary=f"Thêm hồ sơ {file.notation}: {title}"
            + (" (bổ sung sau khi ban hành danh mục)" if file_list.issued_at else ""),
        )
    return file


def file_update(
    *,
    user: Any,
    file: File,
    title: str | None = None,
    retention_years: Any = ...,
    keeper: Any = ...,
    access: str | None = None,
    note: str | None = None,
) -> File:
    _require(can_manage_files(user, file.unit_id), "Bạn không có quyền sửa hồ sơ.")
    with transaction.atomic():
        file = File.objects.select_for_update().get(pk=file.pk)
        if file.status != FileStatus.OPEN:
            raise DomainError("file_closed", "Hồ sơ đã kết thúc: không sửa được.")
        changes: dict[str, list[Any]] = {}
        if title is not None:
            value = _clean(title, 500)
            if not value:
                raise DomainError("file_title_required", "Hãy nhập tiêu đề hồ sơ.")
            if value != file.title:
                changes["title"] = [file.title, value]
                file.title = value
        if retention_years is not ...:
            years = _retention(retention_years)
            if years != file.retention_years:
                changes["retention_years"] = [file.retention_years, years]
                file.retention_years = years
        if keeper is not ...:
            keeper_user = _keeper(keeper, file.unit_id)
            if (keeper_user.pk if keeper_user else None) != file.keeper_id:
                changes["keeper"] = [file.keeper_id, keeper_user.pk if keeper_user else None]
                file.keeper = keeper_user
        if access is not None and access != file.access:
            if access not in AccessRegime.values:
                raise DomainError("invalid_access", "Chế độ sử dụng không hợp lệ.")
            changes["access"] = [file.access, access]
            file.access = access
        if note is not None and _clean(note, 500) != file.note:
            changes["note"] = [file.note, _clean(note, 500)]
            file.note = _clean(note, 500)
        if changes:
            file.save()
            audit_record(
                action="documents.file_update", obj=file, actor=user, changes=changes,
                summary=f"Sửa hồ sơ {file.notation}",
            )  # fmt: skip
    return file


def file_delete(*, user: Any, file: File) -> None:
    """Remove a file from a draft list (the others are numbered again)."""
    _require(can_manage_files(user, file.unit_id), "Bạn không có quyền xóa hồ sơ.")
    with transaction.atomic():
        file_list = _locked_list(file.file_list)
        _check_draft(file_list)
        if FileEntry.objects.filter(file=file).exists():
            raise DomainError("file_not_empty", "Hồ sơ đã có văn bản: không xóa được.")
        audit_record(
            action="documents.file_delete", obj=file, actor=user,
            summary=f"Xóa hồ sơ {file.notation}: {file.title}",
        )  # fmt: skip
        file.delete()
        _renumber(file_list)


# --- documents in files ----------------------------------------------------------------------


def _refresh_totals(file: File) -> None:
    entries = list(FileEntry.objects.filter(file=file).select_related("incoming", "outgoing"))
    dates = [d for d in (_document_date(e.document) for e in entries if e.document) if d]
    File.objects.filter(pk=file.pk).update(
        start_date=min(dates) if dates else None,
        end_date=max(dates) if dates else None,
        page_total=sum(e.pages for e in entries),
    )
    file.refresh_from_db(fields=["start_date", "end_date", "page_total"])


def file_add_document(
    *,
    user: Any,
    file: File,
    document: Document,
    pages: int | None = None,
    note: str = "",
) -> FileEntry:
    """Put a document of the file's committee into an open file (next ordinal)."""
    _require(can_file_documents(user, file), "Bạn không có quyền đưa văn bản vào hồ sơ này.")
    if document.unit_id != file.unit_id:
        raise DomainError(
            "document_other_unit", "Văn bản không thuộc cơ quan lập hồ sơ.", status=400
        )
    if not _can_view_document(user, document):
        raise NotFound("Không tìm thấy văn bản.")
    if isinstance(document, OutgoingDocument):
        if document.number is None or document.status not in {
            OutgoingStatus.ISSUED,
            OutgoingStatus.RECALLED,
        }:
            raise DomainError(
                "document_not_issued", "Chỉ văn bản đi đã ban hành mới được đưa vào hồ sơ."
            )
    elif document.status == IncomingStatus.RECALLED:
        raise DomainError("document_recalled", "Văn bản đến đã bị thu hồi.")
    if pages is not None and (not isinstance(pages, int) or not 0 <= pages <= 30000):
        raise DomainError("invalid_pages", "Số trang không hợp lệ.")
    field = "incoming" if isinstance(document, IncomingDocument) else "outgoing"
    with transaction.atomic():
        file = File.objects.select_for_update().get(pk=file.pk)
        if file.status != FileStatus.OPEN:
            raise DomainError("file_closed", "Hồ sơ đã kết thúc: không thêm văn bản được.")
        if not FileList.objects.filter(pk=file.file_list_id, issued_at__isnull=False).exists():
            raise DomainError(
                "file_list_not_issued", "Danh mục hồ sơ chưa ban hành: hồ sơ chưa được mở."
            )
        if FileEntry.objects.filter(file=file, **{field: document}).exists():
            raise DomainError("document_already_filed", "Văn bản đã có trong hồ sơ này.")
        ordinal = (FileEntry.objects.filter(file=file).aggregate(m=Max("ordinal"))["m"] or 0) + 1
        entry = FileEntry.objects.create(
            file=file,
            ordinal=ordinal,
            pages=pages if pages is not None else (document.page_count or 0),
            note=_clean(note, 255),
            added_by=user,
            **{field: document},
        )
        _refresh_totals(file)
        audit_record(
            action="documents.file_add_document",
            obj=file,
            actor=user,
            changes={"document": [None, f"{field}:{document.pk}"], "ordinal": [None, ordinal]},
            summary=f"Đưa văn bản {document.notation or document.pk} vào hồ sơ {file.notation}",
        )
    return entry


def file_remove_document(*, user: Any, entry: FileEntry) -> None:
    file = entry.file
    _require(can_file_documents(user, file), "Bạn không có quyền sửa hồ sơ này.")
    with transaction.atomic():
        file = File.objects.select_for_update().get(pk=file.pk)
        if file.status != FileStatus.OPEN:
            raise DomainError("file_closed", "Hồ sơ đã kết thúc: không bớt văn bản được.")
        document = entry.document
        audit_record(
            action="documents.file_remove_document",
            obj=file,
            actor=user,
            changes={"ordinal": [entry.ordinal, None]},
            summary=f"Bỏ văn bản {getattr(document, 'notation', '') or entry.pk} khỏi hồ sơ "
            f"{file.notation}",
        )
        entry.delete()
        for ordinal, row in enumerate(
            FileEntry.objects.filter(file=file).order_by("ordinal", "pk"), start=1
        ):
            if row.ordinal != ordinal:
                FileEntry.objects.filter(pk=row.pk).update(ordinal=ordinal)
        _refresh_totals(file)


def file_close(*, user: Any, file: File, closing_note: str) -> File:
    """Close the file when the work ends, with its closing note (Art. 29)."""
    _require(can_close_file(user, file), "Bạn không có quyền kết thúc hồ sơ này.")
    closing_note = unicodedata.normalize("NFC", (closing_note or "").strip())
    if not closing_note:
        raise DomainError(
            "closing_note_required",
            "Hãy ghi chứng từ kết thúc hồ sơ (số tờ, tình trạng, đặc điểm của văn bản).",
        )
    with transaction.atomic():
        file = File.objects.select_for_update().get(pk=file.pk)
        if file.status != FileStatus.OPEN:
            raise DomainError("file_closed", "Hồ sơ đã kết thúc.")
        if not FileEntry.objects.filter(file=file).exists():
            raise DomainError("file_empty", "Hồ sơ chưa có văn bản nào.")
        _refresh_totals(file)
        file.status = FileStatus.CLOSED
        file.closed_at = timezone.now()
        file.closed_by = user
        file.closing_note = closing_note[:5000]
        file.save()
        audit_record(
            action="documents.file_close",
            obj=file,
            actor=user,
            summary=f"Kết thúc hồ sơ {file.notation}",
        )
    return file


def file_reopen(*, user: Any, file: File, reason: str) -> File:
    """A leader reopens a closed file not yet deposited (a document was forgotten)."""
    _require(can_approve_file_list(user, file.unit_id), "Chỉ lãnh đạo cơ quan được mở lại hồ sơ.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "Hãy ghi lý do mở lại hồ sơ.")
    with transaction.atomic():
        file = File.objects.select_for_update().get(pk=file.pk)
        if file.status != FileStatus.CLOSED or file.deposited_at:
            raise DomainError("file_not_closed", "Chỉ mở lại được hồ sơ đã kết thúc, chưa nộp lưu.")
        file.status = FileStatus.OPEN
        file.closed_at = None
        file.closed_by = None
        file.deposit_reminded_at = None
        file.save()
        audit_record(
            action="documents.file_reopen", obj=file, actor=user,
            summary=f"Mở lại hồ sơ {file.notation}: {reason[:200]}",
        )  # fmt: skip
    return file


# --- deposit ---------------------------------------------------------------------------------


def must_deposit(file: File) -> bool:
    """Only files kept 5 years or more (or permanently) go to the archive (Art. 31)."""
    return file.retention_years is None or file.retention_years >= DEPOSIT_MIN_YEARS


def deposit_due_on(file: File) -> dt.date | None:
    """A year after the work ends (the file is closed); None when it need not be deposited."""
    if not must_deposit(file) or file.closed_at is None or file.deposited_at is not None:
        return None
    return timezone.localtime(file.closed_at).date() + dt.timedelta(days=DEPOSIT_AFTER_DAYS)


def _deposit_candidates() -> QuerySet[File]:
    return File.objects.filter(
        Q(retention_years__isnull=True) | Q(retention_years__gte=DEPOSIT_MIN_YEARS),
        status=FileStatus.CLOSED,
        deposited_at__isnull=True,
    )


def _closed_before(day: dt.date) -> dt.datetime:
    """Files closed before this moment are due for deposit on or before ``day``."""
    closed_day = day - dt.timedelta(days=DEPOSIT_AFTER_DAYS) + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(closed_day, dt.time.min))


def files_due_for_deposit(
    unit: AdminUnit | int, *, on: dt.date | None = None, within_days: int = DEPOSIT_NOTICE_DAYS
) -> list[tuple[File, dt.date]]:
    """Files of the committee due for deposit by ``on + within_days`` (overdue ones included),
    with their due dates, earliest first."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    day = (on or timezone.localdate()) + dt.timedelta(days=within_days)
    files = (
        _deposit_candidates()
        .filter(unit_id=unit_id, closed_at__lt=_closed_before(day))
        .select_related("keeper", "file_list")
        .order_by("closed_at", "pk")
    )
    out = []
    for file in files:
        due = deposit_due_on(file)
        if due is not None:
            out.append((file, due))
    return out


def files_deposit_remind(*, today: dt.date | None = None) -> int:
    """Notify keepers and the committee's clerks of files due for deposit within 30 days (once
    per file). Run daily (a background task); returns the number of files reminded."""
    from congso.kernel.notifications.services import notify

    day = (today or timezone.localdate()) + dt.timedelta(days=DEPOSIT_NOTICE_DAYS)
    reminded = 0
    files = list(
        _deposit_candidates()
        .filter(closed_at__lt=_closed_before(day), deposit_reminded_at__isnull=True)
        .select_related("keeper")
        .order_by("unit_id", "closed_at", "pk")
    )
    clerks_by_unit: dict[int, list[User]] = {}
    for file in files:
        due = deposit_due_on(file)
        if due is None:
            continue
        if file.unit_id not in clerks_by_unit:
            clerks_by_unit[file.unit_id] = list(
                User.objects.filter(
                    pk__in=Position.objects.active()
                    .filter(unit_id=file.unit_id, role=Role.CLERK)
                    .values("user_id"),
                    is_active=True,
                )
            )
        recipients = {u.pk: u for u in clerks_by_unit[file.unit_id]}
        if file.keeper is not None and file.keeper.is_active:
            recipients[file.keeper.pk] = file.keeper
        with transaction.atomic():
            updated = File.objects.filter(pk=file.pk, deposit_reminded_at__isnull=True).update(
                deposit_reminded_at=timezone.now()
            )
            if not updated:
                continue
            notify(
                recipients=list(recipients.values()),
                title=f"Hồ sơ {file.notation} đến hạn nộp lưu ngày {due:%d/%m/%Y}",
                body=f"{file.title}. Thời hạn bảo quản: {file.retention_label}. Nộp lưu vào "
                "Lưu trữ cơ quan trong thời hạn 01 năm kể từ khi công việc kết thúc "
                "(Điều 30 Nghị định 30/2020/NĐ-CP).",
                url=_url("documents:filing_file", file.pk),
                level="warning",
                obj=file,
            )
            audit_record(
                action="documents.file_deposit_reminder",
                obj=file,
                summary=f"Nhắc nộp lưu hồ sơ {file.notation} (hạn {due:%d/%m/%Y})",
            )
        reminded += 1
    return reminded


def file_mark_deposited(*, user: Any, file: File) -> File:
    """Record that the file was handed to the archive (after its export was delivered)."""
    _require(can_manage_files(user, file.unit_id), "Bạn không có quyền ghi nhận nộp lưu.")
    with transaction.atomic():
        file = File.objects.select_for_update().get(pk=file.pk)
        if file.status != FileStatus.CLOSED:
            raise DomainError("file_not_closed", "Chỉ nộp lưu được hồ sơ đã kết thúc.")
        if file.deposited_at is not None:
            raise DomainError("file_deposited", "Hồ sơ đã được nộp lưu.")
        file.deposited_at = timezone.now()
        file.save(update_fields=["deposited_at"])
        audit_record(
            action="documents.file_deposit", obj=file, actor=user,
            summary=f"Nộp lưu hồ sơ {file.notation}",
        )  # fmt: skip
    return file


# --- export for deposit ----------------------------------------------------------------------


def file_code(file: File) -> str:
    """App. VI §III FileCode: the organisation code, the year of the file list and the file's
    number and notation, e.g. "H26.TEST.103.2026.01.TCCB"."""
    organ = file.unit.org_code or file.unit.code
    return f"{organ}.{file.file_list.year}.{file.notation}"


def _vn(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _code_parts(document: Document) -> tuple[str, str]:
    """App. VI CodeNumber / CodeNotation: "15" and "QĐ-UBND" from "15/QĐ-UBND"."""
    if isinstance(document, IncomingDocument) and (document.code_number or document.code_notation):
        return document.code_number, document.code_notation
    number, _slash, notation = (document.notation or "").partition("/")
    return number.strip(), notation.strip()


def _stored_pdfs(documents: Sequence[Document]) -> dict[tuple[str, int], list[Any]]:
    """The PDFs that stand for each document in the archive, in order (a handful of queries):

    - an outgoing document: its issued original (signed by the organisation) and its signed
      attachments; before those exist (a legacy one), the PDFs attached to it;
    - an incoming document: for each file received, its searchable copy (PDF/A made by the
      digitisation) when there is one, else the file itself if it is a PDF.
    """
    from congso.kernel.files.models import StoredFile

    out: dict[tuple[str, int], list[Any]] = {}
    owned: dict[tuple[str, int], list[Any]] = {}
    for model, kind in ((IncomingDocument, "incoming"), (OutgoingDocument, "outgoing")):
        ids = [str(d.pk) for d in documents if isinstance(d, model)]
        if not ids:
            continue
        content_type = ContentType.objects.get_for_model(model)
        for stored in StoredFile.objects.filter(owner_type=content_type, owner_id__in=ids).order_by(
            "created_at", "pk"
        ):
            owned.setdefault((kind, int(stored.owner_id)), []).append(stored)
    outgoing = [d for d in documents if isinstance(d, OutgoingDocument)]
    signed_attachments: dict[int, list[Any]] = {}
    if outgoing:
        from congso.documents.models import OutgoingAttachment

        for attachment in (
            OutgoingAttachment.objects.filter(document__in=outgoing, signed_file__isnull=False)
            .select_related("signed_file")
            .order_by("order", "pk")
        ):
            signed_attachments.setdefault(attachment.document_id, []).append(attachment.signed_file)
    issued_ids = {d.issued_file_id for d in outgoing if d.issued_file_id}
    issued = {f.pk: f for f in StoredFile.objects.filter(pk__in=issued_ids)} if issued_ids else {}
    for document in outgoing:
        key = ("outgoing", document.pk)
        if document.issued_file_id and document.issued_file_id in issued:
            out[key] = [issued[document.issued_file_id], *signed_attachments.get(document.pk, [])]
        else:
            out[key] = [f for f in owned.get(key, []) if f.kind == "pdf"]
    incoming_files = [
        f for (kind, _pk), files in owned.items() if kind == "incoming" for f in files
    ]
    copies: dict[int, Any] = {}
    copy_ids: set[int] = set()
    try:
        from congso.kernel.ocr.services import copies_by_original, searchable_copy_ids
    except ImportError:  # pragma: no cover - the digitisation module is part of the kernel
        pass
    else:
        if incoming_files:
            copies = copies_by_original(incoming_files)
            copy_ids = searchable_copy_ids(incoming_files)
    for (kind, pk), files in owned.items():
        if kind != "incoming":
            continue
        chosen = []
        for stored in files:
            if stored.pk in copy_ids:
                continue  # a copy, taken with its original below
            copy = copies.get(stored.pk)
            if copy is not None:
                chosen.append(copy.searchable)
            elif stored.kind == "pdf":
                chosen.append(stored)
        out[(kind, pk)] = chosen
    return out


def _safe_part(text: str) -> str:
    folded = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9.-]+", "-", ascii_text).strip("-")[:60] or "van-ban"


def file_metadata_xml(file: File, rows: list[dict[str, Any]], names: dict[int, list[str]]) -> bytes:
    """The file's metadata (App. VI §III) and each document's (App. VI §I/§II) as XML."""
    from lxml import etree

    def add(parent: Any, tag: str, value: Any) -> Any:
        element = etree.SubElement(parent, tag)
        element.text = "" if value is None else str(value)
        return element

    root = etree.Element("File")
    code = file_code(file)
    add(root, "FileCode", code)
    add(root, "OrganId", file.unit.org_code)
    add(root, "FileCatalog", file.file_list.year)
    add(root, "FileNotation", file.notation)
    add(root, "Title", file.title)
    add(root, "Maintenance", file.retention_label)
    add(root, "Rights", file.get_access_display())
    add(root, "Creator", file.keeper.get_full_name() if file.keeper else "")
    add(root, "Language", file.language)
    add(root, "StartDate", _vn(file.start_date))
    add(root, "EndDate", _vn(file.end_date))
    add(root, "DocTotal", len(rows))
    add(root, "PageTotal", file.page_total)
    add(root, "Description", file.closing_note or file.note)
    documents = etree.SubElement(root, "Documents")
    for row in rows:
        document: Document = row["document"]
        number, notation = _code_parts(document)
        item = etree.SubElement(documents, "Document", kind=row["kind"])
        add(item, "FileCode", code)
        add(item, "DocOrdinal", row["ordinal"])
        add(item, "TypeName", document.document_type.name)
        add(item, "CodeNumber", number)
        add(item, "CodeNotation", notation)
        add(item, "IssuedDate", _vn(document.issued_date))
        add(item, "OrganName", _document_author(document))
        add(item, "Subject", document.subject)
        add(item, "Language", "Tiếng Việt")
        add(item, "PageAmount", row["pages"])
        add(item, "Description", row["note"])
        if isinstance(document, IncomingDocument):
            add(item, "ArrivalDate", _vn(timezone.localtime(document.arrived_at).date()))
            add(item, "ArrivalNumber", document.arrival_number)
            signer = ", ".join(p for p in (document.signer_position, document.signer_name) if p)
        else:
            signer_name = (
                document.signer.get_full_name() if document.signer_id and document.signer else ""
            )
            signer = ", ".join(p for p in (document.signer_title, signer_name) if p)
            add(item, "IssuedAmount", document.copies)
        add(item, "SignerInfo", signer)
        add(item, "Priority", document.urgency)
        add(item, "Secrecy", document.secrecy)
        add(item, "DueDate", _vn(document.reply_by))
        files_element = etree.SubElement(item, "Attachments")
        for name in names.get(row["ordinal"], []):
            etree.SubElement(files_element, "Attachment", name=name)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def archive_list_pdf(files: Sequence[File], *, unit: AdminUnit) -> bytes:
    """Mục lục hồ sơ, tài liệu nộp lưu (Art. 30): No. | Số, ký hiệu hồ sơ | Tiêu đề | Thời gian
    tài liệu | Thời hạn bảo quản | Số tờ/số trang | Ghi chú."""
    from congso.kernel.pdf import render_pdf

    return render_pdf(
        "documents/filing/pdf_archive_list.html",
        {"files": files, "committee": unit.display_committee, "today": timezone.localdate()},
    )


def document_list_pdf(file: File, rows: list[dict[str, Any]]) -> bytes:
    """Mục lục văn bản (App. V §IV) of one file."""
    from congso.kernel.pdf import render_pdf

    return render_pdf(
        "documents/filing/pdf_document_list.html",
        {"file": file, "rows": rows, "code": file_code(file),
         "committee": file.unit.display_committee},
    )  # fmt: skip


def file_list_pdf(file_list: FileList) -> bytes:
    """The file list for signing (Art. 28): Số và ký hiệu hồ sơ | Tên đề mục và tiêu đề hồ sơ |
    Thời hạn bảo quản | Người lập hồ sơ | Ghi chú."""
    from congso.kernel.pdf import render_pdf

    return render_pdf(
        "documents/filing/pdf_file_list.html",
        {"file_list": file_list, "tree": file_list_tree(file_list),
         "committee": file_list.unit.display_committee, "today": timezone.localdate()},
    )  # fmt: skip


def files_export_for_deposit(*, user: Any, files: Iterable[File]) -> bytes:
    """A ZIP for the archive: per file a folder with the documents' PDFs, ``metadata.xml`` and
    the list of documents (PDF); at the top the archive list of all the files (PDF).

    Only closed files, of one committee, by someone who may export them and whose clearance
    covers every document in them. Audited."""
    from congso.kernel.files.services import file_open

    wanted = [f.pk for f in files]
    fresh = {
        f.pk: f
        for f in File.objects.select_related("unit", "file_list", "keeper").filter(pk__in=wanted)
    }
    chosen = [fresh[pk] for pk in dict.fromkeys(wanted) if pk in fresh]
    if not chosen:
        raise DomainError("no_files", "Chưa chọn hồ sơ nào.")
    units = {f.unit_id for f in chosen}
    if len(units) != 1:
        raise DomainError("mixed_units", "Chỉ xuất cùng lúc hồ sơ của một cơ quan.")
    for file in chosen:
        _require(can_export_file(user, file), f"Bạn không có quyền xuất hồ sơ {file.notation}.")
        if file.status != FileStatus.CLOSED:
            raise DomainError(
                "file_not_closed", f"Hồ sơ {file.notation} chưa kết thúc: chưa nộp lưu được."
            )
    unit = chosen[0].unit
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("muc-luc-ho-so-nop-luu.pdf", archive_list_pdf(chosen, unit=unit))
        for file in chosen:
            rows = file_document_rows(file, user)
            if any(row["hidden"] for row in rows):
                raise PermissionDenied(
                    f"Hồ sơ {file.notation} có văn bản mật vượt mức bạn được tiếp cận."
                )
            folder = _safe_part(file_code(file))
            stored = _stored_pdfs([row["document"] for row in rows])
            names: dict[int, list[str]] = {}
            for row in rows:
                document = row["document"]
                pdfs = stored.get((row["kind"], document.pk), [])
                for index, pdf in enumerate(pdfs, start=1):
                    suffix = f"-{index}" if len(pdfs) > 1 else ""
                    name = (
                        f"van-ban/{row['ordinal']:03d}-"
                        f"{_safe_part(document.notation or str(document.pk))}{suffix}.pdf"
                    )
                    with file_open(pdf) as handle:
                        archive.writestr(f"{folder}/{name}", handle.read())
                    names.setdefault(row["ordinal"], []).append(name)
            archive.writestr(f"{folder}/metadata.xml", file_metadata_xml(file, rows, names))
            archive.writestr(f"{folder}/muc-luc-van-ban.pdf", document_list_pdf(file, rows))
    with transaction.atomic():
        for file in chosen:
            audit_record(
                action="documents.file_export",
                obj=file,
                actor=user,
                summary=f"Xuất hồ sơ {file.notation} để nộp lưu",
            )
    return buffer.getvalue()


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
