"""Every write about administrative units and departments.

- ``units_import_vietnam_provinces``: the official unit list from the ``vietnam-provinces``
  package: always the current (post-01/07/2025) set; the pre-2025 set and the old→new
  successions too when the installed version ships ``vietnam_provinces.legacy``.
- ``units_load_records``: the same upsert for rows we ship ourselves (the demo's Tây Hồ history).
- ``unit_update``, ``department_create``, ``department_update``: administrators' edits.

Identity of a unit across imports is its *code family* (the part of ``dataset`` before the
first ":") plus its code: ``vietnam-provinces:2025.10.1`` and ``vietnam-provinces:2026.9.0`` are
the same family, so an upgrade of the package updates the rows (and their ``dataset``) instead
of adding a second copy. The pre-2025 codes are the family ``pre-2025``; their codes overlap the
current ones (00091 is Phường Phú Thượng in both), hence the separate family. See
docs/decisions/0001-admin-units-dataset.md.
"""

from __future__ import annotations

import datetime as dt
import importlib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.db import transaction

from congso.kernel.audit.services import audit_record
from congso.kernel.errors import DomainError
from congso.kernel.orgunits.models import (
    AdminUnit,
    AdminUnitLevel,
    DatasetImport,
    Department,
    DepartmentKind,
    UnitSuccession,
)

#: Code family of the current (two-tier, from 01/07/2025) set of the vietnam-provinces package.
CURRENT_FAMILY = "vietnam-provinces"
#: Code family of the pre-2025 (three-tier) set, whatever the source of its rows.
LEGACY_FAMILY = "pre-2025"
#: The two-tier reform: districts abolished, communes merged (Law 72/2025/QH15).
REFORM_DATE = dt.date(2025, 7, 1)
LEGACY_VALID_TO = REFORM_DATE - dt.timedelta(days=1)
PACKAGE = "vietnam-provinces"

PROVINCE_LEGAL_BASIS = "Nghị quyết 202/2025/QH15"
WARD_LEGAL_BASIS = "Nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã năm 2025"
#: Ward-level resolutions we know by number, by (new) province code.
WARD_LEGAL_BASIS_BY_PROVINCE = {"01": "Nghị quyết 1656/NQ-UBTVQH15"}

#: Fields the importer owns; the committee fields (name of the committee, organisation code,
#: abbreviation, served flag) belong to the administrators and are never overwritten.
IMPORTED_FIELDS = ("name", "level", "parent_id", "dataset", "valid_from", "valid_to")

#: Division types of the package (its enum values) → our levels.
LEVEL_BY_DIVISION_TYPE = {
    "tỉnh": AdminUnitLevel.PROVINCE,
    "thành phố trung ương": AdminUnitLevel.PROVINCE,
    "quận": AdminUnitLevel.DISTRICT,
    "huyện": AdminUnitLevel.DISTRICT,
    "thị xã": AdminUnitLevel.DISTRICT,
    "thành phố": AdminUnitLevel.DISTRICT,
    "phường": AdminUnitLevel.WARD,
    "xã": AdminUnitLevel.COMMUNE,
    "thị trấn": AdminUnitLevel.TOWNSHIP,
    "đặc khu": AdminUnitLevel.SPECIAL_ZONE,
}


