"""Demo staff of Phường Tây Hồ and Phường Phú Thượng: 20 accounts with every role.

One password for all (``DEMO_PASSWORD``, printed by ``manage.py demo``), set with the real
password hasher. Also: a user with two positions (a specialist of Tây Hồ who is also a one-stop
officer in Phú Thượng), a leader with clearance "Mật", positions held in the former Quận Tây Hồ
until 30/06/2025, and one delegation in force (the chairwoman of Tây Hồ to a vice-chairman).
The list is also in docs/demo-logins.md (a test keeps the two in step).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from congso.kernel.core.demo import DemoContext, DemoLogin, register
from congso.kernel.orgunits.demo import DemoUnits, demo_units
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people import services
from congso.kernel.people.models import (
    AccountKind,
    Clearance,
    Delegation,
    DelegationKind,
    Position,
    Role,
    User,
)

NEW_WARDS_FROM = dt.date(2025, 7, 1)
FORMER_DISTRICT_TO = dt.date(2025, 6, 30)
EMAIL_DOMAIN = "demo.congso.invalid"


@dataclass(frozen=True)
class Post:
    unit: str  # "tay_ho", "phu_thuong" or "former_district"
    department: str  # abbreviation
    role: str
    title: str
    valid_from: dt.date | None = NEW_WARDS_FROM
    valid_to: dt.date | None = None
    is_primary: bool = True


@dataclass(frozen=True)
class Staff:
    username: str
    full_name: str
    posts: tuple[Post, ...]
    clearance: int = Clearance.NONE
    superuser: bool = False


def _p(unit: str, department: str, role: str, title: str, **kw: object) -> Post:
    return Post(unit, department, role, title, **kw)  # type: ignore[arg-type]


STAFF: tuple[Staff, ...] = (
    # Phường Tây Hồ
    Staff(
        "admin",
        "Đặng Quốc Khánh",
        (_p("tay_ho", "VP", Role.ADMIN, "Quản trị hệ thống"),),
        superuser=True,
    ),
    Staff(
        "chutich.tayho",
        "Nguyễn Thị Thu Hằng",
        (
            _p("tay_ho", "LĐ", Role.LEADER, "Chủ tịch UBND phường"),
            _p(
                "former_district",
                "LĐ",
                Role.LEADER,
                "Phó Chủ tịch UBND quận",
                valid_from=dt.date(2021, 7, 1),
                valid_to=FORMER_DISTRICT_TO,
                is_primary=False,
            ),
        ),
        clearance=Clearance.SECRET,
    ),
    Staff(
        "phochutich.tayho",
        "Trần Minh Đức",
        (_p("tay_ho", "LĐ", Role.LEADER, "Phó Chủ tịch UBND phường (Kinh tế, Đô thị)"),),
    ),
    Staff(
        "phochutich2.tayho",
        "Lê Thị Hồng Nhung",
        (_p("tay_ho", "LĐ", Role.LEADER, "Phó Chủ tịch UBND phường (Văn hóa - Xã hội)"),),
    ),
    Staff(
        "chanhvanphong.tayho",
        "Phạm Văn Hùng",
        (_p("tay_ho", "VP", Role.LEADER, "Chánh Văn phòng HĐND-UBND"),),
    ),
    Staff(
        "vanthu.tayho",
        "Hoàng Thị Mai",
        (
            _p("tay_ho", "VP", Role.CLERK, "Văn thư"),
            _p(
                "former_district",
                "VP",
                Role.CLERK,
                "Văn thư UBND quận",
                valid_from=dt.date(2019, 3, 1),
                valid_to=FORMER_DISTRICT_TO,
                is_primary=False,
            ),
        ),
    ),
    Staff(
        "chuyenvien.vp.tayho",
        "Đỗ Thị Lan Anh",
        (_p("tay_ho", "VP", Role.SPECIALIST, "Chuyên viên Văn phòng"),),
    ),
    Staff(
        "truongphong.kt.tayho",
        "Bùi Quang Huy",
        (_p("tay_ho", "KT", Role.LEADER, "Trưởng phòng Kinh tế, Hạ tầng và Đô thị"),),
    ),
    Staff(
        "chuyenvien.kt.tayho",
        "Vũ Đức Thắng",
        (_p("tay_ho", "KT", Role.SPECIALIST, "Chuyên viên Phòng Kinh tế, Hạ tầng và Đô thị"),),
    ),
    Staff(
        "chuyenvien.vhxh.tayho",
        "Nguyễn Văn Bình",
        (
            _p("tay_ho", "VHXH", Role.SPECIALIST, "Chuyên viên Phòng Văn hóa - Xã hội"),
            _p(
                "phu_thuong",
                "TTPVHCC",
                Role.ONESTOP_OFFICER,
                "Cán bộ một cửa (kiêm nhiệm)",
                is_primary=False,
            ),
        ),
    ),
    Staff(
        "motcua.tayho",
        "Ngô Thị Thanh Hương",
        (_p("tay_ho", "TTPVHCC", Role.ONESTOP_OFFICER, "Cán bộ tiếp nhận và trả kết quả"),),
    ),
    Staff(
        "motcua2.tayho",
        "Đinh Văn Tùng",
        (_p("tay_ho", "TTPVHCC", Role.ONESTOP_OFFICER, "Cán bộ tiếp nhận và trả kết quả"),),
    ),
    Staff(
        "thanhtra.tayho",
        "Lý Văn Sơn",
        (_p("tay_ho", "KT", Role.INSPECTOR, "Cán bộ kiểm tra trật tự xây dựng"),),
    ),
    # Phường Phú Thượng
    Staff(
        "chutich.phuthuong",
        "Trịnh Văn Long",
        (_p("phu_thuong", "LĐ", Role.LEADER, "Chủ tịch UBND phường"),),
    ),
    Staff(
        "phochutich.phuthuong",
        "Mai Thị Ngọc Ánh",
        (_p("phu_thuong", "LĐ", Role.LEADER, "Phó Chủ tịch UBND phường"),),
    ),
    Staff(
        "vanthu.phuthuong",
        "Dương Thị Hà",
        (_p("phu_thuong", "VP", Role.CLERK, "Văn thư"),),
    ),
    Staff(
        "chuyenvien.kt.phuthuong",
        "Phan Văn Toàn",
        (_p("phu_thuong", "KT", Role.SPECIALIST, "Chuyên viên Phòng Kinh tế, Hạ tầng và Đô thị"),),
    ),
    Staff(
        "chuyenvien.vhxh.phuthuong",
        "Lương Thị Thu Trang",
        (_p("phu_thuong", "VHXH", Role.SPECIALIST, "Chuyên viên Phòng Văn hóa - Xã hội"),),
    ),
    Staff(
        "motcua.phuthuong",
        "Cao Thị Kim Oanh",
        (_p("phu_thuong", "TTPVHCC", Role.ONESTOP_OFFICER, "Cán bộ tiếp nhận và trả kết quả"),),
    ),
    Staff(
        "thanhtra.phuthuong",
        "Tạ Quang Vinh",
        (_p("phu_thuong", "KT", Role.INSPECTOR, "Cán bộ kiểm tra trật tự xây dựng"),),
    ),
)

#: (principal, delegate, kind, note): in force from yesterday for two weeks, renewed by the demo.
DELEGATIONS = (
    (
        "chutich.tayho",
        "phochutich.tayho",
        DelegationKind.AUTHORISED,
        "Ủy quyền điều hành, ký thay Chủ tịch trong thời gian Chủ tịch đi công tác.",
    ),
)


def role_label(post: Post) -> str:
    """ "Chủ tịch UBND phường (Lãnh đạo)"; just "Văn thư" when the title says the role."""
    label = str(Role(post.role).label)
    return post.title if label.lower() in post.title.lower() else f"{post.title} ({label})"


def _unit(units: DemoUnits, key: str) -> AdminUnit:
    unit: AdminUnit = getattr(units, key)
    return unit


def _ensure_user(staff: Staff, password: str) -> tuple[User, bool]:
    user = User.objects.filter(username=staff.username).first()
    created = user is None
    if user is None:
        user = User(username=staff.username)
    wanted = {
        "full_name": staff.full_name,
        "email": f"{staff.username}@{EMAIL_DOMAIN}",
        "kind": AccountKind.STAFF,
        "clearance": int(staff.clearance),
        "is_active": True,
        "is_staff": staff.superuser,
        "is_superuser": staff.superuser,
    }
    changes = {k: [getattr(user, k, None), v] for k, v in wanted.items() if getattr(user, k) != v}
    for key, value in wanted.items():
        setattr(user, key, value)
    if created or not user.check_password(password):
        user.set_password(password)
        changes["password"] = ["", ""]
    if changes:
        user.save()
        services.user_record_change(user=user, changes=changes, created=created)
    return user, created


def _ensure_position(user: User, post: Post, units: DemoUnits) -> bool:
    unit = _unit(units, post.unit)
    department = Department.objects.get(unit=unit, abbreviation=post.department)
    position = Position.objects.filter(
        user=user, unit=unit, role=post.role, department=department
    ).first()
    if position is None:
        services.position_assign(
            user=user,
            unit=unit,
            role=post.role,
            department=department,
            title=post.title,
            valid_from=post.valid_from,
            valid_to=post.valid_to,
            is_primary=post.is_primary,
        )
        return True
    wanted: dict[str, Any] = {
        "title": post.title,
        "valid_from": post.valid_from,
        "valid_to": post.valid_to,
        "is_primary": post.is_primary,
    }
    changed = {k: v for k, v in wanted.items() if getattr(position, k) != v}
    if changed:
        services.position_update(position=position, **changed)
    return False


def _ensure_delegation(
    principal: User, delegate: User, unit: AdminUnit, kind: str, note: str, today: dt.date
) -> bool:
    """One delegation in force today; an expired one is revoked and granted anew."""
    current = Delegation.objects.filter(
        principal=principal, delegate=delegate, unit=unit, revoked_at__isnull=True
    ).order_by("-end")
    for delegation in current:
        if delegation.start <= today <= delegation.end:
            return False
        services.delegation_revoke(delegation=delegation)
    services.delegation_grant(
        principal=principal,
        delegate=delegate,
        unit=unit,
        kind=kind,
        start=today - dt.timedelta(days=1),
        end=today + dt.timedelta(days=13),
        note=note,
    )
    return True


@register("staff", order=20)
def load_staff(ctx: DemoContext) -> None:
    units = demo_units()
    users: dict[str, User] = {}
    made = positions = 0
    for staff in STAFF:
        user, created = _ensure_user(staff, ctx.password)
        users[staff.username] = user
        made += created
        for post in staff.posts:
            positions += _ensure_position(user, post, units)
        ctx.logins.append(
            DemoLogin(
                username=staff.username,
                full_name=staff.full_name,
                role=role_label(staff.posts[0]),
                unit=_unit(units, staff.posts[0].unit).name,
            )
        )
    granted = 0
    for principal, delegate, kind, note in DELEGATIONS:
        granted += _ensure_delegation(
            users[principal], users[delegate], units.tay_ho, kind, note, ctx.today
        )
    ctx.log(
        f"{len(STAFF)} cán bộ ({made} mới), {positions} vị trí công tác mới, "
        f"{granted} ủy quyền mới."
    )
