"""Import from the vietnam-provinces package: counts, dataset, idempotence, code corrections."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import vietnam_provinces
from django.core.management import call_command
from vietnam_provinces import Province, Ward

from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError
from congso.kernel.orgunits import services
from congso.kernel.orgunits.models import AdminUnit, AdminUnitLevel, DatasetImport, UnitSuccession
from congso.kernel.orgunits.services import SuccessionRecord, UnitRecord

from .conftest import current

VERSION = vietnam_provinces.__version__
DATASET = f"vietnam-provinces:{VERSION}"
REPO = Path(__file__).resolve().parents[5]


@pytest.mark.django_db
def test_full_import_creates_the_current_set_once() -> None:
    n_provinces = len(list(Province.iter_all()))
    n_wards = len(list(Ward.iter_all()))
    # The two-tier set of 01/07/2025: 34 provinces, 3,321 communes, wards and special zones.
    assert (n_provinces, n_wards) == (34, 3321)

    first = services.units_import_vietnam_provinces()

    assert first.counts.created == n_provinces + n_wards
    units = AdminUnit.objects.filter(dataset=DATASET)
    assert units.filter(level=AdminUnitLevel.PROVINCE).count() == 34
    assert units.exclude(level=AdminUnitLevel.PROVINCE).count() == 3321
    assert units.filter(level=AdminUnitLevel.SPECIAL_ZONE).count() == 13
    assert not units.exclude(valid_from=dt.date(2025, 7, 1)).exists()
    assert not units.filter(valid_to__isnull=False).exists()
    assert not units.filter(level=AdminUnitLevel.DISTRICT).exists()
    hanoi = units.get(code="01")
    assert hanoi.name == "Thành phố Hà Nội"
    assert hanoi.children.count() == 126
    tay_ho = units.get(code="00103")
    assert (tay_ho.name, tay_ho.level, tay_ho.parent_id) == ("Phường Tây Hồ", "ward", hanoi.pk)
    record = DatasetImport.objects.get()
    assert (record.source, record.version, record.scope) == ("vietnam-provinces", VERSION, "")
    assert record.units_created == 3355
    assert AuditEvent.objects.filter(action="orgunits.units_imported").count() == 1

    second = services.units_import_vietnam_provinces()

    assert (second.counts.created, second.counts.updated) == (0, 0)
    assert second.counts.unchanged == 3355
    assert AdminUnit.objects.count() == 3355
    assert DatasetImport.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["01", "1", 1])
def test_province_filter(code: Any) -> None:
    result = services.units_import_vietnam_provinces(province=code)
    assert result.record.scope == "01"
    assert AdminUnit.objects.count() == 127
    assert AdminUnit.objects.filter(parent__code="01").count() == 126
    assert (
        not result.legacy_available
        or AdminUnit.objects.filter(dataset__startswith="pre-2025:").exists()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "error"),
    [("xx", "invalid_province_code"), ("100", "invalid_province_code"), ("99", "unknown_province")],
)
def test_bad_province_is_a_domain_error(code: str, error: str) -> None:
    with pytest.raises(DomainError) as exc:
        services.units_import_vietnam_provinces(province=code)
    assert exc.value.code == error
    assert not AdminUnit.objects.exists()
    assert not DatasetImport.objects.exists()


def test_reimport_keeps_committee_fields_and_updates_changed_names(
    hanoi_imported: services.UnitsImport,
) -> None:
    tay_ho = current("00103")
    services.unit_update(
        unit=tay_ho, committee_name="Ủy ban nhân dân phường Tây Hồ", org_code="X", is_served=True
    )
    AdminUnit.objects.filter(pk=tay_ho.pk).update(name="Tên cũ", dataset="vietnam-provinces:0.1")

    again = services.units_import_vietnam_provinces(province="01")

    assert again.counts.updated == 1
    tay_ho.refresh_from_db()
    assert tay_ho.name == "Phường Tây Hồ"
    assert tay_ho.dataset == DATASET
    assert (tay_ho.committee_name, tay_ho.org_code, tay_ho.is_served) == (
        "Ủy ban nhân dân phường Tây Hồ",
        "X",
        True,
    )


def test_conftest_style_rows_are_adopted_not_duplicated(
    hanoi: AdminUnit, ward_a: AdminUnit
) -> None:
    """Rows of the same code family made by hand (the shared fixtures) are updated in place."""
    services.units_import_vietnam_provinces(province="01")
    assert AdminUnit.objects.filter(code="00103").count() == 1
    ward_a.refresh_from_db()
    hanoi.refresh_from_db()
    assert (ward_a.dataset, hanoi.dataset) == (DATASET, DATASET)
    assert ward_a.is_served  # committee fields untouched


@pytest.mark.django_db
def test_corrected_codes_keep_the_row() -> None:
    """A newer source that moves codes between units (as 2026.9.0 did) keeps each row's id."""
    old = "vietnam-provinces:2025.10.1"
    province = [UnitRecord("01", "Thành phố Hà Nội", "province")]
    services.units_load_records(
        units=[
            *province,
            UnitRecord("00196", "Phường Văn Miếu - Quốc Tử Giám", "ward", "01"),
            UnitRecord("00226", "Phường Kim Liên", "ward", "01"),
            UnitRecord("00319", "Phường Hoàng Mai", "ward", "01"),
            UnitRecord("00400", "Phường Sắp Đổi Tên", "ward", "01"),
        ],
        dataset=old,
    )
    ids = dict(AdminUnit.objects.values_list("name", "pk"))
    notes: list[str] = []

    counts = services.units_load_records(
        units=[
            *province,
            UnitRecord("00226", "Phường Văn Miếu – Quốc Tử Giám", "ward", "01"),  # en dash
            UnitRecord("00229", "Phường Kim Liên", "ward", "01"),
            UnitRecord("00400", "Phường Đã Đổi Tên", "ward", "01"),
            UnitRecord("00500", "Phường Mới", "ward", "01"),
        ],
        dataset="vietnam-provinces:2026.9.0",
        complete=True,
        notes=notes,
    )

    assert (counts.recoded, counts.missing, counts.created) == (2, 1, 1)
    by_code = {u.code: u for u in AdminUnit.objects.filter(dataset__endswith="2026.9.0")}
    assert by_code["00226"].pk == ids["Phường Văn Miếu - Quốc Tử Giám"]
    assert by_code["00229"].pk == ids["Phường Kim Liên"]
    assert by_code["00400"].pk == ids["Phường Sắp Đổi Tên"]  # same code: renamed
    assert by_code["00400"].name == "Phường Đã Đổi Tên"
    hoang_mai = AdminUnit.objects.get(pk=ids["Phường Hoàng Mai"])  # gone from the source
    assert (hoang_mai.code, hoang_mai.dataset) == ("00319", old)
    assert any("Hoàng Mai (00319)" in note for note in notes)
    assert any("00196 → 00226" in note for note in notes)


