"""Dossiers in the search index: found by code, applicant and procedure by the unit's staff."""

from __future__ import annotations

from typing import Any

import pytest

from congso.kernel.people.models import Role
from congso.kernel.search.registry import kind_for_model
from congso.kernel.search.selectors import search_for
from congso.kernel.search.services import search_drain
from congso.kernel.search.tests.fixtures import search_index  # noqa: F401
from congso.procedures.models import Dossier

pytestmark = [pytest.mark.usefixtures("search_index"), pytest.mark.django_db]


def test_dossiers_are_found_by_the_units_staff_only(
    desk_dossier: Any, specialist: Any, make_user: Any, ward_b: Any
) -> None:
    assert kind_for_model(Dossier) == "dossier"
    search_drain()
    for q in (desk_dossier.code, "Nguyễn Thị Dân", "khai sinh"):
        page = search_for(specialist, q=q, kinds=["dossier"])
        assert [item.hit.id for item in page.items] == [desk_dossier.pk], q
        assert page.items[0].url == f"/mot-cua/ho-so/{desk_dossier.code}/"
    stranger = make_user(Role.LEADER, ward_b)
    assert search_for(stranger, q="Nguyễn Thị Dân", kinds=["dossier"]).items == []
