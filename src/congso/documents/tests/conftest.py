"""Fixtures of the documents tests. Each area adds its own below its heading.

Incoming documents: a ward with its departments and people (clerk, leaders, specialists of two
departments, a clerk of another ward), real PDF letters with a Vietnamese text layer
(``congso.documents.textpdf``) and a ``register`` helper calling the real service.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.documents.models import DocumentType, IncomingDocument, Organisation
from congso.kernel.orgunits.models import AdminUnit, Department, DepartmentKind
from congso.kernel.people.models import Position, Role, User

# --- incoming documents ----------------------------------------------------------------------

_letters = itertools.count(1)


def letter_pdf(text: str = "", *, pages: int = 1) -> bytes:
    """A real one-or-more-page PDF letter with a Vietnamese text layer; each call differs."""
    from congso.documents.textpdf import Line, render

    n = next(_letters)
    body = text or f"Về việc kiểm tra trật tự xây dựng trên địa bàn phường, lần {n}."
    lines: list[Line] = [
        Line("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", align="center"),
        Line(f"Số: {n}/UBND-ĐT", align="center", space_after=12),
        Line(body, align="wrap"),
    ]
    for page in range(1, pages):  # a line that fills the page pushes the next one over
        lines.append(Line(f"Trang {page}.", space_after=800))
    if pages > 1:
        lines.append(Line("Hết."))
    return render(lines, title=f"Văn bản thử {n}")


def upload(name: str = "cong-van.pdf", content: bytes | None = None, **kw: Any) -> Any:
    data = letter_pdf() if content is None else content
    return SimpleUploadedFile(name, data, content_type=kw.get("content_type", "application/pdf"))


@pytest.fixture
def departments(ward_a: AdminUnit) -> dict[str, Department]:
    out = {d.abbreviation: d for d in Department.objects.filter(unit=ward_a)}
    for abbr, name, kind in (
        ("LĐ", "Lãnh đạo Ủy ban nhân dân", DepartmentKind.LEADERSHIP),
        ("VP", "Văn phòng HĐND-UBND", DepartmentKind.OFFICE),
        ("KT", "Phòng Kinh tế, Hạ tầng và Đô thị", DepartmentKind.DIVISION),
        ("VHXH", "Phòng Văn hóa - Xã hội", DepartmentKind.DIVISION),
    ):
        if abbr not in out:
            out[abbr] = Department.objects.create(
                unit=ward_a, name=name, abbreviation=abbr, kind=kind
            )
    return out


def _person(
    make_user: Callable[..., User],
    role: str,
    unit: AdminUnit,
    department: Department | None,
    username: str,
    full_name: str,
    **kw: Any,
) -> User:
    user = make_user(role, None, username=username, full_name=full_name, **kw)
    Position.objects.create(user=user, unit=unit, role=role, department=department)
    return user


@pytest.fixture
def clerk(make_user: Any, ward_a: AdminUnit, departments: dict[str, Department]) -> User:
    return _person(
        make_user,
        Role.CLERK,
        ward_a,
        departments["VP"],
        "vanthu",
        "Hoàng Thị Mai",
        email="vanthu@example.invalid",
    )


@pytest.fixture
def leader(make_user: Any, ward_a: AdminUnit, departments: dict[str, Department]) -> User:
    return _person(
        make_user,
        Role.LEADER,
        ward_a,
        departments["LĐ"],
        "chutich",
        "Nguyễn Thị Thu Hằng",
        clearance=1,
        email="chutich@example.invalid",
    )


@pytest.fixture
def specialist(make_user: Any, ward_a: AdminUnit, departments: dict[str, Department]) -> User:
    return _person(
        make_user,
        Role.SPECIALIST,
        ward_a,
        departments["KT"],
        "chuyenvien.kt",
        "Vũ Đức Thắng",
        email="kt@example.invalid",
    )


@pytest.fixture
def colleague(make_user: Any, ward_a: AdminUnit, departments: dict[str, Department]) -> User:
    """Another specialist of the same department (KT)."""
    return _person(
        make_user, Role.SPECIALIST, ward_a, departments["KT"], "chuyenvien2.kt", "Trần Văn Nam"
    )


@pytest.fixture
def outsider(make_user: Any, ward_a: AdminUnit, departments: dict[str, Department]) -> User:
    """A specialist of another department (VHXH) of the same ward."""
    return _person(
        make_user,
        Role.SPECIALIST,
        ward_a,
        departments["VHXH"],
        "chuyenvien.vhxh",
        "Nguyễn Văn Bình",
    )


@pytest.fixture
def clerk_b(make_user: Any, ward_b: AdminUnit) -> User:
    return _person(make_user, Role.CLERK, ward_b, None, "vanthu.b", "Dương Thị Hà", clearance=3)


@pytest.fixture
def sender(db: Any) -> Organisation:
    return Organisation.objects.create(
        name="Sở Xây dựng thành phố Hà Nội", org_code="H26.SXD-DEMO", abbreviation="SXD"
    )


def doc_type(name: str = "Công văn") -> DocumentType:
    return DocumentType.objects.get(name=name)


@pytest.fixture
def register(ward_a: AdminUnit, clerk: User) -> Callable[..., IncomingDocument]:
    """``register(**overrides)``: the real ``incoming_register`` with sensible defaults."""
    from congso.documents.services.incoming import incoming_register

    counter = itertools.count(1)

    def _register(**overrides: Any) -> IncomingDocument:
        n = next(counter)
        kwargs: dict[str, Any] = {
            "unit": ward_a,
            "user": clerk,
            "files": [upload(f"van-ban-{n}.pdf")],
            "channel": "paper",
            "sender": None,
            "sender_name": "Sở Xây dựng thành phố Hà Nội",
            "document_type": doc_type("Công văn"),
            "notation": f"{100 + n}/SXD-QLXD",
            "issued_date": dt.date.today() - dt.timedelta(days=3),
            "subject": f"V/v tăng cường kiểm tra trật tự xây dựng (đợt {n})",
        }
        kwargs.update(overrides)
        return incoming_register(**kwargs)

    return _register


# --- outgoing documents ----------------------------------------------------------------------
# A head of department (KT), a leader of the other ward, test-CA credentials for the leader and
# both committees, a Decree 30 decision PDF (WeasyPrint) and a ``make_outgoing`` helper that
# takes a draft through the real services up to the status asked for.


@pytest.fixture(scope="session")
def decision_bytes() -> bytes:
    from congso.kernel.signing.tests.samples import decision_pdf

    return decision_pdf(signer="Nguyễn Thị Thu Hằng", title="CHỦ TỊCH")


@pytest.fixture(scope="session")
def appendix_bytes() -> bytes:
    from congso.kernel.signing.tests.samples import attachment_pdf

    return attachment_pdf()


@pytest.fixture
def head_kt(make_user: Any, ward_a: AdminUnit, departments: dict[str, Department]) -> User:
    return _person(
        make_user, Role.LEADER, ward_a, departments["KT"], "truongphong.kt", "Bùi Quang Huy"
    )


@pytest.fixture
def leader_b(make_user: Any, ward_b: AdminUnit) -> User:
    return _person(make_user, Role.LEADER, ward_b, None, "chutich.b", "Trịnh Văn Long", clearance=3)


@pytest.fixture
def signing_credentials(ward_a: AdminUnit, ward_b: AdminUnit, leader: User) -> dict[str, Any]:
    from congso.kernel.signing.services import demo_credential_issue

    return {
        "leader": demo_credential_issue(user=leader, title="Chủ tịch UBND phường"),
        "ward_a": demo_credential_issue(unit=ward_a),
        "ward_b": demo_credential_issue(unit=ward_b),
    }


@pytest.fixture
def make_outgoing(
    ward_a: AdminUnit,
    departments: dict[str, Department],
    specialist: User,
    head_kt: User,
    leader: User,
    clerk: User,
    decision_bytes: bytes,
) -> Callable[..., Any]:
    """``make_outgoing(until="issued", type_name="Quyết định", **draft_overrides)``: a draft
    taken through the real services: draft → in_review → approved → signed → issued."""
    from congso.documents.services import outgoing as svc

    order = ["draft", "in_review", "approved", "signed", "issued"]

    def _make(until: str = "issued", type_name: str = "Quyết định", **overrides: Any) -> Any:
        kwargs: dict[str, Any] = {
            "unit": ward_a,
            "department": departments["KT"],
            "user": specialist,
            "document_type": doc_type(type_name),
            "subject": "Về việc thành lập Tổ công tác chuyển đổi số phường",
            "file": upload("du-thao.pdf", decision_bytes),
        }
        kwargs.update(overrides)
        document = svc.outgoing_draft_create(**kwargs)
        if order.index(until) >= 1:
            svc.outgoing_review_submit(
                document=document, user=kwargs["user"], reviewers=[head_kt, leader]
            )
        if order.index(until) >= 2:
            for reviewer in (head_kt, leader):
                step = svc.current_step(document.__class__.objects.get(pk=document.pk))
                assert step is not None and step.reviewer_id == reviewer.pk
                svc.outgoing_review_decide(step=step, user=reviewer, decision="approved")
        if order.index(until) >= 3:
            svc.outgoing_sign(
                document=document, user=leader, signing_authority="TM.", signer_title="Chủ tịch"
            )
        if order.index(until) >= 4:
            svc.outgoing_issue(document=document, user=clerk)
        return document.__class__.objects.get(pk=document.pk)

    return _make
