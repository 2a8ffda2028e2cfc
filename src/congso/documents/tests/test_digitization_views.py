"""The digitisation block on the document page: htmx polling while it runs, the final state,
"chạy lại" for clerks, scoping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congso.documents.models import DigitizationStatus, IncomingDocument
from congso.documents.services import digitization as svc
from congso.documents.tests.conftest import letter_pdf, upload
from congso.documents.tests.digitization_helpers import attach, bare_document
from congso.kernel.audit.models import AuditEvent
from congso.kernel.ocr.tests.helpers import CORRUPT_PDF

pytestmark = pytest.mark.django_db


def _url(document: IncomingDocument, name: str = "digitization_status") -> str:
    return reverse(f"documents:{name}", args=["den", document.pk])


def test_the_block_polls_every_two_seconds_while_pending(
    register: Callable[..., IncomingDocument], clerk: Any, login: Any, client: Client
) -> None:
    document = register()  # committed callbacks are not run: the task has not run yet
    assert document.digitization_status == DigitizationStatus.PENDING
    login(client, clerk)
    response = client.get(_url(document), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html and f'hx-get="{_url(document)}"' in html
    assert "Chờ số hóa" in html and "Đang chờ máy chủ số hóa 1 tệp" in html
    # the detail page includes the same block
    page = client.get(reverse("documents:incoming_detail", args=[document.pk])).content.decode()
    assert 'id="digitization"' in page and f'hx-get="{_url(document)}"' in page


def test_the_block_stops_polling_and_shows_the_text_when_done(
    register: Callable[..., IncomingDocument],
    clerk: Any,
    login: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = register(files=[upload("cv.pdf", letter_pdf("Về việc chỉnh trang vỉa hè."))])
    login(client, clerk)
    html = client.get(_url(document), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html
    assert "Đã số hóa" in html and "lấy từ lớp chữ có sẵn" in html
    assert "Về việc chỉnh trang vỉa hè." in html
    assert "đã có lớp chữ, dùng bản gốc" in html


def test_a_failure_shows_its_reason_and_the_clerk_can_run_it_again(
    register: Callable[..., IncomingDocument],
    clerk: Any,
    specialist: Any,
    login: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = bare_document(register)
    broken = attach(document, "hong.pdf", CORRUPT_PDF)
    with django_capture_on_commit_callbacks(execute=True):
        svc.digitization_start(document=document)
    login(client, clerk)
    html = client.get(_url(document)).content.decode()
    assert "Lỗi số hóa" in html and "bị hỏng" in html and "hx-trigger" not in html
    assert 'data-testid="digitization-retry"' in html
    # the clerk replaces the broken file by a good one and runs it again
    from congso.kernel.files.services import file_delete

    file_delete(stored_file=broken)
    attach(document, "cong-van.pdf", letter_pdf("Về việc D."))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(document, "digitization_retry"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Đã đưa văn bản vào hàng đợi số hóa lại." in response.content.decode()
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.DONE
    assert "Về việc D." in document.text


def test_only_clerks_may_run_it_again(
    register: Callable[..., IncomingDocument],
    leader: Any,
    login: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = bare_document(register)
    attach(document, "hong.pdf", CORRUPT_PDF)
    with django_capture_on_commit_callbacks(execute=True):
        svc.digitization_start(document=document)
    login(client, leader)
    html = client.get(_url(document)).content.decode()
    assert "bị hỏng" in html and 'data-testid="digitization-retry"' not in html
    response = client.post(_url(document, "digitization_retry"), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert "Chỉ văn thư" in response.content.decode()
    assert response["HX-Reswap"] == "outerHTML"
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.FAILED
    assert client.get(_url(document, "digitization_retry")).status_code == 405


def test_other_committees_and_unknown_kinds_see_nothing(
    register: Callable[..., IncomingDocument], clerk_b: Any, login: Any, client: Client
) -> None:
    document = register()
    login(client, clerk_b)
    assert client.get(_url(document)).status_code == 404
    assert client.post(_url(document, "digitization_retry")).status_code == 404
    assert client.get(f"/van-ban/so-hoa/xyz/{document.pk}/").status_code == 404


def test_anonymous_users_are_sent_to_the_login(
    register: Callable[..., IncomingDocument], client: Client
) -> None:
    response = client.get(_url(register()))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_reading_the_text_of_a_secret_document_is_audited(
    register: Callable[..., IncomingDocument],
    clerk: Any,
    leader: Any,
    login: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    clerk.clearance = 1  # the clerk registering it is cleared too
    clerk.save(update_fields=["clearance"])
    with django_capture_on_commit_callbacks(execute=True):
        document = register(secrecy=1, files=[upload("mat.pdf", letter_pdf("Về việc E mật."))])
    login(client, leader)  # the leader is cleared for Mật
    html = client.get(_url(document)).content.decode()
    assert "Về việc E mật." in html
    assert AuditEvent.objects.filter(
        action="documents.secret_read", object_id=str(document.pk), actor=leader
    ).exists()


def test_the_home_page_shows_the_digitisation_item(
    register: Callable[..., IncomingDocument], clerk: Any, login: Any, client: Client
) -> None:
    register()
    login(client, clerk)
    html = client.get(reverse("core:home")).content.decode()
    assert "Văn bản chưa số hóa năm" in html
