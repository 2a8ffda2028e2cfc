"""``manage.py demo``: the registry, idempotence, the demo logins, and the seed facts parser."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from congso.kernel.core import demo as registry
from congso.kernel.core.data import (
    FactValue,
    load_seed_facts,
    parse_fact_value,
    parse_period,
)
from congso.kernel.orgunits.models import AdminUnit, DatasetImport, Department, UnitSuccession
from congso.kernel.people.models import Clearance, Delegation, Position, Role, User

REPO = Path(__file__).resolve().parents[5]
MODELS = (AdminUnit, UnitSuccession, Department, DatasetImport, User, Position, Delegation)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo_loaded(db: Any, capsys: pytest.CaptureFixture[str]) -> str:
    call_command("demo")
    return capsys.readouterr().out


def test_demo_loads_tay_ho(demo_loaded: str) -> None:
    from congso.kernel.orgunits.demo import demo_units

    units = demo_units()
    assert units.tay_ho.code == "00103" and units.tay_ho.is_served
    assert units.phu_thuong.code == "00091" and units.phu_thuong.is_served
    assert units.tay_ho.org_code == "H26.103-DEMO"
    assert units.tay_ho.committee_name == "Ủy ban nhân dân phường Tây Hồ"
    assert units.tay_ho.valid_from == dt.date(2025, 7, 1)
    assert units.former_district.valid_to == dt.date(2025, 6, 30)
    assert units.former_district.parent is not None
    assert units.former_district.parent.name == "Thành phố Hà Nội"
    assert sorted(w.name.removeprefix("Phường ") for w in units.former_wards) == sorted(
        ["Bưởi", "Nhật Tân", "Quảng An", "Tứ Liên", "Yên Phụ", "Thụy Khuê", "Xuân La", "Phú Thượng"]
    )
    assert units.hanoi.children.count() == 126  # Hà Nội's current set was imported
    for unit in units.served:
        assert set(Department.objects.filter(unit=unit).values_list("abbreviation", flat=True)) >= {
            "VP",
            "KT",
            "VHXH",
            "TTPVHCC",
            "LĐ",
        }
    district_departments = Department.objects.filter(unit=units.former_district)
    assert district_departments.count() >= 10
    assert not district_departments.filter(is_active=True).exists()
    assert UnitSuccession.objects.filter(new=units.tay_ho).count() == 8
    assert "congso-demo-2026" in demo_loaded


def test_demo_twice_changes_nothing(demo_loaded: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = counts()
    from congso.kernel.audit.models import AuditEvent

    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    call_command("demo")
    out = capsys.readouterr().out
    assert counts() == before
    # Nothing was written, so nothing audited (the message says what was).
    written = Counter(AuditEvent.objects.filter(seq__gt=last).values_list("action", flat=True))
    assert not written, (dict(written), out)
    assert "20 cán bộ (0 mới), 0 vị trí công tác mới, 0 ủy quyền mới" in out


def test_demo_staff(demo_loaded: str) -> None:
    from congso.kernel.orgunits.demo import demo_units

    units = demo_units()
    staff = User.objects.filter(username__in=[s.username for s in _staff()])
    assert staff.count() == 20
    roles = set(Position.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    # One user with two positions in force today, in two wards.
    two = User.objects.get(username="chuyenvien.vhxh.tayho")
    active = Position.objects.active().filter(user=two)
    assert {p.unit_id for p in active} == {units.tay_ho.pk, units.phu_thuong.pk}
    assert active.filter(is_primary=True).count() == 1
    # A leader with clearance Mật.
    chair = User.objects.get(username="chutich.tayho")
    assert chair.clearance == Clearance.SECRET
    assert Position.objects.active().get(user=chair).role == Role.LEADER
    # Historical posts in the former district.
    assert Position.objects.filter(unit=units.former_district, valid_to=dt.date(2025, 6, 30))
    # One delegation in force today.
    today = dt.date.today()
    delegation = Delegation.objects.get(revoked_at__isnull=True)
    assert delegation.start <= today <= delegation.end
    assert (delegation.principal, delegation.delegate.username) == (chair, "phochutich.tayho")
    # Vietnamese names in NFC with diacritics.
    assert User.objects.get(username="vanthu.tayho").full_name == "Hoàng Thị Mai"


def test_demo_users_can_sign_in(demo_loaded: str) -> None:
    request = RequestFactory().post("/dang-nhap/")
    for username in ("admin", "chutich.tayho", "vanthu.phuthuong", "motcua.tayho"):
        user = authenticate(request, username=username, password=registry.DEMO_PASSWORD)
        assert user is not None and user.username == username
    assert authenticate(request, username="vanthu.tayho", password="sai-mat-khau") is None
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    # The real hasher's format, not a plain text.
    assert "$" in admin.password and registry.DEMO_PASSWORD not in admin.password


def test_demo_logins_are_documented_and_printed(demo_loaded: str) -> None:
    doc = (REPO / "docs" / "demo-logins.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9.]+)` \|", doc, flags=re.MULTILINE))
    usernames = {s.username for s in _staff()}
    assert documented == usernames
    assert registry.DEMO_PASSWORD in doc
    for username in usernames:
        assert re.search(rf"^\s+{re.escape(username)}\s", demo_loaded, flags=re.MULTILINE)


def _staff() -> Any:
    from congso.kernel.people.demo import STAFF

    return STAFF


def test_registry_orders_and_discovers(db: Any) -> None:
    modules = registry.discover()
    assert "congso.kernel.orgunits.demo" in modules
    assert "congso.kernel.people.demo" in modules
    names = [loader.name for loader in registry.loaders()]
    assert names.index("units") < names.index("staff")

    ran: list[str] = []

    @registry.register("zz-test", order=999)
    def _loader(ctx: registry.DemoContext) -> None:
        ran.append(ctx.current)
        ctx.log("xin chào")

    try:
        lines: list[str] = []
        registry.run_all(registry.DemoContext(out=lines.append), only={"zz-test"})
        assert ran == ["zz-test"]
        assert lines == ["[zz-test] xin chào"]
    finally:
        registry._registry.pop("zz-test")


# --- the seed facts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14.01", FactValue("=", Decimal("14.01"))),
        ("1186", FactValue("=", Decimal("1186"))),
        ("0", FactValue("=", Decimal("0"))),
        (">14", FactValue(">", Decimal("14"))),
        (">=90", FactValue(">=", Decimal("90"))),
        ("<= 5", FactValue("<=", Decimal("5"))),
        ("5/8", FactValue("=", Decimal("5"), Decimal("8"))),
        (" 23 / 25 ", FactValue("=", Decimal("23"), Decimal("25"))),
    ],
)
def test_parse_fact_value(text: str, expected: FactValue) -> None:
    assert parse_fact_value(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "14,01", "=>5", ">5/8", "5/0", "1/2/3", "-3"])
def test_parse_fact_value_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=r"không hợp lệ|mẫu số|phân số"):
        parse_fact_value(text)


def test_parse_period() -> None:
    assert parse_period("2016-2020") == (2016, 2020)
    assert parse_period("2020") == (2020, 2020)
    for bad in ("2020-2016", "20", "2020-"):
        with pytest.raises(ValueError):
            parse_period(bad)


def test_load_seed_facts() -> None:
    facts = load_seed_facts()
    source = REPO / "src/congso/kernel/core/data/tay-ho-facts.csv"
    assert len(facts) == len(source.read_text(encoding="utf-8").strip().splitlines()) - 1
    by_key = {(f.indicator, f.kind, f.period_label): f for f in facts}
    growth = by_key[("economic_growth_avg", "actual", "2016–2020")]
    assert growth.value == FactValue("=", Decimal("14.01"))
    assert growth.unit_of_measure == "percent_per_year"
    target = by_key[("economic_growth_avg", "target", "2020–2025")]
    assert (target.value.comparator, target.value.number) == (">", Decimal("14"))
    wards = by_key[("cultural_wards", "actual", "2020")]
    assert wards.value.ratio == Decimal("0.625")
    assert by_key[("new_party_members_per_year", "target", "2020–2025")].value.comparator == ">="
    assert {f.kind for f in facts} == {"actual", "target", "context"}
    assert all(f.statement_vi for f in facts)


def test_load_seed_facts_names_the_bad_line(tmp_path: Path) -> None:
    bad = tmp_path / "facts.csv"
    bad.write_text(
        "indicator,unit_of_measure,value,period,scope,kind,statement_vi\n"
        "a,count,1,2020,X,actual,ok\n"
        "b,count,nhiều,2020,X,actual,sai\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="dòng 3"):
        load_seed_facts(bad)
    bad.write_text("indicator,value\n", encoding="utf-8")
    with pytest.raises(ValueError, match="thiếu cột"):
        load_seed_facts(bad)


def test_seed_copy_matches_the_shared_seed() -> None:
    shared = REPO.parent / "shared" / "seed" / "tay-ho-facts.csv"
    if not shared.exists():
        pytest.skip("shared/ is not beside the repository")
    ours = REPO / "src/congso/kernel/core/data/tay-ho-facts.csv"
    assert ours.read_bytes() == shared.read_bytes()
