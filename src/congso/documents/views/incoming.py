"""HTML pages of incoming documents: list, register, detail with the workflow forms, my work,
and the printable ĐẾN stamp and handling slip. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import importlib.util
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congso.documents import rules, selectors
from congso.documents.forms import (
    IncomingAssignForm,
    IncomingCompleteForm,
    IncomingFilterForm,
    IncomingPresentForm,
    IncomingProgressForm,
    IncomingRegisterForm,
    add_domain_error,
)
from congso.documents.models import Assignment, AssignmentStatus, IncomingDocument
from congso.documents.services import incoming as services
from congso.kernel.errors import DomainError, NotFound
from congso.kernel.errors import PermissionDenied as DomainPermissionDenied
from congso.kernel.numbering.services import format_number

TEMPLATES = "documents/incoming"


def _position_unit_id(request: HttpRequest) -> int | None:
    position = getattr(request, "position", None)
    return position.unit_id if position is not None else None


def _document(request: HttpRequest, pk: int) -> IncomingDocument:
    try:
        return selectors.incoming_get(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _secret_read(request: HttpRequest, document: IncomingDocument, what: str) -> None:
    if document.secrecy > 0:
        services.incoming_secret_read(document=document, user=request.user, what=what)


def pdf_available() -> bool:
    return importlib.util.find_spec("congso.kernel.pdf") is not None


# --- list ------------------------------------------------------------------------------------


@require_GET
@login_required
def incoming_list(request: HttpRequest) -> HttpResponse:
    form = IncomingFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    scope = selectors.incoming_scope(request.user)
    try:
        page = selectors.incoming_page(
            request.user, filters=filters, cursor=request.GET.get("cursor") or None, scope=scope
        )
    except DomainError:  # a hand-edited cursor: start again
        page = selectors.incoming_page(request.user, filters=filters, scope=scope)
    query = request.GET.copy()
    query.pop("cursor", None)
    unit_id = _position_unit_id(request)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "today": timezone.localdate(),
        "can_register": unit_id is not None and rules.can_register(request.user, unit_id),
        "is_first_page": not request.GET.get("cursor"),
    }
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "incoming-rows":
        return render(request, f"{TEMPLATES}/_list_rows.html", context)
    return render(request, f"{TEMPLATES}/list.html", context)


@require_GET
@login_required
def incoming_mine(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    work = list(selectors.my_work(request.user, today=today)[:500])
    waiting = list(selectors.awaiting_assignment(request.user)[:200])
    return render(
        request,
        f"{TEMPLATES}/mine.html",
        {"work": work, "waiting": waiting, "today": today},
    )


# --- register --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def incoming_register(request: HttpRequest) -> HttpResponse:
    position = getattr(request, "position", None)
    if position is None or not rules.can_register(request.user, position.unit_id):
        raise DjangoPermissionDenied("Chỉ văn thư của đơn vị được vào sổ văn bản đến.")
    unit = position.unit
    matches: list[dict[str, Any]] = []
    if request.method == "POST":
        form = IncomingRegisterForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.incoming_register(
                    unit=unit,
                    user=request.user,
                    files=data["scans"],
                    channel=data["channel"],
                    sender=form.organisation(),
                    sender_name=data["sender_name"],
                    document_type=data["document_type"],
                    notation=data["notation"],
                    issued_date=data["issued_date"],
                    subject=data["subject"],
                    signer_name=data["signer_name"],
                    signer_position=data["signer_position"],
                    page_count=data["page_count"],
                    urgency=data["urgency"],
                    secrecy=data["secrecy"],
                    reply_by=data["reply_by"],
                    duplicate_reason=data["duplicate_reason"],
                    arrived_at=data["arrived_at"],
                    note=data["note"],
                )
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except DomainError as exc:
                if exc.code == "duplicate_suspected":
                    matches = (exc.details or {}).get("matches", [])
                    form.add_error("duplicate_reason", exc.message)
                else:
                    add_domain_error(form, exc, {"files": "scans"})
            else:
                messages.success(
                    request,
                    f"Đã vào sổ văn bản đến số {services.arrival_label(document)}.",
                )
                return HttpResponseRedirect(
                    reverse("documents:incoming_detail", args=[document.pk])
                )
    else:
        form = IncomingRegisterForm(user=request.user)
    return render(
        request,
        f"{TEMPLATES}/register.html",
        {
            "form": form,
            "unit": unit,
            "matches": matches,
            "organisations": selectors.organisations_active().only("name", "org_code")[:2000],
            "files_lost": request.method == "POST" and bool(request.FILES),
        },
    )


# --- detail and workflow ---------------------------------------------------------------------


def _detail_context(
    request: HttpRequest, document: IncomingDocument, **forms: Any
) -> dict[str, Any]:
    user = request.user
    scope = selectors.incoming_scope(user)
    assignments = selectors.incoming_assignments(document)
    notes = selectors.incoming_notes(document)
    note_files = selectors.progress_note_files(notes)
    for note in notes:
        note.attachments = note_files.get(note.pk, [])  # type: ignore[attr-defined]
    current = next((a for a in reversed(assignments) if a.status == AssignmentStatus.OPEN), None)
    can_present = rules.can_present(user, document)
    can_assign = rules.can_assign(user, document)
    can_handle = current is not None and rules.can_handle(user, current, scope=scope)
    can_complete = current is not None and rules.can_complete(user, current, scope=scope)
    context: dict[str, Any] = {
        "document": document,
        "arrival_label": services.arrival_label(document),
        "files": selectors.incoming_files(document),
        "assignments": assignments,
        "current": current,
        "notes": notes,
        "can_present": can_present,
        "can_assign": can_assign,
        "can_handle": can_handle,
        "can_complete": can_complete,
        "pdf_available": pdf_available(),
        "today": timezone.localdate(),
    }
    if can_present:
        leaders = [
            u
            for u in services.assignable_leaders(document.unit_id)
            if int(u.clearance) >= document.secrecy
        ]
        context["present_form"] = forms.get("present_form") or IncomingPresentForm(
            leaders=leaders,
            initial={"leader": document.presented_to_id},
        )
    if can_assign:
        staff = [
            u for u in services.unit_staff(document.unit_id) if int(u.clearance) >= document.secrecy
        ]
        context["assign_form"] = forms.get("assign_form") or IncomingAssignForm(
            unit=document.unit, staff=staff
        )
    if can_handle:
        context["progress_form"] = forms.get("progress_form") or IncomingProgressForm()
    if can_complete:
        context["complete_form"] = forms.get("complete_form") or IncomingCompleteForm()
    return context


@require_GET
@login_required
def incoming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    _secret_read(request, document, "xem chi tiết")
    return render(request, f"{TEMPLATES}/detail.html", _detail_context(request, document))


@require_GET
@login_required
def incoming_digitization(request: HttpRequest, pk: int) -> HttpResponse:
    """The digitisation block alone (htmx polls it while digitisation runs)."""
    document = _document(request, pk)
    return render(
        request,
        f"{TEMPLATES}/_digitization.html",
        {"document": document, "files": selectors.incoming_files(document)},
    )


def _redirect(document: IncomingDocument, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("documents:incoming_detail", args=[document.pk])
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def _rerender(request: HttpRequest, document: IncomingDocument, **forms: Any) -> HttpResponse:
    return render(
        request, f"{TEMPLATES}/detail.html", _detail_context(request, document, **forms), status=400
    )


@require_POST
@login_required
def incoming_present(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    if not rules.can_present(request.user, document):
        raise DjangoPermissionDenied("Bạn không thể trình văn bản này.")
    leaders = services.assignable_leaders(document.unit_id)
    form = IncomingPresentForm(request.POST, leaders=leaders)
    if form.is_valid():
        try:
            services.incoming_present(
                document=document,
                user=request.user,
                leader=form.cleaned_data["leader"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Đã trình văn bản tới {form.cleaned_data['leader']}.")
            return _redirect(document)
    return _rerender(request, document, present_form=form)


@require_POST
@login_required
def incoming_assign(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    if not rules.can_assign(request.user, document):
        raise DjangoPermissionDenied("Chỉ lãnh đạo của đơn vị được phân công.")
    form = IncomingAssignForm(
        request.POST, unit=document.unit, staff=services.unit_staff(document.unit_id)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.incoming_assign(
                document=document,
                user=request.user,
                lead_user=data["lead_user"],
                lead_department=data["lead_department"],
                cooperating_departments=list(data["cooperating_departments"]),
                cooperating_users=list(data["cooperating_users"]),
                instruction=data["instruction"],
                deadline=data["deadline"],
                deadline_working_days=data["deadline_working_days"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, {"lead": "lead_user"})
        else:
            deadline = assignment.deadline
            messages.success(
                request,
                "Đã phân công giải quyết" + (f", hạn {deadline:%d/%m/%Y}." if deadline else "."),
            )
            return _redirect(document, "assignments")
    return _rerender(request, document, assign_form=form)


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related("document", "document__unit", "lead_user")
        .filter(pk=pk)
        .first()
    )
    if assignment is None or not rules.can_view_incoming(request.user, assignment.document):
        raise Http404("Không tìm thấy việc được giao.")
    return assignment


@require_POST
@login_required
def incoming_progress(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    document = assignment.document
    form = IncomingProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.incoming_progress_add(
                assignment=assignment,
                user=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["attachments"],
            )
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            add_domain_error(form, exc, {"files": "attachments"})
        else:
            messages.success(request, "Đã ghi nhận tiến độ.")
            return _redirect(document, "progress")
    return _rerender(request, document, progress_form=form)


@require_POST
@login_required
def incoming_complete(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    document = assignment.document
    form = IncomingCompleteForm(request.POST)
    if form.is_valid():
        answer = None
        notation = form.cleaned_data["answer_notation"]
        if notation:
            answer = selectors.outgoing_answer_candidate(document.unit_id, notation)
            if answer is None:
                form.add_error(
                    "answer_notation",
                    f"Không tìm thấy văn bản đi đã ban hành có số, ký hiệu '{notation}'.",
                )
        if not form.errors:
            try:
                services.incoming_complete(
                    assignment=assignment,
                    user=request.user,
                    result_note=form.cleaned_data["result_note"],
                    answer=answer,
                )
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except DomainError as exc:
                add_domain_error(form, exc, {"answer": "answer_notation"})
            else:
                messages.success(request, "Đã hoàn thành giải quyết văn bản.")
                return _redirect(document)
    return _rerender(request, document, complete_form=form)


# --- print -----------------------------------------------------------------------------------


def _print_context(document: IncomingDocument) -> dict[str, Any]:
    assignments = selectors.incoming_assignments(document)
    notes = selectors.incoming_notes(document)
    return {
        "document": document,
        "arrival_number": format_number(document.arrival_number),
        "arrival_label": services.arrival_label(document),
        "arrived_local": timezone.localtime(document.arrived_at),
        "committee": document.unit.display_committee,
        "assignments": assignments,
        "leader_assignment": assignments[0] if assignments else None,
        "unit_assignments": assignments[1:],
        "notes": notes,
        "completed": [a for a in assignments if a.status == AssignmentStatus.DONE],
        "printed_at": timezone.localtime(),
    }


@require_GET
@login_required
def incoming_stamp(request: HttpRequest, pk: int) -> HttpResponse:
    """The "ĐẾN" stamp data (App. IV): to print on a label or copy onto the paper stamp."""
    document = _document(request, pk)
    _secret_read(request, document, "in dấu đến")
    return render(request, f"{TEMPLATES}/print_stamp.html", _print_context(document))


@require_GET
@login_required
def incoming_slip(request: HttpRequest, pk: int) -> HttpResponse:
    """Phiếu giải quyết văn bản đến (App. IV), as a print view; ``?format=pdf`` for a PDF when
    the PDF module is installed."""
    document = _document(request, pk)
    context = _print_context(document)
    if request.GET.get("format") == "pdf":
        try:
            from congso.kernel.pdf import pdf_response, render_pdf
        except ImportError as exc:
            raise Http404("Chưa cài mô-đun xuất PDF.") from exc
        _secret_read(request, document, "tải phiếu giải quyết PDF")
        data = render_pdf(f"{TEMPLATES}/pdf_slip.html", {**context, "for_pdf": True})
        return pdf_response(
            data,
            filename=f"Phiếu giải quyết văn bản đến {document.arrival_year}-"
            f"{format_number(document.arrival_number)}.pdf",
        )
    _secret_read(request, document, "in phiếu giải quyết")
    return render(request, f"{TEMPLATES}/print_slip.html", context)
