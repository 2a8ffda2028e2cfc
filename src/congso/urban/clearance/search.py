"""Site clearance projects in the search index (kind ``project``).

Every staff member who sees the project's unit finds it (the default grants: visible units).
Services queue a project in the transaction of each change (``services._enqueue``); the demo
bulk-loads and the search demo loader (order 990) rebuilds the index afterwards.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from congso.kernel.search.registry import (
    FilterChoice,
    FilterSpec,
    IndexDocument,
    SearchSource,
    register_source,
)
from congso.urban.clearance.models import ClearanceProject, ProjectStatus

PROJECT = "project"


def project_document(project: ClearanceProject) -> IndexDocument:
    return IndexDocument(
        kind=PROJECT,
        id=int(project.pk),
        title=project.name,
        unit_id=project.unit_id,
        notation=project.code,
        body=project.purpose,
        extra=" · ".join(
            p for p in (project.investor, project.address, "giải phóng mặt bằng") if p
        ),
        date=project.start_date,
        attrs=(("status", str(project.status)),),
    )


def project_queryset() -> QuerySet[ClearanceProject]:
    return ClearanceProject.objects.only(
        "id", "unit_id", "name", "code", "purpose", "investor", "address", "start_date", "status"
    )


def register_search_sources() -> None:
    register_source(
        SearchSource(
            kind=PROJECT,
            label="Dự án GPMB",
            model=ClearanceProject,
            to_document=project_document,
            queryset=project_queryset,
            url=lambda pk: reverse("urban_clearance:project_detail", args=[pk]),
            filters=(
                FilterSpec(
                    name="status",
                    label="Trạng thái dự án",
                    choices=lambda: [
                        FilterChoice(str(v), str(label)) for v, label in ProjectStatus.choices
                    ],
                ),
            ),
            order=60,
        )
    )
