"""Clearance projects as search kind "project"."""

from __future__ import annotations

from congso.kernel.search.registry import get_source
from congso.urban.clearance.models import ClearanceProject


def test_project_source(project: ClearanceProject) -> None:
    source = get_source("project")
    assert source is not None and source.model is ClearanceProject
    doc = source.to_document(source.queryset().get(pk=project.pk))
    assert doc is not None
    assert doc.title == "Mở rộng đường Nhật Tân" and doc.notation == project.code
    assert doc.unit_id == project.unit_id and ("status", "planning") in doc.attrs
    assert "Ban QLDA" in doc.extra
    assert source.url(project.pk) == f"/do-thi/gpmb/{project.pk}/"
