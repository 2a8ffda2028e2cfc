"""Documents in the search index: the outbox in the caller's transaction, the drain, scopes.

Runs on SQLite and PostgreSQL (``DATABASE_URL``).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.db import transaction

from congso.documents.models import (
    Assignment,
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
)
from congso.documents.search import document_changed
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import Role, User
from congso.kernel.search.models import OutboxOp, SearchOutbox
from congso.kernel.search.selectors import search_for
from congso.kernel.search.services import (
    pending_outbox,
    search_check,
    search_drain,
    search_enqueue,
    search_enqueue_delete,
)
from congso.kernel.search.tests.fixtures import search_index  # noqa: F401

pytestmark = pytest.mark.usefixtures("search_index")

_numbers = itertools.count(1)


def make_incoming(unit: AdminUnit, subject: str, **kw: Any) -> IncomingDocument:
    kw.setdefault("sender_name", "Sở Xây dựng")
    kw.setdefault("channel", "paper")
    kw.setdefault("document_type", DocumentType.objects.order_by("pk").first())
    return IncomingDocument.objects.create(
        unit=unit, arrival_year=2026, arrival_number=next(_numbers), subject=subject, **kw
    )


def make_outgoing(unit: AdminUnit, subject: str, user: User, **kw: Any) -> OutgoingDocument:
    department = Department.objects.filter(unit=unit).first() or Department.objects.create(
        unit=unit, name="Văn phòng", abbreviation="VP"
    )
    kw.setdefault("document_type", DocumentType.objects.order_by("pk").first())
    return OutgoingDocument.objects.create(
        unit=unit, department=department, subject=subject, created_by=user, **kw
    )


def found(user: User, q: str, **kw: Any) -> list[tuple[str, int]]:
    return [(i.hit.kind, i.hit.id) for i in search_for(user, q=q, **kw).items]


# --- the outbox ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_saving_a_document_writes_an_outbox_row_in_the_same_transaction(ward_a) -> None:
    before = SearchOutbox.objects.count()
    with transaction.atomic():
        document = make_incoming(ward_a, "Về việc cấp giấy phép xây dựng")
        row = SearchOutbox.objects.order_by("-id").first()
        assert row is not None
        assert (row.kind, row.object_id, row.op) == ("incoming", document.pk, OutboxOp.INDEX)
    assert SearchOutbox.objects.count() == before + 1


@pytest.mark.django_db
def test_rolled_back_change_leaves_no_outbox_row(ward_a) -> None:
    before = SearchOutbox.objects.count()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        make_incoming(ward_a, "Về việc không bao giờ được lưu")
        assert SearchOutbox.objects.count() == before + 1
        raise Boom
    assert SearchOutbox.objects.count() == before


@pytest.mark.django_db
def test_explicit_enqueue_and_delete(ward_a) -> None:
    document = make_incoming(ward_a, "Thông báo lịch tiếp công dân")
    SearchOutbox.objects.all().delete()
    search_enqueue(document)
    search_enqueue_delete("incoming", 999)
    rows = list(SearchOutbox.objects.order_by("id").values_list("kind", "object_id", "op"))
    assert rows == [("incoming", document.pk, "index"), ("incoming", 999, "delete")]
    with pytest.raises(ValueError):
        search_enqueue(ward_a)  # not a search source


@pytest.mark.django_db
def test_commit_kicks_the_drain_and_the_document_is_found(
    ward_a, make_user, django_capture_on_commit_callbacks
) -> None:
    clerk = make_user(Role.CLERK, ward_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        document = make_incoming(ward_a, "Kế hoạch phòng cháy chữa cháy mùa khô")
        make_incoming(ward_a, "Báo cáo tình hình an ninh trật tự")
    assert len(callbacks) == 1  # one drain per transaction, however many changes
    assert not pending_outbox().exists()
    assert found(clerk, "phong chay chua chay") == [("incoming", document.pk)]


@pytest.mark.django_db
def test_drain_applies_changes_updates_and_deletes(ward_a, make_user) -> None:
    clerk = make_user(Role.CLERK, ward_a)
    document = make_incoming(ward_a, "Giấy mời họp giao ban")
    report = search_drain()
    assert report.rebuilt or report.rows >= 1
    assert found(clerk, "giao ban") == [("incoming", document.pk)]

    # OCR text written with QuerySet.update() (as digitisation does), then document_changed.
    IncomingDocument.objects.filter(pk=document.pk).update(
        text="Nội dung quét: đề nghị các tổ dân phố cử đại diện dự họp."
    )
    document_changed(document)
    search_drain()
    assert found(clerk, "to dan pho") == [("incoming", document.pk)]

    document.subject = "Giấy mời họp tổng kết"
    document.save()
    search_drain()
    assert found(clerk, "giao ban") == []
    assert found(clerk, "tổng kết") == [("incoming", document.pk)]

    pk = document.pk
    document.delete()
    search_drain()
    assert found(clerk, "tổng kết") == []
    assert not pending_outbox().exists()
    assert search_check().ok, pk


@pytest.mark.django_db
def test_drain_twice_is_harmless(ward_a, make_user) -> None:
    clerk = make_user(Role.CLERK, ward_a)
    document = make_incoming(ward_a, "Quyết định khen thưởng tập thể")
    search_drain()
    SearchOutbox.objects.update(processed_at=None)  # as if the worker died before marking
    search_drain()
    assert found(clerk, "khen thưởng") == [("incoming", document.pk)]
    report = search_check()
    assert report.ok and not report.duplicated


# --- scopes -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_units_clearance_and_assignments_inside_the_index(ward_a, ward_b, make_user) -> None:
    office = Department.objects.get(unit=ward_a, abbreviation="VP")
    clerk_a = make_user(Role.CLERK, ward_a)
    clerk_b = make_user(Role.CLERK, ward_b)
    cleared = make_user(Role.CLERK, ward_a, clearance=1)
    specialist = make_user(Role.SPECIALIST, ward_a)
    colleague = make_user(Role.SPECIALIST, ward_a)
    leader = make_user(Role.LEADER, ward_a)

    ordinary = make_incoming(ward_a, "Kế hoạch giải phóng mặt bằng dự án đường ven hồ")
    elsewhere = make_incoming(ward_b, "Kế hoạch giải phóng mặt bằng phường bên")
    secret = make_incoming(
        ward_a,
        "Kế hoạch giải phóng mặt bằng khu quân sự",
        secrecy=1,
        text="Tọa độ kho đạn nằm phía bắc khu đất",
    )
    Assignment.objects.create(document=ordinary, assigned_by=leader, lead_user=specialist)
    search_drain()

    q = "giai phong mat bang"
    assert set(found(clerk_a, q)) == {("incoming", ordinary.pk)}
    assert set(found(clerk_b, q)) == {("incoming", elsewhere.pk)}
    assert set(found(cleared, q)) == {("incoming", ordinary.pk), ("incoming", secret.pk)}
    assert found(specialist, q) == [("incoming", ordinary.pk)]  # assigned to them
    assert found(colleague, q) == []  # same unit, not involved

    # Counts and snippets never show what is out of scope.
    page = search_for(clerk_a, q="kho đạn")
    assert page.total == 0 and page.kind_counts == {} and page.items == []
    page = search_for(cleared, q="kho đạn")
    assert [i.hit.id for i in page.items] == [secret.pk]
    assert page.items[0].hit.snippet == ""  # a secret document's text stays behind the door

    # A new assignment (cooperating department) changes who finds it.
    other = make_user(Role.SPECIALIST, ward_a)
    from congso.kernel.people.models import Position

    Position.objects.filter(user=other).update(department=office)
    assignment = Assignment.objects.create(
        document=ordinary, assigned_by=leader, lead_user=specialist
    )
    assignment.cooperating_departments.add(office)
    search_drain()
    assert found(other, q) == [("incoming", ordinary.pk)]


@pytest.mark.django_db
def test_outgoing_drafts_visible_to_drafter_and_reviewers(ward_a, make_user) -> None:
    drafter = make_user(Role.SPECIALIST, ward_a)
    reviewer = make_user(Role.SPECIALIST, ward_a)
    stranger = make_user(Role.SPECIALIST, ward_a)
    clerk = make_user(Role.CLERK, ward_a)
    draft = make_outgoing(ward_a, "Dự thảo báo cáo chuyển đổi số quý III", drafter)
    draft.department = Department.objects.create(
        unit=ward_a, name="Phòng Kinh tế", abbreviation="KT"
    )
    draft.save()
    from congso.documents.models import ReviewStep

    ReviewStep.objects.create(document=draft, order=1, reviewer=reviewer)
    search_drain()
    for user, sees in [(drafter, True), (reviewer, True), (clerk, True), (stranger, False)]:
        assert (found(user, "chuyen doi so") == [("outgoing", draft.pk)]) is sees, user


@pytest.mark.django_db
def test_registered_through_the_documents_service_is_found(ward_a, make_user) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    from congso.documents.services.incoming import incoming_register

    pdf = PdfWriter()
    pdf.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    pdf.write(buffer)
    scan = SimpleUploadedFile("quet.pdf", buffer.getvalue(), content_type="application/pdf")
    clerk = make_user(Role.CLERK, ward_a)
    document = incoming_register(
        unit=ward_a,
        user=clerk,
        files=[scan],
        channel="paper",
        document_type=DocumentType.objects.get(abbreviation="QĐ"),
        subject="Quyết định về việc thành lập Tổ công tác chuyển đổi số",
        sender_name="Ủy ban nhân dân thành phố Hà Nội",
        notation="15/QĐ-UBND",
    )
    search_drain()
    assert found(clerk, "15/QĐ-UBND") == [("incoming", document.pk)]
    assert found(clerk, "to cong tac") == [("incoming", document.pk)]


@pytest.mark.django_db
def test_leaders_see_their_subtree_and_a_moved_unit_follows(hanoi, ward_a, ward_b, make_user):
    city_leader = make_user(Role.LEADER, hanoi)
    document = make_incoming(ward_a, "Kế hoạch kiểm tra an toàn thực phẩm dịp Tết")
    make_incoming(ward_b, "Kế hoạch kiểm tra an toàn thực phẩm phường bên")
    search_drain()
    assert len(found(city_leader, "an toan thuc pham")) == 2

    other_city = AdminUnit.objects.create(
        name="Tỉnh khác", level=hanoi.level, code="99", dataset=hanoi.dataset
    )
    ward_a.parent = other_city
    ward_a.save()  # the unit moved: its documents are queued (their ancestors changed)
    assert pending_outbox().filter(kind="incoming", object_id=document.pk).exists()
    search_drain()
    assert ("incoming", document.pk) not in found(city_leader, "an toan thuc pham")
    assert search_check().ok
