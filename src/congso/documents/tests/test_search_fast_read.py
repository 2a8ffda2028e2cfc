"""The documents' fast read (``read_incoming`` / ``read_outgoing``: rows, no model instances)
gives the very entries the model path gives (``incoming_document`` / ``outgoing_document`` on
``incoming_queryset()`` / ``outgoing_queryset()``): same fields, same signature, so a rebuild,
a check and a drain agree whichever path wrote the index."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from congso.documents.models import (
    Assignment,
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    ReviewStep,
)
from congso.documents.search import (
    INCOMING,
    OUTGOING,
    incoming_document,
    incoming_queryset,
    outgoing_document,
    outgoing_queryset,
    read_incoming,
    read_outgoing,
)
from congso.kernel.orgunits.models import AdminUnit, Department, DepartmentKind
from congso.kernel.people.models import Role
from congso.kernel.search.backends import get_backend
from congso.kernel.search.registry import IndexDocument, get_source
from congso.kernel.search.services import (
    search_check,
    search_drain,
    search_enqueue_many,
    search_rebuild,
    with_unit_paths,
)
from congso.kernel.search.tests.fixtures import search_index  # noqa: F401

pytestmark = pytest.mark.django_db

# 23:30 UTC is already the next day in Hà Nội: both paths must take the same date.
LATE = dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.UTC)


def _incoming(unit: AdminUnit, n: int, **kw: Any) -> IncomingDocument:
    kw.setdefault("document_type", DocumentType.objects.order_by("pk").first())
    return IncomingDocument.objects.create(
        unit=unit,
        arrival_year=2026,
        arrival_number=n,
        channel="paper",
        sender_name=kw.pop("sender_name", "Sở Xây dựng"),
        subject=kw.pop("subject", f"Về việc cấp giấy phép xây dựng số {n}"),
        **kw,
    )


def _outgoing(unit: AdminUnit, department: Department, user: Any, **kw: Any) -> OutgoingDocument:
    kw.setdefault("document_type", DocumentType.objects.order_by("-pk").first())
    return OutgoingDocument.objects.create(
        unit=unit,
        department=department,
        created_by=user,
        subject=kw.pop("subject", "Báo cáo tình hình trật tự đô thị"),
        **kw,
    )


def _fields(doc: IndexDocument | None) -> dict[str, Any]:
    assert doc is not None
    return dataclasses.asdict(doc)


def _assert_same(model_docs: dict[int, IndexDocument], fast: list[tuple[int, Any]]) -> None:
    assert [pk for pk, _doc in fast] == sorted(model_docs)
    for pk, doc in fast:
        expected = model_docs[pk]
        assert _fields(doc) == _fields(expected), pk  # field by field, with the field named
        assert doc.signature() == expected.signature()


@pytest.fixture
def corpus(ward_a: AdminUnit, ward_b: AdminUnit, make_user: Any) -> dict[str, Any]:
    """Documents covering what an entry depends on: assignments with lead and cooperating
    people and departments, none, several; secrecy; missing dates; review steps."""
    vp = Department.objects.get(unit=ward_a)
    kt, vh = (
        Department.objects.create(
            unit=ward_a, name=name, abbreviation=abbr, kind=DepartmentKind.DIVISION
        )
        for name, abbr in (("Phòng Kinh tế", "KT"), ("Phòng Văn hóa", "VH"))
    )
    leader = make_user(Role.LEADER, ward_a)
    a, b, c = (make_user(Role.SPECIALIST, ward_a) for _ in range(3))

    plain = _incoming(ward_a, 1, text="Nội dung có dấu: hoà, thuỷ, Đống Đa.")
    assigned = _incoming(
        ward_a,
        2,
        arrived_at=LATE,
        issued_date=dt.date(2026, 3, 1),
        notation="15/QĐ-UBND",
        signer_name="Nguyễn Văn A",
        signer_position="Chủ tịch",
        status=IncomingStatus.ASSIGNED,
        urgency=2,
    )
    first = Assignment.objects.create(document=assigned, assigned_by=leader, lead_user=a)
    first.cooperating_users.add(b, c)
    first.cooperating_departments.add(kt)
    second = Assignment.objects.create(document=assigned, assigned_by=leader, lead_department=vh)
    second.cooperating_users.add(a)  # the same person twice: one token
    department_only = _incoming(ward_b, 3, secrecy=1, text="Tài liệu mật.")
    Assignment.objects.create(document=department_only, assigned_by=leader, lead_department=vp)
    no_issue_date = _incoming(ward_a, 4, secrecy=2, issued_date=None, notation="")

    draft = _outgoing(ward_a, kt, a)  # no issued date: the creation date
    reviewed = _outgoing(
        ward_a,
        vp,
        b,
        issued_date=dt.date(2026, 2, 2),
        notation="7/BC-UBND",
        signer_title="Chủ tịch",
        recipients_text="Sở Xây dựng\nLưu: VT",
        status=OutgoingStatus.ISSUED,
        secrecy=1,
        urgency=1,
    )
    ReviewStep.objects.create(document=reviewed, order=1, reviewer=c)
    ReviewStep.objects.create(document=reviewed, order=2, reviewer=leader)
    ReviewStep.objects.create(document=reviewed, order=3, reviewer=b)  # the drafter again
    OutgoingDocument.objects.filter(pk=draft.pk).update(created_at=LATE)
    return {"incoming": [plain, assigned, department_only, no_issue_date], "leader": leader}


def _model_incoming() -> dict[int, IndexDocument]:
    return {doc.pk: incoming_document(doc) for doc in incoming_queryset().order_by("pk")}


def _model_outgoing() -> dict[int, IndexDocument]:
    return {doc.pk: outgoing_document(doc) for doc in outgoing_queryset().order_by("pk")}


def test_dates_are_hanoi_dates(corpus: dict[str, Any]) -> None:
    """23:30 UTC on 4 March is 06:30 on 5 March in Hà Nội: the search date (and the date
    filter) is the local one, on both paths."""
    assigned = corpus["incoming"][1]
    assert _model_incoming()[assigned.pk].date == dt.date(2026, 3, 5)
    source = get_source("incoming")
    assert source is not None
    fast = dict(source.read_documents(ids=[assigned.pk]))
    entry = fast[assigned.pk]
    assert entry is not None and entry.date == dt.date(2026, 3, 5)
    drafts = [d for d in _model_outgoing().values() if d.notation == ""]
    assert drafts and all(d.date == dt.date(2026, 3, 5) for d in drafts)


def test_incoming_fast_read_equals_the_model_path(corpus: dict[str, Any]) -> None:
    expected = _model_incoming()
    assert len(expected) == 4
    _assert_same(expected, read_incoming())
    assigned = expected[corpus["incoming"][1].pk]
    assert assigned.date == dt.date(2026, 3, 5)  # the Hà Nội date, on both paths
    assert len(assigned.acl) == 5  # a, b, c, KT, VH


def test_outgoing_fast_read_equals_the_model_path(corpus: dict[str, Any]) -> None:
    expected = _model_outgoing()
    assert len(expected) == 2
    _assert_same(expected, read_outgoing())


@pytest.mark.parametrize("kind", [INCOMING, OUTGOING])
def test_ranges_limits_and_ids(corpus: dict[str, Any], kind: str) -> None:
    expected = _model_incoming() if kind == INCOMING else _model_outgoing()
    read = read_incoming if kind == INCOMING else read_outgoing
    pks = sorted(expected)
    _assert_same({pk: expected[pk] for pk in pks[1:]}, read(after=pks[0]))
    _assert_same({pks[0]: expected[pks[0]]}, read(limit=1))
    _assert_same({pks[-1]: expected[pks[-1]]}, read(after=pks[0], upto=pks[-1], limit=99)[-1:])
    _assert_same({pks[0]: expected[pks[0]]}, read(after=pks[0] - 1, upto=pks[0]))
    chosen = [pks[-1], pks[0], pks[-1]]  # any order, repeated
    _assert_same({pk: expected[pk] for pk in chosen}, read(ids=chosen))
    assert read(ids=[max(pks) + 1000]) == []
    assert read(after=max(pks)) == []
    # The source uses it, and the generic path (no ``read``) gives the same.
    source = get_source(kind)
    assert source is not None and source.read is read
    generic = dataclasses.replace(source, read=None)
    assert [(pk, _fields(d)) for pk, d in generic.read_documents(ids=chosen)] == [
        (pk, _fields(d)) for pk, d in source.read_documents(ids=chosen)
    ]


@pytest.mark.usefixtures("search_index")
def test_rebuild_check_and_drain_use_it(corpus: dict[str, Any]) -> None:
    report = search_rebuild(resume=False, chunk=2)
    assert report.per_kind == {INCOMING: 4, OUTGOING: 2}
    assert search_check(chunk=3).ok
    # Who may see a document changes through an assignment: the drain re-reads its rows.
    doc = corpus["incoming"][0]
    Assignment.objects.create(
        document=doc, assigned_by=corpus["leader"], lead_user=corpus["leader"]
    )
    IncomingDocument.objects.filter(pk=doc.pk).update(subject="Đã đổi", updated_at=timezone.now())
    search_enqueue_many(INCOMING, [doc.pk])
    assert search_drain().upserted == 1
    check = search_check()
    assert check.ok, check
    entries = get_backend().entries(INCOMING, doc.pk, doc.pk)
    (model,) = with_unit_paths([incoming_document(incoming_queryset().get(pk=doc.pk))])
    assert entries == {doc.pk: [model.signature()]}
    # A deleted document leaves the index through the same path.
    IncomingDocument.objects.filter(pk=doc.pk).delete()
    assert search_drain().deleted == 1
    assert search_check().ok
