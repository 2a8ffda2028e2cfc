"""Downloads, only through these permission-checked views (there is no public media URL).

Outside the user's units a file does not exist (404); inside them, a refusal by the owner's
access rule is a 403. Anonymous users are sent to the login page.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from congso.kernel.errors import DomainError, NotFound, PermissionDenied
from congso.kernel.files.models import StoredFile
from congso.kernel.files.responses import stored_file_response
from congso.kernel.files.selectors import file_for_download


def _file(request: HttpRequest, public_id: uuid.UUID) -> StoredFile:
    try:
        return file_for_download(request.user, public_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc


def _respond(stored: StoredFile, *, inline: bool) -> FileResponse:
    try:
        return stored_file_response(stored, inline=inline)
    except DomainError as exc:  # bytes missing from storage
        raise Http404(exc.message) from exc


@require_safe
@login_required
def download(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    return _respond(_file(request, public_id), inline=False)


@require_safe
@login_required
@xframe_options_sameorigin  # our own pages may embed a preview; other sites may not
def view_inline(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    return _respond(_file(request, public_id), inline=True)
