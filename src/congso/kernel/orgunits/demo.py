"""Demo data: Hà Nội, the former Quận Tây Hồ (to 30/06/2025) with its 8 wards, and the two
wards served today, Phường Tây Hồ and Phường Phú Thượng (from 01/07/2025), with departments.

Other modules' demo loaders find these units with ``demo_units()``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from congso.kernel.core.data import TAY_HO_PRE2025_JSON
from congso.kernel.core.demo import DemoContext, register
from congso.kernel.orgunits import services
from congso.kernel.orgunits.models import AdminUnit, DatasetImport, Department, DepartmentKind
from congso.kernel.orgunits.selectors import unit_by_code

HANOI = "01"
TAY_HO = "00103"  # Phường Tây Hồ in the current set
PHU_THUONG = "00091"  # Phường Phú Thượng in the current set
FORMER_DISTRICT = "003"  # Quận Tây Hồ in the pre-2025 set

#: Committee fields of the demo units. Organisation codes are opaque strings and clearly fake:
#: the real ones come from the province's official list (vietnam-rules.md §4.3).
COMMITTEES: dict[tuple[str, str], dict[str, Any]] = {
    (services.CURRENT_FAMILY, HANOI): {
        "committee_name": "Ủy ban nhân dân thành phố Hà Nội",
        "org_code": "H26-DEMO",
    },
    (services.CURRENT_FAMILY, TAY_HO): {
        "committee_name": "Ủy ban nhân dân phường Tây Hồ",
        "org_code": "H26.103-DEMO",
        "abbreviation": "UBND",
        "is_served": True,
    },
    (services.CURRENT_FAMILY, PHU_THUONG): {
        "committee_name": "Ủy ban nhân dân phường Phú Thượng",
        "org_code": "H26.091-DEMO",
        "abbreviation": "UBND",
        "is_served": True,
    },
    (services.LEGACY_FAMILY, FORMER_DISTRICT): {
        "committee_name": "Ủy ban nhân dân quận Tây Hồ",
        "org_code": "H26.Q003-DEMO",
        "abbreviation": "UBND",
    },
}

#: (abbreviation, name, kind) of a ward committee's departments (two-tier government, 2025).
WARD_DEPARTMENTS = (
    ("LĐ", "Lãnh đạo Ủy ban nhân dân", DepartmentKind.LEADERSHIP),
    ("VP", "Văn phòng HĐND-UBND", DepartmentKind.OFFICE),
    ("KT", "Phòng Kinh tế, Hạ tầng và Đô thị", DepartmentKind.DIVISION),
    ("VHXH", "Phòng Văn hóa - Xã hội", DepartmentKind.DIVISION),
    ("TTPVHCC", "Trung tâm Phục vụ hành chính công", DepartmentKind.SERVICE_CENTRE),
)

#: The former district committee's departments (historical: inactive since 01/07/2025).
DISTRICT_DEPARTMENTS = (
    ("LĐ", "Lãnh đạo Ủy ban nhân dân quận", DepartmentKind.LEADERSHIP),
    ("VP", "Văn phòng HĐND và UBND quận", DepartmentKind.OFFICE),
    ("NV", "Phòng Nội vụ", DepartmentKind.DIVISION),
    ("TP", "Phòng Tư pháp", DepartmentKind.DIVISION),
    ("TCKH", "Phòng Tài chính - Kế hoạch", DepartmentKind.DIVISION),
    ("KT", "Phòng Kinh tế", DepartmentKind.DIVISION),
    ("QLĐT", "Phòng Quản lý đô thị", DepartmentKind.DIVISION),
    ("TNMT", "Phòng Tài nguyên và Môi trường", DepartmentKind.DIVISION),
    ("VHTT", "Phòng Văn hóa và Thông tin", DepartmentKind.DIVISION),
    ("LĐTBXH", "Phòng Lao động - Thương binh và Xã hội", DepartmentKind.DIVISION),
    ("GDĐT", "Phòng Giáo dục và Đào tạo", DepartmentKind.DIVISION),
    ("YT", "Phòng Y tế", DepartmentKind.DIVISION),
    ("TTr", "Thanh tra quận", DepartmentKind.DIVISION),
    ("BPMC", "Bộ phận Tiếp nhận và trả kết quả", DepartmentKind.SERVICE_CENTRE),
)


@dataclass(frozen=True)
class TayHoHistory:
    dataset: str
    valid_to: dt.date
    effective: dt.date
    legal_basis: str
    units: list[services.UnitRecord]
    successions: list[services.SuccessionRecord]


def load_tay_ho_history() -> TayHoHistory:
    """The former Quận Tây Hồ, its wards and their successions, from the shipped data file."""
    data = json.loads(TAY_HO_PRE2025_JSON.read_text(encoding="utf-8"))
    legal_basis = data["legal_basis"]
    return TayHoHistory(
        dataset=data["dataset"],
        valid_to=dt.date.fromisoformat(data["valid_to"]),
        effective=dt.date.fromisoformat(data["effective"]),
        legal_basis=legal_basis,
        units=[
            services.UnitRecord(u["code"], u["name"], u["level"], u["parent"])
            for u in data["units"]
        ],
        successions=[
            services.SuccessionRecord(s["old"], s["new"], bool(s["partial"]), legal_basis)
            for s in data["successions"]
        ],
    )


@dataclass(frozen=True)
class DemoUnits:
    hanoi: AdminUnit
    tay_ho: AdminUnit
    phu_thuong: AdminUnit
    former_district: AdminUnit
    former_wards: list[AdminUnit]

    @property
    def served(self) -> list[AdminUnit]:
        return [self.tay_ho, self.phu_thuong]


def demo_units() -> DemoUnits:
    """The demo's units (after the ``units`` loader ran)."""

    def get(family: str, code: str) -> AdminUnit:
        unit = unit_by_code(code, family=family)
        if unit is None:
            raise LookupError(f"demo unit {family}:{code} missing: run `manage.py demo`")
        return unit

    district = get(services.LEGACY_FAMILY, FORMER_DISTRICT)
    return DemoUnits(
        hanoi=get(services.CURRENT_FAMILY, HANOI),
        tay_ho=get(services.CURRENT_FAMILY, TAY_HO),
        phu_thuong=get(services.CURRENT_FAMILY, PHU_THUONG),
        former_district=district,
        former_wards=list(district.children.order_by("name")),
    )


