"""/van-ban/so-hoa/: the digitisation block of a document, for htmx polling, and "chạy lại"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from congso.documents import selectors
from congso.documents.models import IncomingDocument, OutgoingDocument
from congso.documents.services import digitization as services
from congso.kernel.errors import DomainError, NotFound

TEMPLATE = "documents/incoming/_digitization.html"


def document_for(user: Any, kind: str, pk: int) -> IncomingDocument | OutgoingDocument:
    """The document if the user may see it (the area's own selector decides); else 404."""
    try:
        if kind == "den":
            return selectors.incoming_get(user, pk)
        if kind == "di":
            return _outgoing_get(user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    raise Http404("Không tìm thấy văn bản.")


def _outgoing_get(user: Any, pk: int) -> OutgoingDocument:
    getter = getattr(selectors, "outgoing_get", None)
    if callable(getter):
        found: OutgoingDocument = getter(user, pk)
        return found
    # Until the outgoing area's selector exists: the unit's staff with enough clearance.
    from congso.kernel.people.rules import can_read_secret, can_see_unit, is_staff_member

    document = OutgoingDocument.objects.select_related("unit").filter(pk=pk).first()
    if (
        document is None
        or not is_staff_member(user)
        or not can_see_unit(user, document.unit_id)
        or not can_read_secret(user, document.secrecy)
    ):
        raise NotFound("Không tìm thấy văn bản đi.")
    return document


def _render(
    request: HttpRequest, document: Any, status: int = 200, notice: str = "", level: str = "info"
) -> HttpResponse:
    context = {"document": document, "notice": notice, "notice_level": level}
    response = render(request, TEMPLATE, context, status=status)
    if request.htmx and status >= 400:  # type: ignore[attr-defined]
        # htmx swaps 4xx responses only when told to; the fragment carries the message.
        response["HX-Reswap"] = "outerHTML"
    return response


@require_GET
@login_required
def digitization_status(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The block alone; htmx polls it every 2 s while the status is pending or processing."""
    document = document_for(request.user, kind, pk)
    if document.secrecy > 0 and document.digitization_status == "done" and document.text:
        # the block shows the recognised text: a read of a secret document, audited
        from congso.kernel.audit.services import audit_record

        audit_record(
            action="documents.secret_read",
            obj=document,
            summary=f"Xem nội dung số hóa của {services.document_label(document)} (văn bản mật).",
        )
    return _render(request, document)


@require_POST
@login_required
def digitization_retry(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Start a failed digitisation again (clerk or administrator of the unit)."""
    document = document_for(request.user, kind, pk)
    try:
        services.digitization_retry(document=document, user=request.user)
    except DomainError as exc:
        document.refresh_from_db()
        return _render(request, document, status=exc.status, notice=exc.message, level="danger")
    document.refresh_from_db()
    return _render(request, document, notice="Đã đưa văn bản vào hàng đợi số hóa lại.")
