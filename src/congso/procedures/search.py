"""Dossiers in the search index (kernel/search): kind ``dossier``.

One index entry per dossier: its code and the procedure's name as the title, the applicant's
name, identity number and phone as extra words, the request's content as the body. Who may find
it: the same scope as ``selectors.dossiers_for`` (staff of the unit; leaders and administrators
of a parent unit), so applicants' personal data reaches nobody outside the unit. The services
queue every change in their transaction (``services._search_changed``); bulk loads (the demo)
are covered by the search demo loader's rebuild.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from congso.kernel.search.registry import (
    FilterChoice,
    FilterSpec,
    Grant,
    IndexDocument,
    SearchSource,
    register_source,
    unit_grant,
)

from .models import Dossier, DossierStatus, ProcedureField

KIND = "dossier"

FIELDS = (
    "id",
    "unit_id",
    "code",
    "status",
    "channel",
    "field_id",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "representative",
    "content",
    "submitted_at",
    "procedure__name",
    "procedure__code",
)


def dossier_document(dossier: Dossier) -> IndexDocument:
    extra = " · ".join(
        p
        for p in (
            dossier.applicant_name,
            dossier.representative,
            dossier.applicant_id_number,
            dossier.applicant_phone,
            dossier.procedure.code,
        )
        if p
    )
    return IndexDocument(
        kind=KIND,
        id=int(dossier.pk),
        title=f"{dossier.procedure.name}",
        unit_id=dossier.unit_id,
        notation=dossier.code,
        body=dossier.content,
        extra=extra,
        date=timezone.localdate(dossier.submitted_at) if dossier.submitted_at else None,
        attrs=(
            ("status", str(dossier.status)),
            ("field", str(dossier.field_id)),
            ("channel", str(dossier.channel)),
        ),
    )


def dossier_queryset() -> QuerySet[Dossier]:
    return Dossier.objects.select_related("procedure").only(*FIELDS)


def dossier_grants(user: Any) -> list[Grant]:
    from congso.kernel.people.rules import is_staff_member
    from congso.kernel.people.selectors import visible_unit_ids

    if not is_staff_member(user):
        return []
    units = visible_unit_ids(user)
    return [unit_grant(units)] if units else []


def _url(pk: int) -> str:
    code = Dossier.objects.filter(pk=pk).values_list("code", flat=True).first()
    if code is None:
        return ""
    try:
        return reverse("procedures:dossier_detail", args=[code])
    except NoReverseMatch:
        return ""


def _statuses() -> list[FilterChoice]:
    return [FilterChoice(str(v), str(label)) for v, label in DossierStatus.choices]


def _fields() -> list[FilterChoice]:
    return [
        FilterChoice(str(pk), name) for pk, name in ProcedureField.objects.values_list("pk", "name")
    ]


def register_search_sources() -> None:
    """Called from ``ProceduresConfig.ready()``."""
    register_source(
        SearchSource(
            kind=KIND,
            label="Hồ sơ thủ tục hành chính",
            model=Dossier,
            to_document=dossier_document,
            queryset=dossier_queryset,
            url=_url,
            grants=dossier_grants,
            filters=(
                FilterSpec("status", "Trạng thái", _statuses),
                FilterSpec("field", "Lĩnh vực", _fields),
            ),
            order=40,
        )
    )
