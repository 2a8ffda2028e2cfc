"""Construction works in the search index (kind ``work``): address, owner, permit number and the
violations' categories and records; scoped like ``rules.construction_unit_ids``. Services queue
a work after each write (``services._search_changed``, in the same transaction)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
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
from congso.urban.construction.models import PermitStatus, Violation, Work, WorkStatus

KIND = "work"


def work_document(work: Work) -> IndexDocument:
    violations = list(work.violations.all())
    return IndexDocument(
        kind=KIND,
        id=int(work.pk),
        title=f"{work.name or 'Công trình'} · {work.address}",
        unit_id=work.unit_id,
        notation=" ".join(p for p in (work.code, work.permit_number) if p),
        body=" ".join(
            [work.description]
            + [
                f"{v.get_category_display()}: {v.description} (biên bản {v.record_label})"
                for v in violations
            ]
        ),
        extra=" · ".join(p for p in (work.owner_name, work.owner_contact, work.permit_issuer) if p),
        date=timezone.localdate(work.created_at) if work.created_at else None,
        attrs=(
            ("status", str(work.status)),
            ("permit", str(work.permit_status)),
            ("violation", "yes" if violations else "no"),
        ),
    )


def work_queryset() -> QuerySet[Work]:
    return Work.objects.prefetch_related(
        Prefetch(
            "violations",
            queryset=Violation.objects.only(
                "id", "work_id", "category", "description", "record_number"
            ),
        )
    )


def work_grants(user: Any) -> list[Grant]:
    from congso.urban.construction.rules import construction_unit_ids

    units = construction_unit_ids(user)
    return [unit_grant(units)] if units else []


def _url(pk: int) -> str:
    try:
        return reverse("urban_construction:work_detail", args=[pk])
    except NoReverseMatch:
        return ""


def _choices(choices: Any) -> list[FilterChoice]:
    return [FilterChoice(str(v), str(label)) for v, label in choices]


def register_search_source() -> None:
    register_source(
        SearchSource(
            kind=KIND,
            label="Công trình xây dựng",
            model=Work,
            to_document=work_document,
            queryset=work_queryset,
            url=_url,
            grants=work_grants,
            filters=(
                FilterSpec("status", "Tình trạng", lambda: _choices(WorkStatus.choices)),
                FilterSpec("permit", "Giấy phép", lambda: _choices(PermitStatus.choices)),
                FilterSpec(
                    "violation",
                    "Vi phạm",
                    lambda: [
                        FilterChoice("yes", "Có vi phạm"),
                        FilterChoice("no", "Không có vi phạm"),
                    ],
                ),
            ),
            order=60,
            group="Đô thị",
        )
    )