@pytest.mark.django_db
def test_load_records_rejects_missing_parents_and_duplicates() -> None:
    with pytest.raises(DomainError) as exc:
        services.units_load_records(
            units=[UnitRecord("00001", "Phường A", "ward", "99")], dataset="x:1"
        )
    assert exc.value.code == "unit_parent_missing"
    with pytest.raises(DomainError) as exc:
        services.units_load_records(
            units=[UnitRecord("01", "A", "province"), UnitRecord("01", "B", "province")],
            dataset="x:1",
        )
    assert exc.value.code == "duplicate_unit_code"
    assert not AdminUnit.objects.exists()


def test_successions_link_old_units_to_loaded_new_ones(
    hanoi_imported: services.UnitsImport,
) -> None:
    services.units_load_records(
        units=[
            UnitRecord("01", "Thành phố Hà Nội", "province"),
            UnitRecord("003", "Quận Tây Hồ", "district", "01"),
            UnitRecord("00109", "Phường Bưởi", "ward", "003"),
        ],
        dataset="pre-2025:test",
        valid_to=dt.date(2025, 6, 30),
        successions=[
            SuccessionRecord("00109", "00103", False, "NQ"),
            SuccessionRecord("00109", "99999", True, "NQ"),  # new unit not loaded: skipped
        ],
    )
    link = UnitSuccession.objects.get()
    assert (link.old.name, link.new.name, link.partial) == ("Phường Bưởi", "Phường Tây Hồ", False)
    assert link.effective == dt.date(2025, 7, 1)


