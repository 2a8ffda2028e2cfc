"""HTML pages of the edXML exchange: the clerk's "Nhập gói edXML" upload page, downloads of an
outgoing document's package and of an incoming document's status message. Thin views: parse the
request, call one service, render or send the bytes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from congso.documents import rules, selectors
from congso.documents.forms import BootstrapForm
from congso.documents.models import EdxmlMessage, OutgoingDocument
from congso.documents.services import edxml as services
from congso.kernel.errors import DomainError, NotFound
from congso.kernel.errors import PermissionDenied as DomainPermissionDenied

TEMPLATES = "documents/edxml"
RECENT = 20
MIME = "application/xml"


class EdxmlImportForm(BootstrapForm):
    package = forms.FileField(
        label="Gói tin edXML",
        help_text="Tệp .edxml hoặc .xml theo QCVN 102:2016, tải từ trục liên thông văn bản.",
        error_messages={"required": "Hãy chọn tệp gói tin edXML."},
    )
    duplicate_reason = forms.CharField(
        label="Vẫn vào sổ, lý do",
        required=False,
        max_length=255,
        help_text="Chỉ điền khi hệ thống cảnh báo văn bản có thể đã được vào sổ.",
    )


def _download(filename: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=f"{MIME}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _error_lines(exc: DomainError) -> list[str]:
    """What the clerk needs beyond the message: the field or attachment at fault."""
    details = exc.details if isinstance(exc.details, dict) else {}
    lines = []
    if details.get("field"):
        lines.append(f"Trường: {details['field']}")
    if details.get("attachment"):
        lines.append(f"Tệp: {details['attachment']}")
    if details.get("document_id"):
        lines.append(f"Mã văn bản (DocumentId): {details['document_id']}")
    return lines


@require_http_methods(["GET", "POST"])
@login_required
def edxml_import(request: HttpRequest) -> HttpResponse:
    position = getattr(request, "position", None)
    if position is None or not rules.can_register(request.user, position.unit_id):
        raise DjangoPermissionDenied("Chỉ văn thư của đơn vị được tiếp nhận gói tin edXML.")
    unit = position.unit
    error: DomainError | None = None
    matches: list[dict[str, Any]] = []
    if request.method == "POST":
        form = EdxmlImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["package"]
            try:
                if upload.size > services.edxml_max_bytes():
                    raise DomainError(
                        "edxml_too_large",
                        "Gói tin edXML vượt quá dung lượng cho phép.",
                        status=413,
                    )
                data = upload.read()
                document = services.edxml_import(
                    unit=unit,
                    user=request.user,
                    package_bytes=data,
                    duplicate_reason=form.cleaned_data["duplicate_reason"],
                )
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except DomainError as exc:
                error = exc
                if exc.code == "duplicate_suspected":
                    matches = (exc.details or {}).get("matches", [])
            else:
                from congso.documents.services.incoming import arrival_label

                if document.status == "recalled":
                    messages.warning(
                        request,
                        f"Đã tiếp nhận gói tin thu hồi: văn bản đến số {arrival_label(document)} "
                        f"({document.notation}) được đánh dấu bị thu hồi.",
                    )
                else:
                    messages.success(
                        request,
                        f"Đã vào sổ văn bản đến số {arrival_label(document)} "
                        f"từ gói tin edXML ({document.notation}).",
                    )
                return HttpResponseRedirect(
                    reverse("documents:incoming_detail", args=[document.pk])
                )
    else:
        form = EdxmlImportForm()
    recent = (
        EdxmlMessage.objects.filter(unit_id=unit.pk)
        .select_related("incoming", "outgoing")
        .order_by("-created_at", "-pk")[:RECENT]
    )
    return render(
        request,
        f"{TEMPLATES}/import.html",
        {
            "form": form,
            "unit": unit,
            "error": error,
            "error_lines": _error_lines(error) if error else [],
            "matches": matches,
            "recent": recent,
        },
        status=400 if error is not None and not matches else 200,
    )


def _outgoing(request: HttpRequest, pk: int) -> OutgoingDocument:
    getter = getattr(selectors, "outgoing_get", None)
    try:
        if callable(getter):
            document: OutgoingDocument = getter(request.user, pk)
            return document
    except NotFound as exc:
        raise Http404(exc.message) from exc
    found = (
        OutgoingDocument.objects.select_related("unit", "document_type", "department")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy văn bản đi.")
    return found


@require_GET
@login_required
def edxml_export(request: HttpRequest, pk: int) -> HttpResponse:
    document = _outgoing(request, pk)
    try:
        filename, data = services.edxml_export(document=document, user=request.user)
    except DomainPermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(request.headers.get("Referer") or reverse("home"))
    return _download(filename, data)


@require_GET
@login_required
def edxml_status(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        document = selectors.incoming_get(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        filename, data = services.edxml_status(document=document, user=request.user)
    except DomainPermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("documents:incoming_detail", args=[document.pk]))
    return _download(filename, data)