def department(unit: AdminUnit, abbreviation: str) -> Department:
    return Department.objects.get(unit=unit, abbreviation=abbreviation)


def _ensure_departments(
    unit: AdminUnit, rows: tuple[tuple[str, str, str], ...], *, active: bool
) -> tuple[int, int]:
    existing = {d.abbreviation: d for d in Department.objects.filter(unit=unit)}
    created = changed = 0
    for order, (abbreviation, name, kind) in enumerate(rows, start=1):
        current = existing.get(abbreviation)
        if current is None:
            services.department_create(
                unit=unit,
                name=name,
                abbreviation=abbreviation,
                kind=kind,
                order=order,
                is_active=active,
            )
            created += 1
            continue
        wanted = {"name": name, "kind": kind, "order": order, "is_active": active}
        if any(getattr(current, k) != v for k, v in wanted.items()):
            services.department_update(department=current, **wanted)
            changed += 1
    return created, changed


@register("units", order=10)
def load_units(ctx: DemoContext) -> None:
    # 1. Hà Nội's current units from the installed package (once per package version).
    version = services.package_version()
    if DatasetImport.objects.filter(
        source=services.PACKAGE, version=version, scope__in=["", HANOI]
    ).exists():
        ctx.log(f"Đơn vị hành chính Hà Nội (vietnam-provinces {version}) đã có.")
    else:
        result = services.units_import_vietnam_provinces(province=HANOI, include_legacy=False)
        ctx.log(
            f"Nhập Hà Nội từ vietnam-provinces {version}: thêm {result.counts.created}, "
            f"cập nhật {result.counts.updated}."
        )

    # 2. The former Quận Tây Hồ and its wards, with the Resolution 1656 successions.
    history = load_tay_ho_history()
    counts = services.units_load_records(
        units=history.units,
        dataset=history.dataset,
        valid_to=history.valid_to,
        successions=history.successions,
        effective=history.effective,
    )
    ctx.log(
        f"Quận Tây Hồ và 8 phường cũ (đến {history.valid_to:%d/%m/%Y}): thêm {counts.created}, "
        f"cập nhật {counts.updated}; quan hệ sắp xếp mới {counts.successions_created}."
    )

    # 3. Committee fields, departments.
    for (family, code), fields in COMMITTEES.items():
        unit = unit_by_code(code, family=family)
        if unit is None:
            raise LookupError(f"{family}:{code} chưa được nạp")
        services.unit_update(unit=unit, **fields)
    units = demo_units()
    for unit in units.served:
        created, changed = _ensure_departments(unit, WARD_DEPARTMENTS, active=True)
        ctx.log(f"{unit.committee_name}: {created} phòng, ban mới, {changed} cập nhật.")
    created, changed = _ensure_departments(
        units.former_district, DISTRICT_DEPARTMENTS, active=False
    )
    ctx.log(
        f"{units.former_district.committee_name} (lịch sử): {created} phòng, ban mới, "
        f"{changed} cập nhật."
    )
