"""Files (hồ sơ): the yearly file list, files and their documents, closing, deposit export.

Thin views over ``services/filing.py``: parse the form, call one service, show the result or the
service's message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congso.documents.models import (
    AccessRegime,
    File,
    FileEntry,
    FileHeading,
    FileNumbering,
    IncomingDocument,
    OutgoingDocument,
)
from congso.documents.services import filing as svc
from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.files.responses import content_disposition
from congso.kernel.notifications.views import is_local_url
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Position
from congso.kernel.people.selectors import visible_unit_ids


def _http(exc: DomainError) -> Exception:
    if isinstance(exc, PermissionDenied):
        return HttpForbidden(exc.message)
    if isinstance(exc, NotFound):
        return Http404(exc.message)
    return exc


def _unit(request: HttpRequest) -> AdminUnit:
    raw = request.GET.get("unit") or request.POST.get("unit")
    position = getattr(request, "position", None)
    unit_id: int | None
    try:
        unit_id = int(raw) if raw else (position.unit_id if position else None)
    except ValueError:
        unit_id = None
    if unit_id is None or not svc.can_view_files(request.user, unit_id):
        raise Http404("Không tìm thấy cơ quan.")
    unit = AdminUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404("Không tìm thấy cơ quan.")
    return unit


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    lists = list(svc.file_lists_for(request.user, unit))
    year = timezone.localdate().year
    units = AdminUnit.objects.filter(pk__in=visible_unit_ids(request.user), is_served=True)
    return render(
        request,
        "documents/filing/index.html",
        {
            "unit": unit,
            "units": list(units.order_by("name")[:200]),
            "lists": lists,
            "can_manage": svc.can_manage_files(request.user, unit),
            "next_year": year + 1 if any(fl.year == year for fl in lists) else year,
            "due": svc.files_due_for_deposit(unit),
            "my_files": list(
                File.objects.filter(unit=unit, keeper_id=request.user.pk, status="open")
                .select_related("file_list")
                .order_by("-file_list__year", "number")[:50]
            ),
            "numbering_choices": FileNumbering.choices,
        },
    )


@login_required
@require_POST
def list_create(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    year = _int(request.POST.get("year"))
    try:
        file_list = svc.file_list_create(
            user=request.user,
            unit=unit,
            year=year if year is not None else -1,
            numbering=request.POST.get("numbering") or FileNumbering.LIST,
            copy_from_previous=request.POST.get("copy_from_previous") == "1",
        )
    except DomainError as exc:
        if isinstance(exc, PermissionDenied | NotFound):
            raise _http(exc) from exc
        messages.error(request, exc.message)
        return redirect(f"{reverse('documents:filing_index')}?unit={unit.pk}")
    messages.success(request, f"Đã lập {file_list}.")
    return redirect("documents:filing_list", pk=file_list.pk)


@login_required
@require_GET
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        file_list = svc.file_list_get(request.user, pk)
    except DomainError as exc:
        raise _http(exc) from exc
    if request.GET.get("format") == "pdf":
        from congso.kernel.pdf import pdf_response

        return pdf_response(
            svc.file_list_pdf(file_list), filename=f"danh-muc-ho-so-{file_list.year}.pdf"
        )
    tree = svc.file_list_tree(file_list)
    staff = (
        Position.objects.active()
        .filter(unit_id=file_list.unit_id)
        .select_related("user")
        .order_by("user__full_name")
    )
    keepers = {p.user_id: p.user for p in staff if p.user.is_active}
    return render(
        request,
        "documents/filing/list.html",
        {
            "file_list": file_list,
            "tree": tree,
            "can_manage": svc.can_manage_files(request.user, file_list.unit_id),
            "can_approve": svc.can_approve_file_list(request.user, file_list.unit_id),
            "keepers": sorted(keepers.values(), key=lambda u: u.get_full_name()),
            "access_choices": AccessRegime.choices,
            "numbering_choices": FileNumbering.choices,
            "retention_choices": [5, 10, 15, 20, 30, 50, 70],
        },
    )


def _heading(file_list_pk: int, raw: Any) -> FileHeading | None:
    key = _int(raw)
    if key is None:
        return None
    return (
        FileHeading.objects.select_related("file_list", "parent")
        .filter(pk=key, file_list_id=file_list_pk)
        .first()
    )


@login_required
@require_POST
def list_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        file_list = svc.file_list_get(request.user, pk)
    except DomainError as exc:
        raise _http(exc) from exc
    data = request.POST
    user = request.user
    try:
        if action == "approve":
            svc.file_list_approve(
                user=user, file_list=file_list, decision_notation=data.get("decision_notation", "")
            )
            messages.success(request, "Đã phê duyệt danh mục hồ sơ.")
        elif action == "issue":
            svc.file_list_issue(user=user, file_list=file_list)
            messages.success(request, "Đã ban hành danh mục hồ sơ: các hồ sơ đã được mở.")
        elif action == "update":
            svc.file_list_update(
                user=user,
                file_list=file_list,
                title=data.get("title"),
                numbering=data.get("numbering") or None,
            )
            messages.success(request, "Đã lưu danh mục hồ sơ.")
        elif action == "heading":
            parent = _heading(file_list.pk, data.get("parent"))
            created = svc.heading_create(
                user=user,
                file_list=file_list,
                title=data.get("title", ""),
                abbreviation=data.get("abbreviation", ""),
                parent=parent,
            )
            messages.success(request, f"Đã thêm đề mục {created.number}. {created.title}.")
        elif action in {"heading-update", "heading-delete"}:
            chosen = _heading(file_list.pk, data.get("heading"))
            if chosen is None:
                raise Http404("Không tìm thấy đề mục.")
            if action == "heading-delete":
                svc.heading_delete(user=user, heading=chosen)
                messages.success(request, "Đã xóa đề mục.")
            else:
                svc.heading_update(
                    user=user,
                    heading=chosen,
                    title=data.get("title"),
                    abbreviation=data.get("abbreviation") if chosen.is_top else None,
                )
                messages.success(request, "Đã sửa đề mục.")
        elif action == "file":
            under = _heading(file_list.pk, data.get("heading"))
            if under is None:
                raise DomainError("heading_required", "Hãy chọn đề mục cho hồ sơ.")
            file = svc.file_create(
                user=user,
                heading=under,
                title=data.get("title", ""),
                retention_years=data.get("retention_years") or None,
                keeper=_int(data.get("keeper")),
                access=data.get("access") or AccessRegime.PUBLIC,
                note=data.get("note", ""),
            )
            messages.success(request, f"Đã thêm hồ sơ {file.notation}.")
        else:
            raise Http404("Không có thao tác này.")
    except DomainError as exc:
        if isinstance(exc, PermissionDenied | NotFound):
            raise _http(exc) from exc
        messages.error(request, exc.message)
    return redirect("documents:filing_list", pk=file_list.pk)


@login_required
@require_GET
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        file = svc.file_get(request.user, pk)
    except DomainError as exc:
        raise _http(exc) from exc
    rows = svc.file_document_rows(file, request.user)
    if request.GET.get("format") == "pdf":
        from congso.kernel.pdf import pdf_response

        return pdf_response(
            svc.document_list_pdf(file, rows), filename=f"muc-luc-van-ban-{file.notation}.pdf"
        )
    staff = (
        Position.objects.active()
        .filter(unit_id=file.unit_id)
        .select_related("user")
        .order_by("user__full_name")
    )
    keepers = {p.user_id: p.user for p in staff if p.user.is_active}
    return render(
        request,
        "documents/filing/file.html",
        {
            "file": file,
            "rows": rows,
            "code": svc.file_code(file),
            "can_file": svc.can_file_documents(request.user, file),
            "can_manage": svc.can_manage_files(request.user, file.unit_id),
            "can_reopen": svc.can_approve_file_list(request.user, file.unit_id),
            "deposit_due": svc.deposit_due_on(file),
            "must_deposit": svc.must_deposit(file),
            "keepers": sorted(keepers.values(), key=lambda u: u.get_full_name()),
            "access_choices": AccessRegime.choices,
        },
    )


@login_required
@require_POST
def file_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        file = svc.file_get(request.user, pk)
    except DomainError as exc:
        raise _http(exc) from exc
    data = request.POST
    user = request.user
    target = reverse("documents:filing_file", args=[file.pk])
    try:
        if action == "close":
            svc.file_close(user=user, file=file, closing_note=data.get("closing_note", ""))
            messages.success(request, f"Đã kết thúc hồ sơ {file.notation}.")
        elif action == "reopen":
            svc.file_reopen(user=user, file=file, reason=data.get("reason", ""))
            messages.success(request, f"Đã mở lại hồ sơ {file.notation}.")
        elif action == "deposited":
            svc.file_mark_deposited(user=user, file=file)
            messages.success(request, f"Đã ghi nhận nộp lưu hồ sơ {file.notation}.")
        elif action == "update":
            svc.file_update(
                user=user,
                file=file,
                title=data.get("title"),
                retention_years=data.get("retention_years") or None,
                keeper=_int(data.get("keeper")),
                access=data.get("access") or None,
                note=data.get("note"),
            )
            messages.success(request, "Đã lưu hồ sơ.")
        elif action == "delete":
            list_pk = file.file_list_id
            svc.file_delete(user=user, file=file)
            messages.success(request, "Đã xóa hồ sơ khỏi danh mục.")
            target = reverse("documents:filing_list", args=[list_pk])
        elif action == "remove":
            entry_pk = _int(data.get("entry"))
            entry = (
                FileEntry.objects.filter(pk=entry_pk, file=file).first()
                if entry_pk is not None
                else None
            )
            if entry is None:
                raise Http404("Không tìm thấy văn bản trong hồ sơ.")
            svc.file_remove_document(user=user, entry=entry)
            messages.success(request, "Đã bỏ văn bản khỏi hồ sơ.")
        else:
            raise Http404("Không có thao tác này.")
    except DomainError as exc:
        if isinstance(exc, PermissionDenied | NotFound):
            raise _http(exc) from exc
        messages.error(request, exc.message)
    return redirect(target)


@login_required
@require_GET
def file_export(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        file = svc.file_get(request.user, pk)
        data = svc.files_export_for_deposit(user=request.user, files=[file])
    except DomainError as exc:
        if isinstance(exc, PermissionDenied | NotFound):
            raise _http(exc) from exc
        messages.error(request, exc.message)
        return redirect("documents:filing_file", pk=pk)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = content_disposition(
        f"nop-luu-{svc.file_code(file)}.zip", inline=False
    )
    response["Content-Length"] = str(len(data))
    response["Cache-Control"] = "private, no-store"
    return response


# --- "add to file" on the document pages ------------------------------------------------------


def _document(kind: str | None, raw: Any) -> IncomingDocument | OutgoingDocument:
    key = _int(raw)
    model: type[IncomingDocument] | type[OutgoingDocument]
    if kind == "incoming":
        model = IncomingDocument
    elif kind == "outgoing":
        model = OutgoingDocument
    else:
        raise Http404("Không tìm thấy văn bản.")
    document = model.objects.select_related("unit").filter(pk=key).first() if key else None
    if document is None:
        raise Http404("Không tìm thấy văn bản.")
    return document


@login_required
@require_http_methods(["GET", "POST"])
def add_document(request: HttpRequest) -> HttpResponse:
    """GET: the form (an htmx fragment for ``_add_to_file.html``); POST: add the document."""
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind")
    document = _document(kind, data.get("document"))
    if not svc._can_view_document(request.user, document):
        raise Http404("Không tìm thấy văn bản.")
    error = ""
    added: FileEntry | None = None
    if request.method == "POST":
        file_pk = _int(data.get("file"))
        file = (
            File.objects.select_related("file_list", "unit").filter(pk=file_pk).first()
            if file_pk is not None
            else None
        )
        try:
            if file is None or not svc.can_view_files(request.user, file.unit_id):
                raise DomainError("file_required", "Hãy chọn hồ sơ.")
            pages = _int(data.get("pages")) if data.get("pages") else None
            added = svc.file_add_document(
                user=request.user, file=file, document=document, pages=pages,
                note=data.get("note", ""),
            )  # fmt: skip
        except DomainError as exc:
            error = exc.message
        if not getattr(request, "htmx", False):
            next_url = data.get("next", "")
            if error:
                messages.error(request, error)
            elif added is not None:
                messages.success(request, f"Đã đưa văn bản vào hồ sơ {added.file.notation}.")
            if is_local_url(next_url):
                return HttpResponseRedirect(next_url)
            return (
                redirect("documents:filing_file", pk=added.file_id)
                if added
                else redirect("documents:filing_index")
            )
    fragment = bool(getattr(request, "htmx", False))
    return render(
        request,
        "documents/filing/_add_to_file_form.html" if fragment else "documents/filing/add.html",
        {
            "document": document,
            "kind": kind,
            "files": svc.open_files_for_document(request.user, document),
            "entries": svc.document_files(document),
            "error": error,
            "added": added,
            "next": data.get("next", ""),
        },
    )


# --- menu, home page, file access (called from DocumentsConfig.ready) --------------------------


def deposit_due_item(user: Any, position: Any) -> Any:
    """Home page: files of the current committee due for deposit within 30 days."""
    from congso.kernel.core.home import WorkItem

    if position is None:
        return None
    due = svc.files_due_for_deposit(position.unit_id)
    today = timezone.localdate()
    return WorkItem(
        title="Hồ sơ đến hạn nộp lưu",
        count=len(due),
        overdue=sum(1 for _file, day in due if day < today),
        url=f"{reverse('documents:filing_index')}?unit={position.unit_id}",
        empty_text="Không có hồ sơ nào đến hạn nộp lưu trong 30 ngày tới.",
    )


def register_registers_and_files() -> None:
    """Menu entries "Sổ văn bản" and "Hồ sơ", the deposit item of the home page, and the access
    rule of background-printed registers."""
    from congso.documents.models import RegisterExport
    from congso.documents.services.registers import can_read_register_export
    from congso.kernel.core.home import register_work_items
    from congso.kernel.core.navigation import NavItem, register_nav
    from congso.kernel.files.rules import register_access_rule
    from congso.kernel.people.models import Role

    register_nav(
        NavItem(
            key="documents.registers",
            label="Sổ văn bản",
            url_name="documents:registers_index",
            roles=frozenset({Role.CLERK, Role.LEADER, Role.ADMIN}),
            order=30,
            description="Sổ đăng ký văn bản đến, đi, sổ theo dõi giải quyết; báo cáo; in, xuất.",
        )
    )
    register_nav(
        NavItem(
            key="documents.files",
            label="Hồ sơ",
            url_name="documents:filing_index",
            roles=frozenset({Role.CLERK, Role.LEADER, Role.ADMIN, Role.SPECIALIST, Role.INSPECTOR}),
            order=31,
            description="Danh mục hồ sơ năm, lập hồ sơ, kết thúc và nộp lưu.",
        )
    )
    register_work_items(
        "documents.files.deposit_due", deposit_due_item, roles={Role.CLERK}, order=40
    )
    register_access_rule(RegisterExport, can_read_register_export)
