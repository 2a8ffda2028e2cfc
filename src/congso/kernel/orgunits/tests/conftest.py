"""Fixtures of the orgunits tests: Hà Nội imported from the package, the Tây Hồ history."""

from __future__ import annotations

from typing import Any

import pytest

from congso.kernel.orgunits import services
from congso.kernel.orgunits.demo import DemoUnits, demo_units, load_tay_ho_history
from congso.kernel.orgunits.models import AdminUnit


@pytest.fixture
def hanoi_imported(db: Any) -> services.UnitsImport:
    """Hà Nội's current units (the province and its 126 wards and communes)."""
    return services.units_import_vietnam_provinces(province="01", include_legacy=False)


@pytest.fixture
def tay_ho_history(hanoi_imported: services.UnitsImport) -> services.UpsertCounts:
    """The former Quận Tây Hồ and its 8 wards, linked to the new wards (Resolution 1656)."""
    history = load_tay_ho_history()
    return services.units_load_records(
        units=history.units,
        dataset=history.dataset,
        valid_to=history.valid_to,
        successions=history.successions,
        effective=history.effective,
    )


@pytest.fixture
def tay_ho(tay_ho_history: services.UpsertCounts) -> DemoUnits:
    return demo_units()


def current(code: str) -> AdminUnit:
    return AdminUnit.objects.get(dataset__startswith="vietnam-provinces:", code=code)


def former(code: str) -> AdminUnit:
    return AdminUnit.objects.get(dataset__startswith="pre-2025:", code=code)
