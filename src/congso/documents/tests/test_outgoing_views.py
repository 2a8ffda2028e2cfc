"""The outgoing pages: the whole journey through the HTML forms, permissions, messages, and a
list page whose query count does not grow with its rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congso.documents.models import IncomingDocument, OutgoingDocument, OutgoingStatus
from congso.documents.services import outgoing as svc
from congso.documents.tests.conftest import doc_type, upload
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import User
from congso.kernel.signing.models import SigningCredential

pytestmark = pytest.mark.django_db
Login = Callable[[Client, User], Client]


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_journey_through_the_pages(
    client: Client,
    login: Login,
    ward_a: AdminUnit,
    ward_b: AdminUnit,
    departments: dict[str, Department],
    specialist: User,
    head_kt: User,
    leader: User,
    clerk: User,
    clerk_b: User,
    signing_credentials: dict[str, SigningCredential],
    decision_bytes: bytes,
    appendix_bytes: bytes,
) -> None:
    ward_b_org = svc.organisation_for_unit(ward_b)
    # The specialist drafts.
    login(client, specialist)
    page = client.get(reverse("documents:outgoing_create"))
    assert page.status_code == 200 and "Soạn văn bản đi" in page.content.decode()
    response = client.post(
        reverse("documents:outgoing_create"),
        {
            "document_type": doc_type("Quyết định").pk,
            "department": departments["KT"].pk,
            "subject": "Về việc thành lập Tổ công tác chuyển đổi số phường",
            "urgency": "0",
            "secrecy": "0",
            "recipients": [ward_b_org.pk],
            "recipients_text": "Như Điều 3;\nLưu: VT, KT.",
            "copies": "3",
            "file": upload("du-thao.pdf", decision_bytes),
            "attachments": [upload("phu-luc.pdf", appendix_bytes)],
        },
        follow=True,
    )
    document = OutgoingDocument.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "documents:outgoing_detail", args=[document.pk]
    )
    assert "Đã tạo dự thảo" in " ".join(_messages(response))
    assert document.attachments.count() == 1 and document.copies == 3
    # ... and sends it up the chain.
    response = client.post(
        reverse("documents:outgoing_submit", args=[document.pk]),
        {"reviewer_1": head_kt.pk, "reviewer_2": leader.pk},
        follow=True,
    )
    assert "Đã trình duyệt" in " ".join(_messages(response))

    # The head of department approves; the leader is not asked before his turn.
    login(client, leader)
    detail = client.get(reverse("documents:outgoing_detail", args=[document.pk]))
    assert "Cho ý kiến" not in detail.content.decode()
    login(client, head_kt)
    detail = client.get(reverse("documents:outgoing_detail", args=[document.pk]))
    assert "Cho ý kiến" in detail.content.decode()
    client.post(reverse("documents:outgoing_review", args=[document.pk]), {"decision": "approved"})

    # The leader signs from the signing page (the test CA is announced).
    login(client, leader)
    sign_page = client.get(reverse("documents:outgoing_sign", args=[document.pk]))
    assert sign_page.status_code == 200
    assert "CA THỬ NGHIỆM" in sign_page.content.decode()
    response = client.post(
        reverse("documents:outgoing_sign", args=[document.pk]),
        {"signing_authority": "TM.", "signer_title": "Chủ tịch", "placement": "auto"},
        follow=True,
    )
    assert "Đã ký số văn bản" in " ".join(_messages(response))
    document.refresh_from_db()
    assert document.status == OutgoingStatus.SIGNED

    # The clerk numbers and issues, then sends it.
    login(client, clerk)
    response = client.post(reverse("documents:outgoing_issue", args=[document.pk]), follow=True)
    assert "Đã cấp số và ban hành văn bản 01/QĐ-UBND" in " ".join(_messages(response))
    body = response.content.decode()
    assert "01/QĐ-UBND" in body and "Hợp lệ" in body and "CA THỬ NGHIỆM" in body
    response = client.post(
        reverse("documents:outgoing_dispatch", args=[document.pk]),
        {"recipients": [ward_b_org.pk]},
        follow=True,
    )
    assert "Đã gửi trong hệ thống đến: Ủy ban nhân dân phường Phú Thượng" in " ".join(
        _messages(response)
    )
    assert "Đã tiếp nhận" in response.content.decode()
    incoming = IncomingDocument.objects.get(unit=ward_b)
    # The other ward's clerk sees it arrive; the sending ward's specialist cannot see it there.
    login(client, clerk_b)
    assert client.get(reverse("documents:incoming_detail", args=[incoming.pk])).status_code == 200
    assert client.get(reverse("documents:outgoing_detail", args=[document.pk])).status_code == 404

    # Recall.
    login(client, clerk)
    response = client.post(
        reverse("documents:outgoing_recall", args=[document.pk]),
        {"reason": "Sai căn cứ"},
        follow=True,
    )
    assert "Đã thu hồi văn bản" in " ".join(_messages(response))
    assert "Văn bản đã bị thu hồi" in response.content.decode()


def test_pages_refuse_the_wrong_people(
    client: Client,
    login: Login,
    make_outgoing: Callable[..., OutgoingDocument],
    specialist: User,
    outsider: User,
    clerk: User,
    signing_credentials: dict[str, SigningCredential],
) -> None:
    document = make_outgoing(until="approved")
    login(client, specialist)
    assert client.get(reverse("documents:outgoing_sign", args=[document.pk])).status_code == 403
    # A refused action says why, and changes nothing.
    response = client.post(reverse("documents:outgoing_issue", args=[document.pk]), follow=True)
    assert "Chỉ văn thư" in " ".join(_messages(response))
    login(client, outsider)
    assert client.get(reverse("documents:outgoing_detail", args=[document.pk])).status_code == 404
    login(client, clerk)
    response = client.get(reverse("documents:outgoing_create"))
    assert response.status_code == 200  # clerks draft too


def test_create_form_shows_service_errors(
    client: Client,
    login: Login,
    departments: dict[str, Department],
    specialist: User,
) -> None:
    login(client, specialist)
    response = client.post(
        reverse("documents:outgoing_create"),
        {
            "document_type": doc_type("Công văn").pk,
            "department": departments["KT"].pk,
            "subject": "Trích yếu",
            "urgency": "0",
            "secrecy": "0",
            "copies": "1",
            "file": upload("du-thao.pdf", b"%PDF-1.7\n hong"),
        },
    )
    assert response.status_code == 200
    assert "Tệp PDF bị hỏng" in response.content.decode()
    assert not OutgoingDocument.objects.exists()


def test_docx_sign_attempt_shows_the_reason(
    client: Client,
    login: Login,
    make_outgoing: Callable[..., OutgoingDocument],
    specialist: User,
    leader: User,
    signing_credentials: dict[str, SigningCredential],
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congso.documents.tests.test_outgoing_services import docx_bytes

    document = make_outgoing(until="draft", file=SimpleUploadedFile("a.docx", docx_bytes()))
    svc.outgoing_review_submit(document=document, user=specialist, reviewers=[leader])
    login(client, leader)
    response = client.post(
        reverse("documents:outgoing_sign", args=[document.pk]),
        {"signing_authority": "TM.", "placement": "auto"},
    )
    assert response.status_code == 200
    assert "Chỉ ký số được tệp PDF" in response.content.decode()


def test_list_and_work_pages_do_not_grow_queries(
    client: Client,
    login: Login,
    make_outgoing: Callable[..., OutgoingDocument],
    clerk: User,
    django_assert_max_num_queries: Any,
) -> None:
    make_outgoing(until="draft")
    login(client, clerk)
    url = reverse("documents:outgoing_list")
    client.get(url)  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        make_outgoing(until="draft")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('data-testid="outgoing-row"') == 5
    assert len(many) == len(few)
    work = client.get(reverse("documents:outgoing_work"))
    assert work.status_code == 200


def test_document_issued_outside_the_workflow_shows_its_files(
    client: Client,
    login: Login,
    ward_a: AdminUnit,
    departments: dict[str, Department],
    clerk: User,
    decision_bytes: bytes,
) -> None:
    """A document from a legacy register or the demo corpus: numbered, a PDF owned by the
    document, no issued_file. Its page lists the file and says it carries no signature."""
    from django.core.files.base import ContentFile

    from congso.kernel.files.services import file_store

    document = OutgoingDocument.objects.create(
        unit=ward_a,
        department=departments["VP"],
        document_type=doc_type("Công văn"),
        subject="Về việc rà soát hộ nghèo",
        status=OutgoingStatus.ISSUED,
        year=2024,
        series="outgoing:letter",
        number=7,
        notation="07/UBND-VP",
        created_by=clerk,
    )
    stored = file_store(
        upload=ContentFile(decision_bytes, name="07-UBND-VP.pdf"), owner=document, user=clerk
    )
    assert [f.pk for f in svc.outgoing_issued_files(document)] == [stored.pk]
    login(client, clerk)
    body = client.get(reverse("documents:outgoing_detail", args=[document.pk])).content.decode()
    assert "07-UBND-VP.pdf" in body and "Tệp chưa có chữ ký số." in body


def test_a_docx_draft_says_a_pdf_is_needed_before_signing(
    client: Client,
    login: Login,
    make_outgoing: Callable[..., OutgoingDocument],
    specialist: User,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congso.documents.tests.test_outgoing_services import docx_bytes

    document = make_outgoing(until="draft", file=SimpleUploadedFile("a.docx", docx_bytes()))
    login(client, specialist)
    page = client.get(reverse("documents:outgoing_detail", args=[document.pk])).content.decode()
    assert 'data-testid="docx-notice"' in page and "chỉ ký số được tệp PDF" in page
    svc.outgoing_version_add(
        document=document,
        user=specialist,
        file=upload("a.pdf"),
    )
    page = client.get(reverse("documents:outgoing_detail", args=[document.pk])).content.decode()
    assert 'data-testid="docx-notice"' not in page