def nfc(text: str) -> str:
    """NFC, with runs of white space made one space (the data has "Phường  An Nhơn")."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def code_family(dataset: str) -> str:
    """``vietnam-provinces:2025.10.1`` → ``vietnam-provinces``."""
    return dataset.split(":", 1)[0]


def province_code(value: str | int) -> str:
    """Normalise a province code given as ``1``, ``"1"`` or ``"01"`` to ``"01"``."""
    text = str(value).strip()
    if not text.isdigit() or not 0 < int(text) < 100:
        raise DomainError(
            "invalid_province_code",
            f"Mã tỉnh/thành phố “{value}” không hợp lệ (ví dụ: 01 là Hà Nội).",
            details={"province": str(value)},
        )
    return f"{int(text):02d}"


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


# --- records and the generic upsert ------------------------------------------------------------


@dataclass(frozen=True)
class UnitRecord:
    """One unit of a source. ``parent_code`` is a code of the same family (or None)."""

    code: str
    name: str
    level: str
    parent_code: str | None = None


@dataclass(frozen=True)
class SuccessionRecord:
    """Old unit (legacy family) → new unit (current family)."""

    old_code: str
    new_code: str
    partial: bool
    legal_basis: str = ""


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    recoded: int = 0
    missing: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    successions_skipped: int = 0

    def add(self, other: UpsertCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class UnitsImport:
    """What one import did."""

    record: DatasetImport
    counts: UpsertCounts
    legacy_available: bool
    notes: list[str] = field(default_factory=list)


def _family_units(family: str) -> list[AdminUnit]:
    """All units of a code family (one query). A code may appear twice: a unit left over from
    an older version can hold a code that the source has since given to another unit."""
    return list(AdminUnit.objects.filter(dataset__startswith=f"{family}:").order_by("pk"))


def _depths(records: Sequence[UnitRecord]) -> dict[str, int]:
    """Depth of each record inside the batch (a record whose parent is not in the batch is 0)."""
    by_code = {r.code: r for r in records}
    depth: dict[str, int] = {}

    def walk(code: str, seen: tuple[str, ...] = ()) -> int:
        if code in depth:
            return depth[code]
        if code in seen:
            raise DomainError("unit_parent_cycle", f"Đơn vị {code} là cấp trên của chính nó.")
        parent = by_code[code].parent_code
        depth[code] = (
            0 if parent is None or parent not in by_code else walk(parent, (*seen, code)) + 1
        )
        return depth[code]

    for record in records:
        walk(record.code)
    return depth


def _name_key(name: str) -> str:
    """Name for matching: NFC, one space, one kind of dash, case-folded."""
    return nfc(name).replace("\u2013", "-").replace("\u2014", "-").casefold()


@dataclass
class _Match:
    """Which existing unit each record updates (by the record's code)."""

    units: dict[str, AdminUnit]
    recoded: list[tuple[str, str, str]]  # (old code, new code, name)
    missing: list[AdminUnit]


def _match(records: Sequence[UnitRecord], family: list[AdminUnit], complete: bool) -> _Match:
    """Match records to the existing units of their code family.

    Without ``complete`` a record matches the unit with its code (the one with the same name
    first). With ``complete`` (the records are the whole source under their parents, as in a
    package import), codes are not trusted alone: vietnam-provinces 2026.9.0 gave 114 wards
    other codes than 2025.10.1 and reused some (Phường Văn Miếu - Quốc Tử Giám 00196 → 00226,
    which was Phường Kim Liên's, now 00229). So, among the units whose code is in the source or
    whose parent's is:

    1. same code and same name: the same unit;
    2. then same name, level and parent code (each unique on both sides): the same unit under a
       corrected code; the row keeps its id, so the records made under it stay attached;
    3. then same code: the same unit, renamed;
    4. units left over are reported as missing (and left as they are: the source does not say
       when they ended); records left over are new units.
    """
    incoming = {r.code: r for r in records}
    by_pk = {u.pk: u for u in family}

    def parent_code(unit: AdminUnit) -> str | None:
        parent = by_pk.get(unit.parent_id) if unit.parent_id else None
        return parent.code if parent else None

    if complete:
        pool = [u for u in family if u.code in incoming or parent_code(u) in incoming]
    else:
        pool = [u for u in family if u.code in incoming]
    matched: dict[str, AdminUnit] = {}
    taken: set[int] = set()

    def take(record: UnitRecord, unit: AdminUnit) -> None:
        matched[record.code] = unit
        taken.add(unit.pk)

    for unit in pool:  # 1. code and name
        record = incoming.get(unit.code)
        if (
            record is not None
            and record.code not in matched
            and _name_key(record.name) == _name_key(unit.name)
        ):
            take(record, unit)
    recoded: list[tuple[str, str, str]] = []
    if complete:  # 2. name, level and parent
        left_units = [u for u in pool if u.pk not in taken]
        left_records = [r for r in records if r.code not in matched]

        def unit_key(u: AdminUnit) -> tuple[str, str, str | None]:
            return (_name_key(u.name), u.level, parent_code(u))

        def record_key(r: UnitRecord) -> tuple[str, str, str | None]:
            return (_name_key(r.name), r.level, r.parent_code)

        unit_keys = Counter(unit_key(u) for u in left_units)
        record_keys = Counter(record_key(r) for r in left_records)
        unit_by_key = {unit_key(u): u for u in left_units if unit_keys[unit_key(u)] == 1}
        for record in left_records:
            candidate = unit_by_key.get(record_key(record))
            if candidate is not None and record_keys[record_key(record)] == 1:
                take(record, candidate)
                if candidate.code != record.code:
                    recoded.append((candidate.code, record.code, nfc(record.name)))
    for unit in pool:  # 3. code alone: a renamed unit
        if unit.pk not in taken and unit.code not in matched and unit.code in incoming:
            take(incoming[unit.code], unit)
    missing = [u for u in pool if u.pk not in taken] if complete else []
    return _Match(matched, recoded, sorted(missing, key=lambda u: u.code))


def _upsert_units(
    records: Sequence[UnitRecord],
    *,
    family: str,
    dataset: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    complete: bool = False,
    notes: list[str] | None = None,
) -> tuple[dict[str, AdminUnit], UpsertCounts]:
    """Create or update ``records`` in ``family``; parents first, in bulk, one tier at a time.

    ``complete``: the records are the whole source under their parents (a package import); see
    ``_match``. Returns the family's units by code after the upsert, and the counts.
    """
    counts = UpsertCounts()
    if len({r.code for r in records}) != len(records):
        duplicates = sorted(c for c, n in Counter(r.code for r in records).items() if n > 1)
        raise DomainError("duplicate_unit_code", "Mã đơn vị bị trùng.", details=duplicates[:20])
    family_units = _family_units(family)
    match = _match(records, family_units, complete)
    counts.recoded, counts.missing = len(match.recoded), len(match.missing)
    if notes is not None and match.recoded:
        sample = ", ".join(f"{name} {old} → {new}" for old, new, name in match.recoded[:10])
        more = f" và {len(match.recoded) - 10} đơn vị khác" if len(match.recoded) > 10 else ""
        notes.append(f"Đổi mã {len(match.recoded)} đơn vị theo nguồn: {sample}{more}.")
    if notes is not None and match.missing:
        sample = ", ".join(f"{u.name} ({u.code})" for u in match.missing[:10])
        notes.append(
            f"{len(match.missing)} đơn vị không còn trong nguồn, giữ nguyên: {sample}"
            + ("…" if len(match.missing) > 10 else "")
        )
    # The family's units by code once this upsert is done (parents are looked up here).
    units = {u.code: u for u in family_units}
    units.update(match.units)
    fields: tuple[str, ...] = IMPORTED_FIELDS
    moved = [u for code, u in match.units.items() if u.code != code]
    if moved:
        # Codes may be handed from one unit to another: park them first, so that no
        # intermediate row breaks the (dataset, code) uniqueness.
        for unit in moved:
            unit.code = f"~{unit.pk}"
        AdminUnit.objects.bulk_update(moved, ["code"], batch_size=500)
        fields = ("code", *IMPORTED_FIELDS)
    depth = _depths(records)
    for tier in sorted(set(depth.values())):
        to_create: list[AdminUnit] = []
        to_update: list[AdminUnit] = []
        for record in (r for r in records if depth[r.code] == tier):
            parent_id: int | None = None
            if record.parent_code is not None:
                parent = units.get(record.parent_code)
                if parent is None:
                    raise DomainError(
                        "unit_parent_missing",
                        f"Không tìm thấy đơn vị cấp trên {record.parent_code} của {record.name}.",
                        details={"code": record.code, "parent": record.parent_code},
                    )
                parent_id = parent.pk
            wanted = {
                "code": record.code,
                "name": nfc(record.name),
                "level": record.level,
                "parent_id": parent_id,
                "dataset": dataset,
                "valid_from": valid_from,
                "valid_to": valid_to,
            }
            existing = match.units.get(record.code)
            if existing is None:
                to_create.append(AdminUnit(**wanted))
                continue
            if any(getattr(existing, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(existing, name, value)
                to_update.append(existing)
            else:
                counts.unchanged += 1
        if to_create:
            # SQLite >= 3.35 and PostgreSQL return the new primary keys.
            for unit in AdminUnit.objects.bulk_create(to_create, batch_size=500):
                units[unit.code] = unit
        if to_update:
            AdminUnit.objects.bulk_update(to_update, fields, batch_size=500)
        counts.created += len(to_create)
        counts.updated += len(to_update)
    return units, counts


def _upsert_successions(
    records: Iterable[SuccessionRecord],
    *,
    old_units: dict[str, AdminUnit],
    new_units: dict[str, AdminUnit],
    effective: dt.date,
) -> UpsertCounts:
    """Create or update old→new links; pairs whose units are not loaded are skipped (counted)."""
    counts = UpsertCounts()
    existing = {
        (s.old_id, s.new_id): s
        for s in UnitSuccession.objects.filter(
            old__dataset__startswith=f"{LEGACY_FAMILY}:", effective=effective
        )
    }
    to_create: list[UnitSuccession] = []
    to_update: list[UnitSuccession] = []
    seen: set[tuple[int, int]] = set()
    for record in records:
        old, new = old_units.get(record.old_code), new_units.get(record.new_code)
        if old is None or new is None:
            counts.successions_skipped += 1
            continue
        key = (old.pk, new.pk)
        if key in seen:
            continue
        seen.add(key)
        link = existing.get(key)
        if link is None:
            to_create.append(
                UnitSuccession(
                    old=old,
                    new=new,
                    partial=record.partial,
                    effective=effective,
                    legal_basis=record.legal_basis,
                )
            )
        elif (link.partial, link.legal_basis) != (record.partial, record.legal_basis):
            link.partial, link.legal_basis = record.partial, record.legal_basis
            to_update.append(link)
    UnitSuccession.objects.bulk_create(to_create, batch_size=500)
    UnitSuccession.objects.bulk_update(to_update, ["partial", "legal_basis"], batch_size=500)
    counts.successions_created = len(to_create)
    counts.successions_updated = len(to_update)
    return counts


@transaction.atomic
def units_load_records(
    *,
    units: Sequence[UnitRecord],
    dataset: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    successions: Sequence[SuccessionRecord] = (),
    effective: dt.date = REFORM_DATE,
    complete: bool = False,
    notes: list[str] | None = None,
    actor: Any = None,
) -> UpsertCounts:
    """Create or update units shipped as plain records (e.g. the demo's pre-2025 Tây Hồ).

    ``dataset`` is ``family:version``; successions link units of the ``pre-2025`` family to
    units of the current family (``vietnam-provinces``), which must already exist to be linked.
    ``complete``: the records are the whole source under their parents (see ``_match``).
    """
    family = code_family(dataset)
    by_code, counts = _upsert_units(
        units,
        family=family,
        dataset=dataset,
        valid_from=valid_from,
        valid_to=valid_to,
        complete=complete,
        notes=notes,
    )
    if successions:
        if family != LEGACY_FAMILY:
            raise DomainError(
                "succession_family",
                "Chỉ đơn vị trước 01/07/2025 mới có quan hệ sắp xếp sang đơn vị mới.",
            )
        counts.add(
            _upsert_successions(
                successions,
                old_units=by_code,
                new_units={u.code: u for u in _family_units(CURRENT_FAMILY)},
                effective=effective,
            )
        )
    if counts.created or counts.updated or counts.successions_created or counts.successions_updated:
        audit_record(
            action="orgunits.units_loaded",
            actor=actor,
            changes={
                "dataset": dataset,
                "created": counts.created,
                "updated": counts.updated,
                "successions_created": counts.successions_created,
                "successions_updated": counts.successions_updated,
            },
            summary=f"Nạp {len(units)} đơn vị hành chính ({dataset})",
        )
    return counts


# --- the vietnam-provinces package -------------------------------------------------------------


def _level(division_type: Any) -> str:
    value = getattr(division_type, "value", division_type)
    try:
        return LEVEL_BY_DIVISION_TYPE[str(value)]
    except KeyError:
        raise DomainError(
            "unknown_division_type",
            f"Loại đơn vị “{value}” của gói vietnam-provinces chưa được hỗ trợ.",
        ) from None


def _code(value: Any, width: int) -> str:
    return f"{int(value):0{width}d}"


def package_version(package: ModuleType | None = None) -> str:
    """Version of the ``vietnam_provinces`` module actually imported."""
    module = package or importlib.import_module("vietnam_provinces")
    version = getattr(module, "__version__", None)
    if version:
        return str(version)
    from importlib.metadata import version as dist_version

    return dist_version(PACKAGE)


def legacy_module() -> ModuleType | None:
    """``vietnam_provinces.legacy`` when the installed version ships it (2026.x), else None."""
    try:
        return importlib.import_module("vietnam_provinces.legacy")
    except ImportError:
        return None


def _current_records(wanted_province: str | None) -> list[UnitRecord]:
    from vietnam_provinces import Province, Ward

    provinces = [p for p in Province.iter_all() if wanted_province in (None, _code(p.code, 2))]
    if not provinces:
        raise DomainError(
            "unknown_province",
            f"Không có tỉnh/thành phố mã {wanted_province} trong bộ dữ liệu hiện hành.",
            details={"province": wanted_province},
        )
    codes = {p.code for p in provinces}
    records = [UnitRecord(_code(p.code, 2), p.name, _level(p.division_type)) for p in provinces]
    records += [
        UnitRecord(_code(w.code, 5), w.name, _level(w.division_type), _code(w.province_code, 2))
        for w in Ward.iter_all()
        if w.province_code in codes
    ]
    return records


def _legacy_records(
    legacy: ModuleType, wanted_province: str | None
) -> tuple[list[UnitRecord], list[SuccessionRecord]]:
    """The pre-2025 set (provinces, districts, wards) and old→new links from the package."""
    # Any: the type stubs of the locked version (2025.x) have no get_legacy_sources().
    package: Any = importlib.import_module("vietnam_provinces")
    Province, Ward = package.Province, package.Ward

    if wanted_province is None:
        old_provinces = list(legacy.Province.iter_all())
    else:
        new = next(p for p in Province.iter_all() if _code(p.code, 2) == wanted_province)
        old_provinces = list(new.get_legacy_sources())
    province_codes = {p.code for p in old_provinces}
    districts = [d for d in legacy.District.iter_all() if d.province_code in province_codes]
    district_codes = {d.code for d in districts}
    wards = [w for w in legacy.Ward.iter_all() if w.district_code in district_codes]
    records = [UnitRecord(_code(p.code, 2), p.name, _level(p.division_type)) for p in old_provinces]
    records += [
        UnitRecord(_code(d.code, 3), d.name, _level(d.division_type), _code(d.province_code, 2))
        for d in districts
    ]
    records += [
        UnitRecord(_code(w.code, 5), w.name, _level(w.division_type), _code(w.district_code, 3))
        for w in wards
    ]

    # Old → new links, through the package's public API (each new unit's legacy sources).
    province_pairs = [
        (_code(old.code, 2), _code(new.code, 2))
        for new in Province.iter_all()
        for old in new.get_legacy_sources()
    ]
    ward_pairs = [
        (_code(old.code, 5), _code(new.code, 5), _code(new.province_code, 2))
        for new in Ward.iter_all()
        for old in new.get_legacy_sources()
    ]
    # An old unit that went to several new units went there in part. The package's conversion
    # table also marks old wards merged only in part into a single new ward.
    targets = Counter(old for old, *_ in ward_pairs)
    partly = _partly_merged_ward_codes()
    province_targets = Counter(old for old, _ in province_pairs)
    successions = [
        SuccessionRecord(old, new, province_targets[old] > 1, PROVINCE_LEGAL_BASIS)
        for old, new in province_pairs
    ]
    successions += [
        SuccessionRecord(
            old,
            new,
            targets[old] > 1 or old in partly,
            WARD_LEGAL_BASIS_BY_PROVINCE.get(new_province, WARD_LEGAL_BASIS),
        )
        for old, new, new_province in ward_pairs
    ]
    return records, successions


def _partly_merged_ward_codes() -> set[str]:
    try:
        table = importlib.import_module("vietnam_provinces._ward_conversion_2025").OLD_TO_NEW
    except (ImportError, AttributeError):
        return set()
    return {_code(code, 5) for code, entry in table.items() if entry.old_ward.is_partly_merged}


@transaction.atomic
def units_import_vietnam_provinces(
    *,
    province: str | int | None = None,
    include_legacy: bool = True,
    actor: Any = None,
) -> UnitsImport:
    """Import (create or update, never duplicate) the units of the installed vietnam-provinces.

    - The current set always: 34 provinces and 3,321 wards/communes/special zones, valid from
      01/07/2025, ``dataset = "vietnam-provinces:<version>"``.
    - With ``include_legacy`` and a version that ships ``vietnam_provinces.legacy`` (2026.x, on
      Python >= 3.12): the pre-2025 provinces, districts and wards, valid to 30/06/2025,
      ``dataset = "pre-2025:vietnam-provinces:<version>"``, and the old→new successions.
    - ``province`` ("01", 1, …) limits both sets to one province (and its pre-2025 sources).

    Records one ``DatasetImport`` row and one audit event.
    """
    import vietnam_provinces

    wanted = None if province in (None, "") else province_code(province)  # type: ignore[arg-type]
    version = package_version(vietnam_provinces)
    current_dataset = f"{CURRENT_FAMILY}:{version}"
    notes: list[str] = []

    current, counts = _upsert_units(
        _current_records(wanted),
        family=CURRENT_FAMILY,
        dataset=current_dataset,
        valid_from=REFORM_DATE,
        valid_to=None,
        complete=True,
        notes=notes,
    )
    notes.insert(
        0,
        f"Bộ hiện hành ({current_dataset}): thêm {counts.created}, cập nhật {counts.updated}, "
        f"không đổi {counts.unchanged}.",
    )

    legacy = legacy_module() if include_legacy else None
    if legacy is not None:
        legacy_dataset = f"{LEGACY_FAMILY}:{PACKAGE}:{version}"
        records, successions = _legacy_records(legacy, wanted)
        old_units, legacy_counts = _upsert_units(
            records,
            family=LEGACY_FAMILY,
            dataset=legacy_dataset,
            valid_from=None,
            valid_to=LEGACY_VALID_TO,
            complete=True,
            notes=notes,
        )
        legacy_counts.add(
            _upsert_successions(
                successions, old_units=old_units, new_units=current, effective=REFORM_DATE
            )
        )
        notes.append(
            f"Bộ trước 01/07/2025 ({legacy_dataset}): thêm {legacy_counts.created}, cập nhật "
            f"{legacy_counts.updated}, không đổi {legacy_counts.unchanged}; quan hệ sắp xếp: "
            f"thêm {legacy_counts.successions_created}, cập nhật "
            f"{legacy_counts.successions_updated}."
        )
        counts.add(legacy_counts)
    elif include_legacy:
        notes.append(
            f"Phiên bản {version} của vietnam-provinces không có bộ dữ liệu trước 01/07/2025 "
            "(vietnam_provinces.legacy có từ bản 2026.x, cần Python >= 3.12)."
        )

    record = DatasetImport.objects.create(
        source=PACKAGE,
        version=version,
        scope=wanted or "",
        units_created=counts.created,
        units_updated=counts.updated,
        units_unchanged=counts.unchanged,
        successions_created=counts.successions_created,
        note="\n".join(notes),
    )
    audit_record(
        action="orgunits.units_imported",
        obj=record,
        actor=actor,
        changes={
            "version": version,
            "scope": wanted or "",
            "created": counts.created,
            "updated": counts.updated,
            "successions_created": counts.successions_created,
            "legacy": legacy is not None,
        },
        summary=f"Nhập đơn vị hành chính từ vietnam-provinces {version}"
        + (f" (tỉnh/thành phố {wanted})" if wanted else ""),
    )
    return UnitsImport(
        record=record, counts=counts, legacy_available=legacy is not None, notes=notes
    )


# --- administrators' edits ---------------------------------------------------------------------


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def _check_dates(valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise DomainError(
            "invalid_period",
            "Ngày hết hiệu lực phải bằng hoặc sau ngày bắt đầu hiệu lực.",
            details={"valid_from": valid_from.isoformat(), "valid_to": valid_to.isoformat()},
        )


@transaction.atomic
def unit_update(
    *,
    unit: AdminUnit,
    actor: Any = None,
    name: str | None = None,
    committee_name: str | None = None,
    org_code: str | None = None,
    abbreviation: str | None = None,
    is_served: bool | None = None,
    parent: AdminUnit | None = UNSET,
    valid_from: dt.date | None = UNSET,
    valid_to: dt.date | None = UNSET,
) -> AdminUnit:
    """Change a unit's name, committee fields, parent or validity dates (only what is given).

    Audited with the changed fields; nothing is written when nothing changes.
    """
    wanted: dict[str, Any] = {}
    for key, value in (
        ("name", name),
        ("committee_name", committee_name),
        ("org_code", org_code),
        ("abbreviation", abbreviation),
    ):
        if value is not None:
            wanted[key] = nfc(value)
    if "name" in wanted and not wanted["name"]:
        raise DomainError("unit_name_required", "Tên đơn vị không được để trống.")
    if "abbreviation" in wanted and not wanted["abbreviation"]:
        raise DomainError(
            "unit_abbreviation_required", "Tên viết tắt của cơ quan không được để trống."
        )
    if is_served is not None:
        wanted["is_served"] = bool(is_served)
    if valid_from is not UNSET:
        wanted["valid_from"] = valid_from
    if valid_to is not UNSET:
        wanted["valid_to"] = valid_to
    if parent is not UNSET:
        if parent is not None:
            from congso.kernel.orgunits.selectors import descendant_ids

            if parent.pk in descendant_ids([unit.pk]):
                raise DomainError(
                    "unit_parent_cycle",
                    f"{parent} là {unit} hoặc đơn vị cấp dưới của nó, không thể làm cấp trên.",
                )
        wanted["parent"] = parent
    _check_dates(wanted.get("valid_from", unit.valid_from), wanted.get("valid_to", unit.valid_to))
    changes = {
        key: [_plain(getattr(unit, key)), _plain(value)]
        for key, value in wanted.items()
        if getattr(unit, key) != value
    }
    if not changes:
        return unit
    for key in changes:
        setattr(unit, key, wanted[key])
    unit.save(update_fields=list(changes))
    audit_record(
        action="orgunits.unit_changed",
        obj=unit,
        actor=actor,
        unit=unit,
        changes=changes,
        summary=f"Sửa thông tin đơn vị hành chính: {unit}",
    )
    return unit


def _check_department(
    *, unit: AdminUnit, name: str, abbreviation: str, kind: str, exclude_pk: int | None = None
) -> None:
    if not name:
        raise DomainError("department_name_required", "Tên phòng, ban không được để trống.")
    if not abbreviation:
        raise DomainError(
            "department_abbreviation_required", "Tên viết tắt của phòng, ban không được để trống."
        )
    if kind not in DepartmentKind.values:
        raise DomainError(
            "invalid_department_kind", "Loại phòng, ban không hợp lệ.", details={"kind": kind}
        )
    taken = Department.objects.filter(unit=unit, abbreviation=abbreviation)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise DomainError(
            "department_abbreviation_taken",
            f"{unit} đã có phòng, ban viết tắt “{abbreviation}”.",
            details={"abbreviation": abbreviation},
        )


@transaction.atomic
def department_create(
    *,
    unit: AdminUnit,
    name: str,
    abbreviation: str,
    kind: str = DepartmentKind.DIVISION,
    org_code: str = "",
    order: int = 0,
    is_active: bool = True,
    actor: Any = None,
) -> Department:
    """Add a department (phòng, ban, bộ phận) to a unit's committee. Its abbreviation is used in
    document notations (123/UBND-VP) and is unique within the unit."""
    name, abbreviation, org_code = nfc(name), nfc(abbreviation), nfc(org_code)
    _check_department(unit=unit, name=name, abbreviation=abbreviation, kind=kind)
    department = Department.objects.create(
        unit=unit,
        name=name,
        abbreviation=abbreviation,
        kind=kind,
        org_code=org_code,
        order=order,
        is_active=is_active,
    )
    audit_record(
        action="orgunits.department_created",
        obj=department,
        actor=actor,
        unit=unit,
        changes={
            "name": name,
            "abbreviation": abbreviation,
            "kind": kind,
            "org_code": org_code,
            "is_active": is_active,
        },
        summary=f"Thêm phòng, ban “{name}” ({abbreviation}) của {unit}",
    )
    return department


DEPARTMENT_FIELDS = ("name", "abbreviation", "kind", "org_code", "order", "is_active")


@transaction.atomic
def department_update(*, department: Department, actor: Any = None, **fields: Any) -> Department:
    """Change a department's name, abbreviation, kind, organisation code, order or active flag."""
    unknown = set(fields) - set(DEPARTMENT_FIELDS)
    if unknown:
        raise DomainError(
            "invalid_field", "Trường không sửa được.", details={"fields": sorted(unknown)}
        )
    wanted = {k: nfc(v) if isinstance(v, str) else v for k, v in fields.items()}
    _check_department(
        unit=department.unit,
        name=wanted.get("name", department.name),
        abbreviation=wanted.get("abbreviation", department.abbreviation),
        kind=wanted.get("kind", department.kind),
        exclude_pk=department.pk,
    )
    changes = {
        k: [_plain(getattr(department, k)), _plain(v)]
        for k, v in wanted.items()
        if getattr(department, k) != v
    }
    if not changes:
        return department
    for key in changes:
        setattr(department, key, wanted[key])
    department.save(update_fields=list(changes))
    audit_record(
        action="orgunits.department_changed",
        obj=department,
        actor=actor,
        unit=department.unit,
        changes=changes,
        summary=f"Sửa phòng, ban “{department.name}” của {department.unit}",
    )
    return department
