"""The committee's signing credentials (chứng thư ký số), for its administrator: the PKCS#12
files of the people who sign and of the committee itself (the organisation's signature with
the seal image), uploaded with their password, which ``kernel.signing`` encrypts before it is
stored. Thin: the kernel's services check the file and write the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from congso.documents.forms import CredentialUploadForm
from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import AdminUnit
from congso.kernel.people.models import Position, Role, User
from congso.kernel.people.rules import has_role
from congso.kernel.signing.models import SigningCredential
from congso.kernel.signing.services import (
    credential_deactivate,
    credential_register_pkcs12,
    credential_set_image,
)

#: Where a service error is shown on the form.
_ERROR_FIELDS = {
    "credential_invalid": "passphrase",
    "credential_expired": "pkcs12",
    "signature_image_invalid": "image",
    "signature_image_not_transparent": "image",
}


def _admin_unit(request: HttpRequest) -> AdminUnit:
    position = getattr(request, "position", None)
    if position is None or not has_role(request.user, Role.ADMIN, unit=position.unit_id):
        raise DjangoPermissionDenied(
            "Chỉ quản trị của đơn vị được quản lý chứng thư ký số của đơn vị."
        )
    unit: AdminUnit = position.unit
    return unit


def _people(unit: AdminUnit) -> QuerySet[User]:
    ids = Position.objects.active().filter(unit_id=unit.pk).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk")


def _credentials(unit: AdminUnit) -> QuerySet[SigningCredential]:
    people = Position.objects.filter(unit_id=unit.pk).values("user_id")
    return (
        SigningCredential.objects.filter(Q(unit_id=unit.pk) | Q(user_id__in=people))
        .select_related("user", "unit", "image")
        .order_by("-is_active", "unit_id", "user__full_name", "-created_at", "-pk")
    )


@require_http_methods(["GET", "POST"])
@login_required
def credential_list(request: HttpRequest) -> HttpResponse:
    unit = _admin_unit(request)
    people = _people(unit)
    if request.method == "POST":
        form = CredentialUploadForm(request.POST, request.FILES, people=people)
        if form.is_valid():
            data = form.cleaned_data
            for_unit = data["owner"] == CredentialUploadForm.OWNER_UNIT
            try:
                credential = credential_register_pkcs12(
                    pkcs12_data=data["pkcs12"],
                    passphrase=data["passphrase"] or "",
                    user=None if for_unit else data["user"],
                    unit=unit if for_unit else None,
                    label=data["label"],
                    image=data["image"],
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(_ERROR_FIELDS.get(exc.code), exc.message)
            else:
                owner = unit.display_committee if for_unit else credential.user
                messages.success(request, f"Đã đăng ký chứng thư “{credential.label}” cho {owner}.")
                return HttpResponseRedirect(reverse("documents:credential_list"))
    else:
        form = CredentialUploadForm(people=people)
    return render(
        request,
        "documents/credentials/list.html",
        {"unit": unit, "form": form, "credentials": list(_credentials(unit))},
    )


@require_POST
@login_required
def credential_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _admin_unit(request)
    credential = _credentials(unit).filter(pk=pk).first()
    if credential is None:
        raise Http404("Không tìm thấy chứng thư.")
    if credential.is_active:
        credential_deactivate(credential=credential, actor=request.user)
        messages.success(request, f"Đã ngừng dùng chứng thư “{credential.label}”.")
    return HttpResponseRedirect(reverse("documents:credential_list"))


#: Largest signature or seal image accepted on the page (the kernel checks it again).
IMAGE_MAX_BYTES = 2 * 1024 * 1024


@require_POST
@login_required
def credential_image_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the signature (person) or seal (committee) image of an active credential."""
    unit = _admin_unit(request)
    credential = _credentials(unit).filter(pk=pk, is_active=True).first()
    if credential is None:
        raise Http404("Không tìm thấy chứng thư.")
    upload = request.FILES.get("image")
    if upload is None or not upload.size:
        messages.error(request, "Hãy chọn tệp hình ảnh PNG nền trong suốt.")
    elif int(upload.size) > IMAGE_MAX_BYTES:
        messages.error(request, "Hình ảnh quá lớn (tối đa 2 MB).")
    else:
        try:
            credential_set_image(credential=credential, image=upload.read(), actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Đã thay hình ảnh của chứng thư “{credential.label}”.")
    return HttpResponseRedirect(reverse("documents:credential_list"))
