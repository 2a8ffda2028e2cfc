"""Field reports in the search index (kind ``report``, kernel/search).

Staff who see a ward (``visible_unit_ids``) find its reports: the description as the body, the
tracking code as the notation, the category, address and answer as extra words; status, level
and category as filters. Services call :func:`report_changed` in their transaction.
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
from congso.kernel.search.services import search_enqueue_many
from congso.urban.reports.models import FieldReport, ReportCategory, ReportLevel, ReportStatus

KIND = "report"


def report_document(report: FieldReport) -> IndexDocument:
    title = f"{report.category.name}: {report.description[:120]}"
    return IndexDocument(
        kind=KIND,
        id=int(report.pk),
        title=title,
        unit_id=report.unit_id,
        notation=report.tracking_code,
        body=report.description,
        extra=" · ".join(
            p for p in (report.category.name, report.address, report.public_answer) if p
        ),
        date=timezone.localdate(report.received_at) if report.received_at else None,
        attrs=(
            ("status", str(report.status)),
            ("level", str(report.level)),
            ("category", report.category.code),
        ),
    )


def report_queryset() -> QuerySet[FieldReport]:
    return FieldReport.objects.select_related("category").only(
        "id",
        "unit_id",
        "tracking_code",
        "description",
        "address",
        "public_answer",
        "received_at",
        "status",
        "level",
        "category__name",
        "category__code",
    )


def report_grants(user: Any) -> list[Grant]:
    from congso.kernel.people.selectors import visible_unit_ids

    ids = visible_unit_ids(user)
    return [unit_grant(ids)] if ids else []


def report_changed(report: FieldReport) -> None:
    if report.pk is not None:
        search_enqueue_many(KIND, [int(report.pk)])


def _url(pk: int) -> str:
    try:
        return reverse("urban_reports:detail", args=[pk])
    except NoReverseMatch:
        return ""


def _categories() -> list[FilterChoice]:
    return [FilterChoice(c, n) for c, n in ReportCategory.objects.values_list("code", "name")]


def register_search_source() -> None:
    register_source(
        SearchSource(
            kind=KIND,
            label="Phản ánh hiện trường",
            model=FieldReport,
            to_document=report_document,
            queryset=report_queryset,
            url=_url,
            grants=report_grants,
            filters=(
                FilterSpec(
                    "status",
                    "Trạng thái",
                    lambda: [FilterChoice(v, str(lbl)) for v, lbl in ReportStatus.choices],
                ),
                FilterSpec(
                    "level",
                    "Mức độ",
                    lambda: [FilterChoice(v, str(lbl)) for v, lbl in ReportLevel.choices],
                ),
                FilterSpec("category", "Lĩnh vực", _categories),
            ),
            order=60,
            group="Đô thị",
        )
    )