def test_import_units_command(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import_units", "--province", "01", "--no-legacy")
    out = capsys.readouterr().out
    assert "thêm 127" in out
    assert AdminUnit.objects.count() == 127


def test_import_units_command_bad_province(db: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("import_units", "--province", "abc")


LEGACY_PATH = Path(os.environ.get("VIETNAM_PROVINCES_LEGACY_PATH", "/tmp/vp2/x"))  # noqa: S108


@pytest.mark.slow
@pytest.mark.skipif(
    not (LEGACY_PATH / "vietnam_provinces" / "legacy").is_dir(),
    reason="vietnam-provinces >= 2026 (with .legacy) is not unpacked at "
    "VIETNAM_PROVINCES_LEGACY_PATH; the locked 2025.10.1 has no pre-2025 set",
)
def test_legacy_set_with_a_2026_package(tmp_path: Path) -> None:
    """The pre-2025 path against the real 2026.x package, in a process of its own (the package
    shadows the installed one through PYTHONPATH) on a database file of its own."""
    db_file = tmp_path / "legacy.sqlite3"
    env = {
        **os.environ,
        "PYTHONPATH": f"{LEGACY_PATH}{os.pathsep}{REPO / 'src'}",
        "DJANGO_SETTINGS_MODULE": "congso.test_settings",
        "DATABASE_URL": f"sqlite:///{db_file}",
        "CONGSO_VAR_DIR": str(tmp_path),
    }
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=REPO, timeout=300)
    for _ in range(2):  # twice: the second run must change nothing
        run = subprocess.run(
            [*manage, "import_units", "--province", "01"],
            env=env,
            check=True,
            cwd=REPO,
            timeout=300,
            capture_output=True,
            text=True,
        )
    assert "thêm 0, cập nhật 0" in run.stdout

    with sqlite3.connect(db_file) as con:

        def one(sql: str, *args: object) -> Any:
            return con.execute(sql, args).fetchone()

        legacy = "pre-2025:vietnam-provinces:%"
        # Hà Nội before the reform: 30 districts, 526 wards, communes and townships.
        assert one(
            "SELECT count(*) FROM orgunits_adminunit WHERE dataset LIKE ? AND level='district'",
            legacy,
        ) == (30,)
        district = one(
            "SELECT id, name, valid_to FROM orgunits_adminunit WHERE dataset LIKE ? AND code='003'",
            legacy,
        )
        assert district[1:] == ("Quận Tây Hồ", "2025-06-30")
        wards = con.execute(
            "SELECT name FROM orgunits_adminunit WHERE parent_id=? ORDER BY code", (district[0],)
        ).fetchall()
        assert [w[0] for w in wards] == [
            "Phường Phú Thượng",
            "Phường Nhật Tân",
            "Phường Tứ Liên",
            "Phường Quảng An",
            "Phường Xuân La",
            "Phường Yên Phụ",
            "Phường Bưởi",
            "Phường Thụy Khuê",
        ]
        links = con.execute(
            "SELECT o.name, s.partial, s.legal_basis FROM orgunits_unitsuccession s"
            " JOIN orgunits_adminunit o ON o.id = s.old_id"
            " JOIN orgunits_adminunit n ON n.id = s.new_id"
            " WHERE n.code = '00103' AND n.dataset NOT LIKE 'pre-2025:%' ORDER BY o.name"
        ).fetchall()
    names = {name: (bool(partial), basis) for name, partial, basis in links}
    assert names["Phường Bưởi"] == (False, "Nghị quyết 1656/NQ-UBTVQH15")
    assert names["Phường Thụy Khuê"][0] is True
    assert "Phường Nghĩa Đô" in names  # from the former Quận Cầu Giấy
    assert len(names) == 9
